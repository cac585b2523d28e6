package org.entente.screening.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.entente.screening.BirthDate;
import org.entente.screening.Countries;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.IdDocument;
import org.entente.screening.ListedName;
import org.entente.screening.Listing;

/**
 * Reads the OFAC SDN list in its legacy CSV trio: {@code sdn.csv} (entries), {@code alt.csv}
 * (a.k.a., f.k.a., n.k.a.) and {@code add.csv} (addresses, used for entities' countries).
 * Dates of birth, nationalities, gender and documents live in the free-text remarks.
 */
final class OfacCsvReader {

    static final String LIST = "ofac-sdn";
    static final String OWNER = "US Treasury OFAC";
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final Pattern DOB = Pattern.compile(
            "DOB (?:circa |approximately |c\\. )?(?:(\\d{1,2}) )?(?:([A-Za-z]{3}) )?(\\d{4})(?: to (?:\\d{1,2} )?(?:[A-Za-z]{3} )?(\\d{4}))?");
    private static final Pattern DOCUMENT = Pattern.compile(
            "(Passport|National ID No\\.|Cedula No\\.|Identification Number|Registration ID|Tax ID No\\.|Registration Number"
                    + "|Trade License No\\.|D\\.N\\.I\\.|NIT #|C\\.R\\. No\\.|Kenyan ID No\\.|Driver's License No\\.|SSN"
                    + "|Personal ID Card|Residency Number|Birth Certificate Number|Business Registration Document #)"
                    + " ([A-Za-z0-9][A-Za-z0-9 /.\\-]*?)(?: \\(([^)]+)\\))?(?: issued.*| expires.*)?$");
    private static final Pattern WEAK_AKA = Pattern.compile("a\\.k\\.a\\. '([^']+)'");

    private final Path sdn;
    private final Progress progress;
    private final List<ImportProblem> problems = new ArrayList<>();

    OfacCsvReader(Path sdn, Progress progress) {
        this.sdn = sdn;
        this.progress = progress;
    }

    private record Row(String id, String name, String type, String remarks, int line) {
    }

