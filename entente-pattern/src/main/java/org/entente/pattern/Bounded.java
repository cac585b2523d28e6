package org.entente.pattern;

/**
 * A string view that stops a regular expression after a fixed number of character reads, so
 * that a pathological expression (catastrophic backtracking) against a long value is an
 * evaluation error and not a stuck matcher.
 */
final class Bounded implements CharSequence {
    static final long BUDGET = 20_000_000L;

    private final String s;
    private final long[] budget;

    private Bounded(String s, long[] budget) {
        this.s = s;
        this.budget = budget;
    }

    static CharSequence of(String s) {
        return new Bounded(s, new long[]{BUDGET});
    }

    @Override
    public int length() {
        return s.length();
    }

    @Override
    public char charAt(int index) {
        if (--budget[0] < 0) {
            throw new PatternEvaluationException("regular expression too expensive for a value of " + s.length()
                    + " characters (stopped after " + BUDGET + " steps)");
        }
        return s.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new Bounded(s.substring(start, end), budget);
    }

    @Override
    public String toString() {
        return s;
    }
}
