package org.entente.node.taxii;

import java.util.Map;
import org.entente.node.http.HttpProblem;

/** A request the TAXII API refuses, answered with the TAXII error message body. */
final class TaxiiException extends HttpProblem {
    TaxiiException(int status, String title, String description) {
        super(status, title, description);
    }

    TaxiiException(int status, String title, String description, Map<String, Object> details) {
        super(status, title, description, details);
    }

    public static TaxiiException badRequest(String description) {
        return new TaxiiException(400, "Bad request", description);
    }

    public static TaxiiException notFound(String description) {
        return new TaxiiException(404, "Not found", description);
    }
}
