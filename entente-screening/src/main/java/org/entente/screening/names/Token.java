package org.entente.screening.names;

/**
 * One word of an analysed name.
 *
 * @param source   the word as written (after script conversion), for explanations
 * @param latin    lower-case ASCII form with doubled letters collapsed; the comparison form
 * @param skeleton consonant skeleton: vowels, inner w/y and final h dropped, romanisation
 *                 variants (kh/h, q/k, th/t, sh/s, ...) folded
 * @param vowelless the word came from a script that writes no short vowels (Arabic, Persian,
 *                  Urdu, Hebrew), so only its skeleton is comparable
 * @param role     how the word takes part in matching
 * @param name     which names of the name table the word can be (its reading), or -1 when it is
 *                 not in the table
 */
public record Token(String source, String latin, String skeleton, boolean vowelless, Role role, int name) {

    /** A word not looked up in the name table. */
    public Token(String source, String latin, String skeleton, boolean vowelless, Role role) {
        this(source, latin, skeleton, vowelless, role, NameTable.UNKNOWN);
    }

    /** Whether the name table knows the word. */
    public boolean known() {
        return name >= 0;
    }

    public enum Role {
        /** An ordinary name word. */
        NAME,
        /** A single letter standing for a name. */
        INITIAL,
        /** bin, ibn, ben, bint, ould: carries no identity of its own, ignored in scoring. */
        PARTICLE
    }

    /** The article-less form of a word glued to al-/el- in Latin script ("alzawahiri"), or null. */
    String withoutGluedArticle() {
        if (vowelless || latin.length() < 6 || !(latin.startsWith("al") || latin.startsWith("el"))) {
            return null;
        }
        char c = latin.charAt(2);
        return "aeiou".indexOf(c) >= 0 ? null : latin.substring(2);
    }
}
