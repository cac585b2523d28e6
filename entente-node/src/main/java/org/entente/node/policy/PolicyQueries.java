package org.entente.node.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.entente.node.store.StoreException;

/**
 * The questions a data-protection officer asks of the policy: why may (or may not) this
 * organisation receive this object, and what may it receive at all. Both answer from the same
 * decision function every read path uses.
 */
public final class PolicyQueries {
    private final DataSource db;
    private final PolicyService policies;
    private final ObjectMapper json = new ObjectMapper();

    public PolicyQueries(DataSource db, PolicyService policies) {
        this.db = db;
        this.policies = policies;
    }

    /**
     * Explains the decision for the latest version of an object in each collection that holds it.
     *
     * @throws InvalidInput naming the parameter that is wrong
     */
    public ObjectNode explain(String objectId, String recipientOrg, String username, Purpose purpose, Action action) {
        Policy policy = policies.current();
        if (recipientOrg == null || !policy.knows(recipientOrg)) {
            throw InvalidInput.of("Unknown recipient", "recipient", "no organisation '" + recipientOrg
                    + "' is known to this node (see GET /api/organisations)");
        }
        Instant now = Instant.now();
        ArrayNode results = json.createArrayNode();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT col.id, col.provider_id, col.agreement_id, o.policy_facts, o.json,"
                        + " CASE WHEN o.version_key = '-infinity' THEN o.date_added ELSE o.version_key END"
                        + " FROM collection col JOIN stix_object o ON o.collection_no = col.num"
                        + " WHERE o.id = ? AND o.is_latest ORDER BY col.created")) {
            s.setString(1, objectId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Integer facts = (Integer) rs.getObject(4);
                    com.fasterxml.jackson.databind.JsonNode object = json.readTree(rs.getString(5));
                    int f = facts != null ? facts : ObjectFacts.packOf(object);
                    Subject subject = new Subject(f, rs.getString(2), rs.getString(3), Release.redRecipients(object), objectId);
                    Policy.Explanation e = policy.explain(subject, new Recipient(recipientOrg, username), purpose, action, now);
                    ObjectNode r = results.addObject();
                    r.put("collection", rs.getString(1));
                    r.put("version", rs.getObject(6, java.time.OffsetDateTime.class).toInstant().toString());
                    r.put("decision", e.decision().permitted() ? "permit" : "deny");
                    r.put("rule", e.decision().rule());
                    if (e.decision().agreementId() != null) r.put("agreement", e.decision().agreementId());
                    r.put("reason", e.decision().reason());
                    r.put("object_facts", e.facts().describe());
                    if (rs.getString(2) != null) r.put("provider", rs.getString(2));
                    ArrayNode checks = r.putArray("checks");
                    e.checks().forEach(checks::add);
                }
            }
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("could not explain " + objectId, e);
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
        record Group(String collection, String provider, String agreement, Integer facts, long count) {}
        List<Group> groups = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT col.id, col.provider_id, col.agreement_id, g.policy_facts, g.n FROM collection col"
                        + " JOIN (SELECT collection_no, policy_facts, count(*) n FROM stix_object WHERE is_latest"
                        + "       GROUP BY collection_no, policy_facts) g ON g.collection_no = col.num ORDER BY col.created")) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    groups.add(new Group(rs.getString(1), rs.getString(2), rs.getString(3), (Integer) rs.getObject(4),
                            rs.getLong(5)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not report for " + recipientOrg, e);
        }
        ObjectNode byPurpose = out.putObject("receivable");
        for (Purpose p : Purpose.values()) {
            Map<String, Map<String, Long>> permitted = new TreeMap<>();
            Map<String, Long> denied = new TreeMap<>();
            long undecided = 0;
            for (Group g : groups) {
                if (g.facts() == null) {
                    undecided += g.count();
                    continue;
                }
                // TLP:RED depends on each object's named recipients: counted apart, never as permitted.
                if (ObjectFacts.tlp(g.facts()) == TlpLevel.RED && !recipientOrg.equals(g.provider())) {
                    denied.merge("tlp-red (named recipients only; see explain)", g.count(), Long::sum);
                    continue;
                }
                Decision d = policy.decide(new Subject(g.facts(), g.provider(), g.agreement(), List.of()),
                        Recipient.organisation(recipientOrg), p, Action.SYNC, now);
                if (d.permitted()) {
                    String key = d.agreementId() == null ? d.rule() : d.agreementId();
                    permitted.computeIfAbsent(key, k -> new TreeMap<>())
                            .merge(g.collection() + " / " + ObjectFacts.category(g.facts()).wire(), g.count(), Long::sum);
                } else {
                    denied.merge(d.rule(), g.count(), Long::sum);
                }
            }
            ObjectNode pn = byPurpose.putObject(p.wire());
            pn.set("permitted_by_agreement", json.valueToTree(permitted));
            pn.set("denied_by_rule", json.valueToTree(denied));
            if (undecided > 0) pn.put("not_yet_classified", undecided);
        }
        return out;
    }
}
