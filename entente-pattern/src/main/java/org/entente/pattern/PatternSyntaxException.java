package org.entente.pattern;

/**
 * The pattern text is not a STIX 2.1 pattern. {@link #position()} is the 0-based offset of the
 * offending character in the pattern; {@link #expected()} says what the grammar wanted there.
 */
public final class PatternSyntaxException extends PatternException {
    private final int position;
    private final String expected;
    private final String found;

    PatternSyntaxException(int position, String expected, String found) {
        super("at position " + position + ": expected " + expected + ", found " + found);
        this.position = position;
        this.expected = expected;
        this.found = found;
    }

    public int position() {
        return position;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }
}
