package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The observations a pattern is matched against, taken together: observed-data SDOs with the
 * cyber-observable objects they reference (STIX 2.1 {@code object_refs} into a bundle, or STIX
 * 2.0 embedded {@code objects}), or bare SCOs seen once at a given time.
 */
public final class ObservationSet {

    /**
     * One observed-data: its id (null for a bare SCO), time window, count, root objects (those
     * it lists) and the scope its objects' {@code *_ref} properties resolve in.
     */
    record Observed(String id, Instant first, Instant last, long count, List<JsonNode> roots,
                    Map<String, JsonNode> scope) {
    }

    private final List<Observed> observed;

    private ObservationSet(List<Observed> observed) {
        this.observed = List.copyOf(observed);
    }

    List<Observed> observed() {
        return observed;
    }

    public int size() {
        return observed.size();
    }

    /** The ids of the observed-data, in order (null for bare SCOs). */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(observed.size());
        for (Observed o : observed) {
            ids.add(o.id());
        }
        return ids;
    }

    /** Collects every observed-data of the given bundles (or bare observed-data objects). */
    public static ObservationSet ofBundles(Iterable<JsonNode> bundlesOrObservedData) {
        Builder b = new Builder();
        for (JsonNode n : bundlesOrObservedData) {
            b.add(n);
        }
        return b.build();
    }

    public static ObservationSet ofBundle(JsonNode bundle) {
        return ofBundles(List.of(bundle));
    }

    /** A bare SCO (with its own timestamp): observed once at {@code when}. */
    public static ObservationSet ofSco(JsonNode sco, Instant when) {
        return new ObservationSet(List.of(bare(sco, when)));
    }

    /** A bare SCO has nothing beside it for its references to resolve to. */
    static Observed bare(JsonNode sco, Instant when) {
        return new Observed(null, when, when, 1, List.of(sco), Map.of());
    }

    /** Accumulates observations; malformed observed-data are reported as {@link IllegalArgumentException}. */
    public static final class Builder {
        private final List<Observed> observed = new ArrayList<>();

        public Builder add(JsonNode node) {
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("an observation must be a JSON object (a bundle or observed-data)");
            }
            String type = node.path("type").asText("");
            if (type.equals("bundle")) {
                JsonNode objects = node.path("objects");
                Map<String, JsonNode> byId = new HashMap<>();
                for (JsonNode o : objects) {
                    JsonNode id = o.get("id");
                    if (id != null && id.isTextual()) {
                        byId.put(id.asText(), o);
                    }
                }
                for (JsonNode o : objects) {
                    if (o.path("type").asText("").equals("observed-data")) {
                        observed.add(observedData(o, byId));
                    }
                }
            } else if (type.equals("observed-data")) {
                observed.add(observedData(node, Map.of()));
            } else {
                throw new IllegalArgumentException("expected a bundle or an observed-data, got type '" + type + "'");
            }
            return this;
        }

        public ObservationSet build() {
            return new ObservationSet(observed);
        }
    }

    static Observed observedData(JsonNode od, Map<String, JsonNode> bundle) {
        String id = od.path("id").isTextual() ? od.get("id").asText() : null;
        Instant first = time(od, "first_observed", null);
        Instant last = time(od, "last_observed", first);
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("observed-data " + id + ": last_observed is before first_observed");
        }
        JsonNode n = od.get("number_observed");
        long count = n == null ? 1 : n.canConvertToLong() && n.isIntegralNumber() ? n.asLong() : -1;
        if (count < 1) {
            throw new IllegalArgumentException("observed-data " + id + ": number_observed must be an integer >= 1");
        }
        List<JsonNode> roots = new ArrayList<>();
        Map<String, JsonNode> scope = new HashMap<>();
        JsonNode embedded = od.get("objects");
        if (embedded != null && embedded.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = embedded.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                roots.add(e.getValue());
                scope.put(e.getKey(), e.getValue());
            }
        }
        for (JsonNode ref : od.path("object_refs")) {
            JsonNode o = bundle.get(ref.asText());
            if (o != null) {
                roots.add(o);
                scope.put(ref.asText(), o);
            }
        }
        return new Observed(id, first, last, count, roots, scope);
    }

    private static Instant time(JsonNode od, String field, Instant fallback) {
        JsonNode t = od.get(field);
        if (t == null && fallback != null) {
            return fallback;
        }
        Instant i = t != null && t.isTextual() ? Literals.timestamp(t.asText()) : null;
        if (i == null) {
            throw new IllegalArgumentException("observed-data " + od.path("id").asText("(no id)") + ": " + field
                    + " is missing or not a STIX timestamp");
        }
        return i;
    }
}
