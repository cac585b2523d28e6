package org.entente.node.http;

import java.util.Map;

/**
 * A request an API refuses, with what to tell the caller: answered as a TAXII error message under
 * {@code /taxii2} and as a JSON problem elsewhere. {@code details} are added as they are.
 */
public class HttpProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final Map<String, Object> details;

    public HttpProblem(int status, String title, String description) {
        this(status, title, description, Map.of());
    }

    public HttpProblem(int status, String title, String description, Map<String, Object> details) {
        super(description);
        this.status = status;
        this.title = title;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static HttpProblem badRequest(String description) {
        return new HttpProblem(400, "Bad request", description);
    }

    public static HttpProblem notFound(String description) {
        return new HttpProblem(404, "Not found", description);
    }

    public static HttpProblem forbidden(String description) {
        return new HttpProblem(403, "Forbidden", description);
    }
}
