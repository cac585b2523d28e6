package org.entente.pattern;

/** Base of the two ways a pattern can fail: it does not parse, or it cannot be evaluated. */
public sealed class PatternException extends RuntimeException
        permits PatternSyntaxException, PatternEvaluationException {
    PatternException(String message) {
        super(message);
    }
}
