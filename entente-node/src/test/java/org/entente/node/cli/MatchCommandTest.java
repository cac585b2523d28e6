package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MatchCommandTest {
    @TempDir
    Path dir;

    private static final String BUNDLE = """
            {"type":"bundle","id":"bundle--i","objects":[
             {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000001",
              "created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","pattern_type":"stix",
              "valid_from":"2020-01-01T00:00:00Z","pattern":"[ipv4-addr:value = '198.51.100.7']"},
             {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000002",
              "created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","pattern_type":"stix",
              "valid_from":"2020-01-01T00:00:00Z","pattern":"[domain-name:value = 'evil.example' AND"},
             {"type":"identity","id":"identity--00000000-0000-4000-8000-000000000003","name":"x"},
             {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000004",
              "created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","pattern_type":"stix",
              "valid_from":"2020-01-01T00:00:00Z","pattern":"[domain-name:value LIKE '%.evil.example']"}]}
            """;

    @Test
    void writesOneSightingPerMatchAndReportsBadLinesAndIndicators() throws IOException {
        Path indicators = dir.resolve("indicators.json");
        Files.writeString(indicators, BUNDLE);
        Path obs = dir.resolve("obs.jsonl");
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        lines.writeBytes("""
                {"type":"ipv4-addr","id":"ipv4-addr--1","value":"198.51.100.7"}
                {"type":"ipv4-addr","value":"198.51.100.8"}
                this is not json
                """.getBytes());
        lines.writeBytes(new byte[]{'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'});
        lines.writeBytes("""

                {"type":"bundle","id":"bundle--1","objects":[{"type":"observed-data","id":"observed-data--1","first_observed":"2026-01-01T00:00:00Z","last_observed":"2026-01-01T00:00:00Z","number_observed":2,"object_refs":["domain-name--1"]},{"type":"domain-name","id":"domain-name--1","value":"www.evil.example"}]}
                """.getBytes());
        Files.write(obs, lines.toByteArray());
        Path out = dir.resolve("sightings.jsonl");

        PatternCommandTest.Run r = PatternCommandTest.run("match", "--indicators", indicators.toString(),
                "--observations", obs.toString(), "--output", out.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err())
                .contains("indicator indicator--00000000-0000-4000-8000-000000000002 rejected")
                .contains("2 indicators loaded")
                .contains("observation line 3 skipped")
                .contains("observation line 4 skipped")
                .contains("done: 3 observations (2 bad lines skipped), 2 sightings")
                .contains("observations/s");

        List<JsonNode> sightings = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String l : Files.readAllLines(out)) {
            sightings.add(json.readTree(l));
        }
        assertThat(sightings).hasSize(2);
        assertThat(sightings.get(0).get("sighting_of_ref").asText()).isEqualTo("indicator--00000000-0000-4000-8000-000000000001");
        assertThat(sightings.get(0).get("x_entente_sco_refs").get(0).asText()).isEqualTo("ipv4-addr--1");
        assertThat(sightings.get(1).get("sighting_of_ref").asText()).isEqualTo("indicator--00000000-0000-4000-8000-000000000004");
        assertThat(sightings.get(1).get("observed_data_refs").get(0).asText()).isEqualTo("observed-data--1");
        assertThat(sightings.get(1).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void acceptsJsonLinesOfIndicatorsAndRefusesUnreadableFiles() throws IOException {
        Path indicators = dir.resolve("indicators.jsonl");
        Files.writeString(indicators, """
                {"type":"indicator","id":"indicator--00000000-0000-4000-8000-000000000001","pattern_type":"stix","pattern":"[url:value = 'http://a/']","valid_from":"2020-01-01T00:00:00Z"}
                {"type":"indicator","id":"indicator--00000000-0000-4000-8000-000000000002","pattern_type":"stix","pattern":"[url:value = 'http://b/']","valid_from":"2020-01-01T00:00:00Z"}
                """);
        Path obs = dir.resolve("obs.jsonl");
        Files.writeString(obs, "{\"type\":\"url\",\"value\":\"http://b/\"}\n");
        Path out = dir.resolve("s.jsonl");
        PatternCommandTest.Run r = PatternCommandTest.run("match", "--indicators", indicators.toString(),
                "--observations", obs.toString(), "--output", out.toString());
        assertThat(r.code()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(1).allMatch(l -> l.contains("000000000002"));

        r = PatternCommandTest.run("match", "--indicators", dir.resolve("nope").toString(), "--observations", obs.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read");
    }
}
