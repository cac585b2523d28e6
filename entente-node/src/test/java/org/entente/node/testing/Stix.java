package org.entente.node.testing;

import java.util.UUID;

/** Valid STIX 2.1 objects for tests. */
public final class Stix {
    private Stix() {}

    public static String indicatorId() {
        return "indicator--" + UUID.randomUUID();
    }

    public static String indicator(String id, String modified, String pattern) {
        return """
                {"type":"indicator","spec_version":"2.1","id":"%s","created":"2024-01-01T00:00:00.000Z",\
                "modified":"%s","name":"test indicator","pattern":"%s","pattern_type":"stix",\
                "valid_from":"2024-01-01T00:00:00Z"}""".formatted(id, modified, pattern.replace("'", "'"));
    }

    public static String indicator(String pattern) {
        return indicator(indicatorId(), "2024-01-01T00:00:00.000Z", pattern);
    }

    public static String envelope(String... objects) {
        return "{\"objects\":[" + String.join(",", objects) + "]}";
    }

    public static String bundle(String... objects) {
        return "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":["
                + String.join(",", objects) + "]}";
    }
}