    ImportResult read() throws IOException {
        Path dir = sdn.toAbsolutePath().getParent();
        Map<String, List<ListedName>> aliases = new HashMap<>();
        Path alt = dir.resolve("alt.csv");
        if (Files.isRegularFile(alt)) {
            forEachRecord(alt, (f, line) -> {
                if (f.size() < 4) {
                    throw new IllegalArgumentException("expected 5 fields, found " + f.size());
                }
                if (!f.get(3).isEmpty()) {
                    aliases.computeIfAbsent(f.get(0), k -> new ArrayList<>()).add(new ListedName(f.get(3), ListedName.Quality.GOOD));
                }
            });
        }
        Map<String, Set<String>> countries = new HashMap<>();
        Path add = dir.resolve("add.csv");
        if (Files.isRegularFile(add)) {
            forEachRecord(add, (f, line) -> {
                if (f.size() < 5) {
                    throw new IllegalArgumentException("expected 6 fields, found " + f.size());
                }
                if (!f.get(4).isEmpty()) {
                    Countries.code(f.get(4)).ifPresent(c -> countries.computeIfAbsent(f.get(0), k -> new LinkedHashSet<>()).add(c));
                }
            });
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        forEachRecord(sdn, (f, line) -> {
            if (f.size() != 12) {
                throw new IllegalArgumentException("expected 12 fields, found " + f.size());
            }
            if (f.get(0).isEmpty() || f.get(1).isEmpty()) {
                throw new IllegalArgumentException("entry without number or name");
            }
            rows.put(f.get(0), new Row(f.get(0), f.get(1), f.get(2), f.get(11), line));
        });
        List<Entry> entries = new ArrayList<>(rows.size());
        for (Row r : rows.values()) {
            entries.add(entry(r, aliases.getOrDefault(r.id, List.of()), countries.getOrDefault(r.id, Set.of())));
        }
        return new ImportResult("OFAC SDN legacy CSV", entries, problems);
    }

    private Entry entry(Row r, List<ListedName> aliases, Set<String> addressCountries) {
        List<ListedName> names = new ArrayList<>();
        names.add(ListedName.primary(r.name));
        names.addAll(aliases);
        List<BirthDate> dobs = new ArrayList<>();
        List<String> places = new ArrayList<>();
        List<String> nationalities = new ArrayList<>();
        List<IdDocument> docs = new ArrayList<>();
        Gender gender = Gender.UNKNOWN;
        for (String part : r.remarks.split(";")) {
            String p = part.strip().replaceFirst("^alt\\. ", "").replaceFirst("\\.$", "");
            if (p.startsWith("DOB ")) {
                birthDate(r, p).ifPresent(dobs::add);
            } else if (p.startsWith("POB ")) {
                places.add(p.substring(4));
            } else if (p.startsWith("nationality ") || p.startsWith("citizen ")) {
                String c = p.substring(p.indexOf(' ') + 1);
                var code = Countries.code(c);
                if (code.isPresent()) {
                    if (!nationalities.contains(code.get())) {
                        nationalities.add(code.get());
                    }
                } else {
                    problems.add(new ImportProblem(sdn.toString(), r.line, 0, ImportProblem.Severity.WARNING,
                            "entry " + r.id + ": unknown country '" + c + "' ignored"));
                }
            } else if (p.startsWith("Gender ")) {
                try {
                    gender = Gender.parse(p.substring(7));
                } catch (IllegalArgumentException e) {
                    // "Gender and Culture" and the like are job titles, not a gender.
                }
            } else {
                Matcher d = DOCUMENT.matcher(p);
                if (d.matches()) {
                    docs.add(new IdDocument(d.group(1).replace(" No.", ""), d.group(2),
                            d.group(3) == null ? "" : Countries.code(d.group(3)).orElse("")));
                }
                Matcher a = WEAK_AKA.matcher(p);
                while (a.find()) {
                    names.add(new ListedName(a.group(1), ListedName.Quality.LOW));
                }
            }
        }
        Listing listing = new Listing(r.id, LIST, OWNER, "SDN " + r.id);
        if (r.type.equalsIgnoreCase("individual")) {
            return new Entry.Person(listing, names, dobs, places, nationalities, gender, docs);
        }
        List<String> cs = new ArrayList<>(addressCountries);
        return new Entry.Entity(listing, names, cs, docs);
    }

    private java.util.Optional<BirthDate> birthDate(Row r, String p) {
        Matcher m = DOB.matcher(p);
        if (!m.lookingAt()) {
            problems.add(new ImportProblem(sdn.toString(), r.line, 0, ImportProblem.Severity.WARNING,
                    "entry " + r.id + ": unreadable date of birth '" + p + "' ignored"));
            return java.util.Optional.empty();
        }
        try {
            int year = Integer.parseInt(m.group(3));
            if (m.group(4) != null) {
                return java.util.Optional.of(new BirthDate.Range(year, Integer.parseInt(m.group(4))));
            }
            if (m.group(1) != null && m.group(2) != null) {
                int month = List.of(MONTHS).indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
                return java.util.Optional.of(new BirthDate.Full(LocalDate.of(year, month, Integer.parseInt(m.group(1)))));
            }
            return java.util.Optional.of(new BirthDate.Year(year));
        } catch (DateTimeException | IllegalArgumentException e) {
            problems.add(new ImportProblem(sdn.toString(), r.line, 0, ImportProblem.Severity.WARNING,
                    "entry " + r.id + ": invalid date of birth '" + p + "' ignored"));
            return java.util.Optional.empty();
        }
    }

    private interface RecordHandler {
        void accept(List<String> fields, int line);
    }

    private void forEachRecord(Path file, RecordHandler handler) throws IOException {
        long total = Files.size(file);
        long done = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                done += line.length() + 1;
                if (line.isBlank() || line.equals("\u001a")) {
                    continue; // old DOS end-of-file marker in some OFAC files
                }
                try {
                    handler.accept(Csv.fields(line), n);
                } catch (IllegalArgumentException e) {
                    problems.add(new ImportProblem(file.toString(), n, columnOf(e.getMessage()), ImportProblem.Severity.ERROR,
                            "record skipped: " + e.getMessage()));
                }
                if ((n & 1023) == 0) {
                    progress.advanced(done, total);
                }
            }
            progress.advanced(total, total);
        }
    }

    private static long columnOf(String message) {
        Matcher m = Pattern.compile("^column (\\d+)").matcher(message);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
