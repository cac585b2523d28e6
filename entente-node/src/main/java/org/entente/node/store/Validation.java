package org.entente.node.store;

import java.util.Optional;
import org.entente.pattern.Pattern;
import org.entente.pattern.PatternException;
import org.entente.stix.StixValidator;

/**
 * The node's one notion of a valid object, for imports, TAXII and `entente validate` alike: STIX 2.1
 * as entente-stix checks it, with indicator patterns of type stix parsed by entente-pattern.
 */
public final class Validation {
    private Validation() {}

    private static final StixValidator VALIDATOR = StixValidator.standard().withStixPatterns(Validation::patternError);

    public static StixValidator validator() {
        return VALIDATOR;
    }

    private static Optional<String> patternError(String pattern) {
        try {
            Pattern.parse(pattern);
            return Optional.empty();
        } catch (PatternException e) {
            return Optional.of(e.getMessage());
        }
    }
}
