package org.entente.node.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.HttpProblem;
import org.entente.node.http.Routes;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Action;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Decision;
import org.entente.node.policy.HandlingCode;
import org.entente.node.policy.ObjectFacts;
import org.entente.node.policy.Policy;
import org.entente.node.policy.Purpose;
import org.entente.node.policy.Recipient;
import org.entente.node.policy.Release;
import org.entente.node.policy.Subject;
import org.entente.node.policy.TlpLevel;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.Entry;
import org.entente.node.store.ObjectQuery;
import org.entente.node.store.ObjectSearch;
import org.entente.node.store.Stored;
import org.entente.node.store.Timestamps;
import org.entente.node.store.VersionMatch;
import org.entente.node.users.Principal;
import org.entente.stix.StixJson;

/**
 * The intelligence screens: the collections a person may read, the search (by a value it
 * mentions, type, marking, partner and arrival date), and the object view (properties, markings in
 * words, provenance, versions, relationships as a graph). Every object shown passed the policy
 * through a {@link Release} and is recorded in the audit log, exactly as over TAXII; a withheld
 * object is answered as a missing one.
 */
final class Intelligence {
    static final int RESULTS = 100;
    /** Object types offered in the search form; any other can still be given in the address. */
    static final List<String> TYPES = List.of("indicator", "malware", "threat-actor", "intrusion-set", "campaign",
            "attack-pattern", "tool", "vulnerability", "infrastructure", "report", "relationship", "sighting",
            "observed-data", "identity", "course-of-action", "location", "note", "ipv4-addr", "ipv6-addr",
            "domain-name", "url", "email-addr", "file", "marking-definition");
    static final List<String> MARKINGS = List.of("tlp:clear", "tlp:green", "tlp:amber", "tlp:amber+strict", "tlp:red",
            "unmarked", "H0", "H1", "H2", "H3");

    private final Pages pages;
    private final Console.Services s;

    Intelligence(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
    }

    void register(Routes routes) {
        routes.page("/console/intelligence", this::search);
        routes.page("/console/objects/{id}", this::object);
    }

    // ---------------------------------------------------------------- search

    /** A choice of a form's select: its value and what the person reads. */
    public record Option(String value, String label) {}

    /** A collection as the person may see it. */
    public record Collection(String id, String title, String alias, String provider, String agreementId,
            String agreement, boolean writable) {}

    /** An object found, as a result row. */
    public record Found(String id, String type, String name, String collection, String marking, String added) {}

    /** What was asked, as the form shows it again. */
    public record Criteria(String value, String type, String marking, String partner, String collection, String from,
            String until, String purpose) {}

    public record SearchModel(List<Collection> collections, Criteria criteria, List<Option> types, List<Option> markings,
            List<Option> partners, List<Option> purposes, List<Found> found, boolean searched, boolean more,
            Pages.Notice notice) {}

    private void search(Context ctx) {
        View v = pages.view(ctx);
        Principal p = Pages.principal(ctx);
        Criteria c = new Criteria(Pages.param(ctx, "value"), Pages.param(ctx, "type"), Pages.param(ctx, "marking"),
                Pages.param(ctx, "partner"), Pages.param(ctx, "collection"), Pages.param(ctx, "from"),
                Pages.param(ctx, "until"), Pages.param(ctx, "purpose"));
        List<CollectionInfo> readable = pages.access().readable(p);
        Set<String> writable = new java.util.HashSet<>();
        pages.access().writable(p).forEach(w -> writable.add(w.id()));
        Map<String, String> orgs = organisationNames(p);
        Map<String, String> agreementTitles = agreementTitles(p);
        List<Collection> collections = readable.stream().map(col -> new Collection(col.id(), col.title(), col.alias(),
                col.providerId() == null ? v.t("intel.own") : orgs.getOrDefault(col.providerId(), col.providerId()),
                col.agreementId(), col.agreementId() == null ? null : agreementTitles.getOrDefault(col.agreementId(),
                        col.agreementId()), writable.contains(col.id()))).toList();
        boolean searched = c.value() != null || c.type() != null || c.marking() != null || c.partner() != null
                || c.collection() != null || c.from() != null || c.until() != null;
        List<Found> found = new ArrayList<>();
        boolean more = false;
        Pages.Notice notice = null;
        try {
            ObjectSearch query = query(c, readable);
            Release release = open(ctx, p, c.purpose());
            Map<String, String> titles = new HashMap<>();
            readable.forEach(col -> titles.put(col.id(), col.title()));
            List<Stored> rows = s.store().search(query);
            more = rows.size() > RESULTS;
            for (Stored o : rows.subList(0, Math.min(RESULTS, rows.size()))) {
                String json = decide(release, o);
                if (json == null) continue;
                JsonNode tree = tree(json);
                found.add(new Found(o.id(), o.type(), Labels.name(tree), titles.get(o.collectionId()),
                        markingLabel(v, o.facts()), v.dateTime(o.dateAdded())));
            }
            s.gate().record(release, p, "console:search", criteriaDetail(c));
        } catch (InvalidInput e) {
            ctx.status(400);
            notice = Pages.refused(v, e);
        } catch (Refusal r) {
            if (!r.wasAudited()) throw r;
            ctx.status(r.status);
            notice = Pages.refused(v, r);
        }
        pages.render(ctx, "intelligence.jte", v, new SearchModel(collections, c, options(TYPES, t -> t),
                options(MARKINGS, m -> v.t("marking." + m.replace(':', '.'))), partners(v, p), purposes(v), found, searched, more, notice));
    }

