package org.entente.node.requests;

import static org.entente.node.testing.Federated.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Agreement;
import org.entente.node.testing.Federated;
import org.entente.node.testing.Http;
import org.entente.node.testing.Staff;
import org.entente.node.testing.TestPostgres;
import org.entente.node.users.Role;

/** Real nodes on loopback with a clock the tests move, peers of each other, for the requests tests. */
final class Desk {
    static final ObjectMapper M = new ObjectMapper();
    static final String PASSWORD = "a long enough password";

    private Desk() {}

    /** A clock that stands still until a test moves it. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    record Started(Node node, DatabaseLocation db, Map<Key, String> settings, Clock clock) {
        Requests requests() {
            return node.services().requests();
        }

        Organisation own() {
            return node.services().organisations().own().orElseThrow();
        }

        /** The node again on the same database and federation port, as after a crash and a restart. */
        Started restart() {
            return new Started(Node.start(NodeConfig.of(db, settings), clock), db, settings, clock);
        }
    }

    static Started start(String name, String nation, String sector, String contactPoint, Clock clock, Map<Key, String> more) {
        Map<Key, String> s = new EnumMap<>(Key.class);
        s.put(Key.PORT, "0");
        s.put(Key.FEDERATION_PORT, Integer.toString(freePort()));
        s.put(Key.ORG_NAME, name);
        s.put(Key.ORG_NATION, nation);
        s.put(Key.ORG_SECTOR, sector);
        s.put(Key.SYNC_EVERY, "1h");
        s.put(Key.FEDERATION_TIMEOUT, "10s");
        // The deadline job is run by the tests with their clock.
        s.put(Key.REQUESTS_CHECK_EVERY, "1000h");
        s.putAll(more);
        DatabaseLocation db = TestPostgres.freshDatabase();
        Node n = Node.start(NodeConfig.of(db, s), clock);
        Organisations orgs = n.services().organisations();
        Organisation o = orgs.own().orElseThrow();
        orgs.update(o.id(), new Organisations.Draft(o.name(), o.nation(), o.sector().wire(), contactPoint), "test");
        new Staff(n.services()).create("liaison", PASSWORD, false, o.id(), Set.of(Role.LIAISON_OFFICER));
        new Staff(n.services()).create("analyst", PASSWORD, false, o.id(), Set.of(Role.ANALYST));
        return new Started(n, db, s, clock);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Http liaison(Started n) {
        return new Http(n.node().url(), Http.basic("liaison", PASSWORD));
    }

    static void pair(Started a, Started b) {
        Federated.pair(a.node(), b.node());
    }

    /** An agreement between two organisations; with {@code assistance} it covers requests. */
    static ObjectNode agreement(String title, List<String> parties, ObjectNode assistance) {
        ObjectNode d = M.createObjectNode();
        d.put("title", title);
        d.put("kind", "bilateral");
        ArrayNode ps = d.putArray("parties");
        parties.forEach(ps::add);
        d.putObject("legal_basis").put("text", "Budapest Convention on Cybercrime").put("reference", "ETS No. 185");
        d.put("valid_from", "2020-01-01");
        d.put("status", "active");
        ObjectNode r = d.putObject("rules");
        r.putArray("categories").add("cyber-indicators").add("persons-of-interest").add("reports-and-context");
        r.putArray("purposes").add("investigation").add("prosecution");
        r.put("max_tlp", "amber");
        r.putArray("handling_codes").add("H0").add("H1");
        r.putObject("personal_data").put("allowed", true).put("legal_basis", "Art. 6(1)(e)");
        r.putObject("onward_sharing").put("rule", "forbidden");
        if (assistance != null) d.set("assistance", assistance);
        return d;
    }

    static ObjectNode budapest() {
        ObjectNode as = M.createObjectNode();
        as.putObject("types").put("preservation", "Budapest Convention, Art. 29")
                .put("expedited-disclosure", "Budapest Convention, Art. 30")
                .put("subscriber-data", "Budapest Convention, Art. 31")
                .put("information", "Budapest Convention, Art. 25")
                .put("spontaneous-information", "Budapest Convention, Art. 26");
        as.putObject("deadlines").put("routine", "P30D").put("urgent", "P3D").put("threat-to-life", "PT12H");
        as.put("preservation_days", 90);
        return as;
    }

    /** Proposes at {@code a}, accepts at {@code b}; returns once both hold it active. */
    static Agreement agree(Started a, Started b, ObjectNode doc) {
        return Federated.agree(a.node(), b.node(), doc);
    }

    /** Waits until the request is in {@code state} at the node. */
    static Requests.Request awaitState(Started n, String id, RequestState state) {
        await(id + " to be " + state.wire() + " at " + n.own().name(), () -> n.requests().find(id)
                .map(r -> r.state() == state).orElse(false));
        return n.requests().find(id).orElseThrow();
    }

    /** A preservation request body from {@code a} to {@code b}'s organisation. */
    static ObjectNode preservation(Started b, String agreementId) {
        return preservation(b.own().name(), agreementId);
    }

    static ObjectNode preservation(String partner, String agreementId) {
        ObjectNode r = M.createObjectNode();
        r.put("partner", partner);
        r.put("type", "preservation");
        r.put("urgency", "urgent");
        r.putObject("legal_basis").put("agreement", agreementId);
        ObjectNode s = r.putObject("subject");
        s.putArray("accounts").addObject().put("service", "mail.example").put("identifier", "suspect@mail.example");
        s.putArray("ip_addresses").addObject().put("address", "198.51.100.23").put("timestamp", "2026-03-01T02:13:00+01:00")
                .put("time_zone", "Europe/Berlin");
        s.putArray("domains").add("phish-login.example");
        r.putArray("measures").add("preserve the mailbox and its access logs");
        r.put("language", "en");
        r.put("summary", "Phishing campaign against the tax authority; logs needed for the investigation.");
        return r;
    }

    static Requests.Actor actor(String name) {
        return new Requests.Actor(name);
    }

    static JsonNode json(String s) {
        try {
            return M.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int count(Started n, String sql) {
        return n.node().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    /** The kinds and ids of a request's events at a node, in order. */
    static List<String> events(Started n, String id) {
        return events(n.requests(), id);
    }

    static List<String> events(Requests requests, String id) {
        return requests.events(id).stream().map(e -> e.kind().wire() + ":" + e.id()).toList();
    }
}
