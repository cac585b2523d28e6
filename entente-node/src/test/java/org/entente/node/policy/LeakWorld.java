package org.entente.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.entente.stix.ScoIds;
import org.entente.stix.Tlp;

/**
 * Generated worlds: a shape drawn by jqwik (indices, choices; shrinkable) and its realisation as
 * STIX objects and agreement documents once the organisations exist.
 */
final class LeakWorld {
    private LeakWorld() {}

    static final String[] NATIONS = {"EE", "DE", "NL", "JO"};
    static final String[] CATEGORIES = {"cyber-indicators", "malware-and-tooling", "threat-actors-and-campaigns",
            "incidents", "persons-of-interest", "travel-documents", "vehicles", "sanctions-entities", "requests",
            "operations", "reports-and-context"};
    static final String[] TLP_LEVELS = {"clear", "green", "amber", "amber+strict", "red"};
    static final String[] CODES = {"H0", "H1", "H2", "H3"};
    static final String[] STATUSES = {"active", "draft", "suspended", "terminated"};
    static final String[] ONWARD = {"forbidden", "named-parties", "with-consent"};
    static final String[] TYPES = {"indicator", "malware", "threat-actor", "incident", "report", "identity/individual",
            "identity/organization", "user-account", "email-addr", "ipv4-addr", "x-entente-travel-document", "tool",
            "campaign", "domain-name"};
    /** Object-level TLP choices: none, TLP 2.0, TLP 1.0, and two at once. */
    static final List<List<String>> TLP_CHOICES = List.of(List.of(), List.of(Tlp.CLEAR), List.of(Tlp.GREEN),
            List.of(Tlp.AMBER), List.of(Tlp.AMBER_STRICT), List.of(Tlp.RED), List.of(Tlp.V1_WHITE), List.of(Tlp.V1_GREEN),
            List.of(Tlp.V1_AMBER), List.of(Tlp.V1_RED), List.of(Tlp.GREEN, Tlp.AMBER), List.of(Tlp.CLEAR, Tlp.RED));
    static final List<String> GRANULAR_MARKINGS = List.of(Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED,
            HandlingCode.H0.markingId(), HandlingCode.H1.markingId(), HandlingCode.H2.markingId(),
            HandlingCode.H3.markingId());
    static final String[] GRANULAR_TARGETS = {"description", "labels.[0]", "modified"};
    static final Map<String, String> MARKING_NAMES = Map.ofEntries(Map.entry(Tlp.CLEAR, "TLP:CLEAR"),
            Map.entry(Tlp.GREEN, "TLP:GREEN"), Map.entry(Tlp.AMBER, "TLP:AMBER"),
            Map.entry(Tlp.AMBER_STRICT, "TLP:AMBER+STRICT"), Map.entry(Tlp.RED, "TLP:RED"),
            Map.entry(Tlp.V1_WHITE, "TLP1:WHITE"), Map.entry(Tlp.V1_GREEN, "TLP1:GREEN"),
            Map.entry(Tlp.V1_AMBER, "TLP1:AMBER"), Map.entry(Tlp.V1_RED, "TLP1:RED"),
            Map.entry(HandlingCode.H0.markingId(), "H0"), Map.entry(HandlingCode.H1.markingId(), "H1"),
            Map.entry(HandlingCode.H2.markingId(), "H2"), Map.entry(HandlingCode.H3.markingId(), "H3"));

    // ------------------------------------------------------------------ the shape

    /** A party: organisation {@code org} of the world (0 = own), by its id or by its nation. */
    record PartyRef(int org, boolean byNation) {}

    record AgreementHead(boolean multilateral, boolean ownByNation, List<PartyRef> others, int status, int window) {}

    record AgreementRules(Set<Integer> categories, Set<Integer> purposes, int maxTlp, Set<Integer> codes,
            boolean personal, int onward, List<PartyRef> onwardParties) {}

