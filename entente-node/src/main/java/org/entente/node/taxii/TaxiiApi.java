package org.entente.node.taxii;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.http.Api;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.Routes;
import org.entente.node.intake.Admission;
import org.entente.node.intake.IntakeMetrics;
import org.entente.node.users.Permissions;
import org.entente.node.users.Permissions.Permission;
import org.entente.node.users.Principal;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Release;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.Entry;
import org.entente.node.store.ObjectQuery;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.Page;
import org.entente.node.store.PreparedObject;
import org.entente.node.store.Timestamps;
import org.entente.node.store.VersionMatch;
import org.entente.stix.Problem;

/**
 * The TAXII 2.1 server: discovery, one API root, collections, objects, manifest, versions and
 * status. Every response, errors included, is {@code application/taxii+json;version=2.1}.
 */
public final class TaxiiApi implements Api {

    public static final String DISCOVERY = "/taxii2/";
    public static final String API_ROOT = "/taxii2/intel/";
    /** Largest page served, whatever limit the client asks for. */
    static final int MAX_PAGE = 1000;

    public record Settings(String title, String contact, long maxContentLength) {}

    private static final ObjectMapper ENVELOPE = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final ObjectStore store;
    private final Readers readers;
    private final StatusStore statuses;
    private final PagingTokens tokens;
    private final Settings settings;
    private final PolicyGate gate;
    private final Admission admission;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param pagingKey the node-wide key that signs paging tokens, read when first needed
     */
    public TaxiiApi(ObjectStore store, Permissions permissions, org.entente.node.db.Database db,
            java.util.function.Supplier<byte[]> pagingKey, Settings settings, PolicyGate gate, Admission admission) {
        this(store, Readers.users(permissions, gate), db, pagingKey, settings, gate, admission);
    }

    /** @param readers who reads through this server (the node's users, or partners' nodes) */
    public TaxiiApi(ObjectStore store, Readers readers, org.entente.node.db.Database db,
            java.util.function.Supplier<byte[]> pagingKey, Settings settings, PolicyGate gate, Admission admission) {
        this.store = store;
        this.readers = readers;
        this.gate = gate;
        this.admission = admission;
        this.statuses = new StatusStore(db, json);
        this.tokens = new PagingTokens(pagingKey);
        this.settings = settings;
    }

    @Override
    public void register(Routes app) {
        app.before("/taxii2/*", ctx -> {
            if (!MediaTypes.acceptsTaxii(ctx.header("Accept"))) {
                throw new TaxiiException(406, "Not acceptable",
                        "this server answers only with " + MediaTypes.TAXII + "; the Accept header asked for "
                                + ctx.header("Accept"));
            }
        });
        app.get(DISCOVERY, this::discovery);
        app.get(API_ROOT, this::apiRoot);
        app.get(API_ROOT + "status/{status}/", this::status);
        app.get(API_ROOT + "collections/", this::collections);
        app.get(API_ROOT + "collections/{collection}/", this::collection);
        app.get(API_ROOT + "collections/{collection}/manifest/", this::manifest);
        app.get(API_ROOT + "collections/{collection}/objects/", this::getObjects);
        app.post(API_ROOT + "collections/{collection}/objects/", this::postObjects);
        app.get(API_ROOT + "collections/{collection}/objects/{object}/", this::getObject);
        app.delete(API_ROOT + "collections/{collection}/objects/{object}/", this::deleteObject);
        app.get(API_ROOT + "collections/{collection}/objects/{object}/versions/", this::versions);
    }

    // ---------------------------------------------------------------- resources

    private void discovery(Context ctx) {
        ObjectNode out = json.createObjectNode();
        out.put("title", settings.title());
        out.put("description", "Entente node: STIX 2.1 intelligence shared under agreements.");
        if (settings.contact() != null) out.put("contact", settings.contact());
        String root = baseUrl(ctx) + API_ROOT;
        out.put("default", root);
        out.putArray("api_roots").add(root);
        send(ctx, 200, out);
    }

    private void apiRoot(Context ctx) {
        ObjectNode out = json.createObjectNode();
        out.put("title", settings.title() + " intelligence");
        out.put("description", "Collections of STIX 2.1 objects held by this node.");
        out.putArray("versions").add(MediaTypes.TAXII);
        out.put("max_content_length", settings.maxContentLength());
        send(ctx, 200, out);
    }

