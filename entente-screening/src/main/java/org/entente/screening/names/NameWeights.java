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
 * @param sharpness      exponent on the similarity of words that are merely alike (not the same
 *                       skeleton or sound): Salim / Qasim must count for much less than Zawahiri /
 *                       Zawahari
 */
public record NameWeights(double script, double skeleton, double phonetic, double initial, double spelling,
                          double consonants, double minPair, double unmatchedShort, double unmatchedLong,
                          double sharpness) {

    public static final NameWeights DEFAULT = new NameWeights(0.95, 0.93, 0.0, 0.75, 0.95, 0.85, 0.45, 1.0, 0.20, 3.0);

    public NameWeights withUnmatchedLong(double v) {
        return new NameWeights(script, skeleton, phonetic, initial, spelling, consonants, minPair, unmatchedShort, v, sharpness);
    }

    public NameWeights withSkeleton(double v) {
        return new NameWeights(script, v, phonetic, initial, spelling, consonants, minPair, unmatchedShort, unmatchedLong, sharpness);
    }

    public NameWeights withPhonetic(double v) {
        return new NameWeights(script, skeleton, v, initial, spelling, consonants, minPair, unmatchedShort, unmatchedLong, sharpness);
    }

    public NameWeights withConsonants(double v) {
        return new NameWeights(script, skeleton, phonetic, initial, spelling, v, minPair, unmatchedShort, unmatchedLong, sharpness);
    }

    public NameWeights withSharpness(double v) {
        return new NameWeights(script, skeleton, phonetic, initial, spelling, consonants, minPair, unmatchedShort, unmatchedLong, v);
    }

    public NameWeights withMinPair(double v) {
        return new NameWeights(script, skeleton, phonetic, initial, spelling, consonants, v, unmatchedShort, unmatchedLong, sharpness);
    }
}
