package org.entente.node.screening;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.Api;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.HttpProblem;
import org.entente.node.http.JsonBody;
import org.entente.node.http.Routes;
import org.entente.node.policy.PolicyGate;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * The screening endpoints: watchlists and their entries ({@code /api/watchlists}), checks of one
 * traveller and of a manifest ({@code /api/screening/check}, {@code /api/screening/batch}), the
 * hits told to a list's owner ({@code /api/screening/hits}, and as server-sent events at
 * {@code /api/events?types=hit}), and the limits agreements set.
 */
public final class ScreeningApi implements Api {
    public static final String WATCHLISTS = "/api/watchlists";
    public static final String CHECK = "/api/screening/check";
    public static final String BATCH = "/api/screening/batch";
    public static final String HITS = "/api/screening/hits";
    public static final String LIMITS = "/api/screening/limits";
    public static final String EVENTS = "/api/events";
    static final String NDJSON = "application/x-ndjson";
    private static final String SUBSCRIPTION = "entente.events";
    private static final Set<String> CHECK_OPTIONS = Set.of("lists", "limit", "all");

    private final ScreeningService service;

    public ScreeningApi(ScreeningService service) {
        this.service = service;
    }

    @Override
    public void register(Routes r) {
        r.get(WATCHLISTS, this::lists);
        r.post(WATCHLISTS, this::create);
        r.get(WATCHLISTS + "/{list}", this::show);
        r.put(WATCHLISTS + "/{list}", this::update);
        r.delete(WATCHLISTS + "/{list}", this::remove);
        r.post(WATCHLISTS + "/{list}/import", this::importEdition);
        r.get(WATCHLISTS + "/{list}/entries", this::entries);
        r.get(WATCHLISTS + "/{list}/entries/{entry}", this::entry);
        r.put(WATCHLISTS + "/{list}/entries/{entry}", this::putEntry);
        r.delete(WATCHLISTS + "/{list}/entries/{entry}", this::removeEntry);
        r.post(CHECK, this::check);
        r.post(BATCH, this::batch);
        r.get(HITS, this::hits);
        r.get(LIMITS, this::limits);
        r.put(LIMITS + "/{agreement}", this::setLimit);
        r.before(EVENTS, this::subscription);
        r.sse(EVENTS, this::events);
    }

    private ScreeningService.Caller caller(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        String purpose = ctx.header(PolicyGate.PURPOSE_HEADER);
        if (purpose == null || purpose.isBlank()) purpose = ctx.queryParam("purpose");
        return service.caller(p, purpose, ctx.header(PolicyGate.ORGANISATION_HEADER),
                ctx.req().getMethod() + " " + ctx.path());
    }

    // ---------------------------------------------------------------- lists

    private void lists(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        ArrayNode out = EntryJson.JSON.createArrayNode();
        for (ScreeningService.Listed l : service.visible(c)) out.add(listJson(l));
        ObjectNode body = EntryJson.JSON.createObjectNode();
        body.put("purpose", c.purpose().wire());
        body.set("watchlists", out);
        ctx.json(body);
    }

    static ObjectNode listJson(ScreeningService.Listed l) {
        ObjectNode o = listJson(l.list());
        o.put("entries", l.entries());
        ObjectNode d = o.putObject("decision");
        d.put("permitted", l.decision().permitted());
        d.put("rule", l.decision().rule());
        if (l.decision().agreementId() != null) d.put("agreement", l.decision().agreementId());
        d.put("reason", l.decision().reason());
        return o;
    }

    static ObjectNode listJson(Watchlist w) {
        ObjectNode o = EntryJson.JSON.createObjectNode();
        o.put("id", w.id());
        o.put("name", w.name());
        o.put("owner", w.ownerId());
        o.put("kind", w.kind().wire());
        o.put("category", w.category().wire());
        o.put("tlp", w.tlp().wire());
        ArrayNode h = o.putArray("handling_codes");
        w.handlingCodes().stream().map(Enum::name).sorted().forEach(h::add);
        if (!w.redRecipients().isEmpty()) {
            ArrayNode r = o.putArray("red_recipients");
            w.redRecipients().forEach(r::add);
        }
        o.put("personal_data", w.personalData());
        if (w.description() != null) o.put("description", w.description());
        if (w.threshold() != null) o.put("threshold", w.threshold());
        if (w.received()) {
            o.put("provider", w.providerId());
            o.put("agreement", w.agreementId());
        }
        if (w.edition() != null) o.put("edition", w.edition());
        o.put("created", w.created().toString());
        o.put("modified", w.modified().toString());
        if (w.removed() != null) o.put("removed", w.removed().toString());
        return o;
    }

