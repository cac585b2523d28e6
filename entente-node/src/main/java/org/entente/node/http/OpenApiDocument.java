package org.entente.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 description of every HTTP API of the node, for
 * anyone (it tells nothing about the data). Each feature describes its own routes in a fragment
 * {@code openapi/<feature>.json} beside its code's resources; {@code openapi/base.json} holds the
 * info, the security schemes and the shapes every API shares (the two error bodies). The fragments
 * are found by listing that folder, merged once when the server starts, and a route described
 * twice, or a shared component defined twice differently, stops the start with the two fragments
 * named. The tests hold the result to the routes really served, both ways.
 */
public final class OpenApiDocument implements Api {
    public static final String PATH = "/api/openapi.json";
    static final String FOLDER = "openapi/";
    static final String BASE = "base.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private volatile byte[] document;

    @Override
    public void register(Routes routes) {
        document = assemble().toString().getBytes(StandardCharsets.UTF_8);
        routes.publicGet(PATH, this::serve);
    }

    private void serve(Context ctx) {
        ctx.contentType("application/json").result(document);
    }

    /** The whole description: base.json, then every other fragment in the order of their names. */
    public static ObjectNode assemble() {
        List<String> names = fragmentNames();
        if (!names.contains(BASE)) throw new IllegalStateException("no " + FOLDER + BASE + " on the class path");
        ObjectNode out = (ObjectNode) read(BASE);
        Map<String, String> origin = new java.util.HashMap<>();
        ObjectNode paths = out.withObjectProperty("paths");
        paths.properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m -> origin.put(p.getKey() + " " + m, BASE)));
        for (String name : names) {
            if (name.equals(BASE)) continue;
            merge(out, origin, name, read(name));
        }
        return out;
    }

    static void merge(ObjectNode out, Map<String, String> origin, String name, JsonNode fragment) {
        ObjectNode paths = out.withObjectProperty("paths");
        for (Map.Entry<String, JsonNode> p : fragment.path("paths").properties()) {
            ObjectNode target = paths.withObjectProperty(p.getKey());
            for (Map.Entry<String, JsonNode> op : p.getValue().properties()) {
                String key = p.getKey() + " " + op.getKey();
                if (METHODS.contains(op.getKey()) && origin.containsKey(key)) {
                    throw new IllegalStateException("OpenAPI: " + op.getKey().toUpperCase(java.util.Locale.ROOT) + " "
                            + p.getKey() + " is described in both " + origin.get(key) + " and " + name);
                }
                origin.put(key, name);
                target.set(op.getKey(), op.getValue());
            }
        }
        for (Map.Entry<String, JsonNode> section : fragment.path("components").properties()) {
            ObjectNode target = out.withObjectProperty("components").withObjectProperty(section.getKey());
            for (Map.Entry<String, JsonNode> c : section.getValue().properties()) {
                JsonNode had = target.get(c.getKey());
                if (had != null && !had.equals(c.getValue())) {
                    throw new IllegalStateException("OpenAPI: components/" + section.getKey() + "/" + c.getKey()
                            + " is defined differently in " + name + " and an earlier fragment");
                }
                target.set(c.getKey(), c.getValue());
            }
        }
        ArrayNode tags = out.withArrayProperty("tags");
        Set<String> known = new HashSet<>();
        tags.forEach(t -> known.add(t.path("name").asText()));
        for (JsonNode t : fragment.path("tags")) {
            if (known.add(t.path("name").asText())) tags.add(t);
        }
    }

    private static JsonNode read(String name) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) throw new IllegalStateException("no " + FOLDER + name + " on the class path");
            JsonNode n = JSON.readTree(in);
            if (n == null || !n.isObject()) throw new IllegalStateException(FOLDER + name + " is not a JSON object");
            return n;
        } catch (IOException e) {
            throw new IllegalStateException("OpenAPI fragment " + FOLDER + name + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The fragments beside base.json, whether the classes run from a folder (tests, IDE) or from
     * the node's jar.
     */
    static List<String> fragmentNames() {
        URL base = OpenApiDocument.class.getClassLoader().getResource(FOLDER + BASE);
        if (base == null) return List.of();
        List<String> out = new ArrayList<>();
        try {
            switch (base.getProtocol()) {
                case "file" -> {
                    try (Stream<Path> files = Files.list(Path.of(base.toURI()).getParent())) {
                        files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json")).forEach(out::add);
                    }
                }
                case "jar" -> {
                    JarURLConnection connection = (JarURLConnection) base.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        jar.stream().map(JarEntry::getName)
                                .filter(e -> e.startsWith(FOLDER) && e.endsWith(".json") && e.indexOf('/', FOLDER.length()) < 0)
                                .map(e -> e.substring(FOLDER.length())).forEach(out::add);
                    }
                }
                default -> throw new IllegalStateException("cannot list the OpenAPI fragments at " + base);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the OpenAPI fragments: " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        out.sort(null);
        return out;
    }
}
