package org.entente.node.federation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The node's own client for one peer: TLS 1.3 with this node's certificate, the peer's pinned
 * certificates as the only ones trusted, every answer bounded in size and in time, so that a peer
 * that never answers or answers without end holds up only its own sync.
 */
final class PeerClient implements AutoCloseable {
    static final String TAXII = "application/taxii+json;version=2.1";
    static final String JSON_TYPE = "application/json";
    /** The TLS 1.3 suites, in the order of preference of both sides. */
    static final String[] CIPHER_SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};

    /** A failed call: the peer could not be reached, refused, or answered too much or too late. */
    static final class PeerException extends Exception {
        final int status;

        PeerException(String message, int status) {
            super(message);
            this.status = status;
        }

        PeerException(String message, Throwable cause) {
            super(message, cause);
            this.status = 0;
        }
    }

    record Response(int status, byte[] body, Map<String, List<String>> headers) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().get(0);
            }
            return null;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpClient http;
    private final String base;
    private final String peerName;
    private final Duration timeout;

    PeerClient(String url, String peerName, List<String> fingerprints, X509ExtendedKeyManager keyManager,
            Duration timeout) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.peerName = peerName;
        this.timeout = timeout;
        try {
            SSLContext ssl = SSLContext.getInstance("TLSv1.3");
            ssl.init(new javax.net.ssl.KeyManager[] {keyManager},
                    new TrustManager[] {PeerTrust.server(List.copyOf(fingerprints), peerName)}, null);
            SSLParameters params = new SSLParameters();
            params.setProtocols(new String[] {"TLSv1.3"});
            params.setCipherSuites(CIPHER_SUITES);
            this.http = HttpClient.newBuilder().sslContext(ssl).sslParameters(params).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout).build();
        } catch (GeneralSecurityException e) {
            throw Crypto.unexpected(e);
        }
    }

    Response get(String path, String accept, long maxBytes) throws PeerException {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET(), maxBytes);
    }

    Response post(String path, String json, long maxBytes) throws PeerException {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", JSON_TYPE).header("Content-Type", JSON_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(json)), maxBytes);
    }

    private URI uri(String path) throws PeerException {
        try {
            return URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new PeerException("bad address for " + peerName + ": " + base + path, 0);
        }
    }

    private Response send(HttpRequest.Builder b, long maxBytes) throws PeerException {
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(b.timeout(timeout).build(), info -> new Bounded(maxBytes));
        try {
            HttpResponse<byte[]> r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(r.statusCode(), r.body(), r.headers().map());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new PeerException(peerName + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while waiting for " + peerName, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof TooLarge t) throw new PeerException(peerName + " answered more than " + t.max + " bytes", 0);
            if (c instanceof java.net.http.HttpTimeoutException) {
                throw new PeerException(peerName + " did not answer within " + timeout.toSeconds() + " s", c);
            }
            String why = c == null ? e.getMessage() : c.getClass().getSimpleName() + ": " + c.getMessage();
            for (Throwable t = c; t != null; t = t.getCause()) {
                if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                    why = "TLS handshake failed: " + t.getMessage();
                }
            }
            throw new PeerException("could not reach " + peerName + " at " + base + ": " + why, c);
        }
    }

    private static final class TooLarge extends IOException {
        final long max;

        TooLarge(long max) {
            super("body larger than " + max + " bytes");
            this.max = max;
        }
    }

    /** Collects a body up to a limit; beyond it, the exchange is cancelled. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final long max;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Bounded(long max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            for (ByteBuffer b : items) {
                if (buf.size() + (long) b.remaining() > max) {
                    result.completeExceptionally(new TooLarge(max));
                    subscription.cancel();
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buf.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buf.toByteArray());
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
