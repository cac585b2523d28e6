package org.entente.screening.names;

import java.util.regex.Pattern;

/**
 * Romanisation habits that spell the sounds of one name with other letters than the English and
 * Arabist systems the skeleton is made for: the German transcription of Russian (and of Turkmen
 * Latin), and Turkish orthography. Each rewrites a word into the spelling the skeleton reads, and
 * only when the word shows the habit: a name without its marks is left as written.
 */
final class Romanisations {

    private Romanisations() {
    }

    /**
     * What shows a German transcription of a Russian name: the endings -ow, -ew, -owa, -ewa (Iwanow,
     * Alijew, Berdimuhamedow), -owski, -ewski, -owitsch, -ij, a tsch anywhere (Wjatscheslaw,
     * Chruschtschow) and an initial w before a consonant (Wladimir, Wsewolod).
     */
    private static final Pattern GERMAN = Pattern.compile(
            "(?:[oe]w(?:a|na|[sz]?k[iy]j?)?|itsch|ij)$|tsch|^w[^aeiouy]");

    /**
     * A word in the German transcription of Russian, in the English one: tsch is ch (ч), sch sh
     * (ш), ch kh (х), z ts (ц), ss s (с), w v, j y (Jegorow). Abramowitsch is Abramovich, Iwanow
     * Ivanov, Chodorkowski Khodorkovski. Its s stays: it is з as often as с (Morosow, Sacharow;
     * Ismailow), which the skeleton says ({@link Skeletons#germanS}).
     *
     * @param w lower-case ASCII letters
     */
    static String german(String w) {
        if (!GERMAN.matcher(w).find()) {
            return w;
        }
        StringBuilder out = new StringBuilder(w.length() + 4);
        int n = w.length();
        for (int i = 0; i < n; i++) {
            if (w.startsWith("tsch", i)) {
                out.append("ch");
                i += 3;
            } else if (w.startsWith("sch", i)) {
                out.append("sh");
                i += 2;
            } else if (w.startsWith("ch", i)) {
                out.append("kh");
                i += 1;
            } else if (w.startsWith("ss", i)) {
                out.append('s');
                i += 1;
            } else {
                char c = w.charAt(i);
                switch (c) {
                    case 'z' -> out.append("ts");
                    case 'w' -> out.append('v');
                    case 'j' -> out.append('y');
                    default -> out.append(c);
                }
            }
        }
        return out.toString();
    }

    /**
     * An initial Russian я, ю, ё or е as the ICAO passport and French spellings write it, ia, iu,
     * io, ie (Iakovlev, Iusupov, Iouri), in the English y (Yakovlev, Yusupov, Youri).
     */
    static String iotated(String w) {
        return w.length() > 3 && w.charAt(0) == 'i' && "aueo".indexOf(w.charAt(1)) >= 0 ? "y" + w.substring(1) : w;
    }

    private static boolean vowel(char c) {
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
    }

    /**
     * A word in Turkish orthography (it has ç, ş, ğ, ı or İ), with ç and ş as the digraphs other
     * romanisations write (Çelik is Chelik, Şahin Shahin) and its c, which is the j of other
     * romanisations (Cemal, Necmettin, Recep are Jamal, Najmuddin, Rajab): the Latin conversion
     * would drop the cedilla and leave a c that reads k or s. Other words are returned as given.
     */
    static String turkish(String word) {
        boolean turkish = false;
        for (int i = 0; i < word.length() && !turkish; i++) {
            turkish = "çşğıİÇŞĞ".indexOf(word.charAt(i)) >= 0;
        }
        if (!turkish) {
            return word;
        }
        StringBuilder out = new StringBuilder(word.length() + 2);
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            switch (c) {
                case 'ç' -> out.append("ch");
                case 'Ç' -> out.append("Ch");
                case 'ş' -> out.append("sh");
                case 'Ş' -> out.append("Sh");
                case 'c' -> out.append('j');
                case 'C' -> out.append('J');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
