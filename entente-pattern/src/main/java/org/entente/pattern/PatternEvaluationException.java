package org.entente.pattern;

/**
 * The pattern parsed but cannot be evaluated: a qualifier out of range, a set literal mixing
 * types, an invalid regular expression or CIDR, or observed data whose value the specification
 * says must be an error to compare (for example a string that is not a timestamp compared with a
 * timestamp literal).
 */
public final class PatternEvaluationException extends PatternException {
    PatternEvaluationException(String message) {
        super(message);
    }
}