    /** The search as the store runs it; the partner becomes the collections it provided. */
    private ObjectSearch query(Criteria c, List<CollectionInfo> readable) {
        List<InvalidInput.Problem> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (CollectionInfo col : readable) {
            if (c.collection() != null && !c.collection().equals(col.id())) continue;
            if (c.partner() != null) {
                boolean own = "own".equals(c.partner());
                if (own ? col.providerId() != null : !c.partner().equals(col.providerId())) continue;
            }
            ids.add(col.id());
        }
        ObjectFacts.Filter marking = null;
        if (c.marking() != null) {
            marking = markingFilter(c.marking());
            if (marking == null) problems.add(new InvalidInput.Problem("marking", "unknown marking '" + c.marking() + "'"));
        }
        Instant from = Pages.day(c.from(), "from", problems, 0);
        Instant until = Pages.day(c.until(), "until", problems, 1);
        if (c.value() != null && c.value().length() > 2048) {
            problems.add(new InvalidInput.Problem("value", "the value is longer than 2048 characters"));
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid search", problems);
        return new ObjectSearch(ids, c.value(), c.type() == null ? List.of() : List.of(c.type()),
                marking == null ? null : marking.mask(), marking == null ? null : marking.value(), from, until, RESULTS + 1);
    }

    static ObjectFacts.Filter markingFilter(String marking) {
        if (marking.equals("unmarked")) return ObjectFacts.Filter.tlp(TlpLevel.UNMARKED);
        if (marking.startsWith("tlp:")) return TlpLevel.parse(marking).map(ObjectFacts.Filter::tlp).orElse(null);
        return HandlingCode.parse(marking).map(ObjectFacts.Filter::handling).orElse(null);
    }


    private static Map<String, Object> criteriaDetail(Criteria c) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (c.value() != null) d.put("value", c.value());
        if (c.type() != null) d.put("type", c.type());
        if (c.marking() != null) d.put("marking", c.marking());
        if (c.partner() != null) d.put("partner", c.partner());
        if (c.collection() != null) d.put("collection", c.collection());
        if (c.from() != null) d.put("from", c.from());
        if (c.until() != null) d.put("until", c.until());
        return d;
    }

    // ---------------------------------------------------------------- the object

    /** A property of the object, its value as text. */
    public record Property(String name, String value, boolean identifier) {}

    /** A version of the object, and whether it is the one shown. */
    public record Version(String version, String label, boolean shown, String href) {}

    /** Where the object may go: a partner, and the purposes it may receive it for or the rule that keeps it. */
    public record Destination(String partner, List<String> purposes, String rule) {}

    public record ObjectModel(String id, String type, String name, String collection, String collectionId,
            List<Property> properties, List<String> markings, List<String> otherMarkings, List<Property> provenance,
            List<Version> versions, List<Destination> destinations, List<String> alsoIn, Graph.Drawing graph,
            String purpose) {}

