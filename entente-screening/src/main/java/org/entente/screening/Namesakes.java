package org.entente.screening;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated watchlist as a border sees it: persons whose names are drawn from about thirty
 * common given and thirty family names per region (Arabic, Persian, Turkic, Urdu and Pashto,
 * Russian), each word written in one of its usual romanisations, so that every full name has
 * dozens or hundreds of namesakes with other dates of birth. A query is a listed person's name
 * in other romanisations (one in ten in Arabic script) with the person's exact date of birth and
 * nationality: only those tell the person from the namesakes.
 *
 * <p>The names and their spellings are in {@code namesakes.tsv}, written apart from the matcher's
 * name table. Deterministic for a seed.
 */
public final class Namesakes {

    /** A query and the entry it should find. {@code script}: the name is in Arabic script. */
    public record Case(Query query, String id, boolean script) {
    }

    private record Word(String script, List<String> latin) {
    }

    private record Region(String name, List<String> nationalities, List<Word> male, List<Word> female, List<Word> family) {
        boolean arabicScript() {
            return !family.getFirst().script().equals("-") && family.getFirst().script().chars().anyMatch(c -> c >= 0x0600 && c <= 0x06FF);
        }
    }

    /** Share of persons per region, in the order of the file. */
    private static final int[] WEIGHTS = {30, 20, 15, 15, 20};
    private static final List<Region> REGIONS = load();
    static final String LIST = "namesakes";

    private final List<Entry> entries;
    // per entry: region, gender, word indices (given, middle or -1, family) and the spelling of each
    private final byte[] region;
    private final boolean[] female;
    private final short[][] words;
    private final byte[][] spelling;

