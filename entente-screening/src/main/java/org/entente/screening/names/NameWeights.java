package org.entente.screening.names;

/**
 * The numbers of name matching. The defaults are the values chosen by {@code entente screen
 * evaluate} on the UN and OFAC alias sets (see docs/BENCHMARKS.md): each was varied while the
 * others were held, and the value kept that raised recall without raising false hits.
 *
 * @param script         two words with the same consonants where one side is written in a script
 *                       without short vowels
 * @param skeleton       two Latin words with the same consonant skeleton (Mohammed / Muhammad)
 * @param phonetic       two Latin words with the same Double Metaphone code
 * @param initial        an initial and a word it could stand for
 * @param spelling       factor on the Jaro-Winkler similarity of two spellings
 * @param consonants     factor on the edit similarity of two consonant skeletons
 * @param minPair        below this two words are not paired
 * @param unmatchedShort cost of a word of the shorter name that meets nothing, as a share of a
 *                       matched word
 * @param unmatchedLong  cost of a word of the longer name that meets nothing (a middle name the
 *                       other side left out)
 */
public record NameWeights(double script, double skeleton, double phonetic, double initial, double spelling,
                          double consonants, double minPair, double unmatchedShort, double unmatchedLong) {

    public static final NameWeights DEFAULT = new NameWeights(0.95, 0.93, 0.88, 0.75, 0.95, 0.85, 0.62, 1.0, 0.35);

    public NameWeights withUnmatchedLong(double v) {
        return new NameWeights(script, skeleton, phonetic, initial, spelling, consonants, minPair, unmatchedShort, v);
    }

    public NameWeights withSkeleton(double v) {
        return new NameWeights(script, v, phonetic, initial, spelling, consonants, minPair, unmatchedShort, unmatchedLong);
    }

    public NameWeights withPhonetic(double v) {
        return new NameWeights(script, skeleton, v, initial, spelling, consonants, minPair, unmatchedShort, unmatchedLong);
    }

    public NameWeights withConsonants(double v) {
        return new NameWeights(script, skeleton, phonetic, initial, spelling, v, minPair, unmatchedShort, unmatchedLong);
    }

    public NameWeights withMinPair(double v) {
        return new NameWeights(script, skeleton, phonetic, initial, spelling, consonants, v, unmatchedShort, unmatchedLong);
    }
}
