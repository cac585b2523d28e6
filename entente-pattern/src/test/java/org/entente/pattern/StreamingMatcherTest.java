package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.StreamingMatcher.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
    void indicatorsChangeWhileAnotherThreadMatchesAndTheIndexesAreRebuilt() throws Exception {
        m.add(indicator(id(0), "[ipv4-addr:value = '192.0.2.200']"));
        m.add(indicator(id(1), "[ipv4-addr:value ISSUBSET '203.0.113.0/24']"));
        m.add(indicator(id(2), "[domain-name:value LIKE '%.stable.example']"));
        m.add(indicator(id(3), "[url:value LIKE '%/stable-path/%']"));
        m.add(indicator(id(4), "[ipv4-addr:value = '192.0.2.201'] REPEATS 2 TIMES"));
        // what the observer must see every time, whatever the other thread does to the indexes
        Map<JsonNode, List<String>> stable = Map.of(
                sco("{\"type\":\"ipv4-addr\",\"value\":\"192.0.2.200\"}"), List.of(id(0)),
                sco("{\"type\":\"ipv4-addr\",\"value\":\"203.0.113.77\"}"), List.of(id(1)),
                sco("{\"type\":\"domain-name\",\"value\":\"a.stable.example\"}"), List.of(id(2)),
                sco("{\"type\":\"url\",\"value\":\"http://x.example/stable-path/1\"}"), List.of(id(3)));
        int churn = 30_000;
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger repeats = new AtomicInteger();
        AtomicInteger observations = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread observer = new Thread(() -> {
            SplittableRandom r = new SplittableRandom(7);
            while (!done.get() || observations.get() < 20_000) {
                for (Map.Entry<JsonNode, List<String>> e : stable.entrySet()) {
                    if (!refs(m.observe(e.getKey(), NOW)).equals(e.getValue())) {
                        wrong.incrementAndGet();
                    }
                }
                // an indicator being churned may or may not be there, but never under another id
                int i = 100 + r.nextInt(churn);
                List<String> seen = refs(m.observe(sco(churnSco(i)), NOW));
                if (!seen.isEmpty() && !seen.equals(List.of(id(i)))) {
                    wrong.incrementAndGet();
                }
                // part-matches of a multi-observation pattern carry over into the rebuilt indexes
                repeats.addAndGet(m.observe(od("r" + observations.get(), "2026-01-01T00:00:00Z", "ipv4-addr",
                        "192.0.2.201"), NOW).size());
                observations.incrementAndGet();
            }
        });
        observer.start();
        try {
            for (int i = 100; i < 100 + churn; i++) {
                m.add(indicator(id(i), churnPattern(i)));
                if (i % 9 != 0) {
                    m.remove(id(i));
                }
            }
        } finally {
            done.set(true);
            observer.join();
        }
        assertThat(wrong.get()).isZero();
        // every other observation completes REPEATS 2 TIMES: none is lost across a swap
        assertThat(repeats.get()).isEqualTo(observations.get() / 2);
        StreamingMatcher.Stats stats = m.stats();
        assertThat(stats.compactions()).isGreaterThanOrEqualTo(3);
        int kept = (int) java.util.stream.IntStream.range(100, 100 + churn).filter(i -> i % 9 == 0).count();
        assertThat(stats.indicators()).isEqualTo(5 + kept);
        assertThat(m.size()).isEqualTo(5 + kept);
        for (int i = 100; i < 100 + churn; i += 7) {
            assertThat(refs(m.observe(sco(churnSco(i)), NOW))).isEqualTo(i % 9 == 0 ? List.of(id(i)) : List.of());
        }
    }

    private static String churnPattern(int i) {
        return switch (i % 4) {
            case 0 -> "[ipv4-addr:value = '10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255) + "']";
            case 1 -> "[ipv4-addr:value ISSUBSET '10." + (64 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255) + "/32']";
            case 2 -> "[domain-name:value = 'd" + i + ".example' OR domain-name:value LIKE '%.d" + i + ".example']";
            default -> "[url:value LIKE 'http://%/p" + i + "/%']";
        };
    }

    private static String churnSco(int i) {
        return switch (i % 4) {
            case 0 -> "{\"type\":\"ipv4-addr\",\"value\":\"10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255) + "\"}";
            case 1 -> "{\"type\":\"ipv4-addr\",\"value\":\"10." + (64 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255) + "\"}";
            case 2 -> "{\"type\":\"domain-name\",\"value\":\"www.d" + i + ".example\"}";
            default -> "{\"type\":\"url\",\"value\":\"http://h.example/p" + i + "/x\"}";
        };
    }

    private static List<String> refs(List<ObjectNode> sightings) {
        return sightings.stream().map(s -> s.get("sighting_of_ref").asText()).sorted().toList();
    }

    @Test
    void removingMostIndicatorsGivesTheirSpaceBack() {
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            m.add(indicator(id(i), churnPattern(i)));
        }
        StreamingMatcher.Stats full = m.stats();
        assertThat(full.indicators()).isEqualTo(n);
        assertThat(full.deadPostings()).isZero();
        assertThat(full.compactions()).isZero();
        for (int i = 0; i < n; i++) {
            if (i % 19 != 0) {
                m.remove(id(i));
            }
        }
        StreamingMatcher.Stats after = m.stats();
        int kept = 0;
        int twoEntries = 0;
        int oneLeaf = 0;
        for (int i = 0; i < n; i += 19) {
            kept++;
            twoEntries += i % 4 == 2 ? 1 : 0;   // domain or subdomain: an exact value and a suffix
            oneLeaf += i % 4 >= 2 ? 1 : 0;      // more than one test or LIKE with a substring: evaluated, one leaf
        }
        assertThat(after.indicators()).isEqualTo(kept);
        assertThat(after.compactions()).isPositive();
        // compaction starts once the dead are as many as the live: what is retained stays near what is live
        assertThat(after.indicatorSlots()).isLessThan(full.indicatorSlots() / 4);
        assertThat(after.postings()).isLessThan(full.postings() / 4);
        assertThat(after.keys()).isLessThan(full.keys() / 4);
        assertThat(after.leaves()).isLessThan(full.leaves() / 4);

        m.compact();
        StreamingMatcher.Stats compact = m.stats();
        assertThat(compact.indicatorSlots()).isEqualTo(kept);
        assertThat(compact.deadPostings()).isZero();
        assertThat(compact.deadLeaves()).isZero();
        // each kept indicator has its entries, nothing else is left
        assertThat(compact.postings()).isEqualTo(kept + twoEntries);
        assertThat(compact.keys()).isEqualTo(kept + twoEntries);
        assertThat(compact.leaves()).isEqualTo(oneLeaf);
        for (int i = 0; i < n; i += 3) {
            assertThat(refs(m.observe(sco(churnSco(i)), NOW))).isEqualTo(i % 19 == 0 ? List.of(id(i)) : List.of());
        }
        // removed ids come back as new indicators, kept ones are replaced in place
        m.add(indicator(id(1), churnPattern(1)));
        assertThat(m.add(indicator(id(38), "[ipv4-addr:value = '192.0.2.38']")).status()).isEqualTo(Status.REPLACED);
        assertThat(refs(m.observe(sco(churnSco(1)), NOW))).containsExactly(id(1));
        assertThat(refs(m.observe(sco(churnSco(38)), NOW))).isEmpty();
        assertThat(refs(m.observe(sco("{\"type\":\"ipv4-addr\",\"value\":\"192.0.2.38\"}"), NOW))).containsExactly(id(38));
    }

    @Test
    void replacingIndicatorsAgainAndAgainDoesNotGrowTheIndexes() {
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 1000; i++) {
                m.add(indicator(id(i), "[ipv4-addr:value = '10.1." + (i >> 8) + "." + (i & 255) + "'] AND [url:value = 'http://r"
                        + round + "/']"));
            }
        }
        StreamingMatcher.Stats stats = m.stats();
        assertThat(stats.indicators()).isEqualTo(1000);
        assertThat(stats.indicatorSlots()).isLessThanOrEqualTo(2 * 1000 + IndicatorIndex.COMPACT_MIN_DEAD);
        assertThat(stats.leaves()).isLessThanOrEqualTo(2 * 2000 + IndicatorIndex.COMPACT_MIN_DEAD);
        assertThat(refs(m.observe(sco("{\"type\":\"url\",\"value\":\"http://r39/\"}"), NOW))).isEmpty();
        assertThat(m.pendingEvents(id(5))).isEqualTo(1);
        assertThat(m.pendingEvents(id(6))).isEqualTo(1);
    }

    @Test
    void aCompactedMatcherMatchesLikeOneBuiltFromItsLiveIndicators() {
        String[] shapes = {
                "[ipv4-addr:value = '10.0.0.%d']",
                "[ipv4-addr:value ISSUBSET '10.0.%d.0/24']",
                "[ipv6-addr:value ISSUBSET '2001:db8:%d::/48']",
                "[domain-name:value LIKE '%%.d%d.example']",
                "[domain-name:value IN ('a%d.example', 'b%1$d.example')]",
                "[url:value LIKE '%%/abc%d/%%']",
                "[url:value MATCHES '^http://x%d\\\\.']",
                "[url:value LIKE '%%q%d%%']",
                "[file:hashes.MD5 = 'aa%d' AND file:name = 'n%1$d']",
                "[email-addr:value = 'u%d@x.example'] OR [domain-name:value = 'e%1$d.example']",
        };
        String[] probes = {
                "{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.%d\"}",
                "{\"type\":\"ipv4-addr\",\"value\":\"10.0.%d.9\"}",
                "{\"type\":\"ipv6-addr\",\"value\":\"2001:db8:%d::9\"}",
                "{\"type\":\"domain-name\",\"value\":\"w.d%d.example\"}",
                "{\"type\":\"domain-name\",\"value\":\"b%d.example\"}",
                "{\"type\":\"url\",\"value\":\"http://x%d.example/abc%1$d/q%1$d\"}",
                "{\"type\":\"file\",\"name\":\"n%d\",\"hashes\":{\"MD5\":\"aa%1$d\"}}",
                "{\"type\":\"email-addr\",\"value\":\"u%d@x.example\"}",
                "{\"type\":\"domain-name\",\"value\":\"e%d.example\"}",
        };
        SplittableRandom r = new SplittableRandom(11);
        Map<String, String> live = new java.util.TreeMap<>();
        for (int step = 0; step < 60_000; step++) {
            int k = r.nextInt(3000);
            if (r.nextInt(3) == 0) {
                m.remove(id(k));
                live.remove(id(k));
            } else {
                String p = shapes[r.nextInt(shapes.length)].formatted(r.nextInt(200));
                m.add(indicator(id(k), p));
                live.put(id(k), p);
            }
            if (step % 20_000 == 19_999) {
                m.compact();
            }
        }
        assertThat(m.stats().compactions()).isGreaterThan(3);
        StreamingMatcher fresh = new StreamingMatcher();
        live.forEach((id, p) -> fresh.add(indicator(id, p)));
        assertThat(m.size()).isEqualTo(fresh.size());
        for (String probe : probes) {
            for (int v = 0; v < 200; v++) {
                JsonNode o = sco(probe.formatted(v));
                assertThat(refs(m.observe(o, NOW))).as(o.toString()).isEqualTo(refs(fresh.observe(o, NOW)));
            }
        }
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
