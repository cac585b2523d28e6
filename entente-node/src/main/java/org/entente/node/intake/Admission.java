package org.entente.node.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.Refusal;
import org.entente.node.policy.ObjectFacts;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.PreparedObject;
import org.entente.node.users.Principal;
import org.entente.stix.Problem;

/**
 * The one way in for STIX objects, whether they come by TAXII, from a file or from a partner's
 * node: each is validated, its markings must be ones the node can honour, its policy facts are
 * derived, and whoever writes may write into that collection. Nothing is stored unless everything
 * of the batch passes.
 */
public final class Admission {
    private final ObjectStore store;
    private final AuditLog audit;
    private final Producer producer;

    public Admission(ObjectStore store, AuditLog audit) {
        this(store, audit, Producer.NONE);
    }

    /** @param producer signs what this node produces and announces what was stored */
    public Admission(ObjectStore store, AuditLog audit, Producer producer) {
        this.store = store;
        this.audit = audit;
        this.producer = producer;
    }

    /** An object of a batch that cannot be admitted, with each problem's JSON pointer within the batch. */
    public record Refused(int index, String id, List<Problem> problems) {}

    /** What came of a batch: the prepared objects when every one passed, the refused ones otherwise. */
    public record Checked(List<PreparedObject> admitted, List<Refused> refused) {
        public boolean accepted() {
            return refused.isEmpty();
        }
    }

    /** Prepares an object already known to be valid. */
    public static PreparedObject prepare(JsonNode object, String json) {
        int facts = ObjectFacts.packOf(object);
        return PreparedObject.of(object, json, facts, ObjectFacts.needsJson(facts),
                org.entente.node.store.Observables.extract(object, Validation.pattern(object)));
    }

    /**
     * Checks a whole batch (a TAXII envelope's objects, a page from a peer): every object valid and
     * every marking it uses defined in the batch or on the node.
     *
     * @param pointer the JSON pointer of the array in the request, for the problems' pointers
     */
    public Checked check(JsonNode objects, String pointer) {
        return check(objects, pointer, null);
    }

    /**
     * As {@link #check(JsonNode, String)}, for objects bound for {@code target}: into a collection of
     * the node's own intelligence, what the node produced is signed as it is admitted.
     */
    public Checked check(JsonNode objects, String pointer, CollectionInfo target) {
        Checked c = checkEach(objects, pointer, target != null && target.providerId() == null);
        return c.accepted() ? c : new Checked(List.of(), c.refused());
    }

    /**
     * Checks a partner node's page: each object on its own. The valid ones are admitted, the others
     * refused one by one with their problems (the caller counts and audits them); nothing is signed.
     */
    public Checked checkEach(JsonNode objects, String pointer) {
        return checkEach(objects, pointer, false, Set.of());
    }

    /**
     * As {@link #checkEach(JsonNode, String)} for a page checked before the pages ahead of it are
     * stored: markings defined by those pages count as defined.
     */
    public Checked checkEach(JsonNode objects, String pointer, Set<String> definedAhead) {
        return checkEach(objects, pointer, false, definedAhead);
    }

    private Checked checkEach(JsonNode objects, String pointer, boolean produced) {
        return checkEach(objects, pointer, produced, Set.of());
    }

