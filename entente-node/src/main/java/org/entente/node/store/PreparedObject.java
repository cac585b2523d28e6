package org.entente.node.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * An object ready to be stored: its identity and version pulled out of the JSON, the JSON text as
 * it will be served, and the observable values it mentions. Built once, outside any transaction,
 * by whoever admitted it.
 *
 * @param version modified, else created; null for objects that carry neither (most SCOs)
 * @param facts what the sharing policy needs to know of it, packed by the policy
 * @param needsJson whether the policy must read the JSON to decide it
 */
public record PreparedObject(String id, String type, String specVersion, Instant version, boolean revoked,
        String json, List<Observable> observables, int facts, boolean needsJson) {

    public static PreparedObject of(JsonNode object, String json, int facts, boolean needsJson,
            List<Observable> observables) {
        String id = object.path("id").asText();
        String type = object.path("type").asText();
        String specVersion = object.path("spec_version").asText("2.1");
        Instant version = timestamp(object.get("modified"));
        if (version == null) version = timestamp(object.get("created"));
        boolean revoked = object.path("revoked").asBoolean(false);
        return new PreparedObject(id, type, specVersion, version, revoked, json, observables, facts, needsJson);
    }

    private static Instant timestamp(JsonNode n) {
        if (n == null || !n.isTextual()) return null;
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
