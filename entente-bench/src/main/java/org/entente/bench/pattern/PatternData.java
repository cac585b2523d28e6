package org.entente.bench.pattern;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic indicators and observations for the matcher benchmark. Indicator {@code i}'s
 * value is a function of {@code i}, so matching observations can be made without keeping the
 * indicators. The mix: IPv4/IPv6 addresses and networks, domains (exact and with subdomains),
 * URLs, SHA-256 and MD5 hashes, e-mail addresses; 2% LIKE/MATCHES and multi-observation
 * patterns.
 */
public final class PatternData {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] WORDS = {"cloud", "secure", "update", "mail", "login", "cdn", "static", "api",
            "portal", "files", "news", "shop", "bank", "data", "track", "pay", "auth", "web", "app", "sync"};
    private static final String[] TLDS = {"com", "net", "org", "info", "ru", "cn", "io", "biz", "xyz", "top"};

    /** Indicator kinds, with their share of the population in per-10,000. */
    enum Kind {
        IPV4(2200), IPV4_NET(400), IPV6(400), IPV6_NET(100), DOMAIN(2000), DOMAIN_SUFFIX(400), URL(1500),
        SHA256(1000), MD5(600), EMAIL(1200),
        URL_LIKE(50), DOMAIN_REGEX(50), AND_WITHIN(50), FOLLOWED_BY(25), REPEATS(25);

        final int share;

        Kind(int share) {
            this.share = share;
        }

        boolean simple() {
            return ordinal() <= EMAIL.ordinal();
        }
    }

    private final long count;
    private final long[] start = new long[Kind.values().length + 1];
    private final boolean simpleOnly;

    public PatternData(long count, boolean simpleOnly) {
        this.count = count;
        this.simpleOnly = simpleOnly;
        int total = 0;
        for (Kind k : Kind.values()) {
            if (!simpleOnly || k.simple()) {
                total += k.share;
            }
        }
        long at = 0;
        for (Kind k : Kind.values()) {
            start[k.ordinal()] = at;
            if (!simpleOnly || k.simple()) {
                at += count * k.share / total;
            }
        }
        start[Kind.values().length] = count;
    }

    public long count() {
        return count;
    }

    Kind kind(long i) {
        for (int k = Kind.values().length - 1; k >= 0; k--) {
            if (i >= start[k]) {
                return Kind.values()[k];
            }
        }
        throw new IllegalStateException();
    }

    static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    static String ipv4(long h) {
        return (1 + (int) ((h >>> 24) & 0xFF) % 223) + "." + ((h >>> 16) & 0xFF) + "." + ((h >>> 8) & 0xFF) + "." + (h & 0xFF);
    }

    static String ipv6(long h, long g) {
        return String.format("2001:%x:%x:%x:%x:%x:%x:%x", (h >>> 48) & 0xFFFF, (h >>> 32) & 0xFFFF, (h >>> 16) & 0xFFFF,
                h & 0xFFFF, (g >>> 48) & 0xFFFF, (g >>> 32) & 0xFFFF, g & 0xFFFF);
    }

    static String domain(long h) {
        return WORDS[(int) ((h >>> 8) & 0xFFFF) % WORDS.length] + "-" + Long.toString((h >>> 20) & 0xFFFFFFFL, 36)
                + "." + TLDS[(int) (h & 0xFF) % TLDS.length];
    }

    static String hex(long h, int chars) {
        StringBuilder b = new StringBuilder(chars);
        long x = h;
        while (b.length() < chars) {
            x = mix(x + 0x9E3779B97F4A7C15L);
            String s = Long.toHexString(x);
            b.append("0".repeat(16 - s.length())).append(s);
        }
        return b.substring(0, chars);
    }

    private static String q(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The STIX pattern of indicator {@code i}. */
    public String pattern(long i) {
        long h = mix(i * 31 + 7);
        return switch (kind(i)) {
            case IPV4 -> "[ipv4-addr:value = " + q(ipv4(h)) + "]";
            case IPV4_NET -> "[ipv4-addr:value ISSUBSET " + q(ipv4(h & netMask(h)) + "/" + prefix(h)) + "]";
            case IPV6 -> "[ipv6-addr:value = " + q(ipv6(h, mix(h))) + "]";
            case IPV6_NET -> "[ipv6-addr:value ISSUBSET " + q(ipv6(h, 0).replaceAll(":0:0:0$", "::") + "/" + 48 + "") + "]";
            case DOMAIN -> "[domain-name:value = " + q(domain(h)) + "]";
            case DOMAIN_SUFFIX -> "[domain-name:value = " + q(domain(h)) + " OR domain-name:value LIKE " + q("%." + domain(h)) + "]";
            case URL -> "[url:value = " + q(url(h)) + "]";
            case SHA256 -> "[file:hashes.'SHA-256' = " + q(hex(h, 64)) + "]";
            case MD5 -> "[file:hashes.MD5 = " + q(hex(h, 32)) + "]";
            case EMAIL -> "[email-addr:value = " + q(email(h)) + "]";
            case URL_LIKE -> "[url:value LIKE " + q("http://%/" + token(h) + "/%.php") + "]";
            case DOMAIN_REGEX -> "[domain-name:value MATCHES " + q("^[a-z0-9-]+\\." + token(h) + "\\.com$") + "]";
            case AND_WITHIN -> "([domain-name:value = " + q(domain(h)) + "] AND [ipv4-addr:value = " + q(ipv4(mix(h))) + "]) WITHIN 600 SECONDS";
            case FOLLOWED_BY -> "[file:hashes.MD5 = " + q(hex(h, 32)) + "] FOLLOWEDBY [url:value = " + q(url(mix(h))) + "]";
            case REPEATS -> "[ipv4-addr:value = " + q(ipv4(h)) + "] REPEATS 3 TIMES WITHIN 3600 SECONDS";
        };
    }

    /** Threat-intelligence networks are small: /24 to /31. */
    static int prefix(long h) {
        return 24 + (int) ((h >>> 40) & 7);
    }

    static long netMask(long h) {
        return ~((1L << (32 - prefix(h))) - 1);
    }

    static String url(long h) {
        return "http://" + domain(h) + "/" + WORDS[(int) ((h >>> 33) & 0xFF) % WORDS.length] + "/" + Long.toString(h >>> 40, 36) + ".html";
    }

    static String email(long h) {
        return WORDS[(int) ((h >>> 3) & 0xFF) % WORDS.length] + "." + Long.toString((h >>> 36) & 0xFFFFF, 36) + "@" + domain(mix(h));
    }

    static String token(long h) {
        return "k" + Long.toString((h >>> 16) & 0xFFFFFFFFL, 36);
    }

    public String id(long i) {
        return "indicator--" + new UUID(mix(i) & ~0xF000L | 0x4000L, mix(i + 1) & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
    }

    /** Indicator {@code i} as a STIX 2.1 indicator object. */
    public ObjectNode indicator(long i) {
        ObjectNode n = F.objectNode();
        n.put("type", "indicator");
        n.put("spec_version", "2.1");
        n.put("id", id(i));
        n.put("created", "2026-01-01T00:00:00.000Z");
        n.put("modified", "2026-01-01T00:00:00.000Z");
        n.put("pattern", pattern(i));
        n.put("pattern_type", "stix");
        n.put("valid_from", "2025-01-01T00:00:00Z");
        return n;
    }

    /**
     * A bare SCO. With probability {@code matchRate} it is made to satisfy a (simple, or one
     * part of a multi-observation) indicator; otherwise it is random traffic of a realistic mix.
     */
    public ObjectNode observation(SplittableRandom r, double matchRate) {
        if (r.nextDouble() < matchRate) {
            long i = r.nextLong(count);
            return matching(i, r);
        }
        int t = r.nextInt(100);
        long h = r.nextLong();
        if (t < 35) {
            return sco("ipv4-addr", "value", ipv4(h));
        } else if (t < 40) {
            return sco("ipv6-addr", "value", ipv6(h, r.nextLong()));
        } else if (t < 62) {
            return sco("domain-name", "value", "www." + domain(h));
        } else if (t < 80) {
            return sco("url", "value", "https://" + domain(h) + "/" + WORDS[r.nextInt(WORDS.length)] + "?id=" + r.nextInt(100000));
        } else if (t < 92) {
            ObjectNode f = F.objectNode();
            f.put("type", "file");
            f.put("name", WORDS[r.nextInt(WORDS.length)] + ".exe");
            f.putObject("hashes").put("SHA-256", hex(h, 64)).put("MD5", hex(~h, 32));
            return f;
        } else {
            return sco("email-addr", "value", "user" + r.nextInt(1_000_000) + "@" + domain(h));
        }
    }

    private ObjectNode matching(long i, SplittableRandom r) {
        long h = mix(i * 31 + 7);
        return switch (kind(i)) {
            case IPV4, REPEATS -> sco("ipv4-addr", "value", ipv4(h));
            case IPV4_NET -> sco("ipv4-addr", "value", ipv4((h & netMask(h)) | r.nextInt(1 << (32 - prefix(h)))));
            case IPV6 -> sco("ipv6-addr", "value", ipv6(h, mix(h)));
            case IPV6_NET -> sco("ipv6-addr", "value", ipv6(h, 0).replaceAll(":0:0:0$", ":1:2:3"));
            case DOMAIN, AND_WITHIN -> sco("domain-name", "value", domain(h));
            case DOMAIN_SUFFIX -> sco("domain-name", "value", "mail." + domain(h));
            case URL -> sco("url", "value", url(h));
            case SHA256 -> file("SHA-256", hex(h, 64));
            case MD5, FOLLOWED_BY -> file("MD5", hex(h, 32));
            case EMAIL -> sco("email-addr", "value", email(h));
            case URL_LIKE -> sco("url", "value", "http://" + domain(r.nextLong()) + "/" + token(h) + "/x.php");
            case DOMAIN_REGEX -> sco("domain-name", "value", "a1." + token(h) + ".com");
        };
    }

    private static ObjectNode sco(String type, String prop, String value) {
        ObjectNode n = F.objectNode();
        n.put("type", type);
        n.put(prop, value);
        return n;
    }

    private static ObjectNode file(String alg, String value) {
        ObjectNode f = F.objectNode();
        f.put("type", "file");
        f.putObject("hashes").put(alg, value);
        return f;
    }
}