    private Checked checkEach(JsonNode objects, String pointer, boolean produced, Set<String> definedAhead) {
        int n = objects.size();
        List<List<Problem>> errors = new ArrayList<>(java.util.Collections.nCopies(n, List.of()));
        PreparedObject[] prepared = new PreparedObject[n];
        // Validation and preparation are independent per object; an indicator's pattern, parsed to
        // validate it, is reused to index it on the same thread. What the node produces is signed
        // first (its JSON changes), so it is prepared afterwards.
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, n);
        (n > 64 ? range.parallel() : range).forEach(i -> {
            JsonNode o = objects.get(i);
            String at = pointer + "/" + i;
            List<Problem> found = new ArrayList<>(0);
            if (!o.isObject()) {
                found.add(new Problem(org.entente.stix.Severity.ERROR, at, "not a JSON object"));
            } else {
                for (Problem p : Validation.validate(o)) {
                    if (p.isError()) found.add(new Problem(p.severity(), at + p.pointer(), p.message()));
                }
            }
            if (!found.isEmpty()) errors.set(i, found);
            else if (!produced) prepared[i] = prepare(o, o.toString());
        });
        List<Refused> refused = new ArrayList<>();
        Set<Integer> bad = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (!errors.get(i).isEmpty()) {
                refused.add(new Refused(i, objects.get(i).path("id").asText(""), errors.get(i)));
                bad.add(i);
            }
        }
        Markings markings = new Markings();
        markings.defined.addAll(definedAhead);
        for (int i = 0; i < n; i++) if (!bad.contains(i)) markings.saw(objects.get(i), i);
        Map<String, Integer> undefined = markings.undefined(store);
        if (!undefined.isEmpty()) {
            Map<Integer, List<Problem>> byObject = new LinkedHashMap<>();
            undefined.forEach((ref, i) -> byObject.computeIfAbsent(i, k -> new ArrayList<>()).add(new Problem(
                    org.entente.stix.Severity.ERROR, pointer + "/" + i, "marking " + ref
                    + " is not defined: send its marking-definition in the same batch or before")));
            byObject.forEach((i, ps) -> {
                refused.add(new Refused(i, objects.get(i).path("id").asText(""), ps));
                bad.add(i);
            });
        }
        List<PreparedObject> admitted = new ArrayList<>(n - bad.size());
        if (produced) {
            if (!refused.isEmpty()) return new Checked(List.of(), refused);
            List<com.fasterxml.jackson.databind.node.ObjectNode> good = new ArrayList<>(n);
            for (int i = 0; i < n; i++) good.add((com.fasterxml.jackson.databind.node.ObjectNode) objects.get(i));
            producer.sign(good);
            for (JsonNode o : good) admitted.add(prepare(o, o.toString()));
        } else {
            for (int i = 0; i < n; i++) if (!bad.contains(i)) admitted.add(prepared[i]);
        }
        refused.sort(java.util.Comparator.comparingInt(Refused::index));
        return new Checked(admitted, refused);
    }

    /**
     * Markings other than TLP and the handling codes must be defined: in the same batch or already
     * on this node. A marking nobody can look up cannot be honoured. Objects may use a definition
     * before the batch defines it, so the check is settled at the end.
     */
    public static final class Markings {
        private static final int REMEMBERED = 10_000;
        private final Set<String> defined = new HashSet<>();
        private final Map<String, Integer> firstUse = new LinkedHashMap<>();

        public void saw(JsonNode o, int index) {
            if ("marking-definition".equals(o.path("type").asText())) defined.add(o.path("id").asText());
            for (String ref : ObjectFacts.otherMarkingRefs(o)) {
                if (firstUse.size() < REMEMBERED) firstUse.putIfAbsent(ref, index);
            }
        }

        /** Each marking used but defined neither in the batch nor on the node, with the index of its first use. */
        public Map<String, Integer> undefined(ObjectStore store) {
            Set<String> open = new LinkedHashSet<>(firstUse.keySet());
            open.removeAll(defined);
            if (open.isEmpty()) return Map.of();
            open.removeAll(store.existing(open));
            Map<String, Integer> out = new LinkedHashMap<>();
            for (String ref : open) out.put(ref, firstUse.get(ref));
            return out;
        }
    }

    /**
     * What a partner writes is the partner's intelligence: it goes only into (and is deleted only
     * from) a collection that records that partner as its provider, so that its agreement governs
     * it. Refusals are audited.
     *
     * @param ownOrganisation this node's organisation, whose users write anywhere they are granted
     */
    public void mayWrite(Principal p, CollectionInfo c, String ownOrganisation, String what) {
        String org = p.organisationId();
        if (org != null && !org.equals(ownOrganisation) && !org.equals(c.providerId())) {
            String reason = "collection " + c.id() + " does not hold intelligence provided by " + org;
            audit.append(new AuditEvent(AuditEvent.REJECTED_REQUEST, p.username(), org,
                    AuditEvent.detail("path", what, "rule", "partner-writes-own-collection", "reason", reason)));
            throw new Refusal(403, "Forbidden", "partner-writes-own-collection", reason
                    + "; a partner writes only into a collection whose provider it is (entente collection provenance)")
                    .audited();
        }
    }

    /** Stores an admitted batch in one transaction; returns how many versions were new. */
    public int store(String collectionId, List<PreparedObject> admitted) {
        int added;
        try (ObjectStore.Writer w = store.writer(collectionId)) {
            added = w.add(admitted).added();
            w.commit();
        }
        if (added > 0) producer.added(collectionId, added);
        return added;
    }

    /**
     * Stores a partner node's admitted page in one transaction together with {@code alsoDo} (its sync
     * cursor, counts and audit record): after a crash the page and its cursor are both there or both
     * not. The commit does not wait for the WAL flush: a page lost with its cursor is fetched again.
     *
     * @return how many versions were new
     */
    public int storeReceived(String collectionId, List<PreparedObject> admitted, AlongWith alsoDo) {
        try (ObjectStore.Writer w = store.bulkWriter(collectionId)) {
            int added = w.add(admitted).added();
            w.inSameTransaction(c -> alsoDo.stored(c, added));
            w.commit();
            return added;
        }
    }

    /** What commits with a partner's page. */
    public interface AlongWith {
        /** @param added how many versions of the page were new */
        void stored(java.sql.Connection c, int added) throws java.sql.SQLException;
    }
}