    record AgreementSpec(AgreementHead head, AgreementRules rules) {}

    record CollectionSpec(boolean provided, int provider, int agreement) {}

    record GranularSpec(int target, int marking) {}

    /**
     * @param personalFlag 0 no x_entente_personal_data, 1 true, 2 false
     * @param red recipients: 0 and 1 the own organisation's two users, 2.. the partners
     */
    record ObjectSpec(int collection, int type, int tlp, Set<Integer> codes, int personalFlag, boolean displayName,
            List<Integer> red, List<GranularSpec> granular, int value) {}

    /** @param change which agreement changes status after the first reading, and to what (see the property) */
    record WorldSpec(List<Integer> partnerNations, List<AgreementSpec> agreements, List<CollectionSpec> collections,
            List<ObjectSpec> objects, int change, boolean terminate) {

        @Override
        public String toString() {
            return "World{partners=" + partnerNations.stream().map(i -> NATIONS[i]).toList() + ", " + agreements.size()
                    + " agreements, " + collections.size() + " collections, " + objects.size() + " objects}";
        }
    }

    static Arbitrary<WorldSpec> worlds() {
        Arbitrary<PartyRef> party = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 3).map(i -> i == 0)).as(PartyRef::new);
        Arbitrary<AgreementHead> head = Combinators.combine(
                Arbitraries.integers().between(0, 2).map(i -> i == 0),
                Arbitraries.integers().between(0, 2).map(i -> i == 0),
                party.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(1, 1), Tuple.of(1, 2), Tuple.of(1, 3)),
                // 0 present, 1 present and open-ended, 2 expired, 3 future
                Arbitraries.frequency(Tuple.of(5, 0), Tuple.of(2, 1), Tuple.of(1, 2), Tuple.of(1, 3)))
                .as(AgreementHead::new);
        Arbitrary<AgreementRules> rules = Combinators.combine(
                Arbitraries.integers().between(0, CATEGORIES.length - 1).set().ofMinSize(1).ofMaxSize(CATEGORIES.length),
                Arbitraries.integers().between(0, 5).set().ofMinSize(1).ofMaxSize(6),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 3).set().ofMaxSize(4),
                Arbitraries.integers().between(0, 1).map(i -> i == 0),
                Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(3, 1), Tuple.of(1, 2)),
                party.list().ofMinSize(1).ofMaxSize(2)).as(AgreementRules::new);
        Arbitrary<AgreementSpec> agreement = Combinators.combine(head, rules).as(AgreementSpec::new);
        Arbitrary<CollectionSpec> collection = Combinators.combine(Arbitraries.integers().between(0, 2).map(i -> i > 0),
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 5)).as(CollectionSpec::new);
        Arbitrary<GranularSpec> granular = Combinators.combine(
                Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(3, 1), Tuple.of(1, 2)),
                Arbitraries.integers().between(0, GRANULAR_MARKINGS.size() - 1)).as(GranularSpec::new);
        Arbitrary<ObjectSpec> object = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, TYPES.length - 1),
                Arbitraries.integers().between(0, TLP_CHOICES.size() - 1),
                Arbitraries.oneOf(Arbitraries.just(Set.<Integer>of()), Arbitraries.just(Set.<Integer>of()),
                        Arbitraries.integers().between(0, 3).set().ofMinSize(1).ofMaxSize(2)),
                Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(1, 1), Tuple.of(1, 2)),
                // display name (even) and which of the three values (i / 2)
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 6).list().ofMaxSize(3),
                Arbitraries.oneOf(Arbitraries.just(List.<GranularSpec>of()), granular.list().ofMinSize(1).ofMaxSize(2)))
                .as((c, t, tlp, codes, pf, dv, red, gr) -> new ObjectSpec(c, t, tlp, codes, pf, dv % 2 == 0, red, gr,
                        dv / 2));
        return Combinators.combine(
                Arbitraries.integers().between(0, NATIONS.length - 1).list().ofMinSize(2).ofMaxSize(5),
                agreement.list().ofMaxSize(6),
                collection.list().ofMinSize(2).ofMaxSize(4),
                object.list().ofMinSize(20).ofMaxSize(80).withSizeDistribution(RandomDistribution.uniform()),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 1).map(i -> i == 0)).as(WorldSpec::new);
    }

    // ------------------------------------------------------------------ realisation

    static String ref(PartyRef p, List<LeakOracle.Org> orgs) {
        LeakOracle.Org o = orgs.get(p.org() % orgs.size());
        return p.byNation() ? "nation:" + o.nation() : o.id();
    }

    static final String CREATED = "2025-03-01T10:00:00.000Z";

    /** The observable values of a world (ip, domain, e-mail) that indicators and SCOs mention. */
    record Values(String ip, String domain, String email) {
        String get(int i) {
            return switch (i % 3) { case 0 -> ip; case 1 -> domain; default -> email; };
        }
    }

    /**
     * One STIX object for {@code spec}; SCO ids already used in this world are avoided by changing
     * the value. {@code mentions} receives the values the object mentions.
     */
    static ObjectNode object(ObjectSpec spec, String createdBy, List<String> redNames, Values values, Set<String> usedIds,
            int serial, Set<String> mentions) {
        String t = TYPES[spec.type()];
        ObjectNode o = LeakHarness.JSON.createObjectNode();
        boolean sdo = true;
        String value = values.get(spec.value());
        switch (t) {
            case "indicator" -> {
                sdoCommon(o, "indicator", createdBy);
                String path = switch (spec.value() % 3) {
                    case 0 -> "ipv4-addr:value"; case 1 -> "domain-name:value"; default -> "email-addr:value"; };
                o.put("pattern", "[" + path + " = '" + value + "']");
                o.put("pattern_type", "stix");
                o.put("valid_from", "2025-03-01T10:00:00Z");
                mentions.add(value);
            }
            case "malware" -> sdoCommon(o, "malware", createdBy).put("is_family", true);
            case "threat-actor", "incident", "tool", "campaign" -> sdoCommon(o, t, createdBy);
            case "report" -> {
                sdoCommon(o, "report", createdBy).put("published", "2025-03-01T10:00:00Z");
                o.putArray("object_refs").add("indicator--" + UUID.randomUUID());
            }
            case "identity/individual" -> sdoCommon(o, "identity", createdBy).put("identity_class", "individual");
            case "identity/organization" -> sdoCommon(o, "identity", createdBy).put("identity_class", "organization");
            case "x-entente-travel-document" -> {
                sdoCommon(o, "x-entente-travel-document", createdBy);
                o.put("x_document_number", "P" + (1000000 + serial));
                o.put("x_issuing_state", "EST");
            }
            default -> sdo = false;
        }
        if (!sdo) {
            o.put("type", t);
            o.put("spec_version", "2.1");
            switch (t) {
                case "user-account" -> {
                    o.put("user_id", "u" + serial + "-" + UUID.randomUUID().toString().substring(0, 8));
                    o.put("account_login", "login" + serial);
                    o.put("display_name", "Account holder " + serial);
                }
                case "email-addr" -> {
                    String v = spec.value() % 3 == 2 ? values.email() : "person" + serial + "@" + values.domain();
                    o.put("value", v);
                    if (spec.displayName()) o.put("display_name", "Person " + serial);
                }
                case "ipv4-addr" -> o.put("value", spec.value() % 3 == 0 ? values.ip() : "203.0.113." + (serial % 250 + 1));
                case "domain-name" -> o.put("value", spec.value() % 3 == 1 ? values.domain() : "d" + serial + "." + values.domain());
                default -> throw new IllegalStateException(t);
            }
            String id = ScoIds.compute(o);
            if (usedIds.contains(id)) {
                // The same value twice would be the same object: give this one a value of its own.
                switch (t) {
                    case "email-addr" -> o.put("value", "other" + serial + "@" + values.domain());
                    case "ipv4-addr" -> o.put("value", "192.0.2." + (serial % 250 + 1));
                    case "domain-name" -> o.put("value", "other" + serial + "." + values.domain());
                    default -> { }
                }
                id = ScoIds.compute(o);
            }
            o.put("id", id);
            String v = o.path("value").asText(null);
            if (v != null && (v.equals(values.ip()) || v.equals(values.domain()) || v.equals(values.email()))) {
                mentions.add(v);
            }
        }
        usedIds.add(o.path("id").asText());
        List<String> markings = new ArrayList<>(TLP_CHOICES.get(spec.tlp()));
        for (int c : spec.codes()) markings.add(GRANULAR_MARKINGS.get(5 + c));
        if (!markings.isEmpty()) {
            ArrayNode m = o.putArray("object_marking_refs");
            markings.forEach(m::add);
        }
        if (!spec.red().isEmpty()) {
            Set<String> names = new java.util.LinkedHashSet<>();
            for (int r : spec.red()) names.add(redNames.get(r % redNames.size()));
            ArrayNode rr = o.putArray("x_entente_red_recipients");
            names.forEach(rr::add);
        }
        if (spec.personalFlag() == 1) o.put("x_entente_personal_data", true);
        if (spec.personalFlag() == 2) o.put("x_entente_personal_data", false);
        if (sdo && !spec.granular().isEmpty()) {
            ArrayNode gs = o.putArray("granular_markings");
            Set<String> seen = new HashSet<>();
            for (GranularSpec g : spec.granular()) {
                String marking = GRANULAR_MARKINGS.get(g.marking());
                String selector = GRANULAR_TARGETS[g.target()];
                if (!seen.add(marking + selector)) continue;
                ObjectNode gm = gs.addObject();
                gm.put("marking_ref", marking);
                gm.putArray("selectors").add(selector);
            }
        }
        return o;
    }

    private static ObjectNode sdoCommon(ObjectNode o, String type, String createdBy) {
        o.put("type", type);
        o.put("spec_version", "2.1");
        o.put("id", type + "--" + UUID.randomUUID());
        o.put("created_by_ref", createdBy);
        o.put("created", CREATED);
        o.put("modified", CREATED);
        o.put("name", type + " " + UUID.randomUUID().toString().substring(0, 6));
        o.put("description", "Described at length: sources, methods and names.");
        o.putArray("labels").add("first-label").add("second-label");
        return o;
    }

    /** A person can read this: type, markings by name, red recipients, personal data flag, granular markings. */
    static String describe(JsonNode o) {
        StringBuilder b = new StringBuilder(o.path("type").asText());
        if (o.has("identity_class")) b.append('/').append(o.path("identity_class").asText());
        b.append(' ').append(o.path("id").asText());
        List<String> m = new ArrayList<>();
        o.path("object_marking_refs").forEach(n -> m.add(MARKING_NAMES.getOrDefault(n.asText(), n.asText())));
        b.append(" markings=").append(m);
        if (o.has("x_entente_red_recipients")) b.append(" red_recipients=").append(o.get("x_entente_red_recipients"));
        if (o.has("x_entente_personal_data")) b.append(" x_entente_personal_data=").append(o.get("x_entente_personal_data"));
        if (o.has("display_name")) b.append(" display_name");
        List<String> g = new ArrayList<>();
        o.path("granular_markings").forEach(n -> g.add(MARKING_NAMES.getOrDefault(n.path("marking_ref").asText(), "?")
                + " on " + n.path("selectors")));
        if (!g.isEmpty()) b.append(" granular=").append(g);
        b.append(" category=").append(LeakOracle.category(o)).append(" personal=").append(LeakOracle.personal(o));
        return b.toString();
    }
}
