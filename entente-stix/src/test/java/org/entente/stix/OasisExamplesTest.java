package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OasisExamplesTest {

    static Stream<String> examples() {
        return Stream.of("apt1.json", "poisonivy.json").map(f -> "threat-reports/" + f)
                .map(f -> f)
                .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> {
                    l.addAll(List.of("indicator-for-c2-ip-address.json", "indicator-to-campaign-relationship.json",
                            "indicators-for-C2-with-COA.json", "infrastructure.json", "interop-objectmarking-test.json",
                            "malicious-email-indicator-with-attachment.json"));
                    return l.stream();
                }));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = OasisExamplesTest.class.getResourceAsStream("/oasis/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static List<StixReader.Item> readAll(byte[] bytes) {
        List<StixReader.Item> items = new ArrayList<>();
        try (StixReader r = StixReader.open(new ByteArrayInputStream(bytes))) {
            r.forEachRemaining(items::add);
        }
        return items;
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyObjectReadsRoundTripsAndValidatesWithoutErrors(String name) throws IOException {
        byte[] bytes = resource(name);
        JsonNode whole = StixJson.mapper().readTree(bytes);
        List<StixReader.Item> items = readAll(bytes);

        JsonNode objects = whole.has("objects") ? whole.get("objects") : StixJson.mapper().createArrayNode().add(whole);
        assertThat(items).hasSize(objects.size());
        for (StixReader.Item item : items) {
            JsonNode original = objects.get((int) item.index());
            assertThat(item.json()).isEqualTo(original);
            JsonNode again = StixJson.mapper().readTree(StixWriter.toJson(item.json()));
            assertThat(again).isEqualTo(original);
            List<Problem> problems = StixValidator.standard().validate(item.json());
            assertThat(problems).as(name + " " + item.json().path("id").asText())
                    .filteredOn(Problem::isError).isEmpty();
        }
        assertThat(StixValidator.standard().validate(whole)).filteredOn(Problem::isError).isEmpty();
    }

    @Test
    void theExamplesHold260Objects() throws IOException {
        int total = 0;
        for (String name : examples().toList()) total += readAll(resource(name)).size();
        assertThat(total).isEqualTo(260);
    }

    @Test
    void warningsOnTheExamplesAreListed() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String name : examples().toList()) {
            for (StixReader.Item item : readAll(resource(name))) {
                for (Problem p : StixValidator.standard().validate(item.json())) {
                    lines.add(name + " " + item.json().path("id").asText() + " " + p);
                }
            }
        }
        System.out.println(String.join("\n", lines));
        assertThat(lines).allMatch(l -> !l.contains("ERROR"));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
