package org.entente.node.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.entente.node.common.InvalidInput;
import org.entente.stix.StixJson;

/**
 * The node's two error shapes: the TAXII 2.1 error message under {@code /taxii2} (its media type,
 * {@code http_status} as a string), and everywhere else a JSON problem with {@code title},
 * {@code http_status}, {@code description} and, for bad input, {@code problems} each naming its
 * field by JSON pointer or parameter name. Both carry the request id for the operator.
 */
public final class ErrorBodies {
    private ErrorBodies() {}

    public static final String TAXII = "application/taxii+json;version=2.1";

    public static boolean isTaxii(String path) {
        return path != null && (path.equals("/taxii2") || path.startsWith("/taxii2/"));
    }

    /** Whether a path is one of the console's pages rather than an API, TAXII or operations endpoint. */
    public static boolean isPage(String path) {
        if (path == null || isTaxii(path)) return false;
        for (String api : new String[] {"/api", "/health", "/metrics"}) {
            if (path.equals(api) || path.startsWith(api + "/")) return false;
        }
        return true;
    }

    /** The body and content type for an error on {@code path}. */
    public static Body of(String path, int status, String title, String description, Map<String, Object> details,
            List<InvalidInput.Problem> problems, String requestId) {
        ObjectNode out = StixJson.mapper().createObjectNode();
        out.put("title", title);
        if (description != null) out.put("description", description);
        boolean taxii = isTaxii(path);
        if (taxii) out.put("http_status", Integer.toString(status));
        else out.put("http_status", status);
        if (requestId != null) out.put("request_id", requestId);
        if (problems != null && !problems.isEmpty()) {
            ArrayNode ps = out.putArray("problems");
            for (InvalidInput.Problem p : problems) ps.addObject().put("field", p.field()).put("message", p.message());
        }
        if (details != null && !details.isEmpty()) {
            if (taxii) out.set("details", StixJson.mapper().valueToTree(details));
            else details.forEach((k, v) -> out.set(k, StixJson.mapper().valueToTree(v)));
        }
        return new Body(out.toString(), taxii ? TAXII : "application/json");
    }

    public record Body(String text, String contentType) {}
}
