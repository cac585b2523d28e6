package org.entente.screening.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;
import org.entente.screening.BirthDate;
import org.entente.screening.Countries;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.IdDocument;
import org.entente.screening.ListedName;
import org.entente.screening.Listing;

/**
 * Reads the UN Security Council Consolidated List XML. Each INDIVIDUAL and ENTITY record is
 * parsed on its own, so a corrupt record is reported with its line and column and the others
 * still import.
 */
final class UnXmlReader {

    static final String LIST = "un";
    static final String OWNER = "UN Security Council";
    private static final Pattern RECORD = Pattern.compile("<(INDIVIDUAL|ENTITY)>");

    private final SourceText src;
    private final Progress progress;
    private final List<Entry> entries = new ArrayList<>();
    private final List<ImportProblem> problems = new ArrayList<>();

    UnXmlReader(SourceText src, Progress progress) {
        this.src = src;
        this.progress = progress;
    }

    ImportResult read() {
        String text = src.text;
        Matcher m = RECORD.matcher(text);
        int from = 0;
        while (m.find(from)) {
            int start = m.start();
            String tag = m.group(1);
            String endTag = "</" + tag + ">";
            int end = text.indexOf(endTag, m.end());
            int nextStart = nextRecordStart(text, m.end());
            if (end < 0 || (nextStart >= 0 && nextStart < end)) {
                problem(start, 0, ImportProblem.Severity.ERROR, "<" + tag + "> is never closed; record skipped");
                if (nextStart < 0) {
                    break;
                }
                from = nextStart;
                continue;
            }
            end += endTag.length();
            readRecord(tag, start, text.substring(start, end));
            from = end;
            progress.advanced(end, text.length());
        }
        progress.advanced(text.length(), text.length());
        return new ImportResult("UN consolidated list XML", entries, problems);
    }

    private static int nextRecordStart(String text, int from) {
        Matcher m = RECORD.matcher(text);
        return m.find(from) ? m.start() : -1;
    }

