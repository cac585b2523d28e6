package org.entente.node.policy.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.entente.node.common.InvalidInput;
import org.entente.node.policy.Action;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Decision;
import org.entente.node.policy.ObjectFacts;
import org.entente.node.policy.Policy;
import org.entente.node.policy.Purpose;
import org.entente.node.policy.Recipient;
import org.entente.node.policy.Release;
import org.entente.node.policy.Subject;
import org.entente.node.policy.TlpLevel;
import org.entente.node.store.ObjectStore;

/**
 * The questions a data-protection officer asks of the policy: why may (or may not) this
 * organisation receive this object, and what may it receive at all. Both answer from the same
 * decision function every read path uses.
 */
public final class PolicyQueries {
    private final ObjectStore store;
    private final PolicyService policies;
    private final ObjectMapper json = new ObjectMapper();

    public PolicyQueries(ObjectStore store, PolicyService policies) {
        this.store = store;
        this.policies = policies;
    }

    /**
     * Explains the decision for the latest version of an object in each collection that holds it.
     *
     * @throws InvalidInput naming the parameter that is wrong
     */
    public ObjectNode explain(String objectId, String recipientOrg, String username, Purpose purpose, Action action) {
        return explain(objectId, recipientOrg, username, purpose, action, null);
    }

    /**
     * @param collections the collections whose content the asker may learn of; null for all
     */
    public ObjectNode explain(String objectId, String recipientOrg, String username, Purpose purpose, Action action,
            java.util.Set<String> collections) {
        Policy policy = policies.current();
        if (recipientOrg == null || !policy.knows(recipientOrg)) {
            throw InvalidInput.of("Unknown recipient", "recipient", "no organisation '" + recipientOrg
                    + "' is known to this node (see GET /api/organisations)");
        }
        Instant now = Instant.now();
        ArrayNode results = json.createArrayNode();
        for (ObjectStore.Held held : store.latestEverywhere(objectId)) {
            if (collections != null && !collections.contains(held.collectionId())) continue;
            JsonNode object = tree(held.json());
            int f = held.facts() != null ? held.facts() : ObjectFacts.packOf(object);
            Subject subject = new Subject(f, held.providerId(), held.agreementId(), Release.redRecipients(object), objectId);
            Policy.Explanation e = policy.explain(subject, new Recipient(recipientOrg, username), purpose, action, now);
            ObjectNode r = results.addObject();
            r.put("collection", held.collectionId());
            r.put("version", held.version().toString());
            r.put("decision", e.decision().permitted() ? "permit" : "deny");
            r.put("rule", e.decision().rule());
            if (e.decision().agreementId() != null) r.put("agreement", e.decision().agreementId());
            r.put("reason", e.decision().reason());
            r.put("object_facts", e.facts().describe());
            if (held.providerId() != null) r.put("provider", held.providerId());
            ArrayNode checks = r.putArray("checks");
            e.checks().forEach(checks::add);
        }
        if (results.isEmpty()) {
            throw InvalidInput.of("Unknown object", "object", "no object '" + objectId + "' is stored on this node");
        }
        ObjectNode out = json.createObjectNode();
        out.put("object", objectId);
        out.put("recipient", recipientOrg);
        if (username != null) out.put("user", username);
        out.put("purpose", purpose.wire());
        out.put("action", action.wire());
        out.put("decided_at", now.toString());
        out.set("results", results);
        return out;
    }

    /**
     * What an organisation may receive: the agreements that bind it and this node, and for each
     * purpose how many of the stored objects (latest versions) would pass, by collection and
     * category. Objects are grouped by their facts first, so a million objects cost one grouped scan.
     */
    public ObjectNode report(String recipientOrg) {
        return report(recipientOrg, null);
    }

    /**
     * @param collections the collections the asker may read: only their content is counted, and
     *     what is withheld is not (null: every collection, with the withheld counted by rule)
     */
    public ObjectNode report(String recipientOrg, java.util.Set<String> collections) {
        Policy policy = policies.current();
        if (recipientOrg == null || !policy.knows(recipientOrg)) {
            throw InvalidInput.of("Unknown recipient", "recipient", "no organisation '" + recipientOrg + "' is known to this node");
        }
        Instant now = Instant.now();
        ObjectNode out = json.createObjectNode();
        out.put("recipient", recipientOrg);
        out.put("as_of", now.toString());
        ArrayNode agreements = out.putArray("agreements");
        for (Agreement a : policy.agreementsWith(recipientOrg)) {
            ObjectNode n = a.toJson(json);
            String why = a.notInForceReason(now);
            n.put("in_force", why == null);
            if (why != null) n.put("not_in_force", why);
            agreements.add(n);
        }
        List<ObjectStore.FactsGroup> groups = store.latestByFacts().stream()
                .filter(g -> collections == null || collections.contains(g.collectionId())).toList();
        ObjectNode byPurpose = out.putObject("receivable");
        for (Purpose p : Purpose.values()) {
            Map<String, Map<String, Long>> permitted = new TreeMap<>();
            Map<String, Long> denied = new TreeMap<>();
            long undecided = 0;
            for (ObjectStore.FactsGroup g : groups) {
                if (g.facts() == null) {
                    undecided += g.count();
                    continue;
                }
                // TLP:RED depends on each object's named recipients: counted apart, never as permitted.
                if (ObjectFacts.tlp(g.facts()) == TlpLevel.RED && !recipientOrg.equals(g.providerId())) {
                    denied.merge("tlp-red (named recipients only; see explain)", g.count(), Long::sum);
                    continue;
                }
                Decision d = policy.decide(new Subject(g.facts(), g.providerId(), g.agreementId(), List.of()),
                        Recipient.organisation(recipientOrg), p, Action.SYNC, now);
                if (d.permitted()) {
                    String key = d.agreementId() == null ? d.rule() : d.agreementId();
                    permitted.computeIfAbsent(key, k -> new TreeMap<>())
                            .merge(g.collectionId() + " / " + ObjectFacts.category(g.facts()).wire(), g.count(), Long::sum);
                } else {
                    denied.merge(d.rule(), g.count(), Long::sum);
                }
            }
            ObjectNode pn = byPurpose.putObject(p.wire());
            pn.set("permitted_by_agreement", json.valueToTree(permitted));
            if (collections == null) {
                pn.set("denied_by_rule", json.valueToTree(denied));
                if (undecided > 0) pn.put("not_yet_classified", undecided);
            }
        }
        return out;
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored object is not JSON: " + e.getMessage(), e);
        }
    }
}
