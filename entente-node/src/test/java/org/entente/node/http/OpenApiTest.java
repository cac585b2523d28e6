package org.entente.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.entente.node.Node;
import org.entente.node.config.NodeConfig;
import org.entente.node.testing.Http;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's OpenAPI description as served, held to the routes the node really serves: a feature
 * that adds a route without describing it (or describes one it does not serve) fails here.
 */
class OpenApiTest {
    static final String TAXII = "application/taxii+json;version=2.1";
    static final ObjectMapper JSON = new ObjectMapper();
    static Node node;
    static JsonNode served;

    @BeforeAll
    static void start() {
        node = Node.start(NodeConfig.of(TestPostgres.freshDatabase(), Map.of(org.entente.node.config.Key.PORT, "0")));
        Http.Response r = new Http(node.url(), null).get(OpenApiDocument.PATH, "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        served = r.json();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theServedDocumentIsValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served.toString(), null, options);
        assertThat(result.getMessages()).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api).isNotNull();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getPaths()).isNotEmpty();
        assertThat(api.getComponents().getSecuritySchemes()).containsKeys("basic", "bearer");
    }

    @Test
    void everyServedRouteIsDescribedAndNothingElse() {
        Set<String> servedRoutes = new TreeSet<>();
        for (Routes.Route r : node.http().routes()) if (!r.page()) servedRoutes.add(r.method() + " " + r.path());
        Set<String> described = new TreeSet<>(operations().keySet());
        assertThat(described).as("described but not served").isSubsetOf(servedRoutes);
        assertThat(servedRoutes).as("served but not described").isSubsetOf(described);
        assertThat(servedRoutes).contains("GET /health", "GET /metrics", "GET " + OpenApiDocument.PATH,
                "POST /taxii2/intel/collections/{collection}/objects/", "GET /api/v1/mentions", "GET /api/policy/report");
    }

    /** Routes anyone may call say so ({} among their security requirements); the others do not. */
    @Test
    void publicRoutesAndOnlyThoseAdmitAnonymousCallers() {
        Map<String, JsonNode> ops = operations();
        for (Routes.Route r : node.http().routes()) {
            if (r.page()) continue;
            JsonNode op = ops.get(r.method() + " " + r.path());
            JsonNode security = op.has("security") ? op.get("security") : served.get("security");
            boolean anonymous = false;
            for (JsonNode requirement : security) anonymous |= requirement.isEmpty();
            assertThat(anonymous).as(r + " security " + security).isEqualTo(r.access() == Routes.Access.PUBLIC);
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(served, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(served.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    /**
     * The error model in the description: under /taxii2 every error answer is a TAXII error
     * message in TAXII's media type, elsewhere a JSON problem; every operation has a default.
     */
    @Test
    void everyErrorAnswerHasTheNodesErrorShape() {
        operations().forEach((route, op) -> {
            boolean taxii = route.contains(" /taxii2");
            JsonNode responses = op.path("responses");
            assertThat(responses.has("default")).as(route + " has a default answer").isTrue();
            for (Map.Entry<String, JsonNode> e : responses.properties()) {
                String code = e.getKey();
                if (!code.equals("default") && Integer.parseInt(code) < 400) continue;
                if (route.equals("GET /health") && code.equals("503")) continue; // the health report itself
                JsonNode response = resolve(e.getValue());
                JsonNode content = response.path("content");
                assertThat(content.size()).as(route + " " + code).isEqualTo(1);
                String mediaType = content.fieldNames().next();
                assertThat(mediaType).as(route + " " + code).isEqualTo(taxii ? TAXII : "application/json");
                assertThat(shapes(content.get(mediaType).path("schema"))).as(route + " " + code)
                        .contains(taxii ? "TaxiiError" : "Problem");
            }
        });
    }

    @Test
    void aRouteDescribedTwiceStopsTheAssemblyNamingBothFragments() throws Exception {
        ObjectNode out = (ObjectNode) JSON.readTree("{\"paths\":{\"/x\":{\"get\":{}}}}");
        Map<String, String> origin = new HashMap<>(Map.of("/x get", "one.json"));
        JsonNode twice = JSON.readTree("{\"paths\":{\"/x\":{\"get\":{\"summary\":\"again\"}}}}");
        assertThatThrownBy(() -> OpenApiDocument.merge(out, origin, "two.json", twice))
                .hasMessageContaining("GET /x").hasMessageContaining("one.json").hasMessageContaining("two.json");
        JsonNode otherMethod = JSON.readTree("{\"paths\":{\"/x\":{\"post\":{}}},"
                + "\"components\":{\"schemas\":{\"A\":{\"type\":\"string\"}}}}");
        OpenApiDocument.merge(out, origin, "two.json", otherMethod);
        assertThat(out.at("/paths/~1x").has("get")).isTrue();
        assertThat(out.at("/paths/~1x").has("post")).isTrue();
        JsonNode clash = JSON.readTree("{\"components\":{\"schemas\":{\"A\":{\"type\":\"integer\"}}}}");
        assertThatThrownBy(() -> OpenApiDocument.merge(out, origin, "three.json", clash))
                .hasMessageContaining("components/schemas/A").hasMessageContaining("three.json");
    }

    @Test
    void everyFeatureFragmentIsFound() {
        assertThat(OpenApiDocument.fragmentNames()).contains("base.json", "taxii.json", "search.json", "policy.json",
                "ops.json");
    }

    // ------------------------------------------------------------------ helpers

    /** "METHOD /path" of every operation described. */
    static Map<String, JsonNode> operations() {
        Map<String, JsonNode> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> p : served.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : p.getValue().properties()) {
                if (Set.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
                    out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(), op.getValue());
                }
            }
        }
        return out;
    }

    static JsonNode resolve(JsonNode n) {
        while (n.has("$ref")) n = served.at(n.get("$ref").asText().substring(1));
        return n;
    }

    /** The names of the component schemas a schema is, or is built on (allOf). */
    static Set<String> shapes(JsonNode schema) {
        Set<String> out = new TreeSet<>();
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            out.add(ref.substring(ref.lastIndexOf('/') + 1));
            out.addAll(shapes(resolve(schema)));
        }
        for (JsonNode part : schema.path("allOf")) out.addAll(shapes(part));
        return out;
    }

    static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            n.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) out.add(e.getValue().asText());
                else collectRefs(e.getValue(), out);
            });
        } else if (n.isArray()) {
            n.forEach(x -> collectRefs(x, out));
        }
    }
}
