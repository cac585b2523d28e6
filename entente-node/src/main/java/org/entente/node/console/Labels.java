package org.entente.node.console;

import com.fasterxml.jackson.databind.JsonNode;

/** What a person calls a STIX object at a glance: its name, else its value, else its pattern, else its type. */
final class Labels {
    private Labels() {}

    static final int LONGEST = 60;

    static String name(JsonNode o) {
        for (String p : new String[] {"name", "value", "pattern", "relationship_type", "definition_type"}) {
            JsonNode n = o.path(p);
            if (n.isTextual() && !n.asText().isBlank()) return shorten(n.asText(), LONGEST);
        }
        return o.path("type").asText("");
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
