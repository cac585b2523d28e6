package org.entente.screening.names;

import java.util.List;

/**
 * A name taken apart for matching.
 *
 * @param original  the text as given
 * @param tokens    its words, in order, after transliteration and the Arabic name model
 * @param notes     what the analysis did that an officer may want to know (honorific dropped,
 *                  script transliterated, name truncated, ...)
 */
public record AnalysedName(String original, List<Token> tokens, List<String> notes) {
    public AnalysedName {
        tokens = List.copyOf(tokens);
        notes = List.copyOf(notes);
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
