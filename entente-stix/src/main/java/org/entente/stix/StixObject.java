package org.entente.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable STIX object: a private deep copy of its JSON tree with typed accessors. Every property,
 * custom ones and extensions included, is kept exactly as given, so {@link #json()} and {@link #toJson()}
 * give back the same tree. It does not validate; use {@link StixValidator} for that.
 */
public final class StixObject {

    private final ObjectNode json;

    private StixObject(ObjectNode json) {
        this.json = json;
    }

    /**
     * @throws IllegalArgumentException when {@code json} is not a JSON object with a string {@code type}
     */
    public static StixObject of(JsonNode json) {
        if (json == null || !json.isObject() || !json.path("type").isTextual()) {
            throw new IllegalArgumentException("a STIX object is a JSON object with a string type");
        }
        return new StixObject(((ObjectNode) json).deepCopy());
    }

    /** Parses one object from JSON text. */
    public static StixObject parse(String text) {
        try {
            return new StixObject(checked(StixJson.mapper().readTree(text)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StixFormatException("malformed JSON: " + e.getOriginalMessage(),
                    e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? -1 : e.getLocation().getColumnNr(), e);
        }
    }

    private static ObjectNode checked(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw new StixFormatException("a STIX object is a JSON object with a string type");
        }
        return (ObjectNode) node;
    }

    public String type() {
        return json.get("type").textValue();
    }

    /** The id, or empty for an object without one (which is invalid, but can still be read). */
    public Optional<String> id() {
        return string("id");
    }

    public Optional<Category> category() {
        return StixTypes.category(type());
    }

    public Optional<Instant> created() {
        return timestamp("created");
    }

    public Optional<Instant> modified() {
        return timestamp("modified");
    }

    public boolean revoked() {
        return json.path("revoked").asBoolean(false);
    }

    public boolean has(String property) {
        return json.has(property);
    }

    /** A string property; empty when absent or not a string. */
    public Optional<String> string(String property) {
        JsonNode v = json.get(property);
        return v != null && v.isTextual() ? Optional.of(v.textValue()) : Optional.empty();
    }

    /** A list-of-strings property; empty when absent. Non-string items are skipped. */
    public List<String> strings(String property) {
        JsonNode v = json.get(property);
        if (v == null || !v.isArray()) return List.of();
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) if (item.isTextual()) out.add(item.textValue());
        return List.copyOf(out);
    }

    /** A timestamp property; empty when absent or not an RFC 3339 UTC timestamp. */
    public Optional<Instant> timestamp(String property) {
        return string(property).filter(s -> Syntax.timestampError(s) == null).flatMap(s -> {
            try {
                return Optional.of(Instant.parse(s));
            } catch (DateTimeParseException e) {
                return Optional.empty(); // a leap second (":60") is valid STIX but not an Instant
            }
        });
    }

    /** Every identifier in the top-level {@code *_ref} and {@code *_refs} properties, in document order. */
    public List<String> references() {
        List<String> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = json.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (name.endsWith("_ref") && f.getValue().isTextual()) {
                out.add(f.getValue().textValue());
            } else if (name.endsWith("_refs") && f.getValue().isArray()) {
                for (JsonNode r : f.getValue()) if (r.isTextual()) out.add(r.textValue());
            }
        }
        return List.copyOf(out);
    }

    /** A copy of the JSON tree (the object itself stays unchanged whatever the caller does with it). */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** Compact JSON, properties in their original order. */
    public String toJson() {
        return StixWriter.toJson(json);
    }

    public List<Problem> validate() {
        return StixValidator.standard().validate(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StixObject other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return type() + id().map(i -> " " + i).orElse("");
    }
}
