package org.entente.node.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.entente.node.policy.ObjectFacts;
import org.entente.node.policy.Subject;
import org.entente.pattern.Pattern;
import org.entente.pattern.PatternException;
import org.entente.stix.Problem;
import org.entente.stix.Severity;
import org.entente.stix.StixValidator;

/**
 * The node's one notion of a valid object, for TAXII, imports, federation and `entente validate`
 * alike: STIX 2.1 as entente-stix checks it, indicator patterns of type stix parsed by
 * entente-pattern, and Entente's own properties, which the policy trusts.
 */
public final class Validation {
    private Validation() {}

    private static final StixValidator VALIDATOR = StixValidator.standard().withStixPatterns(Validation::patternError);

    /**
     * The pattern parsed last on this thread: an indicator's pattern is parsed once to validate it
     * and used again, right after, to index the values it compares.
     */
    private static final ThreadLocal<Parsed> LAST = new ThreadLocal<>();

    private record Parsed(String text, Pattern pattern) {}

    public static StixValidator validator() {
        return VALIDATOR;
    }

    /** Every problem of an object, errors and warnings, each with its JSON pointer. */
    public static List<Problem> validate(JsonNode object) {
        List<Problem> problems = new ArrayList<>(VALIDATOR.validate(object));
        problems.addAll(ententeProperties(object));
        return problems;
    }

    private static Optional<String> patternError(String pattern) {
        try {
            LAST.set(new Parsed(pattern, Pattern.parse(pattern)));
            return Optional.empty();
        } catch (PatternException e) {
            LAST.remove();
            return Optional.of(e.getMessage());
        }
    }

    /** The parsed STIX pattern of an indicator, or null when it has none or another pattern language. */
    static Pattern pattern(JsonNode object) {
        if (!"indicator".equals(object.path("type").asText()) || !"stix".equals(object.path("pattern_type").asText("stix"))) {
            return null;
        }
        String text = object.path("pattern").asText(null);
        if (text == null) return null;
        Parsed last = LAST.get();
        if (last != null && last.text().equals(text)) return last.pattern();
        try {
            return Pattern.parse(text);
        } catch (PatternException e) {
            return null;
        }
    }

    /** No NUL character in any name or string: PostgreSQL cannot store it, and no STIX value needs it. */
    private static void noNul(JsonNode n, String at, List<Problem> out) {
        if (out.size() > 20) return;
        if (n.isTextual()) {
            if (n.asText().indexOf('\0') >= 0) out.add(new Problem(Severity.ERROR, at, "holds a NUL character (\\u0000)"));
        } else if (n.isObject()) {
            for (var e : n.properties()) {
                String name = e.getKey();
                if (name.indexOf('\0') >= 0) out.add(new Problem(Severity.ERROR, at, "a property name holds a NUL character"));
                noNul(e.getValue(), at + "/" + name.replace("~", "~0").replace("/", "~1"), out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) noNul(n.get(i), at + "/" + i, out);
        }
    }

    /**
     * The properties by which producers tell the policy about an object must mean one thing: a
     * recipients list that is not a list of names would make a TLP:RED object unreadable by all,
     * or readable by whoever a mis-shaped value happens to name.
     */
    private static List<Problem> ententeProperties(JsonNode o) {
        List<Problem> out = new ArrayList<>(0);
        JsonNode red = o.get(Subject.RED_RECIPIENTS);
        if (red != null) {
            String at = "/" + Subject.RED_RECIPIENTS;
            if (!red.isArray()) {
                out.add(new Problem(Severity.ERROR, at, "must be a list of recipients (organisation identity ids"
                        + " or 'user:NAME'), not " + red.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            } else {
                for (int i = 0; i < red.size(); i++) {
                    JsonNode r = red.get(i);
                    if (!r.isTextual() || !(r.asText().matches("identity--[0-9a-fA-F-]{36}")
                            || r.asText().matches("user:[A-Za-z0-9._@-]{1,64}"))) {
                        out.add(new Problem(Severity.ERROR, at + "/" + i, "a recipient is an organisation's identity id"
                                + " (identity--…) or user:NAME, not " + r));
                    }
                }
            }
        }
        noNul(o, "", out);
        JsonNode personal = o.get(ObjectFacts.PERSONAL_FLAG);
        if (personal != null && !personal.isBoolean()) {
            out.add(new Problem(Severity.ERROR, "/" + ObjectFacts.PERSONAL_FLAG, "must be true or false"));
        }
        return out;
    }
}
