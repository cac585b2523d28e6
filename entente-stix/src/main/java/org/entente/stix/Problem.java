package org.entente.stix;

import java.util.Objects;

/**
 * One validation finding.
 *
 * @param pointer RFC 6901 JSON pointer to the offending value, relative to the validated document
 *                ("" is the document itself)
 */
public record Problem(Severity severity, String pointer, String message) {

    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "/" : pointer) + ": " + severity + " " + message;
    }
}
