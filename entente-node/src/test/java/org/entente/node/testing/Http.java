package org.entente.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small real HTTP client for tests: every call goes over loopback to a running node. */
public final class Http {
    public static final String TAXII = "application/taxii+json;version=2.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String base;
    private final String authorization;

    public Http(String base, String authorization) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base, authorization);
    }

    public Http(HttpClient client, String base, String authorization) {
        this.client = client;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authorization = authorization;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }

    public Http as(String authorization) {
        return new Http(client, base, authorization);
    }

    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    public Response get(String path) {
        return send(request(path).header("Accept", TAXII).GET().build());
    }

    public Response get(String path, String accept) {
        HttpRequest.Builder b = request(path);
        if (accept != null) b.header("Accept", accept);
        return send(b.GET().build());
    }

    public Response post(String path, String body) {
        return post(path, body, TAXII);
    }

    public Response post(String path, String body, String contentType) {
        return send(request(path).header("Accept", TAXII).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Response delete(String path) {
        return send(request(path).header("Accept", TAXII).DELETE().build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
