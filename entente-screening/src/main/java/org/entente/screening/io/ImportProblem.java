package org.entente.screening.io;

/**
 * A record of a watchlist file that could not be read, or only in part, with its position
 * (line and column start at 1; 0 when the position is unknown).
 */
public record ImportProblem(String source, long line, long column, Severity severity, String message) {

    public enum Severity {
        /** The record was skipped. */
        ERROR,
        /** The record was imported without the value named in the message. */
        WARNING
    }

    @Override
    public String toString() {
        return source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": "
                + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
