package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.entente.node.Node;
import org.entente.node.common.InvalidInput;
import org.entente.node.store.CollectionInfo;
import org.entente.stix.Tlp;
import org.entente.node.testing.Federated;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Who a node trusts: only pinned certificates in the handshake (others refused there, and audited);
 * objects altered in transit, even by someone holding the TLS keys, are rejected by their producer's
 * signature; a rotated identity signed by the key a peer trusts is accepted, one signed by an unknown
 * key is not; malformed identities are refused with the reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrustTest {
    static Nodes.Pair pair;
    static Node a;
    static Node b;
    static CollectionInfo shared;

    @BeforeAll
    static void start() {
        pair = Nodes.Pair.start("Provider Unit", "Receiving CERT", doc -> { });
        a = pair.provider();
        b = pair.receiver();
        shared = pair.shared();
    }

    @AfterAll
    static void stop() {
        if (pair != null) pair.close();
    }

    private static SSLContext client(OwnKeys.TlsCredential cred) throws Exception {
        return TestTls.context(cred);
    }

    @Test
    @Order(1)
    void aClientWithAnotherCertificateIsRefusedInTheHandshakeAndAudited() throws Exception {
        OwnKeys.TlsCredential stranger = OwnKeys.selfSigned("Stranger", "127.0.0.1");
        HttpClient http = HttpClient.newBuilder().sslContext(client(stranger)).connectTimeout(Duration.ofSeconds(5)).build();
        String url = a.services().federation().url() + "federation/v1/offers";
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
        Federated.await("the refusal in the audit log", () -> a.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM audit_record WHERE kind = 'federation-handshake-refused' AND detail->>'fingerprint' = :f")
                .bind("f", stranger.fingerprint()).mapTo(Integer.class).one()) == 1);
        // A node that is a peer gets through with its own certificate.
        HttpClient peer = HttpClient.newBuilder().sslContext(client(b.services().federation().keys.tls()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(peer.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void anObjectAlteredInTransitIsRejectedAndAudited() throws Exception {
        // Someone holding both nodes' TLS keys sits between them and changes what passes.
        HttpsServer proxy = alteringProxy(a.services().federation().keys.tls(), b.services().federation().keys.tls(),
                a.services().federation().url());
        try {
            String realUrl = a.services().federation().url();
            b.database().jdbi().useHandle(h -> h.createUpdate("UPDATE peer SET url = :u WHERE organisation_id = :o")
                    .bind("u", "https://127.0.0.1:" + proxy.getAddress().getPort() + "/").bind("o", Federated.own(a).id()).execute());
            String id = Nodes.newId();
            Nodes.load(a, "shared", List.of(Nodes.indicator(id, "192.0.2.77", Tlp.GREEN)));
            b.services().federation().syncNow(Federated.own(a).name());
            String local = Nodes.received(b, a, shared.id());
            assertThat(Nodes.ids(b, local)).doesNotContain(id);
            assertThat(b.services().federation().status(Federated.own(a).name()).collections().get(0).rejected()).isEqualTo(1);
            String audited = b.database().jdbi().withHandle(h -> h.createQuery("SELECT detail::text FROM audit_record"
                    + " WHERE kind = 'federation-received' ORDER BY seq DESC LIMIT 1").mapTo(String.class).one());
            assertThat(audited).contains(id, "does not verify");
            b.database().jdbi().useHandle(h -> h.createUpdate("UPDATE peer SET url = :u WHERE organisation_id = :o")
                    .bind("u", realUrl).bind("o", Federated.own(a).id()).execute());
        } finally {
            proxy.stop(0);
        }
    }

    private static HttpsServer alteringProxy(OwnKeys.TlsCredential serverCred, OwnKeys.TlsCredential clientCred,
            String target) throws Exception {
        SSLContext serverSsl = client(serverCred);
        HttpClient onward = HttpClient.newBuilder().sslContext(client(clientCred)).build();
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(serverSsl) {
            @Override
            public void configure(HttpsParameters p) {
                SSLParameters sp = serverSsl.getDefaultSSLParameters();
                sp.setNeedClientAuth(true);
                p.setSSLParameters(sp);
            }
        });
        s.createContext("/", x -> {
            try {
                HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(target.replaceAll("/$", "") + x.getRequestURI()));
                r.header("Accept", x.getRequestHeaders().getFirst("Accept"));
                byte[] in = x.getRequestBody().readAllBytes();
                if (x.getRequestMethod().equals("POST")) {
                    r.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(in));
                }
                HttpResponse<String> resp = onward.send(r.build(), HttpResponse.BodyHandlers.ofString());
                String body = resp.body().replace("\"name\":\"c2 ", "\"name\":\"harmless ");
                resp.headers().map().forEach((k, v) -> {
                    if (k.startsWith("x-") || k.startsWith("X-") || k.equalsIgnoreCase("content-type")) {
                        x.getResponseHeaders().put(k, v);
                    }
                });
                byte[] out = body.getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) x.getResponseBody().write(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                x.close();
            }
        });
        s.start();
        return s;
    }

    @Test
    @Order(3)
    void aRotatedIdentityIsAcceptedAndSyncGoesOnWithTheNewKeys() {
        String oldFingerprint = b.services().federation().keys.tls().fingerprint();
        String oldKey = b.services().federation().keys.signingKey().id();
        ObjectNode next = b.services().federation().rotateKeys("test");
        String newFingerprint = next.path("fingerprint").asText();
        assertThat(newFingerprint).isNotEqualTo(oldFingerprint);
        Federated.await("A to pin B's new certificate", () -> a.services().federation().peers
                .fingerprints(Federated.own(b).id()).equals(List.of(newFingerprint)));
        PeerStatus atA = a.services().federation().status(Federated.own(b).name());
        assertThat(atA.signingKey()).isNotEqualTo(oldKey).isEqualTo(next.path("signing_key").path("id").asText());
        // Both directions work with the new certificate.
        String id = Nodes.newId();
        Nodes.load(a, "shared", List.of(Nodes.indicator(id, "192.0.2.78", Tlp.GREEN)));
        assertThat(b.services().federation().syncNow(Federated.own(a).name())).isEqualTo(Federation.SyncResult.DONE);
        assertThat(Nodes.ids(b, Nodes.received(b, a, shared.id()))).contains(id);
        assertThat(a.services().federation().syncNow(Federated.own(b).name())).isEqualTo(Federation.SyncResult.DONE);
    }

    @Test
    @Order(4)
    void anIdentitySignedByAnUnknownKeyIsRefused() {
        Identity real = a.services().federation().identity();
        byte[] pkcs8 = Crypto.newSigningKey();
        byte[] pub = Crypto.publicKey(pkcs8);
        OwnKeys.SigningKey impostor = new OwnKeys.SigningKey(Crypto.keyId(pub), pkcs8, pub, Instant.now(), null);
        ObjectNode forged = Identity.issue(real.url(), real.organisationId(), real.name(), real.nation(), real.sector(),
                OwnKeys.selfSigned("Impostor", "127.0.0.1"), List.of(impostor)).toJson();
        assertThatThrownBy(() -> b.services().federation().addPeer(forged, "test"))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("Untrusted identity")
                .satisfies(e -> assertThat(((InvalidInput) e).problems().toString()).contains("not signed by key"));
        assertThat(b.services().federation().peers.fingerprints(Federated.own(a).id())).doesNotContain(forged.path("fingerprint").asText());
    }

    @Test
    @Order(5)
    void malformedIdentitiesAreRefusedWithTheReason() {
        ObjectNode good = a.services().federation().identityDocument();
        ObjectNode tampered = good.deepCopy();
        tampered.put("url", "https://198.51.100.66:8421/");
        assertThatThrownBy(() -> Identity.parse(tampered, Instant.now())).isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(((InvalidInput) e).problems().toString()).contains("/signatures", "does not verify"));
        ObjectNode extra = good.deepCopy();
        extra.put("comment", "hello");
        assertThatThrownBy(() -> Identity.parse(extra, Instant.now())).isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(((InvalidInput) e).problems().toString()).contains("/comment", "unknown field"));
        Identity real = a.services().federation().identity();
        OwnKeys.TlsCredential expired = OwnKeys.selfSigned("Old", "127.0.0.1", Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        ObjectNode old = Identity.issue(real.url(), real.organisationId(), real.name(), real.nation(), real.sector(), expired,
                a.services().federation().keys.signingKeys()).toJson();
        assertThatThrownBy(() -> Identity.parse(old, Instant.now())).isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(((InvalidInput) e).problems().toString()).contains("/certificate", "expired"));
    }

    @Test
    @Order(6)
    void theApiListenerAcceptsNoPasswordsOrKeys() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(client(OwnKeys.selfSigned("X", "127.0.0.1"))).build();
        String url = a.services().federation().url() + "taxii2/";
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:x".getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        assertThat(Map.of()).isEmpty();
    }

    @Test
    @Order(7)
    void aRemovedPeerIsRefusedInTheHandshakeAndAudited() throws Exception {
        OwnKeys.TlsCredential bCert = b.services().federation().keys.tls();
        a.services().federation().removePeer(Federated.own(b).name(), "test");
        HttpClient http = HttpClient.newBuilder().sslContext(client(bCert)).connectTimeout(Duration.ofSeconds(5)).build();
        String url = a.services().federation().url() + "federation/v1/offers";
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
        Federated.await("the refusal in the audit log", () -> a.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT detail->>'reason' FROM audit_record WHERE kind = 'federation-handshake-refused'"
                        + " AND detail->>'fingerprint' = :f").bind("f", bCert.fingerprint()).mapTo(String.class).list())
                .stream().anyMatch(r -> r.contains("revoked")));
    }
}
