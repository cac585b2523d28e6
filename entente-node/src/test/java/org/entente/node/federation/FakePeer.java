package org.entente.node.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A partner node that misbehaves on purpose: a real TLS 1.3 server with a client certificate
 * required and its own identity and signing key, whose answers the test scripts.
 */
final class FakePeer implements AutoCloseable {
    /** What to answer to a path. */
    interface Answer {
        void answer(HttpExchange x, FakePeer peer) throws IOException, InterruptedException;
    }

    final String organisationId;
    final String name;
    final OwnKeys.TlsCredential tls;
    final OwnKeys.SigningKey key;
    final String agreementId;
    private final HttpsServer server;
    final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    FakePeer(String organisationId, String name, String agreementId) throws Exception {
        this.organisationId = organisationId;
        this.name = name;
        this.agreementId = agreementId;
        this.tls = OwnKeys.selfSigned(name, "127.0.0.1");
        byte[] pkcs8 = Crypto.newSigningKey();
        byte[] pub = Crypto.publicKey(pkcs8);
        this.key = new OwnKeys.SigningKey(Crypto.keyId(pub), pkcs8, pub, Instant.now(), null);
        SSLContext ssl = TestTls.context(tls);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters p) {
                SSLParameters sp = ssl.getDefaultSSLParameters();
                sp.setNeedClientAuth(true);
                sp.setProtocols(new String[] {"TLSv1.3"});
                p.setSSLParameters(sp);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", x -> {
            requests.incrementAndGet();
            try {
                String path = x.getRequestURI().getPath();
                Answer a = answers.entrySet().stream().filter(e -> path.startsWith(e.getKey()))
                        .max(java.util.Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue).orElse(null);
                if (a == null) send(x, 404, "{}", Map.of());
                else a.answer(x, this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away
            } finally {
                x.close();
            }
        });
        server.start();
        answers.put("/federation/v1/offers", (x, p) -> send(x, 200, "{\"offers\":[{\"collection\":\"c1\",\"title\":\"Fake\","
                + "\"agreement\":\"" + agreementId + "\"}]}", Map.of()));
        answers.put("/federation/v1/messages", (x, p) -> send(x, 200, "{}", Map.of()));
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    ObjectNode identity(String nation) {
        return Identity.issue(url(), organisationId, name, nation, "cert", tls, List.of(key)).toJson();
    }

    /** Objects signed by this fake node as their producer, whatever they say of themselves. */
    List<ObjectNode> signed(List<String> objects) {
        List<ObjectNode> out = objects.stream().map(s -> (ObjectNode) Nodes.json(s)).toList();
        ObjectSignatures.signAll(out, organisationId, key);
        return out;
    }

    static void send(HttpExchange x, int status, String body, Map<String, String> headers) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/taxii+json;version=2.1");
        headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) x.getResponseBody().write(b);
    }

    static String envelope(List<ObjectNode> objects, boolean more, String next) {
        StringBuilder sb = new StringBuilder("{\"more\":").append(more);
        if (next != null) sb.append(",\"next\":\"").append(next).append('"');
        if (!objects.isEmpty()) {
            sb.append(",\"objects\":[");
            for (int i = 0; i < objects.size(); i++) sb.append(i > 0 ? "," : "").append(objects.get(i));
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