    private void object(Context ctx) {
        View v = pages.view(ctx);
        Principal p = Pages.principal(ctx);
        String id = ctx.pathParam("id");
        String purpose = Pages.param(ctx, "purpose");
        List<CollectionInfo> readable = pages.access().readable(p);
        List<String> readableIds = readable.stream().map(CollectionInfo::id).toList();
        Map<String, CollectionInfo> byId = new HashMap<>();
        readable.forEach(c -> byId.put(c.id(), c));
        Release release = open(ctx, p, purpose);
        List<Stored> held = s.store().latest(List.of(id), readableIds);
        Stored main = null;
        List<String> alsoIn = new ArrayList<>();
        String wanted = Pages.param(ctx, "collection");
        for (Stored o : held) {
            if (decide(release, o) == null) continue;
            if (main == null || o.collectionId().equals(wanted)) {
                if (main != null) alsoIn.add(byId.get(main.collectionId()).title());
                main = o;
            } else {
                alsoIn.add(byId.get(o.collectionId()).title());
            }
        }
        if (main == null) {
            s.gate().record(release, p, "console:object", Map.of("object", id));
            // Withheld objects are answered like missing ones: that an object exists is itself information.
            throw HttpProblem.notFound("no object " + id + " that you may receive");
        }
        CollectionInfo collection = byId.get(main.collectionId());
        Release.Origin origin = new Release.Origin(collection.providerId(), collection.agreementId());
        // Every version the person may see; the one asked for, else the latest.
        String asked = Pages.param(ctx, "version");
        List<Version> versions = new ArrayList<>();
        String shownJson = null;
        Versions versionsPage = versions(collection.id(), id);
        for (Entry e : versionsPage.entries()) {
            String version = Timestamps.format(e.version());
            String json = release.release(e.id(), version, e.facts(), e.latestFacts(), e.json(), origin);
            if (json == null) continue;
            boolean shown = asked == null ? e.version().equals(main.version()) : version.equals(asked);
            if (shown) shownJson = json;
            versions.add(new Version(version, v.dateTime(e.version()), shown, "/console/objects/" + View.enc(id)
                    + "?collection=" + View.enc(collection.id()) + "&version=" + View.enc(version)));
        }
        if (shownJson == null) {
            s.gate().record(release, p, "console:object", Map.of("object", id));
            throw HttpProblem.notFound("no version " + asked + " of object " + id + " that you may receive");
        }
        JsonNode tree = tree(shownJson);
        Set<String> expand = new LinkedHashSet<>();
        String expandParam = Pages.param(ctx, "expand");
        if (expandParam != null) {
            for (String e : expandParam.split(",")) if (!e.isBlank() && expand.size() < Graph.MAX_EXPANDED) expand.add(e.strip());
        }
        Graph.Drawing graph = new Graph(s.store(), release, byId).draw(id, tree, expand, v);
        s.gate().record(release, p, "console:object", Map.of("object", id, "collection", collection.id()));
        Map<String, String> orgs = organisationNames(p);
        Map<String, String> agreementTitles = agreementTitles(p);
        int facts = main.facts() != null ? main.facts() : ObjectFacts.packOf(tree);
        List<Property> provenance = new ArrayList<>();
        provenance.add(new Property(v.t("object.collection"), collection.title(), false));
        provenance.add(new Property(v.t("object.provider"), collection.providerId() == null ? v.t("intel.own")
                : orgs.getOrDefault(collection.providerId(), collection.providerId()), false));
        if (collection.agreementId() != null) {
            provenance.add(new Property(v.t("object.agreement"), agreementTitles.getOrDefault(collection.agreementId(),
                    collection.agreementId()), false));
        }
        String createdBy = tree.path("created_by_ref").asText(null);
        if (createdBy != null) {
            provenance.add(new Property(v.t("object.created-by"), orgs.getOrDefault(createdBy, createdBy), !orgs.containsKey(createdBy)));
        }
        provenance.add(new Property(v.t("object.added"), v.dateTime(main.dateAdded()), false));
        List<Destination> destinations = pages.access().ownStaff(p)
                ? destinations(v, facts, collection, tree, id) : List.of();
        pages.render(ctx, "object.jte", v, new ObjectModel(id, main.type(), Labels.name(tree), collection.title(),
                collection.id(), properties(tree), markings(v, facts), otherMarkings(tree), provenance, versions,
                destinations, alsoIn, graph, purpose));
    }

    private record Versions(List<Entry> entries) {}

    private Versions versions(String collectionId, String objectId) {
        return new Versions(s.store().list(collectionId, new ObjectQuery(null, 1000, List.of(objectId), List.of(),
                VersionMatch.ALL, List.of()), true).entries());
    }

