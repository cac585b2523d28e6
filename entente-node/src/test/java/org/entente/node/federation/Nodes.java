package org.entente.node.federation;

import static org.entente.node.testing.Federated.agree;
import static org.entente.node.testing.Federated.own;
import static org.entente.node.testing.Federated.pair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.intake.Importer;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.TestPostgres;

/** Real nodes on loopback for the federation tests: each with its own database, organisation and listener. */
final class Nodes {
    static final ObjectMapper M = new ObjectMapper();

    private Nodes() {}

    static Node start(String name, String nation, String sector) {
        return start(name, nation, sector, TestPostgres.freshDatabase(), Map.of());
    }

    static Node start(String name, String nation, String sector, DatabaseLocation db, Map<Key, String> more) {
        Map<Key, String> s = new EnumMap<>(Key.class);
        s.put(Key.PORT, "0");
        s.put(Key.ORG_NAME, name);
        s.put(Key.ORG_NATION, nation);
        s.put(Key.ORG_SECTOR, sector);
        s.put(Key.SYNC_EVERY, "1h");
        s.put(Key.FEDERATION_TIMEOUT, "10s");
        s.putAll(more);
        return Node.start(NodeConfig.of(db, s));
    }

    /**
     * A provider and a receiver that are peers, bound by an agreement (its terms adjusted by
     * {@code terms}) proposed by the provider and accepted by the receiver, with the provider's
     * collection "shared" offered to the receiver under it.
     */
    record Pair(Node provider, Node receiver, Agreement agreement, CollectionInfo shared) implements AutoCloseable {
        static Pair start(String provider, String receiver, java.util.function.Consumer<ObjectNode> terms) {
            Node a = Nodes.start(provider, "EE", "cybercrime");
            Node b = Nodes.start(receiver, "DE", "cert");
            pair(a, b);
            ObjectNode doc = Nodes.agreement("Agreement of " + provider + " and " + receiver, List.of(own(a).id(), own(b).id()),
                    "active");
            terms.accept(doc);
            Agreement ag = agree(a, b, doc);
            CollectionInfo shared = collection(a, "shared");
            a.services().federation().offer(own(b).name(), "shared", ag.id(), "test");
            return new Pair(a, b, ag, shared);
        }

        @Override
        public void close() {
            receiver.close();
            provider.close();
        }
    }

    static ObjectNode agreement(String title, List<String> parties, String status) {
        ObjectNode d = M.createObjectNode();
        d.put("title", title);
        d.put("kind", parties.size() == 2 ? "bilateral" : "multilateral");
        ArrayNode ps = d.putArray("parties");
        parties.forEach(ps::add);
        d.putObject("legal_basis").put("text", "Test convention, art. 1");
        d.put("valid_from", "2020-01-01");
        d.put("status", status);
        ObjectNode r = d.putObject("rules");
        r.putArray("categories").add("cyber-indicators").add("malware-and-tooling").add("reports-and-context");
        r.putArray("purposes").add("detection").add("investigation");
        r.put("max_tlp", "amber");
        r.putArray("handling_codes").add("H0").add("H1");
        r.putObject("personal_data").put("allowed", false);
        r.putObject("onward_sharing").put("rule", "forbidden");
        return d;
    }

    static CollectionInfo collection(Node n, String alias) {
        return n.services().store().ensureCollection(alias, alias, null);
    }

    /** Imports objects into a collection of the node (signed as it stores them). */
    static Importer.Report load(Node n, String collection, List<String> objects) {
        String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":["
                + String.join(",", objects) + "]}";
        CollectionInfo c = collection(n, collection);
        Importer.Report r = n.services().importer().importStream(new ByteArrayInputStream(
                bundle.getBytes(StandardCharsets.UTF_8)), c.id(), Importer.Mode.REJECT_FILE, Importer.silent());
        if (r.rejected()) throw new AssertionError(r.rejection());
        return r;
    }

    static String indicator(String id, String ip, String... markings) {
        StringBuilder m = new StringBuilder();
        if (markings.length > 0) {
            m.append(",\"object_marking_refs\":[");
            for (int i = 0; i < markings.length; i++) m.append(i > 0 ? "," : "").append('"').append(markings[i]).append('"');
            m.append(']');
        }
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2024-01-01T00:00:00.000Z\","
                + "\"modified\":\"2024-01-01T00:00:00.000Z\",\"name\":\"c2 " + ip + "\",\"pattern\":\"[ipv4-addr:value = '"
                + ip + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-01-01T00:00:00Z\"" + m + "}";
    }

    static String newId() {
        return "indicator--" + UUID.randomUUID();
    }

    /** The ids of the latest versions a node holds in a collection. */
    static List<String> ids(Node n, String collectionId) {
        List<String> out = new ArrayList<>();
        n.database().jdbi().useHandle(h -> out.addAll(h.createQuery("SELECT o.id FROM stix_object o JOIN collection c"
                + " ON c.num = o.collection_no WHERE c.id = :c AND o.is_latest ORDER BY o.id").bind("c", collectionId)
                .mapTo(String.class).list()));
        return out;
    }

    /** The local collection a node pulls a peer's collection into. */
    static String received(Node n, Node from, String remoteCollectionId) {
        return received(n, own(from).id(), remoteCollectionId);
    }

    static String received(Node n, String fromOrganisation, String remoteCollectionId) {
        PeerStatus s = n.services().federation().status(fromOrganisation);
        return s.collections().stream().filter(c -> c.remoteCollection().equals(remoteCollectionId)).findFirst()
                .orElseThrow(() -> new AssertionError("no collection " + remoteCollectionId + " from " + fromOrganisation
                        + " at " + own(n).name() + ": " + s)).localCollection();
    }

    static JsonNode json(String s) {
        try {
            return M.readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
