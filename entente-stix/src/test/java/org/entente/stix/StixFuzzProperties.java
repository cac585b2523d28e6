package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever JSON arrives, the validator answers with problems (never an exception) and custom content round-trips. */
class StixFuzzProperties {

    static final List<ObjectNode> EXAMPLES = examples();

    static List<ObjectNode> examples() {
        List<ObjectNode> all = new ArrayList<>();
        try {
            for (String name : OasisExamplesTest.examples().toList()) {
                for (StixReader.Item i : OasisExamplesTest.readAll(OasisExamplesTest.resource(name))) all.add(i.json());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        all.addAll(SchemaCrossCheckTest.extraExamples());
        return all;
    }

    @Provide
    Arbitrary<JsonNode> json() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.strings().ofMaxLength(40).map(s -> JsonNodeFactory.instance.textNode(s)),
                () -> Arbitraries.of("2016-04-06T20:03:48.000Z", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                        "2016-13-01T00:00:00Z", "x--y", "", "[0]", "malicious-activity").map(JsonNodeFactory.instance::textNode),
                () -> Arbitraries.longs().map(JsonNodeFactory.instance::numberNode),
                () -> Arbitraries.bigDecimals().ofScale(3).between(BigDecimal.valueOf(-1e6), BigDecimal.valueOf(1e6))
                        .map(JsonNodeFactory.instance::numberNode),
                () -> Arbitraries.of(true, false).map(JsonNodeFactory.instance::booleanNode),
                () -> Arbitraries.just(JsonNodeFactory.instance.nullNode()),
                () -> json().list().ofMaxSize(3).map(items -> {
                    ArrayNode a = JsonNodeFactory.instance.arrayNode();
                    items.forEach(a::add);
                    return a;
                }),
                () -> Arbitraries.maps(Arbitraries.of("selectors", "source_name", "tlp", "x_a", "kill_chain_name", "MD5", "value"),
                        json()).ofMaxSize(3).map(m -> {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    m.forEach(o::set);
                    return o;
                }));
    }

    @Property(tries = 2000)
    void validatorNeverThrows(@ForAll("json") JsonNode value, @ForAll("indexes") int example, @ForAll("indexes") int property) {
        ObjectNode o = EXAMPLES.get(example % EXAMPLES.size()).deepCopy();
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        names.add("x_new");
        o.set(names.get(property % names.size()), value);
        List<Problem> problems = StixValidator.standard().validate(o);
        assertThat(problems).allSatisfy(p -> assertThat(p.pointer()).satisfiesAnyOf(
                ptr -> assertThat(ptr).isEmpty(), ptr -> assertThat(ptr).startsWith("/")));
        StixValidator.standard().validate(value);
    }

    @Property(tries = 500)
    void customPropertiesRoundTripThroughReaderAndWriter(@ForAll("json") JsonNode value, @ForAll("indexes") int example) {
        ObjectNode o = EXAMPLES.get(example % EXAMPLES.size()).deepCopy();
        o.set("x_custom", value);
        String text = StixWriter.toJson(o);
        try (StixReader r = StixReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            // Compared as text: number node classes differ between built and parsed trees, the JSON must not.
            assertThat(StixWriter.toJson(r.next().json())).isEqualTo(text);
            assertThat(r.hasNext()).isFalse();
        }
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, 10_000);
    }
}
