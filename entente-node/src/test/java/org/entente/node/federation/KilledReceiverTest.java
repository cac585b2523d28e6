package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.entente.node.Node;
import org.entente.node.NodeServices;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.Federated;
import org.entente.node.testing.NodeProcess;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.Test;

/**
 * The receiving node runs as its own operating-system process and is killed (SIGKILL) in the middle
 * of syncing 100,000 objects; restarted, it resumes from the cursor stored with the last page it
 * committed: every object arrives exactly once.
 */
class KilledReceiverTest {
    static final int OBJECTS = 100_000;

    @Test
    void aReceiverKilledMidSyncResumesAndEveryObjectArrivesExactlyOnce() throws Exception {
        DatabaseLocation.External bdb = TestPostgres.freshDatabase();
        String url = bdb.jdbcUrl() + (bdb.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<Key, String> settings = new EnumMap<>(Key.class);
        settings.put(Key.FEDERATION_PORT, Integer.toString(port));
        NodeConfig bConfig = NodeConfig.of(bdb, settings);
        try (Node a = Nodes.start("Provider", "EE", "cybercrime")) {
            String bOrg;
            try (NodeServices b = NodeServices.open(bConfig)) {
                bOrg = b.organisations().create(new Organisations.Draft("Receiver", "DE", "cert", null), true, "test").id();
                b.federation().addPeer(a.services().federation().identityDocument(), "test");
                a.services().federation().addPeer(b.federation().identityDocument(), "test");
            }
            Agreement mou = a.services().agreements().create(Nodes.agreement("MoU", List.of(Federated.own(a).id(), bOrg),
                    "active"), "test");
            CollectionInfo feed = Nodes.collection(a, "feed");
            List<String> objects = new ArrayList<>(OBJECTS);
            for (int i = 0; i < OBJECTS; i++) {
                objects.add(Nodes.indicator(Nodes.newId(), "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), Tlp.GREEN));
            }
            Nodes.load(a, "feed", objects);
            objects = null;

            Map<String, String> env = Map.of("ENTENTE_DATABASE_URL", url, "ENTENTE_ADMIN_PASSWORD", "a long admin password",
                    "ENTENTE_FEDERATION_PORT", Integer.toString(port), "ENTENTE_LOG_FORMAT", "text");
            NodeProcess first = NodeProcess.start(env, "serve", "--port", "0");
            try {
                first.awaitLine("Entente node listening on ", 90);
                Federated.await("the proposal to reach the receiver", () -> proposed(bConfig, mou.id()), Duration.ofSeconds(60));
                try (NodeServices b = NodeServices.open(bConfig)) {
                    b.federation().acceptAgreement(mou.id(), "test");
                }
                Federated.await("the agreement to take effect", () -> Federated.active(a, mou.id()), Duration.ofSeconds(60));
                a.services().federation().offer("Receiver", "feed", mou.id(), "test");
                Federated.await("the sync to be under way", () -> held(bdb, feed.id(), a) > 10_000, Duration.ofSeconds(120));
                assertThat(held(bdb, feed.id(), a)).isLessThan(OBJECTS);
                first.kill();
                first.waitFor(30);
            } finally {
                first.close();
            }
            long atKill = held(bdb, feed.id(), a);
            try (NodeProcess second = NodeProcess.start(env, "serve", "--port", "0")) {
                second.awaitLine("Entente node listening on ", 90);
                Federated.await("every object to arrive", () -> held(bdb, feed.id(), a) == OBJECTS, Duration.ofSeconds(180));
                try (NodeServices b = NodeServices.open(bConfig)) {
                    PeerStatus.Pulled p = b.federation().status("Provider").collections().get(0);
                    assertThat(p.received()).isEqualTo(OBJECTS);
                    assertThat(p.rejected()).isZero();
                    assertThat(p.lastError()).isNull();
                    long distinct = b.database().jdbi().withHandle(h -> h.createQuery("SELECT count(DISTINCT o.id)"
                            + " FROM stix_object o JOIN collection c ON c.num = o.collection_no WHERE c.id = :c")
                            .bind("c", p.localCollection()).mapTo(Long.class).one());
                    assertThat(distinct).isEqualTo(OBJECTS);
                }
            }
            assertThat(atKill).isBetween(1L, (long) OBJECTS - 1);
        }
    }

    private static boolean proposed(NodeConfig config, String agreement) {
        try (NodeServices b = NodeServices.open(config)) {
            return b.agreements().find(agreement).map(x -> x.status() == Agreement.Status.PROPOSED).orElse(false);
        }
    }

    /** Rows the receiver holds in the collection it pulls the provider's feed into. */
    private static long held(DatabaseLocation.External db, String remote, Node provider) {
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                var s = c.prepareStatement("SELECT count(*) FROM stix_object o JOIN collection c ON c.num = o.collection_no"
                        + " JOIN peer_collection p ON p.local_collection = c.id WHERE p.remote_collection = ?")) {
            s.setString(1, remote);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }
}