    private void status(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        ObjectNode status = statuses.find(ctx.pathParam("status"), p.userId(), p.admin())
                .orElseThrow(() -> TaxiiException.notFound("no status resource " + ctx.pathParam("status")));
        send(ctx, 200, status);
    }

    private void collections(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        ObjectNode out = json.createObjectNode();
        ArrayNode list = json.createArrayNode();
        for (CollectionInfo c : store.collections()) {
            Permission perm = readers.permission(p, c);
            if (perm.read() || perm.write()) list.add(describe(c, perm));
        }
        if (!list.isEmpty()) out.set("collections", list);
        send(ctx, 200, out);
    }

    private void collection(Context ctx) {
        Access a = visibleCollection(ctx, HttpAuth.principal(ctx));
        send(ctx, 200, describe(a.collection(), a.permission()));
    }

    private ObjectNode describe(CollectionInfo c, Permission perm) {
        ObjectNode o = json.createObjectNode();
        o.put("id", c.id());
        o.put("title", c.title());
        if (c.description() != null) o.put("description", c.description());
        if (c.alias() != null) o.put("alias", c.alias());
        o.put("can_read", perm.read());
        o.put("can_write", perm.write());
        o.putArray("media_types").add(MediaTypes.STIX);
        return o;
    }

    private void manifest(Context ctx) {
        CollectionInfo c = readableCollection(ctx);
        Filters f = Filters.parse(ctx, true, true);
        Release release = open(ctx, c);
        String fingerprint = fingerprint("manifest", c.id(), null, f);
        Page page = store.list(c.id(), f.query(tokenPosition(f, fingerprint)), false);
        List<Released> shown = release(ctx, release, c, page, "manifest");
        ObjectNode out = json.createObjectNode();
        pageFields(out, page, fingerprint);
        if (!shown.isEmpty()) {
            ArrayNode records = out.putArray("objects");
            for (Released rel : shown) {
                Entry e = rel.entry();
                ObjectNode r = records.addObject();
                r.put("id", e.id());
                r.put("date_added", Timestamps.formatMicros(e.dateAdded()));
                r.put("version", Timestamps.format(e.version()));
                r.put("media_type", "application/stix+json;version=" + e.specVersion());
            }
        }
        dateHeaders(ctx, shown);
        send(ctx, 200, out);
    }

    private void getObjects(Context ctx) {
        CollectionInfo c = readableCollection(ctx);
        Filters f = Filters.parse(ctx, true, true);
        Release release = open(ctx, c);
        String fingerprint = fingerprint("objects", c.id(), null, f);
        Page page = store.list(c.id(), f.query(tokenPosition(f, fingerprint)), true);
        List<Released> shown = release(ctx, release, c, page, "objects");
        readers.served(ctx, HttpAuth.principal(ctx), c, shown.stream().map(Released::entry).toList());
        sendEnvelope(ctx, page, shown, fingerprint);
    }

    private void getObject(Context ctx) {
        CollectionInfo c = readableCollection(ctx);
        String objectId = ctx.pathParam("object");
        Filters f = Filters.parse(ctx, false, true).withId(objectId);
        Release release = open(ctx, c);
        String fingerprint = fingerprint("object", c.id(), objectId, f);
        Page page = store.list(c.id(), f.query(tokenPosition(f, fingerprint)), true);
        List<Released> shown = release(ctx, release, c, page, "object");
        readers.served(ctx, HttpAuth.principal(ctx), c, shown.stream().map(Released::entry).toList());
        if (shown.isEmpty() && !page.more() && f.next() == null) {
            // Withheld objects are answered like missing ones: their existence is itself information.
            throw TaxiiException.notFound("no object " + objectId + " in collection " + c.id()
                    + (f.isFiltered() ? " matching the filters" : "") + " that you may receive");
        }
        sendEnvelope(ctx, page, shown, fingerprint);
    }

    private void versions(Context ctx) {
        CollectionInfo c = readableCollection(ctx);
        String objectId = ctx.pathParam("object");
        Filters f = Filters.parse(ctx, false, false).withId(objectId).withVersions(VersionMatch.ALL);
        Release release = open(ctx, c);
        String fingerprint = fingerprint("versions", c.id(), objectId, f);
        Page page = store.list(c.id(), f.query(tokenPosition(f, fingerprint)), false);
        List<Released> shown = release(ctx, release, c, page, "versions");
        if (shown.isEmpty() && !page.more() && f.next() == null) {
            throw TaxiiException.notFound("no object " + objectId + " in collection " + c.id() + " that you may receive");
        }
        ObjectNode out = json.createObjectNode();
        pageFields(out, page, fingerprint);
        if (!shown.isEmpty()) {
            ArrayNode versions = out.putArray("versions");
            shown.forEach(r -> versions.add(Timestamps.format(r.entry().version())));
        }
        dateHeaders(ctx, shown);
        send(ctx, 200, out);
    }