    private Namesakes(int n, long seed) {
        Random rnd = new Random(seed);
        entries = new ArrayList<>(n);
        region = new byte[n];
        female = new boolean[n];
        words = new short[n][];
        spelling = new byte[n][];
        for (int i = 0; i < n; i++) {
            int r = pickRegion(rnd);
            Region reg = REGIONS.get(r);
            boolean f = rnd.nextInt(100) < 15;
            List<Word> given = f ? reg.female : reg.male;
            short g = (short) rnd.nextInt(given.size());
            // a father's name as middle name in two of five names, not in Russian ones (no patronymics here)
            short m = !f && !reg.name.equals("russian") && rnd.nextInt(5) < 2 ? (short) rnd.nextInt(reg.male.size()) : -1;
            short fam = (short) rnd.nextInt(reg.family.size());
            region[i] = (byte) r;
            female[i] = f;
            words[i] = new short[] {g, m, fam};
            byte[] sp = new byte[3];
            for (int k = 0; k < 3; k++) {
                Word w = word(i, k);
                sp[k] = w == null ? 0 : (byte) rnd.nextInt(w.latin.size());
            }
            spelling[i] = sp;
            List<ListedName> names = new ArrayList<>();
            names.add(ListedName.primary(latinName(i, sp)));
            if (rnd.nextInt(100) < 15) {
                names.add(new ListedName(latinName(i, otherSpelling(i, sp, rnd)), ListedName.Quality.GOOD));
            }
            if (reg.arabicScript() && rnd.nextInt(100) < 10) {
                names.add(new ListedName(scriptName(i), ListedName.Quality.ORIGINAL_SCRIPT));
            }
            LocalDate born = LocalDate.of(1940 + rnd.nextInt(66), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
            BirthDate dob = rnd.nextInt(10) == 0 ? new BirthDate.Year(born.getYear()) : new BirthDate.Full(born);
            String nat = reg.nationalities.get(rnd.nextInt(reg.nationalities.size()));
            entries.add(new Entry.Person(new Listing("ns-" + i, LIST, "Border Police", "NS-" + i), names, List.of(dob),
                    List.of(), List.of(nat), f ? Gender.FEMALE : Gender.MALE, List.of()));
        }
    }

    /** A list of {@code n} persons. */
    public static Namesakes generate(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("a namesake list needs at least one entry");
        }
        return new Namesakes(n, seed);
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * {@code n} queries, each a listed person written with other spellings than its main name
     * where the word has another, with its date of birth and nationality, and in one of two its
     * gender; one query in ten is in Arabic script (persons of the Arabic, Persian and Urdu or
     * Pashto regions).
     */
    public List<Case> cases(int n, long seed) {
        Random rnd = new Random(seed);
        List<Case> out = new ArrayList<>(n);
        while (out.size() < n) {
            int i = rnd.nextInt(entries.size());
            boolean script = rnd.nextInt(10) == 0;
            if (script && !REGIONS.get(region[i]).arabicScript()) {
                continue;
            }
            String name = script ? scriptName(i) : latinName(i, otherSpelling(i, spelling[i], rnd));
            Entry.Person p = (Entry.Person) entries.get(i);
            Query q = Query.name(name).withKind(Kind.PERSON).withBirthDate(p.birthDates().getFirst())
                    .withNationality(p.nationalities().getFirst());
            if (rnd.nextBoolean()) {
                q = q.withGender(p.gender());
            }
            out.add(new Case(q, p.listing().id(), script));
        }
        return out;
    }

    /**
     * Whether a hit is the person sought: the entry itself, or one that no screening could tell
     * from it (the same name words, date of birth, nationality and gender).
     */
    public boolean samePerson(String id, Entry hit) {
        if (!hit.listing().list().equals(LIST) || !hit.listing().id().startsWith("ns-")) {
            return false;
        }
        int a = Integer.parseInt(id.substring(3));
        int b = Integer.parseInt(hit.listing().id().substring(3));
        if (a == b) {
            return true;
        }
        Entry.Person pa = (Entry.Person) entries.get(a);
        Entry.Person pb = (Entry.Person) entries.get(b);
        return region[a] == region[b] && female[a] == female[b] && java.util.Arrays.equals(words[a], words[b])
                && pa.birthDates().equals(pb.birthDates()) && pa.nationalities().equals(pb.nationalities());
    }

    private Word word(int i, int k) {
        Region r = REGIONS.get(region[i]);
        short w = words[i][k];
        if (w < 0) {
            return null;
        }
        return switch (k) {
            case 0 -> (female[i] ? r.female : r.male).get(w);
            case 1 -> r.male.get(w);
            default -> r.family.get(w);
        };
    }

    private String latinName(int i, byte[] sp) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            Word w = word(i, k);
            if (w != null) {
                b.append(b.isEmpty() ? "" : " ").append(w.latin.get(sp[k]));
            }
        }
        return b.toString();
    }

    private String scriptName(int i) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            Word w = word(i, k);
            if (w != null) {
                b.append(b.isEmpty() ? "" : " ").append(w.script);
            }
        }
        return b.toString();
    }

    /** Another spelling of each word where it has one. */
    private byte[] otherSpelling(int i, byte[] sp, Random rnd) {
        byte[] out = new byte[3];
        for (int k = 0; k < 3; k++) {
            Word w = word(i, k);
            if (w == null || w.latin.size() == 1) {
                out[k] = sp[k];
                continue;
            }
            int other = rnd.nextInt(w.latin.size() - 1);
            out[k] = (byte) (other >= sp[k] ? other + 1 : other);
        }
        return out;
    }

    private static int pickRegion(Random rnd) {
        int x = rnd.nextInt(100);
        for (int r = 0; r < WEIGHTS.length; r++) {
            x -= WEIGHTS[r];
            if (x < 0) {
                return r;
            }
        }
        return WEIGHTS.length - 1;
    }

    private static List<Region> load() {
        Map<String, List<String>> nationalities = new LinkedHashMap<>();
        Map<String, List<List<Word>>> words = new LinkedHashMap<>();
        try (InputStream in = Namesakes.class.getResourceAsStream("namesakes.tsv")) {
            if (in == null) {
                throw new IllegalStateException("namesakes.tsv is missing from the screening library");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f[0].equals("region")) {
                    nationalities.put(f[1], List.of(f[2].split(" ")));
                    words.put(f[1], List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
                    continue;
                }
                int slot = switch (f[1]) {
                    case "m" -> 0;
                    case "f" -> 1;
                    case "family" -> 2;
                    default -> throw new IllegalStateException("namesakes.tsv: unknown kind " + f[1]);
                };
                words.get(f[0]).get(slot).add(new Word(f[2], List.of(f[3].split("\\|"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Region> out = new ArrayList<>();
        words.forEach((name, w) -> out.add(new Region(name, nationalities.get(name), w.get(0), w.get(1), w.get(2))));
        if (out.size() != WEIGHTS.length) {
            throw new IllegalStateException("namesakes.tsv: expected " + WEIGHTS.length + " regions, found " + out.size());
        }
        return out;
    }
}
