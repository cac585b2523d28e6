package org.entente.screening.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.entente.screening.BirthDate;
import org.entente.screening.Countries;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.IdDocument;
import org.entente.screening.Kind;
import org.entente.screening.ListedName;
import org.entente.screening.Listing;

/**
 * Reads the project's own JSON Lines watchlist format (documented in the module README): one
 * entry per line; a bad line is reported with its line number and skipped whole.
 */
final class JsonLinesReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("id", "kind", "names", "birth_dates", "birth_places", "nationalities",
            "gender", "documents", "countries", "list", "owner", "reference", "number", "type", "country", "status",
            "reported", "plate", "vin");

    private final Path file;
    private final Progress progress;
    private final String defaultList;
    private final List<ImportProblem> problems = new ArrayList<>();

    JsonLinesReader(Path file, Progress progress) {
        this.file = file;
        this.progress = progress;
        String base = file.getFileName().toString();
        this.defaultList = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
    }

    ImportResult read() throws IOException {
        List<Entry> entries = new ArrayList<>();
        long total = Files.size(file);
        long done = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                done += line.length() + 1;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    entries.add(entry(JSON.readTree(line), n));
                } catch (JsonProcessingException e) {
                    long col = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
                    problems.add(new ImportProblem(file.toString(), n, col, ImportProblem.Severity.ERROR,
                            "line skipped: not JSON: " + e.getOriginalMessage()));
                } catch (IllegalArgumentException | NullPointerException e) {
                    problems.add(new ImportProblem(file.toString(), n, 0, ImportProblem.Severity.ERROR,
                            "line skipped: " + e.getMessage()));
                }
                if ((n & 4095) == 0) {
                    progress.advanced(done, total);
                }
            }
        }
        progress.advanced(total, total);
        return new ImportResult("JSON Lines", entries, problems);
    }

    private Entry entry(JsonNode o, int line) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                problems.add(new ImportProblem(file.toString(), line, 0, ImportProblem.Severity.WARNING,
                        "unknown field '" + f + "' ignored"));
            }
        }
        String id = text(o, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("missing \"id\"");
        }
        Kind kind = o.has("kind") ? Kind.parse(text(o, "kind")) : Kind.PERSON;
        String list = o.has("list") ? text(o, "list") : defaultList;
        Listing listing = new Listing(id, list, text(o, "owner"), text(o, "reference"));
        return switch (kind) {
            case PERSON -> new Entry.Person(listing, names(o), strings(o, "birth_dates").stream().map(BirthDate::parse).toList(),
                    strings(o, "birth_places"), countries(o, "nationalities"), Gender.parse(text(o, "gender")), documents(o));
            case ENTITY -> new Entry.Entity(listing, names(o), countries(o, "countries"), documents(o));
            case DOCUMENT -> {
                String number = text(o, "number");
                if (number.isEmpty()) {
                    throw new IllegalArgumentException("a document entry needs \"number\"");
                }
                String status = text(o, "status");
                Entry.TravelDocument.Status st;
                try {
                    st = Entry.TravelDocument.Status.valueOf(status.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown document status '" + status
                            + "' (expected stolen, lost, revoked or invalidated)");
                }
                LocalDate reported = null;
                if (!text(o, "reported").isEmpty()) {
                    try {
                        reported = LocalDate.parse(text(o, "reported"));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("invalid date reported '" + text(o, "reported") + "'");
                    }
                }
                yield new Entry.TravelDocument(listing, number, text(o, "type"), country(text(o, "country")), st, reported);
            }
            case VEHICLE -> new Entry.Vehicle(listing, text(o, "plate"), country(text(o, "country")), text(o, "vin"));
        };
    }

    private static List<ListedName> names(JsonNode o) {
        List<ListedName> names = new ArrayList<>();
        JsonNode arr = o.path("names");
        if (!arr.isArray()) {
            throw new IllegalArgumentException("\"names\" must be an array of names");
        }
        for (JsonNode n : arr) {
            if (n.isTextual()) {
                names.add(new ListedName(n.asText(), names.isEmpty() ? ListedName.Quality.PRIMARY : ListedName.Quality.GOOD));
            } else if (n.isObject() && n.path("name").isTextual()) {
                String q = n.path("quality").asText(names.isEmpty() ? "primary" : "good");
                ListedName.Quality quality;
                try {
                    quality = ListedName.Quality.valueOf(q.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown name quality '" + q + "'");
                }
                names.add(new ListedName(n.path("name").asText(), quality));
            } else {
                throw new IllegalArgumentException("a name must be a string or {\"name\", \"quality\"}");
            }
        }
        if (names.stream().allMatch(n -> n.text().isBlank())) {
            throw new IllegalArgumentException("no name");
        }
        return names.stream().filter(n -> !n.text().isBlank()).toList();
    }

    private static List<IdDocument> documents(JsonNode o) {
        List<IdDocument> docs = new ArrayList<>();
        for (JsonNode d : o.path("documents")) {
            String number = text(d, "number");
            if (number.isEmpty()) {
                throw new IllegalArgumentException("a document needs \"number\"");
            }
            docs.add(new IdDocument(text(d, "type"), number, country(text(d, "country"))));
        }
        return docs;
    }

    private static List<String> countries(JsonNode o, String field) {
        return strings(o, field).stream().map(JsonLinesReader::country).toList();
    }

    private static String country(String code) {
        if (code.isEmpty()) {
            return "";
        }
        if (!Countries.isCode(code)) {
            throw new IllegalArgumentException("unknown country code '" + code + "' (expected ISO 3166 alpha-2, e.g. IQ)");
        }
        return code;
    }

    private static List<String> strings(JsonNode o, String field) {
        JsonNode a = o.path(field);
        if (a.isMissingNode() || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array");
        }
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText().strip() : "";
    }
}
