package org.entente.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decision point applied to what one request is about to let out: each object is decided,
 * denied ones are withheld, permitted ones with granular markings the recipient may not see have
 * those properties removed. What was released and what was withheld, and why, is collected for the
 * audit record of the request.
 */
public final class Release {

    /** Properties without which an object is no longer itself: a marking on one of them withholds the object. */
    private static final Set<String> IDENTITY = Set.of("id", "type", "spec_version", "created", "modified");

    private final Policy policy;
    private final Recipient recipient;
    private final Purpose purpose;
    /** The purposes tried in turn; an object passes when it passes for one of them (a node's sync). */
    private final List<Purpose> purposes;
    /** Withhold what would have to be redacted (a signed object must travel whole or not at all). */
    private boolean whole;
    private final Action action;
    private final Instant now;
    private final PolicyMetrics metrics;

    private final List<String> released = new ArrayList<>();
    private final Map<String, Integer> byAgreement = new LinkedHashMap<>();
    private final List<Map<String, String>> withheld = new ArrayList<>();
    private int redacted;

    public Release(Policy policy, Recipient recipient, Purpose purpose, Action action, Instant now) {
        this(policy, recipient, purpose, action, now, PolicyMetrics.NONE);
    }

    Release(Policy policy, Recipient recipient, Purpose purpose, Action action, Instant now, PolicyMetrics metrics) {
        this(policy, recipient, List.of(purpose), action, now, metrics);
    }

    /**
     * A release for several purposes at once: an object passes when it passes for one of them. A
     * partner's node syncs for every purpose of the agreement it receives under; how the data is
     * then used is decided when its people read it.
     */
    Release(Policy policy, Recipient recipient, List<Purpose> purposes, Action action, Instant now, PolicyMetrics metrics) {
        if (purposes.isEmpty()) throw new IllegalArgumentException("a release needs a purpose");
        this.policy = policy;
        this.recipient = recipient;
        this.purposes = List.copyOf(purposes);
        this.purpose = purposes.get(0);
        this.action = action;
        this.now = now;
        this.metrics = metrics;
    }

    /** Where a stored object came from: its collection's provider and agreement. */
    public record Origin(String providerId, String agreementId) {
        public static final Origin OWN = new Origin(null, null);
    }

    /**
     * Decides one stored object version.
     *
     * @param facts its packed facts, or null when not yet derived (then {@code json} is parsed)
     * @param latestFacts the facts of the newest version of the object, which bind every version; null
     *     when this is the newest or they are unknown
     * @param json its stored JSON; may be null for manifest entries unless the facts say TLP:RED or are null
     * @return the JSON to send (possibly with properties removed), {@code ""} when permitted but no JSON was
     *     given, or null when withheld
     */
    public String release(String id, String version, Integer facts, Integer latestFacts, String json, Origin origin) {
        JsonNode parsed = null;
        int own;
        if (facts == null) {
            parsed = parse(json);
            own = ObjectFacts.packOf(parsed);
        } else {
            own = facts;
        }
        int f = ObjectFacts.bindingFacts(own, latestFacts);
        List<String> red = List.of();
        // The named recipients are those of this version; a version that was not RED itself names
        // nobody, so a later RED marking keeps it from everyone but its provider.
        if (ObjectFacts.tlp(own) == TlpLevel.RED) {
            if (parsed == null) parsed = parse(json);
            red = redRecipients(parsed);
        }
        Subject subject = new Subject(f, origin.providerId(), origin.agreementId(), red, id);
        Purpose decidedFor = purpose;
        Decision d = policy.decide(subject, recipient, purpose, action, now);
        for (int i = 1; i < purposes.size() && !d.permitted(); i++) {
            Decision other = policy.decide(subject, recipient, purposes.get(i), action, now);
            if (other.permitted()) {
                d = other;
                decidedFor = purposes.get(i);
            }
        }
        metrics.decided(d.permitted(), d.rule());
        if (!d.permitted()) {
            withhold(id, version, d.rule(), d.reason());
            return null;
        }
        String out = json == null ? "" : json;
        if (ObjectFacts.granular(f) && json != null) {
            if (parsed == null) parsed = parse(json);
            Redacted r = redact((ObjectNode) parsed.deepCopy(), subject, decidedFor);
            if (r.withheldBecause() != null) {
                withhold(id, version, "granular-identity-property", r.withheldBecause());
                return null;
            }
            if (r.removed() > 0 && whole) {
                withhold(id, version, "redaction-breaks-signature", "properties under granular markings would have to"
                        + " be removed, and a signed object travels whole or not at all");
                return null;
            }
            if (r.removed() > 0) {
                redacted++;
                out = r.object().toString();
            }
        }
        released.add(id + (version == null ? "" : "@" + version));
        byAgreement.merge(d.agreementId() == null ? d.rule() : d.agreementId(), 1, Integer::sum);
        return out;
    }

