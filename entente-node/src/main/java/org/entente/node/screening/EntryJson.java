package org.entente.node.screening;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.entente.node.common.InvalidInput;
import org.entente.screening.BirthDate;
import org.entente.screening.Countries;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.IdDocument;
import org.entente.screening.Kind;
import org.entente.screening.ListedName;
import org.entente.screening.Listing;

/**
 * Entries in the JSON Lines form of entente-screening (its README), as the node stores them and as
 * the API takes them. Written canonically (fixed order, empty values left out), so that the same
 * entry is always the same text and a re-import finds what changed by comparing texts. Read with
 * every problem named by its JSON pointer.
 */
public final class EntryJson {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ID = 200;
    static final int MAX_TEXT = 1000;
    static final int MAX_ITEMS = 200;

    private static final Set<String> FIELDS = Set.of("id", "kind", "names", "birth_dates", "birth_places",
            "nationalities", "gender", "documents", "countries", "owner", "reference", "number", "type", "country",
            "status", "reported", "plate", "vin", "list");

    private EntryJson() {}

    // ---------------------------------------------------------------- writing

    /** The entry's stored form: one line of the JSON Lines format, canonical. */
    public static String write(Entry e) {
        try {
            return JSON.writeValueAsString(tree(e));
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    /** The entry as JSON; list, owner and reference of the listing are the entry's own as the source gave them. */
    static ObjectNode tree(Entry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", e.listing().id());
        o.put("kind", e.kind().label());
        switch (e) {
            case Entry.Person p -> {
                names(o, p.names());
                strings(o, "birth_dates", p.birthDates().stream().map(BirthDate::toString).toList());
                strings(o, "birth_places", p.birthPlaces());
                strings(o, "nationalities", p.nationalities());
                if (p.gender() != Gender.UNKNOWN) o.put("gender", p.gender().name().toLowerCase(Locale.ROOT));
                documents(o, p.documents());
            }
            case Entry.Entity en -> {
                names(o, en.names());
                strings(o, "countries", en.countries());
                documents(o, en.registrations());
            }
            case Entry.TravelDocument d -> {
                o.put("number", d.number());
                put(o, "type", d.type());
                put(o, "country", d.country());
                o.put("status", d.status().name().toLowerCase(Locale.ROOT));
                if (d.reported() != null) o.put("reported", d.reported().toString());
            }
            case Entry.Vehicle v -> {
                put(o, "plate", v.plate());
                put(o, "country", v.country());
                put(o, "vin", v.vin());
            }
        }
        put(o, "owner", e.listing().owner());
        put(o, "reference", e.listing().reference());
        return o;
    }

    private static void names(ObjectNode o, List<ListedName> names) {
        if (names.isEmpty()) return;
        ArrayNode a = o.putArray("names");
        for (ListedName n : names) {
            a.addObject().put("name", n.text()).put("quality", n.quality().name().toLowerCase(Locale.ROOT));
        }
    }

    private static void strings(ObjectNode o, String field, List<String> values) {
        if (values.isEmpty()) return;
        ArrayNode a = o.putArray(field);
        values.forEach(a::add);
    }

    private static void documents(ObjectNode o, List<IdDocument> docs) {
        if (docs.isEmpty()) return;
        ArrayNode a = o.putArray("documents");
        for (IdDocument d : docs) {
            ObjectNode x = a.addObject();
            put(x, "type", d.type());
            x.put("number", d.number());
            put(x, "country", d.country());
        }
    }

    private static void put(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) o.put(field, value);
    }

    // ---------------------------------------------------------------- reading

    /** Reads a stored entry (written by {@link #write}); a failure is a defect, not bad input. */
    static Entry readStored(String json, String list) {
        try {
            Reader r = new Reader("", false);
            Entry e = r.entry(JSON.readTree(json), list, null);
            if (!r.problems.isEmpty()) throw new IllegalStateException("stored entry unreadable: " + r.problems);
            return e;
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("stored entry is not JSON: " + x.getOriginalMessage(), x);
        }
    }

    /**
     * Reads an entry sent to the API.
     *
     * @param id the entry's id from the path; the body may repeat it but not contradict it
     * @throws InvalidInput naming every bad field by its JSON pointer
     */
    static Entry read(JsonNode o, String list, String id) {
        Reader r = new Reader("", true);
        Entry e = r.entry(o, list, id);
        if (!r.problems.isEmpty()) throw new InvalidInput("Invalid watchlist entry", r.problems);
        return e;
    }

    /** Collects the problems of one entry instead of stopping at the first. */
    private static final class Reader {
        final String at;
        /** Sizes are limited for what the API takes, not for what the library's importers read. */
        final boolean limited;
        final List<InvalidInput.Problem> problems = new ArrayList<>();

        Reader(String at, boolean limited) {
            this.at = at;
            this.limited = limited;
        }

        void problem(String field, String message) {
            problems.add(new InvalidInput.Problem(at + field, message));
        }

        Entry entry(JsonNode o, String list, String pathId) {
            if (o == null || !o.isObject()) {
                problem("", "an entry is a JSON object");
                return null;
            }
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) problem("/" + pointerEscape(f), "unknown field (see entente-screening/README.md)");
            }
            String id = text(o, "id", MAX_ID);
            if (pathId != null) {
                if (id.isEmpty()) id = pathId;
                else if (!id.equals(pathId)) problem("/id", "'" + id + "' is not the entry of the path, '" + pathId + "'");
            }
            if (id.isEmpty()) problem("/id", "required: the entry's id within its list");
            else if (id.chars().anyMatch(Character::isISOControl)) problem("/id", "holds control characters");
            Kind kind = Kind.PERSON;
            if (o.has("kind")) {
                try {
                    kind = Kind.parse(text(o, "kind", 20));
                } catch (IllegalArgumentException e) {
                    problem("/kind", e.getMessage());
                    return null;
                }
            }
            Listing listing = new Listing(id.isEmpty() ? "?" : id, list, text(o, "owner", MAX_TEXT),
                    text(o, "reference", MAX_TEXT));
            int before = problems.size();
            Entry e = switch (kind) {
                case PERSON -> {
                    List<ListedName> names = names(o);
                    List<BirthDate> births = new ArrayList<>();
                    List<String> dates = strings(o, "birth_dates");
                    for (int i = 0; i < dates.size(); i++) {
                        try {
                            births.add(BirthDate.parse(dates.get(i)));
                        } catch (IllegalArgumentException x) {
                            problem("/birth_dates/" + i, x.getMessage());
                        }
                    }
                    Gender gender = Gender.UNKNOWN;
                    try {
                        gender = Gender.parse(text(o, "gender", 20));
                    } catch (IllegalArgumentException x) {
                        problem("/gender", x.getMessage());
                    }
                    yield new Entry.Person(listing, names, births, strings(o, "birth_places"),
                            countries(o, "nationalities"), gender, documents(o));
                }
                case ENTITY -> new Entry.Entity(listing, names(o), countries(o, "countries"), documents(o));
                case DOCUMENT -> {
                    String number = text(o, "number", MAX_ID);
                    if (number.isEmpty()) problem("/number", "required for a document");
                    String status = text(o, "status", 20);
                    Entry.TravelDocument.Status st = null;
                    try {
                        st = Entry.TravelDocument.Status.valueOf(status.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException x) {
                        problem("/status", (status.isEmpty() ? "required" : "'" + status + "' is unknown")
                                + ": stolen, lost, revoked or invalidated");
                    }
                    LocalDate reported = null;
                    String r = text(o, "reported", 20);
                    if (!r.isEmpty()) {
                        try {
                            reported = LocalDate.parse(r);
                        } catch (DateTimeParseException x) {
                            problem("/reported", "'" + r + "' is not a date YYYY-MM-DD");
                        }
                    }
                    String country = country(o, "/country", text(o, "country", 10));
                    yield problems.size() > before ? null
                            : new Entry.TravelDocument(listing, number, text(o, "type", 50), country, st, reported);
                }
                case VEHICLE -> {
                    String plate = text(o, "plate", MAX_ID);
                    String vin = text(o, "vin", MAX_ID);
                    if (plate.isEmpty() && vin.isEmpty()) problem("/plate", "a vehicle needs a plate or a VIN (/vin)");
                    String country = country(o, "/country", text(o, "country", 10));
                    yield problems.size() > before ? null : new Entry.Vehicle(listing, plate, country, vin);
                }
            };
            return problems.isEmpty() ? e : null;
        }

        private List<ListedName> names(JsonNode o) {
            List<ListedName> names = new ArrayList<>();
            JsonNode arr = o.path("names");
            if (!arr.isArray() || arr.isEmpty()) {
                problem("/names", "required: an array of at least one name");
                return names;
            }
            if (limited && arr.size() > MAX_ITEMS) problem("/names", "at most " + MAX_ITEMS + " names");
            for (int i = 0; i < arr.size(); i++) {
                JsonNode n = arr.get(i);
                String text;
                ListedName.Quality quality = names.isEmpty() ? ListedName.Quality.PRIMARY : ListedName.Quality.GOOD;
                if (n.isTextual()) {
                    text = n.asText().strip();
                } else if (n.isObject() && n.path("name").isTextual()) {
                    text = n.path("name").asText().strip();
                    if (n.has("quality")) {
                        try {
                            quality = ListedName.Quality.valueOf(n.path("quality").asText().toUpperCase(Locale.ROOT));
                        } catch (IllegalArgumentException x) {
                            problem("/names/" + i + "/quality", "'" + n.path("quality").asText()
                                    + "' is unknown: primary, good, low or original_script");
                        }
                    }
                } else {
                    problem("/names/" + i, "a name is a string or {\"name\", \"quality\"}");
                    continue;
                }
                if (text.isEmpty()) problem("/names/" + i, "empty name");
                else if (limited && text.length() > MAX_TEXT) problem("/names/" + i, "longer than " + MAX_TEXT + " characters");
                else names.add(new ListedName(text, quality));
            }
            return names;
        }

        private List<IdDocument> documents(JsonNode o) {
            List<IdDocument> docs = new ArrayList<>();
            JsonNode a = o.path("documents");
            if (a.isMissingNode() || a.isNull()) return docs;
            if (!a.isArray()) {
                problem("/documents", "an array of {\"type\", \"number\", \"country\"}");
                return docs;
            }
            for (int i = 0; i < (limited ? Math.min(a.size(), MAX_ITEMS) : a.size()); i++) {
                JsonNode d = a.get(i);
                String number = text(d, "number", MAX_ID);
                if (number.isEmpty()) {
                    problem("/documents/" + i + "/number", "required");
                    continue;
                }
                docs.add(new IdDocument(text(d, "type", 50), number,
                        country(d, "/documents/" + i + "/country", text(d, "country", 10))));
            }
            return docs;
        }

        private List<String> countries(JsonNode o, String field) {
            List<String> raw = strings(o, field);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                String c = country(o, "/" + field + "/" + i, raw.get(i));
                if (!c.isEmpty()) out.add(c);
            }
            return out;
        }

