package org.entente.node.screening;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.entente.node.common.InvalidInput;
import org.entente.screening.BirthDate;
import org.entente.screening.Countries;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.Kind;
import org.entente.screening.Query;
import org.entente.screening.documents.Mrz;

/**
 * One person, entity, travel document or vehicle to screen, as the API takes it: the fields of a
 * line of {@code entente screen --queries} ({@code id}, {@code name}, {@code kind},
 * {@code birth_date}, {@code nationality}, {@code gender}, {@code document}, {@code mrz},
 * {@code vehicle}); a document may also be {@code {"number", "country", "type"}} and a vehicle
 * {@code {"plate", "country"}} or {@code {"vin"}}, and then only listed documents and vehicles of
 * that country are hits.
 *
 * @param sent the object as the caller sent it (recorded with every hit)
 * @param only the kind of entries asked for; null for any
 */
public record Traveller(JsonNode id, Query query, JsonNode sent, Kind only, String documentCountry,
        String vehicleCountry) {

    static final Set<String> FIELDS = Set.of("id", "name", "kind", "birth_date", "nationality", "gender", "document",
            "mrz", "vehicle");
    static final int MAX_TEXT = 500;

    /** Reads one traveller as a command gathers it from its options or a manifest line. */
    public static Traveller parse(JsonNode o) {
        List<InvalidInput.Problem> problems = new java.util.ArrayList<>();
        Traveller t = read(o, "", Set.of(), problems);
        if (!problems.isEmpty()) throw new InvalidInput("Invalid query", problems);
        return t;
    }

    /**
     * Reads one traveller; every bad field is added to {@code problems} under {@code at} (a JSON
     * pointer prefix), and null is returned if there was any.
     *
     * @param extra fields the caller's endpoint also accepts on the same object (check: lists, limit, all)
     */
    static Traveller read(JsonNode o, String at, Set<String> extra, List<InvalidInput.Problem> problems) {
        int before = problems.size();
        if (o == null || !o.isObject()) {
            problems.add(new InvalidInput.Problem(at, "a traveller is a JSON object"));
            return null;
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f) && !extra.contains(f)) {
                problems.add(new InvalidInput.Problem(at + "/" + EntryJson.pointerEscape(f), "unknown field; known: "
                        + String.join(", ", FIELDS.stream().sorted().toList())));
            }
        }
        JsonNode id = o.get("id");
        if (id != null && !id.isTextual() && !id.isIntegralNumber() && !id.isNull()) {
            problems.add(new InvalidInput.Problem(at + "/id", "a string or a whole number"));
        }
        String name = text(o, "name", at, problems);
        Kind kind = null;
        Kind only = null;
        String k = text(o, "kind", at, problems);
        if (k != null) {
            try {
                kind = Kind.parse(k);
                only = kind;
                if (kind == Kind.DOCUMENT || kind == Kind.VEHICLE) kind = null;
            } catch (IllegalArgumentException e) {
                problems.add(new InvalidInput.Problem(at + "/kind", e.getMessage()));
            }
        }
        BirthDate birth = null;
        String b = text(o, "birth_date", at, problems);
        if (b != null) {
            try {
                birth = BirthDate.parse(b);
            } catch (IllegalArgumentException e) {
                problems.add(new InvalidInput.Problem(at + "/birth_date", e.getMessage()));
            }
        }
        String nationality = text(o, "nationality", at, problems);
        if (nationality != null && !Countries.isCode(nationality.toUpperCase(Locale.ROOT))) {
            problems.add(new InvalidInput.Problem(at + "/nationality", "'" + nationality
                    + "' is not an ISO 3166 alpha-2 country code (e.g. IQ)"));
            nationality = null;
        }
        Gender gender = Gender.UNKNOWN;
        String g = text(o, "gender", at, problems);
        if (g != null) {
            try {
                gender = Gender.parse(g);
            } catch (IllegalArgumentException e) {
                problems.add(new InvalidInput.Problem(at + "/gender", e.getMessage()));
            }
        }
        String document = null;
        String documentCountry = null;
        JsonNode d = o.get("document");
        if (d != null && d.isObject()) {
            document = text(d, "number", at + "/document", problems);
            if (document == null) problems.add(new InvalidInput.Problem(at + "/document/number", "required"));
            documentCountry = country(d, at + "/document", problems);
            text(d, "type", at + "/document", problems);
        } else if (d != null && !d.isNull()) {
            document = text(o, "document", at, problems);
        }
        String vehicle = null;
        String vehicleCountry = null;
        JsonNode v = o.get("vehicle");
        if (v != null && v.isObject()) {
            String plate = text(v, "plate", at + "/vehicle", problems);
            String vin = text(v, "vin", at + "/vehicle", problems);
            if ((plate == null) == (vin == null)) {
                problems.add(new InvalidInput.Problem(at + "/vehicle", "give either a plate (with its country) or a VIN"));
            }
            vehicle = plate != null ? plate : vin;
            // A plate is one country's; a VIN is the world's.
            vehicleCountry = plate != null ? country(v, at + "/vehicle", problems) : null;
        } else if (v != null && !v.isNull()) {
            vehicle = text(o, "vehicle", at, problems);
        }
        Mrz mrz = null;
        String m = text(o, "mrz", at, problems);
        if (m != null) {
            try {
                mrz = Mrz.parse(m);
            } catch (IllegalArgumentException e) {
                problems.add(new InvalidInput.Problem(at + "/mrz", e.getMessage()));
            }
        }
        if (problems.size() > before) return null;
        if (name == null && document == null && vehicle == null && mrz == null) {
            problems.add(new InvalidInput.Problem(at, "nothing to screen: give a name, a document, an MRZ or a vehicle"));
            return null;
        }
        Query q = new Query(name, kind, birth, nationality, gender, document, mrz, vehicle);
        return new Traveller(id, q, o, only, documentCountry, vehicleCountry);
    }

    /**
     * A manifest as JSON Lines, one traveller per line (blank lines skipped), as {@code POST
     * /api/screening/batch} and the console take it: every line is read before any is screened, each
     * problem named by {@code /<line index>} and the field. More than {@link ScreeningService#MAX_BATCH}
     * travellers is refused (413).
     */
    public static List<Traveller> manifest(String text, List<InvalidInput.Problem> problems) {
        List<Traveller> out = new java.util.ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int n = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            tooMany(++n);
            String at = "/" + i;
            JsonNode line;
            try {
                line = EntryJson.JSON.readTree(lines[i]);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problems.add(new InvalidInput.Problem(at, "line " + (i + 1) + " is not JSON: " + e.getOriginalMessage()));
                continue;
            }
            if (line != null && line.isObject() && line.toString().contains("\\u0000")) {
                problems.add(new InvalidInput.Problem(at, "holds a NUL character"));
                continue;
            }
            out.add(read(line, at, Set.of(), problems));
        }
        if (n == 0) problems.add(new InvalidInput.Problem("", "the manifest is empty: one traveller per line"));
        return out;
    }

    static void tooMany(int n) {
        if (n > ScreeningService.MAX_BATCH) {
            throw new org.entente.node.common.Refusal(413, "Content too large", "batch-too-large", "a batch holds at most "
                    + ScreeningService.MAX_BATCH + " travellers");
        }
    }

    /** Whether a hit of the index answers this traveller: the kind asked for, the issuing country given. */
    boolean accepts(Entry e) {
        if (only != null && e.kind() != only) return false;
        if (e instanceof Entry.TravelDocument d && documentCountry != null && !d.country().isEmpty()) {
            return d.country().equals(documentCountry);
        }
        if (e instanceof Entry.Vehicle x && vehicleCountry != null && !x.country().isEmpty()) {
            return x.country().equals(vehicleCountry);
        }
        return true;
    }

    private static String country(JsonNode o, String at, List<InvalidInput.Problem> problems) {
        String c = text(o, "country", at, problems);
        if (c == null) return null;
        String u = c.toUpperCase(Locale.ROOT);
        if (!Countries.isCode(u)) {
            problems.add(new InvalidInput.Problem(at + "/country", "'" + c + "' is not an ISO 3166 alpha-2 country code"));
            return null;
        }
        return u;
    }

    /** A string field (numbers accepted as their text), stripped; null when absent or blank. */
    private static String text(JsonNode o, String field, String at, List<InvalidInput.Problem> problems) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() && !v.isNumber()) {
            problems.add(new InvalidInput.Problem(at + "/" + field, "must be a string"));
            return null;
        }
        String s = v.asText().strip();
        if (s.length() > MAX_TEXT) {
            problems.add(new InvalidInput.Problem(at + "/" + field, "longer than " + MAX_TEXT + " characters"));
            return null;
        }
        return s.isEmpty() ? null : s;
    }

    /** The query's id as the answer gives it: the id sent, else its position (1-based, as the CLI's line number). */
    JsonNode idOr(int position) {
        return id != null && !id.isNull() ? id : EntryJson.JSON.getNodeFactory().numberNode(position);
    }
}