    private record Redacted(ObjectNode object, int removed, String withheldBecause) {}

    /**
     * A property under a granular marking is removed when the recipient could not receive the object
     * if the object as a whole bore that marking too. Selectors into lists remove the whole top-level
     * property: over-removing is safe, a renumbered list would not be.
     */
    private Redacted redact(ObjectNode o, Subject subject, Purpose purpose) {
        Set<String> remove = new LinkedHashSet<>();
        for (JsonNode g : o.path("granular_markings")) {
            String ref = g.path("marking_ref").asText(null);
            if (ref == null) continue;
            int f = subject.facts();
            TlpLevel extra = TlpLevel.ofMarking(ref).orElse(null);
            if (extra != null && extra.ordinal() > ObjectFacts.tlp(f).ordinal()) f = (f & ~7) | extra.ordinal();
            HandlingCode code = HandlingCode.ofMarking(ref).orElse(null);
            if (code != null) f |= code.bit() << 3;
            if (f == subject.facts()) continue;
            List<String> red = subject.redRecipients();
            if (extra == TlpLevel.RED && red.isEmpty()) red = redRecipients(o);
            Decision d = policy.decide(new Subject(f, subject.providerId(), subject.viaAgreementId(), red, subject.objectId()), recipient,
                    purpose, action, now);
            if (d.permitted()) continue;
            for (JsonNode sel : g.path("selectors")) {
                String top = sel.asText("");
                int dot = top.indexOf('.');
                if (dot >= 0) top = top.substring(0, dot);
                if (IDENTITY.contains(top)) {
                    return new Redacted(o, 0, "property " + top + " is marked " + ref + ": " + d.reason());
                }
                remove.add(top);
            }
        }
        int n = 0;
        for (String p : remove) if (o.remove(p) != null) n++;
        return new Redacted(o, n, null);
    }

    private void withhold(String id, String version, String rule, String reason) {
        Map<String, String> w = new LinkedHashMap<>();
        w.put("object", id + (version == null ? "" : "@" + version));
        w.put("rule", rule);
        w.put("reason", reason);
        withheld.add(w);
    }

    /** The recipients a TLP:RED object names; anything but a list of strings names nobody. */
    public static List<String> redRecipients(JsonNode o) {
        JsonNode list = o.path(Subject.RED_RECIPIENTS);
        if (!list.isArray()) return List.of();
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) {
            if (n.isTextual()) out.add(n.asText());
        }
        return out;
    }

    private static JsonNode parse(String text) {
        if (text == null) throw new IllegalStateException("the object's JSON is needed to decide it");
        try {
            return org.entente.stix.StixJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("stored object is not JSON: " + e.getMessage(), e);
        }
    }

    public List<String> released() {
        return released;
    }

    public List<Map<String, String>> withheld() {
        return withheld;
    }

    public Map<String, Integer> releasedByAgreement() {
        return byAgreement;
    }

    public int redacted() {
        return redacted;
    }

    public Recipient recipient() {
        return recipient;
    }

    public Purpose purpose() {
        return purpose;
    }

    public List<Purpose> purposes() {
        return purposes;
    }

    /** From now on, objects that would need properties removed are withheld instead. */
    public Release whole() {
        this.whole = true;
        return this;
    }

    public Action action() {
        return action;
    }

    /** The policy snapshot this release decides with (to decide other things of the same request alike). */
    public Policy policy() {
        return policy;
    }
}
