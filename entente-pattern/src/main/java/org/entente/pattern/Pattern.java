package org.entente.pattern;

import org.entente.pattern.Ast.ObservationExpression;

/**
 * A parsed and checked STIX 2.1 pattern. Immutable and safe to share between threads.
 *
 * <pre>{@code
 * Pattern p = Pattern.parse("[ipv4-addr:value ISSUBSET '198.51.100.0/24']");
 * MatchResult r = p.match(ObservationSet.ofBundle(bundle));
 * }</pre>
 */
public final class Pattern {
    private final String text;
    private final ObservationExpression expression;
    private final Evaluator evaluator;

    private Pattern(String text, ObservationExpression expression) {
        this.text = text;
        this.expression = expression;
        this.evaluator = new Evaluator(expression);
    }

    /**
     * Parses and checks a pattern.
     *
     * @throws PatternSyntaxException     if it is not valid STIX patterning syntax (with position)
     * @throws PatternEvaluationException if it parses but can never be evaluated (e.g. {@code WITHIN 0 SECONDS},
     *                                    a set mixing types, an invalid regular expression or CIDR)
     */
    public static Pattern parse(String text) {
        return new Pattern(text, Parser.parse(text, false));
    }

    /**
     * Parses a pattern written for the given STIX version. "2.0" patterns may give START and STOP
     * as quoted strings (that version had no timestamp literal there); every other version is
     * parsed as 2.1.
     */
    public static Pattern parse(String text, String stixVersion) {
        return new Pattern(text, Parser.parse(text, "2.0".equals(stixVersion)));
    }

    public String text() {
        return text;
    }

    public ObservationExpression expression() {
        return expression;
    }

    Evaluator evaluator() {
        return evaluator;
    }

    /**
     * Matches the pattern against all the observations taken together.
     *
     * @throws PatternEvaluationException when the specification makes the comparison an error
     */
    public MatchResult match(ObservationSet observations) {
        return evaluator.match(observations);
    }

    @Override
    public String toString() {
        return text;
    }
}
