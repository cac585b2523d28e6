package org.entente.bench.screening;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.entente.screening.BirthDate;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.IdDocument;
import org.entente.screening.ListedName;
import org.entente.screening.Listing;
import org.entente.screening.io.Watchlists;

/**
 * A realistic large watchlist made from the real ones: given and family names are drawn from the
 * persons of the UN and OFAC lists with their real frequencies (so Muhammad is as common as it is
 * there), per nationality; a share of words is respelt the way romanisations differ (vowels,
 * doubled letters, the article), entries get aliases, dates of birth, nationalities and
 * passports. A few percent are entities, stolen documents and vehicles.
 */
public final class WatchlistGenerator {

    private final Map<String, List<String>> given = new HashMap<>();
    private final Map<String, List<String>> family = new HashMap<>();
    private final List<String> origins = new ArrayList<>();
    private final List<String> entityWords = new ArrayList<>();
    private final Random rnd;

    public WatchlistGenerator(Path un, Path ofac, long seed) throws IOException {
        this.rnd = new Random(seed);
        List<Entry> real = new ArrayList<>(Watchlists.read(un).entries());
        real.addAll(Watchlists.read(ofac).entries());
        for (Entry e : real) {
            if (e instanceof Entry.Person p) {
                String origin = p.nationalities().isEmpty() ? "" : p.nationalities().getFirst();
                for (ListedName n : p.names()) {
                    if (n.quality() == ListedName.Quality.ORIGINAL_SCRIPT) {
                        continue;
                    }
                    String t = n.text();
                    int comma = t.indexOf(',');
                    String[] g = (comma > 0 ? t.substring(comma + 1) : t).strip().split("\\s+");
                    String f = comma > 0 ? t.substring(0, comma).strip() : g[g.length - 1];
                    if (g.length == 0 || g[0].length() < 2 || f.length() < 2) {
                        continue;
                    }
                    given.computeIfAbsent(origin, k -> new ArrayList<>()).add(g[0]);
                    family.computeIfAbsent(origin, k -> new ArrayList<>()).add(f);
                }
            } else if (e instanceof Entry.Entity en) {
                for (ListedName n : en.names()) {
                    for (String w : n.text().split("[\\s,.;()]+")) {
                        if (w.length() > 2) {
                            entityWords.add(w);
                        }
                    }
                }
            }
        }
        given.forEach((o, l) -> {
            if (l.size() >= 10) {
                origins.add(o);
            }
        });
        origins.sort(null);
    }

    /** A person's name of some origin, Given [Middle] Family; {@code respell} varies its spelling. */
    public String personName(String origin, boolean respell) {
        List<String> gs = given.get(origin);
        List<String> fs = family.get(origin);
        String name = pick(gs) + (rnd.nextInt(3) == 0 ? " " + pick(gs) : "") + " " + pick(fs);
        return respell ? respell(name) : name;
    }

    public String randomOrigin() {
        return origins.get(rnd.nextInt(origins.size()));
    }

    private String pick(List<String> l) {
        return l.get(rnd.nextInt(l.size()));
    }

    /** The variations between romanisations: vowels, doubled letters, the article, ou/u, ee/i. */
    public String respell(String name) {
        StringBuilder out = new StringBuilder();
        for (String w : name.split(" ")) {
            String v = w;
            switch (rnd.nextInt(8)) {
                case 0 -> v = v.replaceFirst("(?i)u", "o");
                case 1 -> v = v.replaceFirst("(?i)e", "i");
                case 2 -> v = v.replaceFirst("(?i)a", "e");
                case 3 -> v = v.replaceFirst("(?i)([bdlmnrst])", "$1$1");
                case 4 -> v = v.replaceFirst("(?i)^al-", "el-");
                case 5 -> v = v.replaceFirst("(?i)ou", "u");
                default -> { }
            }
            out.append(out.isEmpty() ? "" : " ").append(v);
        }
        return out.toString();
    }

    public List<Entry> generate(int n) {
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(entry(i));
        }
        return out;
    }

    private Entry entry(int i) {
        String id = Integer.toString(i);
        Listing listing = new Listing(id, "national", "Border Police", "BP-" + id);
        int kind = rnd.nextInt(100);
        if (kind < 4) {
            List<ListedName> names = new ArrayList<>();
            names.add(ListedName.primary(pick(entityWords) + " " + pick(entityWords) + (rnd.nextBoolean() ? " LTD" : " TRADING CO")));
            return new Entry.Entity(listing, names, List.of(), List.of());
        }
        if (kind < 7) {
            return new Entry.TravelDocument(listing, passport(), "passport", "", Entry.TravelDocument.Status.STOLEN,
                    LocalDate.of(2020 + rnd.nextInt(6), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)));
        }
        if (kind < 8) {
            return new Entry.Vehicle(listing, "" + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)) + "-"
                    + (100 + rnd.nextInt(900)) + "-" + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)), "FR", "");
        }
        String origin = randomOrigin();
        String primary = personName(origin, false);
        List<ListedName> names = new ArrayList<>();
        names.add(ListedName.primary(primary));
        int aliases = rnd.nextInt(100) < 45 ? 1 + rnd.nextInt(2) : 0;
        for (int a = 0; a < aliases; a++) {
            names.add(new ListedName(rnd.nextInt(3) == 0 ? personName(origin, false) : respell(primary), ListedName.Quality.GOOD));
        }
        List<BirthDate> dobs = rnd.nextInt(10) < 8
                ? List.of(rnd.nextInt(3) == 0 ? new BirthDate.Year(1940 + rnd.nextInt(65))
                : new BirthDate.Full(LocalDate.of(1940 + rnd.nextInt(65), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28))))
                : List.of();
        List<String> nat = origin.isEmpty() ? List.of() : List.of(origin);
        List<IdDocument> docs = rnd.nextInt(10) < 3 ? List.of(new IdDocument("passport", passport(), origin)) : List.of();
        return new Entry.Person(listing, names, dobs, List.of(), nat, rnd.nextBoolean() ? Gender.MALE : Gender.UNKNOWN, docs);
    }

    private String passport() {
        return "" + (char) ('A' + rnd.nextInt(26)) + (10_000_000 + rnd.nextInt(90_000_000));
    }
}