    /** The properties in the order the producer wrote them; nested values as indented JSON. */
    static List<Property> properties(JsonNode tree) {
        List<Property> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            JsonNode val = e.getValue();
            String text = val.isValueNode() ? val.asText() : StixJson.mapper().valueToTree(val).toPrettyString();
            boolean identifier = e.getKey().equals("id") || e.getKey().endsWith("_ref") || e.getKey().endsWith("_refs")
                    || e.getKey().equals("pattern") || !val.isValueNode();
            out.add(new Property(e.getKey(), text, identifier));
        }
        return out;
    }

    /** The markings in words: TLP, handling codes, category, personal data, granular markings. */
    static List<String> markings(View v, int facts) {
        List<String> out = new ArrayList<>();
        ObjectFacts f = ObjectFacts.unpack(facts);
        out.add(v.t("explain.tlp." + f.tlp().wire()));
        for (HandlingCode h : HandlingCode.values()) if (f.handling().contains(h)) out.add(v.t("explain.handling." + h.name()));
        out.add(v.t("explain.category", v.t("category." + f.category().wire())));
        if (f.personal()) out.add(v.t("explain.personal"));
        if (f.granular()) out.add(v.t("explain.granular"));
        return out;
    }

    /** Marking definitions other than TLP and handling codes, by id: the reader follows them to their text. */
    private static List<String> otherMarkings(JsonNode tree) {
        return List.copyOf(ObjectFacts.otherMarkingRefs(tree));
    }

    /**
     * For each partner, the purposes for which the policy would let the object go to it, or the rule
     * that keeps it: what the agreements let go where, decided by the same function as every read.
     */
    private List<Destination> destinations(View v, int facts, CollectionInfo c, JsonNode tree, String id) {
        Policy policy = s.gate().policies().current();
        Instant now = Instant.now();
        Subject subject = new Subject(facts, c.providerId(), c.agreementId(), Release.redRecipients(tree), id);
        List<Destination> out = new ArrayList<>();
        for (Organisation o : s.organisations().all()) {
            if (o.own()) continue;
            List<String> permitted = new ArrayList<>();
            Decision firstDenial = null;
            for (Purpose purpose : Purpose.values()) {
                Decision d = policy.decide(subject, Recipient.organisation(o.id()), purpose, Action.SYNC, now);
                if (d.permitted()) permitted.add(v.t("purpose." + purpose.wire()));
                else if (firstDenial == null) firstDenial = d;
            }
            out.add(new Destination(o.name(), permitted, permitted.isEmpty() && firstDenial != null
                    ? v.t("rule." + firstDenial.rule()) : null));
        }
        return out;
    }

    // ---------------------------------------------------------------- shared

    /** Opens the release of a page: the purpose chosen, else the person's role's. */
    private Release open(Context ctx, Principal p, String purpose) {
        return s.gate().open(p, purpose, null, Action.READ, "GET " + ctx.path());
    }

    /** The JSON the person may see of a stored object, or null when the policy withholds it. */
    static String decide(Release release, Stored o) {
        return release.release(o.id(), Timestamps.format(o.version()), o.facts(), o.latestFacts(), o.json(),
                new Release.Origin(o.providerId(), o.agreementId()));
    }

    static JsonNode tree(String json) {
        try {
            return StixJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored object is not JSON: " + e.getMessage(), e);
        }
    }

    static String markingLabel(View v, Integer facts) {
        if (facts == null) return "";
        ObjectFacts f = ObjectFacts.unpack(facts);
        StringBuilder sb = new StringBuilder(v.t("marking.tlp." + f.tlp().wire()));
        for (HandlingCode h : HandlingCode.values()) if (f.handling().contains(h)) sb.append(", ").append(h.name());
        return sb.toString();
    }

    private Map<String, String> organisationNames(Principal p) {
        Map<String, String> out = new HashMap<>();
        for (Organisation o : pages.views().organisations(p)) out.put(o.id(), o.name());
        return out;
    }

    private Map<String, String> agreementTitles(Principal p) {
        Map<String, String> out = new HashMap<>();
        for (Agreement a : s.gate().policies().current().agreements()) {
            if (pages.views().visible(p, a)) out.put(a.id(), a.title());
        }
        return out;
    }

    private List<Option> partners(View v, Principal p) {
        List<Option> out = new ArrayList<>();
        out.add(new Option("own", v.t("intel.own")));
        for (Organisation o : pages.views().organisations(p)) if (!o.own()) out.add(new Option(o.id(), o.name()));
        return out;
    }

    static List<Option> purposes(View v) {
        List<Option> out = new ArrayList<>();
        for (Purpose p : Purpose.values()) out.add(new Option(p.wire(), v.t("purpose." + p.wire())));
        return out;
    }

    static List<Option> options(List<String> values, java.util.function.Function<String, String> label) {
        return values.stream().map(x -> new Option(x, label.apply(x))).toList();
    }
}
