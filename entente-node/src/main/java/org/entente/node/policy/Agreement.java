package org.entente.node.policy;

import org.entente.node.common.InvalidInput;
import org.entente.node.common.Vocabulary;
import org.entente.node.partners.Party;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An agreement between organisations (a convention, an MLAT, a memorandum of understanding) as the
 * node enforces it: who the parties are, while it is in force, and the rules for what passes
 * between them.
 *
 * <p>A party is an organisation id ({@code identity--…}) or a whole nation ({@code nation:DE}: every
 * organisation of that nation).
 */
public record Agreement(String id, int version, String title, Kind kind, List<String> parties, String legalBasis,
        String legalReference, Instant validFrom, Instant validUntil, Status status, Rules rules, Assistance assistance) {

    public enum Kind { BILATERAL, MULTILATERAL }

    /**
     * PROPOSED is never written by people: a node holds a version in it while a partner node that
     * is a party has not yet signed it (docs/FEDERATION.md).
     */
    public enum Status { DRAFT, PROPOSED, ACTIVE, SUSPENDED, TERMINATED }

    public enum Onward { FORBIDDEN, NAMED_PARTIES, WITH_CONSENT }

    /**
     * @param handlingCodes the handling codes the recipients undertake to honour: an object bearing
     *     any other code does not pass under this agreement
     * @param retentionDays how long a recipient keeps what it received; null for no limit
     * @param onwardParties for {@link Onward#NAMED_PARTIES}: who received data may be passed on to
     */
    public record Rules(Set<Category> categories, Set<Purpose> purposes, TlpLevel maxTlp, Set<HandlingCode> handlingCodes,
            boolean personalData, String personalDataBasis, Integer retentionDays, Onward onward,
            List<String> onwardParties) {
        public Rules {
            categories = Set.copyOf(categories);
            purposes = Set.copyOf(purposes);
            handlingCodes = Set.copyOf(handlingCodes);
            onwardParties = List.copyOf(onwardParties);
        }
    }

    /**
     * What the parties may ask each other for (docs/REQUESTS.md): the request types covered, each with
     * the article it rests on, the answer deadline of each urgency, and how long a preservation holds.
     * An agreement without this part covers no requests.
     *
     * @param types the covered types, each with its article (e.g. "Budapest Convention, Art. 29")
     * @param deadlines the time the requested party has to answer, by urgency (every urgency present
     *     when any type is covered)
     * @param preservationDays how long data preserved on request is kept, unless a new request extends it
     */
    public record Assistance(Map<AssistanceType, String> types, Map<Urgency, Duration> deadlines, int preservationDays) {
        public static final Assistance NONE = new Assistance(Map.of(), Map.of(), 0);
        /** Budapest Convention art. 29(7) asks for at least 60 days; most memoranda say 90. */
        public static final int DEFAULT_PRESERVATION_DAYS = 90;

        public Assistance {
            types = types.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(types));
            deadlines = deadlines.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(deadlines));
        }

        public boolean covers(AssistanceType t) {
            return types.containsKey(t);
        }
    }

    public Agreement {
        parties = List.copyOf(parties);
        if (assistance == null) assistance = Assistance.NONE;
    }

    /** An agreement that covers no requests for assistance. */
    public Agreement(String id, int version, String title, Kind kind, List<String> parties, String legalBasis,
            String legalReference, Instant validFrom, Instant validUntil, Status status, Rules rules) {
        this(id, version, title, kind, parties, legalBasis, legalReference, validFrom, validUntil, status, rules,
                Assistance.NONE);
    }

    public static final String NATION_PREFIX = Party.NATION_PREFIX;

    /** In force: active, and now within its validity. */
    public boolean inForce(Instant now) {
        return status == Status.ACTIVE && !now.isBefore(validFrom) && (validUntil == null || now.isBefore(validUntil));
    }

    /** Why it is not in force at {@code now}, or null when it is. */
    public String notInForceReason(Instant now) {
        if (status == Status.PROPOSED) {
            return "agreement " + id + " is proposed: a partner's node that is a party has not signed version " + version;
        }
        if (status != Status.ACTIVE) return "agreement " + id + " is " + wire(status);
        if (now.isBefore(validFrom)) return "agreement " + id + " enters into force on " + validFrom;
        if (validUntil != null && !now.isBefore(validUntil)) return "agreement " + id + " expired on " + validUntil;
        return null;
    }

    /** The same version with another status (a node's local view of it: proposed until countersigned). */
    public Agreement withStatus(Status s) {
        return new Agreement(id, version, title, kind, parties, legalBasis, legalReference, validFrom, validUntil, s, rules,
                assistance);
    }

    /** Whether an organisation of {@code nation} with {@code orgId} is among the parties. */
    public boolean hasParty(String orgId, String nation) {
        for (String p : parties) {
            if (p.equals(orgId) || (nation != null && p.equals(NATION_PREFIX + nation))) return true;
        }
        return false;
    }

    public boolean onwardPartyIncludes(String orgId, String nation) {
        for (String p : rules.onwardParties()) {
            if (p.equals(orgId) || (nation != null && p.equals(NATION_PREFIX + nation))) return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- JSON form

    public static String wire(Enum<?> e) {
        return Vocabulary.wire(e);
    }

    public ObjectNode toJson(ObjectMapper m) {
        ObjectNode o = m.createObjectNode();
        o.put("id", id);
        o.put("version", version);
        o.put("title", title);
        o.put("kind", wire(kind));
        ArrayNode ps = o.putArray("parties");
        parties.forEach(ps::add);
        ObjectNode lb = o.putObject("legal_basis");
        lb.put("text", legalBasis);
        if (legalReference != null) lb.put("reference", legalReference);
        o.put("valid_from", validFrom.toString());
        if (validUntil != null) o.put("valid_until", validUntil.toString());
        o.put("status", wire(status));
        ObjectNode r = o.putObject("rules");
        ArrayNode cats = r.putArray("categories");
        rules.categories().stream().sorted().forEach(c -> cats.add(c.wire()));
        ArrayNode purps = r.putArray("purposes");
        rules.purposes().stream().sorted().forEach(p -> purps.add(p.wire()));
        r.put("max_tlp", rules.maxTlp().wire());
        ArrayNode hcs = r.putArray("handling_codes");
        rules.handlingCodes().stream().sorted().forEach(h -> hcs.add(h.name()));
        ObjectNode pd = r.putObject("personal_data");
        pd.put("allowed", rules.personalData());
        if (rules.personalDataBasis() != null) pd.put("legal_basis", rules.personalDataBasis());
        if (rules.retentionDays() != null) r.put("retention_days", rules.retentionDays());
        ObjectNode on = r.putObject("onward_sharing");
        on.put("rule", wire(rules.onward()));
        if (!rules.onwardParties().isEmpty()) {
            ArrayNode op = on.putArray("parties");
            rules.onwardParties().forEach(op::add);
        }
        // Written only when present, so that agreements without it keep the document (and signatures) they had.
        if (!assistance.types().isEmpty()) {
            ObjectNode as = o.putObject("assistance");
            ObjectNode ts = as.putObject("types");
            assistance.types().forEach((t, article) -> ts.put(t.wire(), article));
            ObjectNode ds = as.putObject("deadlines");
            assistance.deadlines().forEach((u, d) -> ds.put(u.wire(), d.toString()));
            if (assistance.covers(AssistanceType.PRESERVATION)) as.put("preservation_days", assistance.preservationDays());
        }
        return o;
    }

    /**
     * Reads and checks an agreement document, reporting every problem at once.
     *
     * @param partyExists whether a party (organisation id or {@code nation:CC}) names something known
     * @param ownIsParty whether the node's own organisation is among the given parties
     */
    public static Agreement parse(JsonNode doc, String id, int version, Predicate<String> partyExists,
            Predicate<List<String>> ownIsParty) {
        List<InvalidInput.Problem> problems = new ArrayList<>();
        if (doc == null || !doc.isObject()) {
            throw InvalidInput.of("Invalid agreement", "", "the agreement must be a JSON object");
        }
        String title = text(doc, "title", problems, true);
        Kind kind = enumOf(Kind.class, doc.get("kind"), "/kind", problems, Kind.BILATERAL);
        List<String> parties = new ArrayList<>();
        JsonNode ps = doc.get("parties");
        if (ps == null || !ps.isArray() || ps.isEmpty()) {
            problems.add(new InvalidInput.Problem("/parties", "name the parties: organisation ids (identity--…) or nations (nation:DE)"));
        } else {
            for (int i = 0; i < ps.size(); i++) {
                String p = ps.get(i).asText("");
                if (!partyExists.test(p)) {
                    problems.add(new InvalidInput.Problem("/parties/" + i, "no organisation or nation '" + p
                            + "' is known to this node (add the organisation first, or write nation:CC with an ISO 3166-1 alpha-2 code)"));
                } else if (parties.contains(p)) {
                    problems.add(new InvalidInput.Problem("/parties/" + i, "party '" + p + "' is listed twice"));
                } else {
                    parties.add(p);
                }
            }
            if (kind == Kind.BILATERAL && ps.size() != 2) {
                problems.add(new InvalidInput.Problem("/parties", "a bilateral agreement has exactly two parties, not " + ps.size()));
            }
            if (kind == Kind.MULTILATERAL && ps.size() < 2) {
                problems.add(new InvalidInput.Problem("/parties", "a multilateral agreement has at least two parties"));
            }
            if (problems.stream().noneMatch(p -> p.field().startsWith("/parties")) && !ownIsParty.test(parties)) {
                problems.add(new InvalidInput.Problem("/parties", "this node's own organisation is not a party:"
                        + " an agreement it is not bound by cannot be enforced here"));
            }
        }
        JsonNode lb = doc.path("legal_basis");
        String legalText = lb.isTextual() ? lb.asText() : lb.path("text").asText(null);
        String legalRef = lb.isObject() ? lb.path("reference").asText(null) : null;
        if (legalText == null || legalText.isBlank()) {
            problems.add(new InvalidInput.Problem("/legal_basis/text", "state the legal basis (e.g. the convention or memorandum and its article)"));
        }
        Instant from = instant(doc.get("valid_from"), "/valid_from", problems, true);
        Instant until = instant(doc.get("valid_until"), "/valid_until", problems, false);
        if (from != null && until != null && !until.isAfter(from)) {
            problems.add(new InvalidInput.Problem("/valid_until", "valid_until (" + until + ") must be after valid_from (" + from + ")"));
        }
        Status status = enumOf(Status.class, doc.get("status"), "/status", problems, Status.DRAFT);

        JsonNode r = doc.path("rules");
        if (!r.isObject()) problems.add(new InvalidInput.Problem("/rules", "the rules are missing"));
        Set<Category> categories = EnumSet.noneOf(Category.class);
        list(r, "categories", problems, true).forEach((i, s) -> Category.parse(s).filter(c -> c != Category.DEFINITIONS)
                .ifPresentOrElse(categories::add, () -> problems.add(new InvalidInput.Problem("/rules/categories/" + i,
                        "unknown data category '" + s + "'; known: " + Category.choices()))));
        Set<Purpose> purposes = EnumSet.noneOf(Purpose.class);
        list(r, "purposes", problems, true).forEach((i, s) -> Purpose.parse(s).ifPresentOrElse(purposes::add,
                () -> problems.add(new InvalidInput.Problem("/rules/purposes/" + i,
                        "unknown purpose '" + s + "'; known: " + Purpose.choices()))));
        TlpLevel maxTlp = null;
        JsonNode mt = r.get("max_tlp");
        if (mt == null || !mt.isTextual()) {
            problems.add(new InvalidInput.Problem("/rules/max_tlp", "give the TLP ceiling: clear, green, amber, amber+strict or red"));
        } else {
            maxTlp = TlpLevel.parse(mt.asText()).orElse(null);
            if (maxTlp == null) {
                problems.add(new InvalidInput.Problem("/rules/max_tlp", "unknown TLP level '" + mt.asText()
                        + "'; TLP 2.0 levels are clear, green, amber, amber+strict and red"));
            }
        }
        Set<HandlingCode> codes = EnumSet.noneOf(HandlingCode.class);
        list(r, "handling_codes", problems, false).forEach((i, s) -> HandlingCode.parse(s).ifPresentOrElse(codes::add,
                () -> problems.add(new InvalidInput.Problem("/rules/handling_codes/" + i,
                        "unknown handling code '" + s + "'; known: H0, H1, H2, H3"))));
        JsonNode pd = r.path("personal_data");
        boolean personal = pd.isBoolean() ? pd.asBoolean() : pd.path("allowed").asBoolean(false);
        String personalBasis = pd.isObject() ? pd.path("legal_basis").asText(null) : null;
        if (personal && (personalBasis == null || personalBasis.isBlank())) {
            problems.add(new InvalidInput.Problem("/rules/personal_data/legal_basis",
                    "personal data may be shared only on a stated legal basis"));
        }
        Integer retention = null;
        JsonNode rd = r.get("retention_days");
        if (rd != null && !rd.isNull()) {
            if (!rd.canConvertToInt() || !rd.isIntegralNumber() || rd.asInt() < 1) {
                problems.add(new InvalidInput.Problem("/rules/retention_days", "retention_days is a whole number of days, at least 1"));
            } else {
                retention = rd.asInt();
            }
        }
        JsonNode on = r.path("onward_sharing");
        Onward onward = enumOf(Onward.class, on.isTextual() ? on : on.get("rule"), "/rules/onward_sharing/rule",
                problems, Onward.FORBIDDEN);
        List<String> onwardParties = new ArrayList<>();
        list(on, "parties", problems, false).forEach((i, s) -> {
            if (!partyExists.test(s)) {
                problems.add(new InvalidInput.Problem("/rules/onward_sharing/parties/" + i, "no organisation or nation '" + s + "' is known"));
            } else {
                onwardParties.add(s);
            }
        });
        if (onward == Onward.NAMED_PARTIES && onwardParties.isEmpty()
                && problems.stream().noneMatch(p -> p.field().startsWith("/rules/onward_sharing/parties"))) {
            problems.add(new InvalidInput.Problem("/rules/onward_sharing/parties", "named-parties needs the parties named"));
        }
        Assistance assistance = assistance(doc.get("assistance"), problems);
        if (!problems.isEmpty()) throw new InvalidInput("Invalid agreement", problems);
        return new Agreement(id, version, title, kind, parties, legalText, legalRef, from, until, status,
                new Rules(categories, purposes, maxTlp, codes, personal, personal ? personalBasis : null, retention,
                        onward, onwardParties), assistance);
    }

    /** The optional {@code assistance} part: the request types covered, their deadlines and the preservation period. */
    private static Assistance assistance(JsonNode as, List<InvalidInput.Problem> problems) {
        if (as == null || as.isNull()) return Assistance.NONE;
        if (!as.isObject()) {
            problems.add(new InvalidInput.Problem("/assistance", "assistance must be an object with types, deadlines"
                    + " and (for preservation) preservation_days"));
            return Assistance.NONE;
        }
        Map<AssistanceType, String> types = new EnumMap<>(AssistanceType.class);
        JsonNode ts = as.get("types");
        if (ts == null || !ts.isObject() || ts.isEmpty()) {
            problems.add(new InvalidInput.Problem("/assistance/types", "name the request types covered, each with the"
                    + " article it rests on, e.g. {\"preservation\": \"Budapest Convention, Art. 29\"}; known types: "
                    + AssistanceType.choices()));
        } else {
            for (Map.Entry<String, JsonNode> e : ts.properties()) {
                String at = "/assistance/types/" + e.getKey().replace("~", "~0").replace("/", "~1");
                Optional<AssistanceType> t = AssistanceType.parse(e.getKey());
                if (t.isEmpty()) {
                    problems.add(new InvalidInput.Problem(at, "unknown request type '" + e.getKey() + "'; known: "
                            + AssistanceType.choices()));
                } else if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    problems.add(new InvalidInput.Problem(at, "give the article of the convention or treaty this type rests on"));
                } else {
                    types.put(t.get(), e.getValue().asText().strip());
                }
            }
        }
        Map<Urgency, Duration> deadlines = new EnumMap<>(Urgency.class);
        JsonNode ds = as.path("deadlines");
        for (Urgency u : Urgency.values()) {
            String at = "/assistance/deadlines/" + u.wire();
            JsonNode d = ds.get(u.wire());
            if (d == null || !d.isTextual()) {
                problems.add(new InvalidInput.Problem(at, "give the answer deadline for " + u.wire()
                        + " requests as a duration (e.g. P30D, PT72H, 12h)"));
                continue;
            }
            Duration parsed = duration(d.asText());
            if (parsed == null || parsed.toMinutes() < 1) {
                problems.add(new InvalidInput.Problem(at, "'" + d.asText() + "' is not a duration of at least a minute"
                        + " (e.g. P30D, PT72H, 12h)"));
            } else {
                deadlines.put(u, parsed);
            }
        }
        if (deadlines.size() == Urgency.values().length) {
            if (deadlines.get(Urgency.URGENT).compareTo(deadlines.get(Urgency.ROUTINE)) > 0) {
                problems.add(new InvalidInput.Problem("/assistance/deadlines/urgent", "an urgent request cannot have"
                        + " longer to be answered than a routine one"));
            }
            if (deadlines.get(Urgency.THREAT_TO_LIFE).compareTo(deadlines.get(Urgency.URGENT)) > 0) {
                problems.add(new InvalidInput.Problem("/assistance/deadlines/threat-to-life", "a threat to life cannot"
                        + " have longer to be answered than an urgent request"));
            }
        }
        int days = Assistance.DEFAULT_PRESERVATION_DAYS;
        JsonNode pd = as.get("preservation_days");
        if (pd != null && !pd.isNull()) {
            if (!pd.isIntegralNumber() || !pd.canConvertToInt() || pd.asInt() < 1 || pd.asInt() > 3650) {
                problems.add(new InvalidInput.Problem("/assistance/preservation_days",
                        "preservation_days is a whole number of days from 1 to 3650"));
            } else {
                days = pd.asInt();
            }
        }
        return new Assistance(types, deadlines, days);
    }

    /** An ISO 8601 duration (P30D, PT12H) or a number with a unit (30d, 12h, 90m). */
    private static Duration duration(String s) {
        String t = s.strip();
        try {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})\\s*([dhm])").matcher(t.toLowerCase(Locale.ROOT));
            if (!m.matches()) return null;
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
        }
    }

    private static String text(JsonNode doc, String field, List<InvalidInput.Problem> problems, boolean required) {
        JsonNode n = doc.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
            if (required) problems.add(new InvalidInput.Problem("/" + field, field + " is required"));
            return null;
        }
        if (!n.isTextual()) {
            problems.add(new InvalidInput.Problem("/" + field, field + " must be a string"));
            return null;
        }
        return n.asText();
    }

    private interface IndexedConsumer {
        void accept(int index, String value);
    }

    private record Strings(List<String> values) {
        void forEach(IndexedConsumer c) {
            for (int i = 0; i < values.size(); i++) c.accept(i, values.get(i));
        }
    }

    private static Strings list(JsonNode parent, String field, List<InvalidInput.Problem> problems, boolean required) {
        JsonNode n = parent.get(field);
        String at = "/rules/" + field;
        if (n == null || n.isNull()) {
            if (required) problems.add(new InvalidInput.Problem(at, field + " is required (a list)"));
            return new Strings(List.of());
        }
        if (!n.isArray()) {
            problems.add(new InvalidInput.Problem(at, field + " must be a list"));
            return new Strings(List.of());
        }
        if (required && n.isEmpty()) problems.add(new InvalidInput.Problem(at, field + " must not be empty"));
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) out.add(e.asText(""));
        return new Strings(out);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode n, String at, List<InvalidInput.Problem> problems,
            E fallback) {
        if (n == null || n.isNull()) return fallback;
        String k = n.asText("").trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) if (e.name().equals(k)) return e;
        Set<String> choices = new LinkedHashSet<>();
        for (E e : type.getEnumConstants()) choices.add(wire(e));
        problems.add(new InvalidInput.Problem(at, "'" + n.asText() + "' is not one of " + String.join(", ", choices)));
        return fallback;
    }

    /** An RFC 3339 timestamp, or a plain date (midnight UTC). */
    static Instant instant(JsonNode n, String at, List<InvalidInput.Problem> problems, boolean required) {
        if (n == null || n.isNull()) {
            if (required) problems.add(new InvalidInput.Problem(at, at.substring(1) + " is required (e.g. 2026-01-01 or 2026-01-01T00:00:00Z)"));
            return null;
        }
        String s = n.asText("");
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                problems.add(new InvalidInput.Problem(at, "'" + s + "' is not a date or an RFC 3339 timestamp"));
                return null;
            }
        }
    }
}
