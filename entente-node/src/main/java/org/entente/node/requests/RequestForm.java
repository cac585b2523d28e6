package org.entente.node.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.entente.node.common.InvalidInput;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.AssistanceType;
import org.entente.node.policy.Urgency;

/**
 * A request as a person writes it (docs/REQUESTS.md, "A request"), checked field by field: every
 * problem is reported at once, each with its JSON pointer, and nothing leaves with one.
 */
record RequestForm(String partner, AssistanceType type, Urgency urgency, Agreement agreement, String article,
        Instant deadline, ObjectNode subject, List<String> measures, String language, String summary,
        List<Attachment> attachments, ArrayNode objects, String extendsId) {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ATTACHMENTS = 10;
    private static final Set<String> FIELDS = Set.of("partner", "type", "urgency", "legal_basis", "deadline", "subject",
            "measures", "language", "summary", "attachments", "objects", "extends", "send");
    private static final Set<String> SUBJECT_FIELDS = Set.of("accounts", "ip_addresses", "domains", "documents",
            "stix_objects");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern STIX_ID = Pattern.compile("[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** A file sent with a request, an answer or a clarification, identified by its SHA-256. */
    record Attachment(String name, String mediaType, byte[] content, String sha256) {
        ObjectNode describe() {
            ObjectNode o = JSON.createObjectNode();
            o.put("name", name).put("media_type", mediaType).put("size", content.length).put("sha256", sha256);
            return o;
        }

        ObjectNode withContent() {
            return describe().put("content", Base64.getEncoder().encodeToString(content));
        }
    }

    /** What a form is checked against: the node's view of partners and agreements at this moment. */
    interface Context {
        /** The organisation id of a partner with a node (a peer), by id or name; null when there is none. */
        String peer(String idOrName);

        /** Whether an organisation by that id or name is known at all (to tell an unknown partner from one without a node). */
        boolean knownOrganisation(String idOrName);

        java.util.Optional<Agreement> agreement(String id);

        /** The nation of an organisation (agreements may name whole nations as parties). */
        String nation(String organisationId);

        String ownOrganisation();

        Instant now();

        /** The largest attachment accepted, in bytes. */
        long attachmentLimit();

        /** The most all attachments of one message may take, in bytes (what a partner's node accepts in one message). */
        long messageLimit();

        /** Whether {@code id} names an earlier preservation to this partner that a new one may extend. */
        String extensionProblem(String id, String partner);
    }

    static RequestForm parse(JsonNode b, Context ctx) {
        List<InvalidInput.Problem> p = new ArrayList<>();
        b.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) p.add(new InvalidInput.Problem("/" + f, "unknown field; a request has " + String.join(", ",
                    FIELDS.stream().sorted().toList())));
        });
        String partner = null;
        String given = text(b, "partner", p, true, 200);
        if (given != null) {
            partner = ctx.peer(given);
            if (partner == null) {
                p.add(new InvalidInput.Problem("/partner", ctx.knownOrganisation(given)
                        ? "'" + given + "' has no node this node is a peer of: requests travel node to node (entente peer add)"
                        : "unknown partner '" + given + "' (see GET /api/requests/directory)"));
            } else if (partner.equals(ctx.ownOrganisation())) {
                p.add(new InvalidInput.Problem("/partner", "a request goes to another organisation, not to this node's own"));
                partner = null;
            }
        }
        AssistanceType type = null;
        String t = text(b, "type", p, true, 100);
        if (t != null) {
            type = AssistanceType.parse(t).orElse(null);
            if (type == null) p.add(new InvalidInput.Problem("/type", "unknown request type '" + t + "'; known: "
                    + AssistanceType.choices()));
        }
        Urgency urgency = Urgency.ROUTINE;
        String u = text(b, "urgency", p, false, 100);
        if (u != null) {
            urgency = Urgency.parse(u).orElse(null);
            if (urgency == null) p.add(new InvalidInput.Problem("/urgency", "unknown urgency '" + u + "'; known: "
                    + Urgency.choices()));
        }
        Agreement agreement = null;
        String article = null;
        JsonNode lb = b.get("legal_basis");
        if (lb == null || lb.isNull() || (lb.isObject() && lb.isEmpty())) {
            p.add(new InvalidInput.Problem("/legal_basis", "state the legal basis: the agreement (legal_basis.agreement)"
                    + " and, when it is not the one the agreement gives for the type, the article (legal_basis.article)"));
        } else if (!lb.isObject()) {
            p.add(new InvalidInput.Problem("/legal_basis", "must be an object with agreement and article"));
        } else {
            String aid = text(lb, "agreement", p, true, 200, "/legal_basis/agreement");
            article = text(lb, "article", p, false, 500, "/legal_basis/article");
            if (aid != null) {
                agreement = ctx.agreement(aid).orElse(null);
                if (agreement == null) {
                    p.add(new InvalidInput.Problem("/legal_basis/agreement", "no agreement '" + aid + "' is held by this node"));
                } else if (!agreement.hasParty(ctx.ownOrganisation(), ctx.nation(ctx.ownOrganisation()))
                        || (partner != null && !agreement.hasParty(partner, ctx.nation(partner)))) {
                    p.add(new InvalidInput.Problem("/legal_basis/agreement", "agreement " + aid + " (" + agreement.title()
                            + ") does not bind this node's organisation and the partner: a request needs an agreement"
                            + " between both"));
                    agreement = null;
                } else if (agreement.notInForceReason(ctx.now()) != null) {
                    p.add(new InvalidInput.Problem("/legal_basis/agreement", agreement.notInForceReason(ctx.now())));
                    agreement = null;
                } else if (agreement.assistance().types().isEmpty()) {
                    p.add(new InvalidInput.Problem("/legal_basis/agreement", "agreement " + aid + " (" + agreement.title()
                            + ") covers no requests for assistance (its document has no assistance part)"));
                    agreement = null;
                } else if (type != null && !agreement.assistance().covers(type)) {
                    p.add(new InvalidInput.Problem("/type", "agreement " + aid + " does not cover " + type.wire()
                            + " requests; it covers " + String.join(", ", agreement.assistance().types().keySet().stream()
                            .map(AssistanceType::wire).toList())));
                    agreement = null;
                }
                if (agreement != null && type != null && article == null) article = agreement.assistance().types().get(type);
            }
        }
        Instant deadline = null;
        String d = text(b, "deadline", p, false, 100);
        if (d != null) {
            try {
                deadline = OffsetDateTime.parse(d).toInstant();
                if (!deadline.isAfter(ctx.now())) {
                    p.add(new InvalidInput.Problem("/deadline", "the deadline " + d + " is in the past"));
                } else if (agreement != null && urgency != null) {
                    Duration window = agreement.assistance().deadlines().get(urgency);
                    Instant earliest = ctx.now().plus(window);
                    if (deadline.isBefore(earliest)) {
                        p.add(new InvalidInput.Problem("/deadline", "agreement " + agreement.id() + " gives " + window
                                + " to answer " + urgency.wire() + " requests (until " + earliest + "): a request may"
                                + " grant more time, not less; raise the urgency for a sooner answer"));
                    }
                }
            } catch (DateTimeParseException e) {
                p.add(new InvalidInput.Problem("/deadline", "'" + d + "' is not an RFC 3339 timestamp with its offset"));
            }
        }
        boolean spontaneous = type == AssistanceType.SPONTANEOUS_INFORMATION;
        ObjectNode subject = subject(b.get("subject"), p, !spontaneous && type != null);
        List<String> measures = strings(b, "measures", p, !spontaneous && type != null, 2000);
        String language = text(b, "language", p, true, 35);
        if (language != null) {
            try {
                Locale l = new Locale.Builder().setLanguageTag(language).build();
                if (l.getLanguage().isEmpty()) throw new IllformedLocaleException("no language");
                language = l.toLanguageTag();
            } catch (IllformedLocaleException e) {
                p.add(new InvalidInput.Problem("/language", "'" + language + "' is not a BCP 47 language tag (e.g. en, fr, ar, de-AT)"));
            }
        }
        String summary = text(b, "summary", p, true, 20_000);
        List<Attachment> attachments = attachments(b.get("attachments"), "/attachments", p, ctx);
        ArrayNode objects = null;
        JsonNode os = b.get("objects");
        if (os != null && !os.isNull()) {
            if (!spontaneous) {
                p.add(new InvalidInput.Problem("/objects", "STIX objects travel with spontaneous information only;"
                        + " other requests link objects in subject.stix_objects, and answers carry data"));
            } else if (!os.isArray() || os.isEmpty()) {
                p.add(new InvalidInput.Problem("/objects", "must be a non-empty list of STIX objects"));
            } else {
                objects = (ArrayNode) os;
            }
        }
        String ext = text(b, "extends", p, false, 200);
        if (ext != null) {
            if (type != AssistanceType.PRESERVATION) {
                p.add(new InvalidInput.Problem("/extends", "only a preservation extends an earlier preservation"));
            } else if (partner != null) {
                String why = ctx.extensionProblem(ext, partner);
                if (why != null) p.add(new InvalidInput.Problem("/extends", why));
            }
        }
        if (!p.isEmpty()) throw new InvalidInput("Invalid request", p);
        return new RequestForm(partner, type, urgency, agreement, article, deadline, subject, measures, language, summary,
                attachments, objects, ext);
    }

    /** The request as it travels and is kept at both ends (attachments by hash, their content apart). */
    ObjectNode document(String id, String requester, String requested) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("requester", requester);
        o.put("requested", requested);
        o.put("type", type.wire());
        o.put("urgency", urgency.wire());
        o.putObject("legal_basis").put("agreement", agreement.id()).put("agreement_title", agreement.title())
                .put("article", article);
        if (deadline != null) o.put("deadline", deadline.toString());
        o.set("subject", subject);
        ArrayNode m = o.putArray("measures");
        measures.forEach(m::add);
        o.put("language", language);
        o.put("summary", summary);
        ArrayNode a = o.putArray("attachments");
        attachments.forEach(x -> a.add(x.describe()));
        if (extendsId != null) o.put("extends", extendsId);
        return o;
    }

    // ---------------------------------------------------------------- pieces

    static List<Attachment> attachments(JsonNode n, String at, List<InvalidInput.Problem> p, Context ctx) {
        List<Attachment> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) {
            p.add(new InvalidInput.Problem(at, "must be a list of {name, media_type, content (base64)}"));
            return out;
        }
        if (n.size() > MAX_ATTACHMENTS) {
            p.add(new InvalidInput.Problem(at, "at most " + MAX_ATTACHMENTS + " attachments, not " + n.size()));
            return out;
        }
        long total = 0;
        for (int i = 0; i < n.size(); i++) {
            JsonNode a = n.get(i);
            String ai = at + "/" + i;
            if (!a.isObject()) {
                p.add(new InvalidInput.Problem(ai, "must be an object with name, media_type and content (base64)"));
                continue;
            }
            String name = text(a, "name", p, true, 255, ai + "/name");
            String type = text(a, "media_type", p, false, 255, ai + "/media_type");
            String content = text(a, "content", p, true, Integer.MAX_VALUE, ai + "/content");
            if (name != null && (name.contains("/") || name.contains("\\") || name.chars().anyMatch(c -> c < 0x20))) {
                p.add(new InvalidInput.Problem(ai + "/name", "a file name without folders or control characters"));
            }
            if (content == null) continue;
            // Checked before decoding: a huge attachment is refused without holding it twice.
            long approx = content.length() / 4L * 3;
            if (approx > ctx.attachmentLimit() + 3) {
                p.add(new InvalidInput.Problem(ai + "/content", "the attachment is over the limit of " + ctx.attachmentLimit()
                        + " bytes (about " + approx + " bytes)"));
                continue;
            }
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(content);
            } catch (IllegalArgumentException e) {
                p.add(new InvalidInput.Problem(ai + "/content", "is not base64: " + e.getMessage()));
                continue;
            }
            if (bytes.length > ctx.attachmentLimit()) {
                p.add(new InvalidInput.Problem(ai + "/content", "the attachment is over the limit of " + ctx.attachmentLimit()
                        + " bytes (" + bytes.length + " bytes)"));
                continue;
            }
            total += bytes.length;
            String hash = sha256(bytes);
            String declared = text(a, "sha256", p, false, 64, ai + "/sha256");
            if (declared != null && !declared.equalsIgnoreCase(hash)) {
                p.add(new InvalidInput.Problem(ai + "/sha256", "does not match the content (SHA-256 " + hash + ")"));
            }
            if (out.stream().anyMatch(x -> x.sha256().equals(hash))) {
                p.add(new InvalidInput.Problem(ai, "the same file is attached twice"));
                continue;
            }
            if (name != null) out.add(new Attachment(name, type == null ? "application/octet-stream" : type, bytes, hash));
        }
        if (total * 4 / 3 > ctx.messageLimit()) {
            p.add(new InvalidInput.Problem(at, "the attachments together (" + total + " bytes) are more than a partner's"
                    + " node accepts in one message; send some with a clarification"));
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode subject(JsonNode s, List<InvalidInput.Problem> p, boolean required) {
        ObjectNode out = JSON.createObjectNode();
        if (s == null || s.isNull()) {
            if (required) p.add(new InvalidInput.Problem("/subject", "name what the request is about: accounts,"
                    + " ip_addresses, domains, documents or stix_objects"));
            return out;
        }
        if (!s.isObject()) {
            p.add(new InvalidInput.Problem("/subject", "must be an object"));
            return out;
        }
        s.fieldNames().forEachRemaining(f -> {
            if (!SUBJECT_FIELDS.contains(f)) p.add(new InvalidInput.Problem("/subject/" + f, "unknown; the subject has "
                    + String.join(", ", SUBJECT_FIELDS.stream().sorted().toList())));
        });
        int entries = 0;
        ArrayNode accounts = list(s, "accounts", p);
        for (int i = 0; i < accounts.size(); i++) {
            JsonNode a = accounts.get(i);
            String at = "/subject/accounts/" + i;
            String service = text(a, "service", p, true, 200, at + "/service");
            String identifier = text(a, "identifier", p, true, 500, at + "/identifier");
            if (service != null && identifier != null) {
                out.withArray("accounts").addObject().put("service", service).put("identifier", identifier);
                entries++;
            }
        }
        ArrayNode ips = list(s, "ip_addresses", p);
        for (int i = 0; i < ips.size(); i++) {
            JsonNode a = ips.get(i);
            String at = "/subject/ip_addresses/" + i;
            String address = text(a, "address", p, true, 100, at + "/address");
            if (address != null && !ipAddress(address)) {
                p.add(new InvalidInput.Problem(at + "/address", "'" + address + "' is not an IPv4 or IPv6 address"));
                address = null;
            }
            // An address is evidence only with the moment it was used: providers reassign them.
            String ts = text(a, "timestamp", p, true, 100, at + "/timestamp");
            OffsetDateTime when = null;
            if (ts != null) {
                try {
                    when = OffsetDateTime.parse(ts);
                } catch (DateTimeParseException e) {
                    p.add(new InvalidInput.Problem(at + "/timestamp", "'" + ts + "' is not an RFC 3339 timestamp with its offset"));
                }
            }
            String zone = text(a, "time_zone", p, true, 100, at + "/time_zone");
            if (zone != null) {
                try {
                    zone = ZoneId.of(zone).getId();
                } catch (DateTimeException e) {
                    p.add(new InvalidInput.Problem(at + "/time_zone", "'" + zone + "' is not a time zone (e.g. Europe/Tallinn, UTC, +02:00)"));
                    zone = null;
                }
            }
            Integer port = null;
            JsonNode pn = a.get("port");
            if (pn != null && !pn.isNull()) {
                if (!pn.isIntegralNumber() || pn.asInt() < 0 || pn.asInt() > 65535) {
                    p.add(new InvalidInput.Problem(at + "/port", "a port is a whole number from 0 to 65535"));
                } else {
                    port = pn.asInt();
                }
            }
            if (address != null && when != null && zone != null) {
                ObjectNode o = out.withArray("ip_addresses").addObject().put("address", address).put("timestamp", ts)
                        .put("time_zone", zone);
                if (port != null) o.put("port", port);
                entries++;
            }
        }
        ArrayNode domains = list(s, "domains", p);
        for (int i = 0; i < domains.size(); i++) {
            String dn = domains.get(i).asText("").strip().toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(dn).matches()) {
                p.add(new InvalidInput.Problem("/subject/domains/" + i, "'" + domains.get(i).asText() + "' is not a domain name"));
            } else {
                out.withArray("domains").add(dn);
                entries++;
            }
        }
        ArrayNode docs = list(s, "documents", p);
        for (int i = 0; i < docs.size(); i++) {
            JsonNode a = docs.get(i);
            String at = "/subject/documents/" + i;
            String kind = text(a, "kind", p, true, 100, at + "/kind");
            String number = text(a, "number", p, true, 100, at + "/number");
            String country = text(a, "issuing_country", p, false, 3, at + "/issuing_country");
            if (country != null && !country.matches("[A-Z]{2,3}")) {
                p.add(new InvalidInput.Problem(at + "/issuing_country", "an ISO 3166-1 alpha-2 or alpha-3 code"));
                country = null;
            }
            if (kind != null && number != null) {
                ObjectNode o = out.withArray("documents").addObject().put("kind", kind).put("number", number);
                if (country != null) o.put("issuing_country", country);
                entries++;
            }
        }
        ArrayNode refs = list(s, "stix_objects", p);
        for (int i = 0; i < refs.size(); i++) {
            String id = refs.get(i).asText("");
            if (!STIX_ID.matcher(id).matches()) {
                p.add(new InvalidInput.Problem("/subject/stix_objects/" + i, "'" + id + "' is not a STIX identifier (type--UUID)"));
            } else {
                out.withArray("stix_objects").add(id);
                entries++;
            }
        }
        if (required && entries == 0 && p.stream().noneMatch(x -> x.field().startsWith("/subject"))) {
            p.add(new InvalidInput.Problem("/subject", "name at least one account, IP address, domain, document or STIX object"));
        }
        return out;
    }

    private static boolean ipAddress(String s) {
        if (IPV4.matcher(s).matches()) return true;
        // Only hex digits, colons and dots with a colon: a literal, never a name (no DNS look-up happens).
        if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]{2,45}")) return false;
        try {
            return InetAddress.getByName(s) instanceof java.net.Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static ArrayNode list(JsonNode s, String field, List<InvalidInput.Problem> p) {
        JsonNode n = s.get(field);
        if (n == null || n.isNull()) return JSON.createArrayNode();
        if (!n.isArray()) {
            p.add(new InvalidInput.Problem("/subject/" + field, "must be a list"));
            return JSON.createArrayNode();
        }
        return (ArrayNode) n;
    }

    static List<String> strings(JsonNode b, String field, List<InvalidInput.Problem> p, boolean required, int max) {
        List<String> out = new ArrayList<>();
        JsonNode n = b.get(field);
        if (n == null || n.isNull() || (n.isArray() && n.isEmpty())) {
            if (required) p.add(new InvalidInput.Problem("/" + field, "say what is asked for (a list of measures)"));
            return out;
        }
        if (!n.isArray()) {
            p.add(new InvalidInput.Problem("/" + field, "must be a list of texts"));
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            String v = n.get(i).isTextual() ? n.get(i).asText().strip() : "";
            if (v.isEmpty() || v.length() > max) {
                p.add(new InvalidInput.Problem("/" + field + "/" + i, "a text of 1 to " + max + " characters"));
            } else {
                out.add(v);
            }
        }
        return out;
    }

    static String text(JsonNode b, String field, List<InvalidInput.Problem> p, boolean required, int max) {
        return text(b, field, p, required, max, "/" + field);
    }

    static String text(JsonNode b, String field, List<InvalidInput.Problem> p, boolean required, int max, String at) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
            if (required) p.add(new InvalidInput.Problem(at, field + " is required"));
            return null;
        }
        if (!n.isTextual()) {
            p.add(new InvalidInput.Problem(at, field + " must be a string"));
            return null;
        }
        String v = n.asText().strip();
        if (v.length() > max) {
            p.add(new InvalidInput.Problem(at, field + " is longer than " + max + " characters"));
            return null;
        }
        return v;
    }
}
