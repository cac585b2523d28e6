package org.entente.screening.names;

import java.util.List;
import org.entente.screening.Kind;

/**
 * A name taken apart for matching.
 *
 * @param original  the text as given
 * @param tokens    its words, in order, after transliteration and the Arabic name model
 * @param notes     what the analysis did that an officer may want to know (honorific dropped,
 *                  script transliterated, name truncated, ...)
 * @param kind      what the name was analysed as, or null when not known (a name kept in an index
 *                  in its compact form)
 */
public record AnalysedName(String original, List<Token> tokens, List<String> notes, Kind kind) {
    public AnalysedName {
        tokens = List.copyOf(tokens);
        notes = List.copyOf(notes);
    }

    public AnalysedName(String original, List<Token> tokens, List<String> notes) {
        this(original, tokens, notes, null);
    }

    /** The words that count in scoring (no particles). */
    public List<Token> scored() {
        return tokens.stream().filter(t -> t.role() != Token.Role.PARTICLE).toList();
    }

    public boolean isEmpty() {
        return scored().isEmpty();
    }

    /** The comparison form, e.g. {@code abdrahman bin salih}. */
    public String normalised() {
        return String.join(" ", tokens.stream().map(Token::latin).toList());
    }
}
