package org.entente.stix;

/** The input is not readable as STIX JSON: malformed JSON, wrong encoding, or an unexpected top-level shape. */
public final class StixFormatException extends RuntimeException {

    private final long line;
    private final long column;

    public StixFormatException(String message, long line, long column, Throwable cause) {
        super(line > 0 ? message + " (line " + line + ", column " + column + ")" : message, cause);
        this.line = line;
        this.column = column;
    }

    public StixFormatException(String message) {
        this(message, -1, -1, null);
    }

    /** 1-based line of the error, or -1 when unknown. */
    public long line() {
        return line;
    }

    /** 1-based column of the error, or -1 when unknown. */
    public long column() {
        return column;
    }
}