        private String country(JsonNode o, String pointer, String code) {
            if (code.isEmpty()) return "";
            String c = code.toUpperCase(Locale.ROOT);
            // Stored entries keep what the importers made of the source (former codes such as AN included).
            if (limited && !Countries.isCode(c)) {
                problem(pointer, "'" + code + "' is not an ISO 3166 alpha-2 country code (e.g. IQ)");
                return "";
            }
            return c;
        }

        private List<String> strings(JsonNode o, String field) {
            JsonNode a = o.path(field);
            if (a.isMissingNode() || a.isNull()) return List.of();
            if (!a.isArray()) {
                problem("/" + field, "must be an array of strings");
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < (limited ? Math.min(a.size(), MAX_ITEMS) : a.size()); i++) {
                JsonNode x = a.get(i);
                if (!x.isTextual() && !x.isNumber()) problem("/" + field + "/" + i, "must be a string");
                else if (limited && x.asText().length() > MAX_TEXT) problem("/" + field + "/" + i, "longer than " + MAX_TEXT);
                else if (!x.asText().isBlank()) out.add(x.asText().strip());
            }
            return out;
        }

        private String text(JsonNode o, String field, int max) {
            JsonNode v = o.path(field);
            if (v.isMissingNode() || v.isNull()) return "";
            if (!v.isTextual() && !v.isNumber()) {
                problem("/" + field, "must be a string");
                return "";
            }
            String s = v.asText().strip();
            if (limited && s.length() > max) {
                problem("/" + field, "longer than " + max + " characters");
                return "";
            }
            return s;
        }
    }

    static String pointerEscape(String s) {
        return s.replace("~", "~0").replace("/", "~1");
    }

    /** The same entry under another listing (the node's list id, the entry's owner and reference). */
    static Entry relisted(Entry e, Listing l) {
        return switch (e) {
            case Entry.Person p -> new Entry.Person(l, p.names(), p.birthDates(), p.birthPlaces(), p.nationalities(),
                    p.gender(), p.documents());
            case Entry.Entity en -> new Entry.Entity(l, en.names(), en.countries(), en.registrations());
            case Entry.TravelDocument d -> new Entry.TravelDocument(l, d.number(), d.type(), d.country(), d.status(),
                    d.reported());
            case Entry.Vehicle v -> new Entry.Vehicle(l, v.plate(), v.country(), v.vin());
        };
    }
}