    // ---------------------------------------------------------------- policy

    private record Released(Entry entry, String json) {}

    private Release open(Context ctx, CollectionInfo c) {
        return readers.open(ctx, HttpAuth.principal(ctx), c);
    }

    /**
     * Every object of the page through the decision point; the page position (and so the paging
     * token) stays that of the page as read, withheld objects included, so no object is skipped.
     */
    private List<Released> release(Context ctx, Release release, CollectionInfo c, Page page, String endpoint) {
        Release.Origin origin = new Release.Origin(c.providerId(), c.agreementId());
        List<Released> out = new ArrayList<>(page.entries().size());
        for (Entry e : page.entries()) {
            String version = Timestamps.format(e.version());
            String text = release.release(e.id(), version, e.facts(), e.latestFacts(), e.json(), origin);
            if (text != null) out.add(new Released(e, text));
        }
        gate.record(release, HttpAuth.principal(ctx), "taxii:" + endpoint, Map.of("collection", c.id()));
        return out;
    }

    private void deleteObject(Context ctx) {
        Access a = visibleCollection(ctx, HttpAuth.principal(ctx));
        CollectionInfo c = a.collection();
        if (!a.permission().write() || !a.permission().read()) {
            throw new TaxiiException(403, "Forbidden", "deleting from collection " + c.id()
                    + " needs read and write access");
        }
        admission.mayWrite(HttpAuth.principal(ctx), c, gate.policies().current().ownOrganisation(),
                ctx.req().getMethod() + " " + ctx.path());
        String objectId = ctx.pathParam("object");
        Filters f = Filters.parse(ctx, false, true);
        // Without match[version] a DELETE removes every version.
        VersionMatch versions = f.versionGiven() ? f.versions() : VersionMatch.ALL;
        int removed = store.delete(c.id(), objectId, versions, f.specVersions());
        if (removed == 0) {
            throw TaxiiException.notFound("no object " + objectId + " in collection " + c.id()
                    + (f.isFiltered() ? " matching the filters" : ""));
        }
        ctx.status(200);
        ctx.contentType(MediaTypes.TAXII);
    }

    private void postObjects(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        Access a = visibleCollection(ctx, p);
        CollectionInfo c = a.collection();
        if (!a.permission().write()) {
            throw new TaxiiException(403, "Forbidden", "you may not add objects to collection " + c.id());
        }
        admission.mayWrite(p, c, gate.policies().current().ownOrganisation(), ctx.req().getMethod() + " " + ctx.path());
        if (!MediaTypes.isTaxiiContent(ctx.contentType())) {
            throw new TaxiiException(415, "Unsupported media type",
                    "POST an envelope as " + MediaTypes.TAXII + ", not " + ctx.contentType());
        }
        Instant requested = Instant.now();
        JsonNode envelope = readEnvelope(ctx);
        JsonNode objects = envelope.get("objects");
        if (!envelope.isObject() || objects == null || !objects.isArray()) {
            throw TaxiiException.badRequest("the body must be a TAXII envelope: an object with an 'objects' array");
        }
        Admission.Checked checked = admission.check(IntakeMetrics.Channel.TAXII, objects, "/objects", c);
        if (!checked.accepted()) {
            List<Map<String, Object>> invalid = new ArrayList<>();
            for (Admission.Refused r : checked.refused()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("index", r.index());
                entry.put("id", r.id());
                entry.put("problems", r.problems().stream()
                        .map(pr -> Map.of("pointer", pr.pointer(), "message", pr.message())).toList());
                invalid.add(entry);
            }
            gate.rejected(p, "POST " + ctx.path(), "invalid-objects", invalid.size() + " of " + objects.size()
                    + " objects refused, e.g. " + invalid.getFirst());
            throw new TaxiiException(422, "Invalid STIX objects", invalid.size() + " of " + objects.size()
                    + " objects are not valid STIX 2.1; nothing of this envelope was stored",
                    Map.of("invalid_objects", invalid));
        }
        List<PreparedObject> prepared = checked.admitted();
        admission.store(IntakeMetrics.Channel.TAXII, c.id(), prepared);
        ArrayNode successes = json.createArrayNode();
        for (PreparedObject o : prepared) {
            ObjectNode s = successes.addObject();
            s.put("id", o.id());
            if (o.version() != null) s.put("version", Timestamps.format(o.version()));
        }
        ObjectNode status = statuses.record(c.id(), p.userId(), requested, successes, json.createArrayNode());
        send(ctx, 202, status);
    }