    private void readRecord(String tag, int offset, String xml) {
        XmlNode n;
        try {
            n = XmlNode.parse(xml);
        } catch (XMLStreamException e) {
            var loc = e.getLocation();
            int line = src.line(offset) + (loc == null ? 0 : Math.max(0, loc.getLineNumber() - 1));
            int column = loc == null ? 0 : loc.getLineNumber() <= 1 ? src.column(offset) + loc.getColumnNumber() - 1
                    : loc.getColumnNumber();
            String msg = e.getMessage().replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
            problems.add(new ImportProblem(src.name, line, column, ImportProblem.Severity.ERROR,
                    "malformed " + tag + " record skipped: " + msg.strip()));
            return;
        }
        String id = n.get("DATAID");
        List<ListedName> names = new ArrayList<>();
        String primary = String.join(" ", java.util.stream.Stream.of("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
                .map(n::get).filter(s -> !s.isEmpty()).toList());
        if (tag.equals("ENTITY")) {
            // Entities sometimes list two names in FIRST_NAME, separated by ';'.
            String[] parts = primary.split("\\s*;\\s*");
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].isBlank()) {
                    names.add(new ListedName(parts[i], i == 0 ? ListedName.Quality.PRIMARY : ListedName.Quality.GOOD));
                }
            }
        } else if (!primary.isEmpty()) {
            names.add(ListedName.primary(primary));
        }
        String original = n.get("NAME_ORIGINAL_SCRIPT");
        if (!original.isEmpty()) {
            names.add(new ListedName(original, ListedName.Quality.ORIGINAL_SCRIPT));
        }
        n.all(tag + "_ALIAS").forEach(a -> {
            // Some aliases hold several names: "Haj Qasem; Haji Qassem; Sardar Soleimani".
            for (String alias : a.get("ALIAS_NAME").split("\\s*;\\s*")) {
                if (!alias.isBlank()) {
                    names.add(new ListedName(alias, a.get("QUALITY").equalsIgnoreCase("Low")
                            ? ListedName.Quality.LOW : ListedName.Quality.GOOD));
                }
            }
        });
        if (names.isEmpty() || id.isEmpty()) {
            problem(offset, 0, ImportProblem.Severity.ERROR, tag + " record without " + (id.isEmpty() ? "DATAID" : "name")
                    + "; skipped");
            return;
        }
        Listing listing = new Listing(id, LIST, OWNER, n.get("REFERENCE_NUMBER"));
        if (tag.equals("ENTITY")) {
            List<String> countries = new ArrayList<>();
            n.all("ENTITY_ADDRESS").map(a -> a.get("COUNTRY")).filter(c -> !c.isEmpty())
                    .forEach(c -> country(offset, id, c).filter(x -> !countries.contains(x)).ifPresent(countries::add));
            entries.add(new Entry.Entity(listing, names, countries, List.of()));
            return;
        }
        List<BirthDate> dobs = new ArrayList<>();
        n.all("INDIVIDUAL_DATE_OF_BIRTH").forEach(d -> birthDate(offset, id, d).ifPresent(dobs::add));
        List<String> places = new ArrayList<>();
        n.all("INDIVIDUAL_PLACE_OF_BIRTH").forEach(p -> {
            String place = String.join(", ", java.util.stream.Stream.of("CITY", "STATE_PROVINCE", "COUNTRY")
                    .map(p::get).filter(s -> !s.isEmpty()).toList());
            if (!place.isEmpty()) {
                places.add(place);
            }
        });
        List<String> nationalities = new ArrayList<>();
        n.all("NATIONALITY").flatMap(x -> x.all("VALUE")).map(XmlNode::value).filter(s -> !s.isEmpty())
                .forEach(c -> country(offset, id, c).filter(x -> !nationalities.contains(x)).ifPresent(nationalities::add));
        Gender gender;
        try {
            gender = Gender.parse(n.get("GENDER"));
        } catch (IllegalArgumentException e) {
            problem(offset, 0, ImportProblem.Severity.WARNING, "entry " + id + ": " + e.getMessage());
            gender = Gender.UNKNOWN;
        }
        List<IdDocument> docs = new ArrayList<>();
        n.all("INDIVIDUAL_DOCUMENT").forEach(d -> {
            String number = d.get("NUMBER");
            if (!number.isEmpty()) {
                String c = d.get("ISSUING_COUNTRY").isEmpty() ? d.get("COUNTRY_OF_ISSUE") : d.get("ISSUING_COUNTRY");
                docs.add(new IdDocument(d.get("TYPE_OF_DOCUMENT"), number,
                        c.isEmpty() ? "" : country(offset, id, c).orElse("")));
            }
        });
        entries.add(new Entry.Person(listing, names, dobs, places, nationalities, gender, docs));
    }

    private Optional<BirthDate> birthDate(int offset, String id, XmlNode d) {
        String date = d.get("DATE");
        String year = d.get("YEAR");
        String from = d.get("FROM_YEAR");
        String to = d.get("TO_YEAR");
        String raw = !date.isEmpty() ? date : !year.isEmpty() ? year : !from.isEmpty() ? from + ".." + to : "";
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BirthDate.parse(raw));
        } catch (IllegalArgumentException e) {
            problem(offset, 0, ImportProblem.Severity.WARNING, "entry " + id + ": " + e.getMessage() + "; date ignored");
            return Optional.empty();
        }
    }

    private Optional<String> country(int offset, String id, String name) {
        Optional<String> code = Countries.code(name);
        if (code.isEmpty()) {
            problem(offset, 0, ImportProblem.Severity.WARNING, "entry " + id + ": unknown country '" + name + "' ignored");
        }
        return code;
    }

    private void problem(int offset, int column, ImportProblem.Severity severity, String message) {
        problems.add(new ImportProblem(src.name, src.line(offset), column == 0 ? src.column(offset) : column, severity, message));
    }
}
