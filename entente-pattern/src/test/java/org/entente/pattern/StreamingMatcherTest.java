package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.StreamingMatcher.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingMatcherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final StreamingMatcher m = new StreamingMatcher();

    static JsonNode indicator(String id, String pattern) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "indicator").put("spec_version", "2.1").put("id", id).put("pattern", pattern)
                .put("pattern_type", "stix").put("valid_from", "2020-01-01T00:00:00Z");
        return n;
    }

    static String id(int n) {
        return "indicator--" + new UUID(0x1234, n);
    }

    static JsonNode sco(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<String> matched(String scoJson) {
        return m.observe(sco(scoJson), NOW).stream().map(s -> s.get("sighting_of_ref").asText()).sorted().toList();
    }

    @Test
    void indexesTheCommonShapesAndMatchesThemExactly() {
        m.add(indicator(id(1), "[ipv4-addr:value = '198.51.100.7']"));
        m.add(indicator(id(2), "[ipv4-addr:value ISSUBSET '203.0.113.0/24']"));
        m.add(indicator(id(3), "[domain-name:value LIKE '%.evil.example']"));
        m.add(indicator(id(4), "[file:hashes.'SHA-256' IN ('aa11', 'bb22')]"));
        m.add(indicator(id(5), "[ipv6-addr:value ISSUBSET '2001:db8::/32']"));
        m.add(indicator(id(6), "[email-addr:value = 'boss@evil.example']"));
        assertThat(m.size()).isEqualTo(6);

        assertThat(matched("{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.7\"}")).containsExactly(id(1));
        assertThat(matched("{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.8\"}")).isEmpty();
        assertThat(matched("{\"type\":\"ipv4-addr\",\"value\":\"203.0.113.99\"}")).containsExactly(id(2));
        assertThat(matched("{\"type\":\"domain-name\",\"value\":\"a.b.evil.example\"}")).containsExactly(id(3));
        assertThat(matched("{\"type\":\"domain-name\",\"value\":\"notevil.example\"}")).isEmpty();
        assertThat(matched("{\"type\":\"file\",\"hashes\":{\"SHA-256\":\"bb22\"}}")).containsExactly(id(4));
        assertThat(matched("{\"type\":\"ipv6-addr\",\"value\":\"2001:db8:0:1::5\"}")).containsExactly(id(5));
        assertThat(matched("{\"type\":\"ipv6-addr\",\"value\":\"2001:db9::5\"}")).isEmpty();
        assertThat(matched("{\"type\":\"email-addr\",\"value\":\"boss@evil.example\"}")).containsExactly(id(6));
        // same value, other type: no match
        assertThat(matched("{\"type\":\"domain-name\",\"value\":\"198.51.100.7\"}")).isEmpty();
    }

    @Test
    void likeAndMatchesAreFoundThroughTheirLiteralsAndConfirmed() {
        m.add(indicator(id(1), "[url:value LIKE 'http://%/payload_.exe']"));
        m.add(indicator(id(2), "[url:value MATCHES '^https?://[a-z]+\\\\.badcdn\\\\.net/']"));
        m.add(indicator(id(3), "[url:value MATCHES '.']"));   // no literal: evaluated for every url
        assertThat(matched("{\"type\":\"url\",\"value\":\"http://x.org/payload1.exe\"}")).containsExactly(id(1), id(3));
        assertThat(matched("{\"type\":\"url\",\"value\":\"http://x.org/payload12.exe\"}")).containsExactly(id(3));
        assertThat(matched("{\"type\":\"url\",\"value\":\"https://abc.badcdn.net/x\"}")).containsExactly(id(2), id(3));
        assertThat(matched("{\"type\":\"url\",\"value\":\"https://abc.badcdnXnet/x\"}")).containsExactly(id(3));
    }

    @Test
    void sightingNamesIndicatorObservedDataTimesAndCount() {
        m.add(indicator(id(1), "[domain-name:value = 'evil.example']"));
        JsonNode bundle = sco("""
                {"type":"bundle","id":"bundle--1","objects":[
                 {"type":"observed-data","id":"observed-data--1","first_observed":"2026-01-01T10:00:00Z",
                  "last_observed":"2026-01-01T11:00:00Z","number_observed":7,"object_refs":["domain-name--1"]},
                 {"type":"domain-name","id":"domain-name--1","value":"evil.example"}]}""");
        List<ObjectNode> s = m.observe(bundle, NOW);
        assertThat(s).hasSize(1);
        ObjectNode sighting = s.getFirst();
        assertThat(sighting.get("type").asText()).isEqualTo("sighting");
        assertThat(sighting.get("id").asText()).matches("sighting--[0-9a-f-]{36}");
        assertThat(sighting.get("sighting_of_ref").asText()).isEqualTo(id(1));
        assertThat(sighting.get("observed_data_refs").get(0).asText()).isEqualTo("observed-data--1");
        assertThat(sighting.get("first_seen").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(sighting.get("last_seen").asText()).isEqualTo("2026-01-01T11:00:00Z");
        assertThat(sighting.get("count").asInt()).isEqualTo(7);
    }

    @Test
    void multiObservationPatternsKeepStateUntilComplete() {
        m.add(indicator(id(1), "([domain-name:value = 'a.example'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.1']) WITHIN 60 SECONDS"));
        m.add(indicator(id(2), "[ipv4-addr:value = '192.0.2.2'] REPEATS 3 TIMES"));
        assertThat(m.observe(od("d1", "2026-01-01T00:00:00Z", "domain-name", "a.example"), NOW)).isEmpty();
        // too late: outside the 60 s window
        assertThat(m.observe(od("i1", "2026-01-01T00:02:00Z", "ipv4-addr", "192.0.2.1"), NOW)).isEmpty();
        assertThat(m.observe(od("d2", "2026-01-01T00:03:00Z", "domain-name", "a.example"), NOW)).isEmpty();
        List<ObjectNode> s = m.observe(od("i2", "2026-01-01T00:03:30Z", "ipv4-addr", "192.0.2.1"), NOW);
        assertThat(s).hasSize(1);
        assertThat(s.getFirst().get("observed_data_refs").toString())
                .isEqualTo("[\"observed-data--d2\",\"observed-data--i2\"]");

        assertThat(m.observe(od("r1", "2026-01-01T00:00:00Z", "ipv4-addr", "192.0.2.2"), NOW)).isEmpty();
        assertThat(m.observe(od("r2", "2026-01-01T00:00:01Z", "ipv4-addr", "192.0.2.2"), NOW)).isEmpty();
        assertThat(m.observe(od("r3", "2026-01-01T00:00:02Z", "ipv4-addr", "192.0.2.2"), NOW)).hasSize(1);
        // consumed: the next one alone does not fire again
        assertThat(m.observe(od("r4", "2026-01-01T00:00:03Z", "ipv4-addr", "192.0.2.2"), NOW)).isEmpty();
    }

    static JsonNode od(String n, String time, String type, String value) {
        return sco("""
                {"type":"bundle","id":"bundle--%1$s","objects":[
                 {"type":"observed-data","id":"observed-data--%1$s","first_observed":"%2$s",
                  "last_observed":"%2$s","number_observed":1,"object_refs":["%3$s--%1$s"]},
                 {"type":"%3$s","id":"%3$s--%1$s","value":"%4$s"}]}""".formatted(n, time, type, value));
    }

    @Test
    void indicatorsComeAndGoWhileObservationsFlow() {
        String ip = "{\"type\":\"ipv4-addr\",\"value\":\"192.0.2.9\"}";
        assertThat(m.add(indicator(id(1), "[ipv4-addr:value = '192.0.2.9']")).status()).isEqualTo(Status.ADDED);
        assertThat(matched(ip)).containsExactly(id(1));
        assertThat(m.remove(id(1))).isTrue();
        assertThat(matched(ip)).isEmpty();
        assertThat(m.remove(id(1))).isFalse();
        assertThat(m.add(indicator(id(1), "[ipv4-addr:value = '192.0.2.10']")).status()).isEqualTo(Status.ADDED);
        assertThat(m.add(indicator(id(1), "[ipv4-addr:value = '192.0.2.9']")).status()).isEqualTo(Status.REPLACED);
        assertThat(matched(ip)).containsExactly(id(1));
        assertThat(matched("{\"type\":\"ipv4-addr\",\"value\":\"192.0.2.10\"}")).isEmpty();
        ObjectNode revoked = (ObjectNode) indicator(id(1), "[ipv4-addr:value = '192.0.2.9']");
        revoked.put("revoked", true);
        assertThat(m.add(revoked).status()).isEqualTo(Status.SKIPPED);
        assertThat(matched(ip)).isEmpty();
        assertThat(m.size()).isZero();
    }

    @Test
    void validityWindowIsHonoured() {
        ObjectNode i = (ObjectNode) indicator(id(1), "[ipv4-addr:value = '192.0.2.9']");
        i.put("valid_from", "2026-06-01T00:00:00Z");
        m.add(i);
        assertThat(m.observe(sco("{\"type\":\"ipv4-addr\",\"value\":\"192.0.2.9\"}"), NOW)).isEmpty();
        assertThat(m.observe(sco("{\"type\":\"ipv4-addr\",\"value\":\"192.0.2.9\"}"), Instant.parse("2026-07-01T00:00:00Z")))
                .hasSize(1);
    }

    @Test
    void stateOfAnAbsurdRepeatCountStaysBounded() {
        StreamingMatcher small = new StreamingMatcher(new StreamingMatcher.Options(java.time.Duration.ofMinutes(10), 50));
        small.add(indicator(id(1), "[ipv4-addr:value = '192.0.2.3'] REPEATS 2000000000 TIMES"));
        small.add(indicator(id(2), "[ipv4-addr:value = '192.0.2.3'] AND [url:value = 'http://x/'] WITHIN 60 SECONDS"));
        for (int i = 0; i < 1000; i++) {
            String t = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i).toString();
            assertThat(small.observe(od("x" + i, t, "ipv4-addr", "192.0.2.3"), NOW)).isEmpty();
        }
        assertThat(small.pendingEvents(id(1))).isEqualTo(50);
        // WITHIN 60 SECONDS: older part-matches cannot complete the pattern and are dropped
        assertThat(small.pendingEvents(id(2))).isBetween(1, 61);
    }

    @Test
    void indicatorsChangeWhileAnotherThreadMatches() throws Exception {
        m.add(indicator(id(0), "[ipv4-addr:value = '192.0.2.200']"));
        JsonNode hit = sco("{\"type\":\"ipv4-addr\",\"value\":\"192.0.2.200\"}");
        java.util.concurrent.atomic.AtomicInteger misses = new java.util.concurrent.atomic.AtomicInteger();
        Thread observer = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                if (m.observe(hit, NOW).isEmpty()) {
                    misses.incrementAndGet();
                }
            }
        });
        observer.start();
        for (int i = 1; i <= 2000; i++) {
            m.add(indicator(id(i), "[ipv4-addr:value = '198.18." + (i / 256) + "." + (i % 256) + "']"));
            if (i % 2 == 0) {
                m.remove(id(i));
            }
        }
        observer.join();
        assertThat(misses.get()).isZero();
        assertThat(m.size()).isEqualTo(1001);
        assertThat(matched("{\"type\":\"ipv4-addr\",\"value\":\"198.18.3.231\"}")).containsExactly(id(999));
        assertThat(matched("{\"type\":\"ipv4-addr\",\"value\":\"198.18.3.232\"}")).isEmpty();
    }

    @Test
    void badIndicatorsAreReportedAndSkipped() {
        assertThat(m.add(indicator(id(1), "[ipv4-addr:value = ")).status()).isEqualTo(Status.REJECTED);
        assertThat(m.add(indicator(id(2), "[a:b = 1] WITHIN 0 SECONDS")).message()).contains("WITHIN");
        ObjectNode sigma = (ObjectNode) indicator(id(3), "title: x");
        sigma.put("pattern_type", "sigma");
        assertThat(m.add(sigma).status()).isEqualTo(Status.SKIPPED);
        assertThat(m.size()).isZero();
    }
}