    private void create(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        Watchlist w = service.create(c, WatchlistDraft.parse(JsonBody.object(ctx)));
        ctx.status(201).header("Location", WATCHLISTS + "/" + w.id()).json(listJson(w));
    }

    private void show(Context ctx) {
        ctx.json(listJson(service.visible(caller(ctx), ctx.pathParam("list"))));
    }

    private void update(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        ctx.json(listJson(service.update(c, ctx.pathParam("list"), WatchlistDraft.parse(JsonBody.object(ctx)))));
    }

    private void remove(Context ctx) {
        ctx.json(listJson(service.remove(caller(ctx), ctx.pathParam("list"))));
    }

    /**
     * The body is the edition: UN XML, an OFAC sdn.csv, JSON Lines, or a ZIP of the OFAC files.
     * With {@code Accept: application/x-ndjson} the answer streams progress lines before the report.
     */
    private void importEdition(Context ctx) throws IOException {
        ScreeningService.Caller c = caller(ctx);
        String list = ctx.pathParam("list");
        service.managed(c, list);
        boolean keepMissing = flag(ctx, "keep_missing");
        String edition = ctx.queryParam("edition");
        if (edition != null && (edition.isBlank() || edition.length() > 200)) {
            throw InvalidInput.of("Invalid import", "edition", "1 to 200 characters naming the edition (e.g. its date)");
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) throw InvalidInput.of("Empty watchlist", "", "the body is the list to import; it is empty");
        Path dir = Files.createTempDirectory("entente-import");
        try {
            Path file = ListImport.unpack(body, dir);
            String accept = ctx.header("Accept");
            if (accept != null && accept.contains(NDJSON)) {
                ctx.contentType(NDJSON);
                OutputStream out = ctx.res().getOutputStream();
                ListImport.Report r = service.importFile(c, list, file, !keepMissing, edition, new Streamed(out));
                line(out, EntryJson.JSON.createObjectNode().set("result", r.json()));
            } else {
                ctx.json(service.importFile(c, list, file, !keepMissing, edition, org.entente.screening.io.Progress.NONE).json());
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Progress of an import as JSON lines, at most one a second. */
    private static final class Streamed implements org.entente.screening.io.Progress {
        private final OutputStream out;
        private long last;

        Streamed(OutputStream out) {
            this.out = out;
        }

        @Override
        public void advanced(long done, long total) {
            long now = System.nanoTime();
            if (now - last < 1_000_000_000L && done < total) return;
            last = now;
            ObjectNode p = EntryJson.JSON.createObjectNode();
            p.putObject("progress").put("read", done).put("total", total);
            try {
                line(out, p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void entries(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        Watchlist w = service.managed(c, ctx.pathParam("list"));
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        List<WatchlistStore.StoredEntry> page = service.store().entries(w.id(), ctx.queryParam("after"), limit);
        ObjectNode o = EntryJson.JSON.createObjectNode();
        ArrayNode a = o.putArray("entries");
        for (WatchlistStore.StoredEntry e : page) a.add(entryJson(e));
        if (page.size() == limit) o.put("next", page.getLast().entryId());
        ctx.json(o);
    }

    private void entry(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        Watchlist w = service.managed(c, ctx.pathParam("list"));
        String id = ctx.pathParam("entry");
        List<WatchlistStore.EntryVersion> history = service.store().history(w.id(), id);
        if (history.isEmpty()) throw HttpProblem.notFound("watchlist " + w.id() + " has no entry '" + id + "'");
        Optional<WatchlistStore.StoredEntry> current = service.store().entry(w.id(), id);
        ObjectNode o = EntryJson.JSON.createObjectNode();
        o.put("id", id);
        o.put("watchlist", w.id());
        current.ifPresentOrElse(e -> o.set("current", entryJson(e)), () -> o.putNull("current"));
        ArrayNode versions = o.putArray("versions");
        for (WatchlistStore.EntryVersion v : history) {
            ObjectNode x = versions.addObject();
            x.put("version", v.version());
            x.put("change", v.change());
            x.put("at", v.at().toString());
            x.put("by", v.actor());
            x.put("source", v.source());
            if (v.data() != null) x.set("entry", parse(v.data()));
        }
        ctx.json(o);
    }

    private static ObjectNode entryJson(WatchlistStore.StoredEntry e) {
        ObjectNode o = EntryJson.JSON.createObjectNode();
        o.put("version", e.version());
        if (e.modified() != null) o.put("modified", e.modified().toString());
        o.set("entry", parse(e.data()));
        return o;
    }

    private void putEntry(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        WatchlistStore.EntryChange change = service.putEntry(c, ctx.pathParam("list"), ctx.pathParam("entry"),
                JsonBody.object(ctx));
        ctx.status(change.change().equals("added") ? 201 : 200).json(changeJson(ctx.pathParam("entry"), change));
    }

    private void removeEntry(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        String id = ctx.pathParam("entry");
        WatchlistStore.EntryChange change = service.removeEntry(c, ctx.pathParam("list"), id)
                .orElseThrow(() -> HttpProblem.notFound("the list has no entry '" + id + "'"));
        ctx.json(changeJson(id, change));
    }

    private static ObjectNode changeJson(String id, WatchlistStore.EntryChange change) {
        ObjectNode o = EntryJson.JSON.createObjectNode();
        o.put("id", id);
        o.put("change", change.change());
        if (change.version() > 0) o.put("version", change.version());
        return o;
    }

    // ---------------------------------------------------------------- screening

    private void check(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        List<InvalidInput.Problem> problems = new ArrayList<>();
        Traveller t = Traveller.read(body, "", CHECK_OPTIONS, problems);
        ScreeningService.Options o = options(body.path("lists"), body.path("limit"), body.path("all"), "", problems);
        if (!problems.isEmpty()) throw new InvalidInput("Invalid check", problems);
        ScreeningService.Caller c = caller(ctx);
        ctx.json(limited(ctx, () -> service.check(c, t, o)).json());
    }

    /**
     * A manifest: JSON Lines (one traveller per line, the options as query parameters) or one JSON
     * object {@code {"travellers": [...], "lists", "limit", "all"}}. Every traveller is checked
     * before any is screened; the answers stream back as JSON Lines in the travellers' order.
     */
    private void batch(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        List<InvalidInput.Problem> problems = new ArrayList<>();
        List<Traveller> travellers = new ArrayList<>();
        ScreeningService.Options o;
        if (type.startsWith("application/json")) {
            JsonNode body = JsonBody.object(ctx);
            JsonNode arr = body.path("travellers");
            for (var it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("travellers") && !CHECK_OPTIONS.contains(f)) {
                    problems.add(new InvalidInput.Problem("/" + EntryJson.pointerEscape(f), "unknown field"));
                }
            }
            if (!arr.isArray() || arr.isEmpty()) {
                problems.add(new InvalidInput.Problem("/travellers", "required: an array of 1 to "
                        + ScreeningService.MAX_BATCH + " travellers"));
            } else {
                Traveller.tooMany(arr.size());
                for (int i = 0; i < arr.size(); i++) {
                    travellers.add(Traveller.read(arr.get(i), "/travellers/" + i, Set.of(), problems));
                }
            }
            o = options(body.path("lists"), body.path("limit"), body.path("all"), "", problems);
        } else {
            travellers.addAll(Traveller.manifest(ctx.body(), problems));
            o = queryOptions(ctx);
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid manifest", problems);
        ScreeningService.Caller c = caller(ctx);
        List<ScreeningService.Answer> answers = limited(ctx, () -> service.batch(c, travellers, o));
        ctx.status(200).contentType(NDJSON);
        OutputStream out = ctx.res().getOutputStream();
        for (ScreeningService.Answer a : answers) line(out, a.json());
    }

    private static ScreeningService.Options queryOptions(Context ctx) {
        String lists = ctx.queryParam("lists");
        List<String> named = lists == null ? null : Arrays.stream(lists.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        int limit = intParam(ctx, "limit", 10, 1, ScreeningService.MAX_LIMIT);
        return new ScreeningService.Options(named, limit, flag(ctx, "all"));
    }

    private static ScreeningService.Options options(JsonNode lists, JsonNode limit, JsonNode all, String at,
            List<InvalidInput.Problem> problems) {
        List<String> named = null;
        if (!lists.isMissingNode() && !lists.isNull()) {
            if (!lists.isArray() || lists.isEmpty()) {
                problems.add(new InvalidInput.Problem(at + "/lists", "an array of watchlist ids or names"));
            } else {
                Set<String> s = new LinkedHashSet<>();
                for (int i = 0; i < lists.size(); i++) {
                    if (!lists.get(i).isTextual() || lists.get(i).asText().isBlank()) {
                        problems.add(new InvalidInput.Problem(at + "/lists/" + i, "a watchlist id or name"));
                    } else {
                        s.add(lists.get(i).asText());
                    }
                }
                named = List.copyOf(s);
            }
        }
        int n = 10;
        if (!limit.isMissingNode() && !limit.isNull()) {
            if (!limit.isIntegralNumber() || limit.asInt() < 1 || limit.asInt() > ScreeningService.MAX_LIMIT) {
                problems.add(new InvalidInput.Problem(at + "/limit", "a whole number from 1 to " + ScreeningService.MAX_LIMIT));
            } else {
                n = limit.asInt();
            }
        }
        boolean everything = false;
        if (!all.isMissingNode() && !all.isNull()) {
            if (!all.isBoolean()) problems.add(new InvalidInput.Problem(at + "/all", "true or false"));
            else everything = all.asBoolean();
        }
        return new ScreeningService.Options(named, n, everything);
    }

    /** Runs a check; a limit reached is answered 429 with Retry-After. */
    private static <T> T limited(Context ctx, Supplier<T> check) {
        return ScreeningService.limited(check, seconds -> ctx.header("Retry-After", Long.toString(seconds)));
    }

    // ---------------------------------------------------------------- hits, limits, events

    private void hits(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        Principal p = HttpAuth.principal(ctx);
        if (EventHub.TOLD_OF_HITS.stream().noneMatch(p::has)) {
            throw new Refusal(403, "Not told of hits", "hits-role", "hits are told to analysts, supervisors, liaison"
                    + " officers and administrators of the list's owner");
        }
        Instant since = null;
        String s = ctx.queryParam("since");
        if (s != null) {
            try {
                since = Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw InvalidInput.of("Invalid parameter", "since", "an RFC 3339 time such as 2026-12-01T00:00:00Z");
            }
        }
        String list = ctx.queryParam("list");
        if (list != null) list = service.store().find(list).map(Watchlist::id).orElse(list);
        long after = ctx.queryParam("after") == null ? 0 : intParam(ctx, "after", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        ArrayNode a = EntryJson.JSON.createArrayNode();
        for (HitStore.Hit h : service.hits().hits(c.organisationId(), since, list, after, limit)) a.add(h.json());
        ObjectNode o = EntryJson.JSON.createObjectNode();
        o.set("hits", a);
        ctx.json(o);
    }

    private void limits(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        if (!c.manages()) throw new Refusal(403, "Forbidden", "limits-management", "limits are for administrators"
                + " and supervisors of the node's organisation");
        ArrayNode a = EntryJson.JSON.createArrayNode();
        for (Limits.AgreementLimit l : service.agreementLimits()) a.add(limitJson(l));
        ctx.json(EntryJson.JSON.createObjectNode().set("agreements", a));
    }

    private void setLimit(Context ctx) {
        ScreeningService.Caller c = caller(ctx);
        JsonNode body = JsonBody.object(ctx);
        List<InvalidInput.Problem> problems = new ArrayList<>();
        Integer perUser = positive(body, "per_user", problems);
        Integer perOrg = positive(body, "per_organisation", problems);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("per_user") && !f.equals("per_organisation")) {
                problems.add(new InvalidInput.Problem("/" + EntryJson.pointerEscape(f), "unknown field"));
            }
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid limit", problems);
        ctx.json(limitJson(service.setAgreementLimit(c, ctx.pathParam("agreement"), perUser, perOrg)));
    }

    private static Integer positive(JsonNode body, String field, List<InvalidInput.Problem> problems) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) return null;
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
            problems.add(new InvalidInput.Problem("/" + field, "checks per minute, a whole number of at least 1"));
            return null;
        }
        return v.asInt();
    }

    private static ObjectNode limitJson(Limits.AgreementLimit l) {
        ObjectNode o = EntryJson.JSON.createObjectNode();
        o.put("agreement", l.agreementId());
        if (l.perUser() != null) o.put("per_user", l.perUser());
        if (l.perOrganisation() != null) o.put("per_organisation", l.perOrganisation());
        return o;
    }

    /** Who may subscribe to what, decided before the stream opens (afterwards only the stream can speak). */
    private record Subscription(Principal principal, boolean own, Set<String> types, long lastEventId) {}

    private void subscription(Context ctx) {
        if (!ctx.req().getMethod().equals("GET")) return;
        if (!"text/event-stream".equals(ctx.header("Accept"))) {
            throw new HttpProblem(406, "Not acceptable", "the event stream is server-sent events: ask with"
                    + " 'Accept: text/event-stream'");
        }
        ScreeningService.Caller c = caller(ctx);
        Principal p = HttpAuth.principal(ctx);
        String t = ctx.queryParam("types");
        Set<String> types = new LinkedHashSet<>();
        for (String x : (t == null ? EventHub.HIT : t).split(",")) {
            String type = x.strip().toLowerCase(Locale.ROOT);
            if (!EventHub.TYPES.contains(type)) {
                throw InvalidInput.of("Invalid parameter", "types", "'" + x.strip().replace("\0", "\\0")
                        + "' is not an event type: hit, sweep");
            }
            types.add(type);
        }
        if (types.contains(EventHub.HIT) && EventHub.TOLD_OF_HITS.stream().noneMatch(p::has)) {
            throw new Refusal(403, "Not told of hits", "events-hit-role", "hits are told to analysts, supervisors,"
                    + " liaison officers and administrators of the list's owner");
        }
        if (types.contains(EventHub.SWEEP) && !(c.ownOrganisation() && p.has(Role.ADMINISTRATOR))) {
            throw new Refusal(403, "Not told of sweeps", "events-sweep-role", "sweeps are reported to the administrators"
                    + " of the node's organisation");
        }
        if (service.hub().full()) {
            throw new HttpProblem(503, "Unavailable", "this node process serves as many event streams as it may;"
                    + " try another process or later");
        }
        long last = -1;
        String lastId = ctx.header("Last-Event-ID");
        if (lastId != null) {
            try {
                last = Long.parseLong(lastId.strip());
            } catch (NumberFormatException e) {
                throw InvalidInput.of("Invalid header", "Last-Event-ID", "an event id as the stream sent it");
            }
        }
        ctx.attribute(SUBSCRIPTION, new Subscription(p, c.ownOrganisation(), Set.copyOf(types), last));
    }

    private void events(SseClient client) {
        Subscription s = client.ctx().attribute(SUBSCRIPTION);
        if (s == null) {
            client.close();
            return;
        }
        service.hub().subscribe(client, s.principal(), s.own(), s.types(), s.lastEventId());
    }

    // ---------------------------------------------------------------- helpers

    private static void line(OutputStream out, JsonNode o) throws IOException {
        out.write(EntryJson.JSON.writeValueAsBytes(o));
        out.write('\n');
        out.flush();
    }

    private static JsonNode parse(String data) {
        try {
            return EntryJson.JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) return false;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "" -> true;
            case "false", "0", "no" -> false;
            default -> throw InvalidInput.of("Invalid parameter", name, "true or false");
        };
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw InvalidInput.of("Invalid parameter", name, "a whole number from " + min + " to " + max);
    }
}