    private JsonNode readEnvelope(Context ctx) {
        long max = settings.maxContentLength();
        long declared = ctx.contentLength();
        if (declared > max) {
            throw new TaxiiException(413, "Content too large", "the envelope has " + declared
                    + " bytes; this API root accepts at most max_content_length = " + max);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[65536];
            int n;
            long total = 0;
            while ((n = in.read(chunk)) > 0) {
                total += n;
                if (total > max) {
                    throw new TaxiiException(413, "Content too large",
                            "the envelope exceeds max_content_length = " + max + " bytes");
                }
                buf.write(chunk, 0, n);
            }
            body = buf.toByteArray();
        } catch (IOException e) {
            throw TaxiiException.badRequest("could not read the request body: " + e.getMessage());
        }
        try {
            JsonNode node = ENVELOPE.readTree(body);
            if (node == null || node.isMissingNode()) throw TaxiiException.badRequest("the request body is empty");
            return node;
        } catch (JsonProcessingException e) {
            throw TaxiiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() : ""));
        } catch (IOException e) {
            throw TaxiiException.badRequest("the body is not valid JSON: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private record Access(CollectionInfo collection, Permission permission) {}

    /** The collection if the principal may at least see it; 404 otherwise, as TAXII asks. */
    private Access visibleCollection(Context ctx, Principal p) {
        String id = ctx.pathParam("collection");
        CollectionInfo c = store.collection(id).filter(col -> col.id().equals(id))
                .orElseThrow(() -> TaxiiException.notFound("no collection " + id));
        Permission perm = readers.permission(p, c);
        if (!perm.read() && !perm.write()) throw TaxiiException.notFound("no collection " + id);
        return new Access(c, perm);
    }

    private CollectionInfo readableCollection(Context ctx) {
        Access a = visibleCollection(ctx, HttpAuth.principal(ctx));
        if (!a.permission().read()) {
            throw new TaxiiException(403, "Forbidden", "you may write to collection " + a.collection().id()
                    + " but not read it");
        }
        return a.collection();
    }

    private Instant tokenPosition(Filters f, String fingerprint) {
        return f.next() == null ? null : tokens.redeem(f.next(), fingerprint);
    }

    private void pageFields(ObjectNode out, Page page, String fingerprint) {
        out.put("more", page.more());
        if (page.more()) {
            out.put("next", tokens.issue(fingerprint, page.entries().getLast().dateAdded()));
        }
    }

    private static void dateHeaders(Context ctx, List<Released> shown) {
        if (shown.isEmpty()) return;
        ctx.header("X-TAXII-Date-Added-First", Timestamps.formatMicros(shown.getFirst().entry().dateAdded()));
        ctx.header("X-TAXII-Date-Added-Last", Timestamps.formatMicros(shown.getLast().entry().dateAdded()));
    }

    /**
     * The envelope is written from the stored JSON text: no object is parsed to be served, except
     * those whose granular markings the policy had to apply.
     */
    private void sendEnvelope(Context ctx, Page page, List<Released> shown, String fingerprint) {
        StringBuilder out = new StringBuilder(page.entries().size() * 600 + 128);
        out.append("{\"more\":").append(page.more());
        if (page.more()) {
            out.append(",\"next\":\"").append(tokens.issue(fingerprint, page.entries().getLast().dateAdded())).append('"');
        }
        if (!shown.isEmpty()) {
            out.append(",\"objects\":[");
            boolean first = true;
            for (Released r : shown) {
                if (!first) out.append(',');
                out.append(r.json());
                first = false;
            }
            out.append(']');
        }
        out.append('}');
        dateHeaders(ctx, shown);
        ctx.status(200);
        ctx.contentType(MediaTypes.TAXII);
        ctx.result(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String fingerprint(String endpoint, String collection, String object, Filters f) {
        String basis = endpoint + "|" + collection + "|" + (object == null ? "" : object) + "|" + f.canonical();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(Context ctx, int status, JsonNode body) {
        ctx.status(status);
        ctx.contentType(MediaTypes.TAXII);
        ctx.result(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String baseUrl(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }
}
