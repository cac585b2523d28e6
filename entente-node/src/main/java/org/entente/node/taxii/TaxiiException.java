package org.entente.node.taxii;

import java.util.Map;

/** A request the TAXII API refuses, answered with the TAXII error message body. */
final class TaxiiException extends RuntimeException {
    final int status;
    final String title;
    final Map<String, Object> details;

    TaxiiException(int status, String title, String description) {
        this(status, title, description, Map.of());
    }

    TaxiiException(int status, String title, String description, Map<String, Object> details) {
        super(description);
        this.status = status;
        this.title = title;
        this.details = details;
    }

    static TaxiiException badRequest(String description) {
        return new TaxiiException(400, "Bad request", description);
    }

    static TaxiiException notFound(String description) {
        return new TaxiiException(404, "Not found", description);
    }
}
