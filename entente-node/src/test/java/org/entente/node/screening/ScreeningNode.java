package org.entente.node.screening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.PolicyGate;
import org.entente.node.testing.Http;
import org.entente.node.testing.Staff;
import org.entente.node.users.Role;

/**
 * A node of a border police (DE) with a partner police (FR) under an agreement on persons of
 * interest up to TLP:GREEN for border control and investigation, the people of both, and helpers
 * to speak its screening API over real HTTP.
 */
final class ScreeningNode implements AutoCloseable {
    static final ObjectMapper M = new ObjectMapper();
    static final String PASSWORD = "correct horse battery";
    static final Path WATCHLISTS = Path.of("../entente-screening/src/test/resources/watchlists");
    static final Path UN = WATCHLISTS.resolve("un/consolidated.xml");
    static final Path OFAC = WATCHLISTS.resolve("ofac-sdn-2019");

    final Node node;
    final DatabaseLocation.External database;
    final Organisation own;
    final Organisation partner;
    final String agreementId;
    final String base;
    /** One client for every call: a client per call costs a connection and a selector thread each. */
    final Http http;

    ScreeningNode(Map<Key, String> settings) {
        database = org.entente.node.testing.TestPostgres.freshDatabase();
        Map<Key, String> s = new EnumMap<>(Key.class);
        s.put(Key.PORT, "0");
        s.put(Key.ORG_NAME, "Bundespolizei");
        s.put(Key.ORG_NATION, "DE");
        s.put(Key.ORG_SECTOR, "border");
        s.putAll(settings);
        node = Node.start(NodeConfig.of(database, s));
        base = node.url().replaceAll("/$", "");
        http = new Http(java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build(),
                base, null);
        Organisations orgs = node.services().organisations();
        own = orgs.update(orgs.own().orElseThrow().id(), new Organisations.Draft(null, null, null,
                "SIRENE Germany, +49 30 0000 0000, sirene@bpol.example"), "test");
        partner = orgs.create(new Organisations.Draft("Police aux frontières", "FR", "border", "PAF liaison desk"),
                false, "test");
        agreementId = node.services().agreements().create(agreement(), "test").id();
        Staff staff = new Staff(node.services());
        staff.create("root", PASSWORD, true);
        staff.create("officer", PASSWORD, false, own.id(), Set.of(Role.BORDER_OFFICER));
        staff.create("officer2", PASSWORD, false, own.id(), Set.of(Role.BORDER_OFFICER));
        staff.create("liaison", PASSWORD, false, own.id(), Set.of(Role.LIAISON_OFFICER));
        staff.create("fr-analyst", PASSWORD, false, partner.id(), Set.of(Role.ANALYST));
        staff.create("fr-officer", PASSWORD, false, partner.id(), Set.of(Role.BORDER_OFFICER));
    }

    private ObjectNode agreement() {
        ObjectNode a = M.createObjectNode();
        a.put("title", "Border cooperation DE-FR").put("kind", "bilateral").put("valid_from", "2026-01-01")
                .put("status", "active");
        a.putArray("parties").add(own.id()).add(partner.id());
        a.putObject("legal_basis").put("text", "Prüm Treaty, Art. 1");
        ObjectNode r = a.putObject("rules");
        r.putArray("categories").add("persons-of-interest");
        r.putArray("purposes").add("border-control").add("investigation");
        r.put("max_tlp", "green");
        r.putObject("personal_data").put("allowed", true).put("legal_basis", "Prüm Treaty, Art. 16");
        r.putObject("onward_sharing").put("rule", "forbidden");
        return a;
    }

    /** A real HTTP call as a user, with an optional purpose. */
    Http.Response call(String user, String method, String path, String contentType, byte[] body, String purpose) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", Http.basic(user, PASSWORD)).header("Accept", "application/json");
        if (purpose != null) b.header(PolicyGate.PURPOSE_HEADER, purpose);
        if (body != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build());
    }

    Http.Response call(String user, String method, String path, JsonNode body) {
        return call(user, method, path, "application/json", body == null ? null
                : body.toString().getBytes(StandardCharsets.UTF_8), null);
    }

    Http.Response get(String user, String path) {
        return call(user, "GET", path, null, null, null);
    }

    /** Creates a list as the administrator; returns its id. */
    String createList(String name, String kind, String tlp, String... handling) {
        ObjectNode d = M.createObjectNode().put("name", name).put("kind", kind).put("tlp", tlp);
        var codes = d.putArray("handling_codes");
        for (String h : handling) codes.add(h);
        Http.Response r = call("root", "POST", "/api/watchlists", d);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    JsonNode importFile(String list, byte[] body) {
        Http.Response r = call("root", "POST", "/api/watchlists/" + list + "/import", "application/octet-stream", body, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    Http.Response check(String user, JsonNode query) {
        return call(user, "POST", "/api/screening/check", query);
    }

    static ObjectNode person(String name, String birth) {
        ObjectNode q = M.createObjectNode().put("name", name);
        if (birth != null) q.put("birth_date", birth);
        return q;
    }

    /** The lists the hits of a check came from, by name. */
    static List<String> listsOf(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("hits").forEach(h -> out.add(h.path("entry").path("list").asText()));
        return out;
    }

    static byte[] zip(Path folder, String... names) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String n : names) {
                z.putNextEntry(new ZipEntry(n));
                z.write(Files.readAllBytes(folder.resolve(n)));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Audit records of a kind, newest last. */
    List<JsonNode> audit(String kind) {
        return node.services().database().jdbi().withHandle(h -> h.createQuery("SELECT detail::text FROM audit_record"
                + " WHERE kind = :k ORDER BY seq").bind("k", kind).mapTo(String.class).list()).stream().map(s -> {
                    try {
                        return M.readTree(s);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList();
    }

    long count(String sql) {
        return node.services().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        node.close();
    }
}
