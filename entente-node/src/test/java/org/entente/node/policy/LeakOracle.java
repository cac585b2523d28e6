package org.entente.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sharing policy as docs/POLICY.md states it ("The decision, in order", "Markings",
 * "Agreements"), written from the document alone: it does not call, and was not written from, the
 * node's Policy, Release or ObjectFacts. It reads the STIX object as JSON, the agreements as plain
 * records, and answers what a recipient may receive: the object or nothing, and which top-level
 * properties are removed from it.
 */
final class LeakOracle {

    /** TLP 2.0 levels, least restrictive first. */
    enum Tlp { CLEAR, GREEN, AMBER, AMBER_STRICT, RED }

    static final String H0 = "H0", H1 = "H1", H2 = "H2", H3 = "H3";

    /** An organisation as the oracle sees it. */
    record Org(String id, String name, String nation, boolean own) {}

    /**
     * An agreement as the oracle sees it (its current status).
     *
     * @param until null: open-ended
     * @param onward forbidden, named-parties or with-consent
     */
    record Agreement(String id, List<String> parties, String status, Instant from, Instant until,
            Set<String> categories, Set<String> purposes, Tlp maxTlp, Set<String> codes, boolean personalData,
            String onward, List<String> onwardParties) {

        boolean binds(Org o) {
            return parties.contains(o.id()) || parties.contains("nation:" + o.nation());
        }

        boolean inForce(Instant now) {
            return status.equals("active") && !now.isBefore(from) && (until == null || now.isBefore(until));
        }

        Agreement withStatus(String s) {
            return new Agreement(id, parties, s, from, until, categories, purposes, maxTlp, codes, personalData, onward,
                    onwardParties);
        }

        @Override
        public String toString() {
            return id + "{" + status + " " + from + ".." + until + " parties=" + parties + " categories=" + categories
                    + " purposes=" + purposes + " max_tlp=" + maxTlp + " codes=" + codes + " personal=" + personalData
                    + " onward=" + onward + onwardParties + "}";
        }
    }

    /** What the recipient gets: nothing, or the object less some top-level properties. */
    record Answer(boolean permitted, Set<String> removed, String why) {
        static Answer deny(String why) {
            return new Answer(false, Set.of(), why);
        }

        @Override
        public String toString() {
            return permitted ? "permit (" + why + ")" + (removed.isEmpty() ? "" : " without " + removed)
                    : "deny (" + why + ")";
        }
    }

    // ------------------------------------------------------------------ marking ids (standard, and Entente's own)

    static final Map<String, Tlp> TLP_IDS = Map.of(
            "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Tlp.CLEAR,
            "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Tlp.GREEN,
            "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Tlp.AMBER,
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Tlp.AMBER_STRICT,
            "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Tlp.RED,
            // TLP 1.0 (STIX 2.1 section 7.2.1.4): WHITE = CLEAR
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp.CLEAR,
            "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp.GREEN,
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp.AMBER,
            "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp.RED);

    static final Map<String, String> CODE_IDS = Map.of(
            HandlingCode.H0.markingId(), H0, HandlingCode.H1.markingId(), H1,
            HandlingCode.H2.markingId(), H2, HandlingCode.H3.markingId(), H3);

    static final Set<String> H0_PURPOSES = Set.of("prevention", "detection", "investigation", "prosecution");

    static final Set<String> ENVELOPE = Set.of("id", "type", "spec_version", "created", "modified");

    // ------------------------------------------------------------------ facts of an object, read from its JSON

    static final Set<String> SCO_TYPES = Set.of("artifact", "autonomous-system", "directory", "domain-name",
            "email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic",
            "process", "software", "url", "user-account", "windows-registry-key", "x509-certificate");

    static String category(JsonNode o) {
        String type = o.path("type").asText();
        if (SCO_TYPES.contains(type)) return "cyber-indicators";
        return switch (type) {
            case "indicator", "observed-data", "sighting", "infrastructure" -> "cyber-indicators";
            case "malware", "tool", "malware-analysis", "vulnerability" -> "malware-and-tooling";
            case "threat-actor", "intrusion-set", "campaign", "attack-pattern" -> "threat-actors-and-campaigns";
            case "incident" -> "incidents";
            case "identity" -> "individual".equals(o.path("identity_class").asText()) ? "persons-of-interest"
                    : "reports-and-context";
            case "x-entente-person" -> "persons-of-interest";
            case "x-entente-travel-document" -> "travel-documents";
            case "x-entente-vehicle" -> "vehicles";
            case "x-entente-sanctions-entity" -> "sanctions-entities";
            case "x-entente-request" -> "requests";
            case "x-entente-operation" -> "operations";
            case "marking-definition", "extension-definition" -> "definitions";
            default -> "reports-and-context";
        };
    }

    static boolean personal(JsonNode o) {
        String c = category(o);
        if (c.equals("persons-of-interest") || c.equals("travel-documents") || c.equals("vehicles")) return true;
        String type = o.path("type").asText();
        if (type.equals("user-account") || type.equals("email-message")) return true;
        if (type.equals("email-addr") && o.hasNonNull("display_name")) return true;
        return o.path("x_entente_personal_data").asBoolean(false) && o.path("x_entente_personal_data").isBoolean();
    }

    static List<String> markings(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.path("object_marking_refs").forEach(m -> out.add(m.asText()));
        return out;
    }

    /** The most restrictive TLP among the markings; null when there is none. */
    static Tlp tlp(Collection<String> markings) {
        Tlp t = null;
        for (String m : markings) {
            Tlp l = TLP_IDS.get(m);
            if (l != null && (t == null || l.compareTo(t) > 0)) t = l;
        }
        return t;
    }

    static Set<String> codes(Collection<String> markings) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : markings) if (CODE_IDS.containsKey(m)) out.add(CODE_IDS.get(m));
        return out;
    }

    static Set<String> redRecipients(JsonNode o) {
        Set<String> out = new LinkedHashSet<>();
        o.path("x_entente_red_recipients").forEach(r -> out.add(r.asText()));
        return out;
    }

    // ------------------------------------------------------------------ the decision

    /**
     * What recipient {@code r} (reading as user {@code user}) gets of object {@code o}, held in a
     * collection of provider {@code providerId} under agreement {@code agreementId} (both null: own
     * intelligence), for {@code purpose}, at {@code now}, given every agreement the node holds.
     */
    static Answer answer(JsonNode o, String providerId, String agreementId, Org own, Org r, String user, String purpose,
            Instant now, Collection<Agreement> agreements) {
        List<String> markings = markings(o);
        String whole = decide(o, markings, providerId, agreementId, own, r, user, purpose, now, agreements);
        if (whole != null) return Answer.deny(whole);
        Set<String> removed = new LinkedHashSet<>();
        for (JsonNode g : o.path("granular_markings")) {
            if (!g.hasNonNull("marking_ref")) continue;
            List<String> with = new ArrayList<>(markings);
            with.add(g.get("marking_ref").asText());
            // "removed ... when the recipient could not receive the object if it bore that marking as a whole"
            String denied = decide(o, with, providerId, agreementId, own, r, user, purpose, now, agreements);
            if (denied == null) continue;
            for (JsonNode s : g.path("selectors")) {
                String top = topLevel(s.asText());
                if (ENVELOPE.contains(top)) return Answer.deny("granular marking on " + top + ": " + denied);
                removed.add(top);
            }
        }
        return new Answer(true, removed, providerId == null ? "own" : "partner");
    }

    /** "a selector into a list removes the whole top-level property" */
    static String topLevel(String selector) {
        int dot = selector.indexOf('.');
        return dot < 0 ? selector : selector.substring(0, dot);
    }

    /** Null: permit; otherwise the rule that denies (named as in POLICY.md). */
    static String decide(JsonNode o, List<String> markings, String providerId, String agreementId, Org own, Org r,
            String user, String x, Instant now, Collection<Agreement> agreements) {
        Tlp t = tlp(markings);
        Set<String> h = codes(markings);
        String c = category(o);
        boolean p = personal(o);
        Set<String> red = redRecipients(o);
        boolean userNamed = user != null && red.contains("user:" + user);
        // 1.
        if (r == null) return "unknown-recipient";
        // 2.
        if (providerId == null && r.own()) return t == Tlp.RED && !userNamed ? "tlp-red-not-named" : null;
        // 3.
        if (providerId != null && r.id().equals(providerId)) return null;
        // 4.
        if (h.contains(H0) && !H0_PURPOSES.contains(x)) return "handling-h0-purpose";
        if (h.contains(H1) && x.equals("prosecution")) return "handling-h1-judicial";
        // 5.
        Agreement a = null;
        if (providerId != null) {
            for (Agreement g : agreements) if (g.id().equals(agreementId)) a = g;
            if (a == null) return "provenance-unknown";
            if (!a.purposes().contains(x)) return "purpose-limited-by-provider";
        }
        // 6.
        if (providerId != null && r.own()) return t == Tlp.RED && !userNamed ? "tlp-red-not-named" : null;
        // 7.
        if (t == Tlp.AMBER_STRICT) return "tlp-amber-strict";
        if (t == Tlp.RED && !red.contains(r.id())) return "tlp-red-not-named";
        // 8.
        if (providerId != null) {
            if (h.contains(H2)) return "handling-h2-dissemination";
            if (h.contains(H3)) return "handling-h3-restrictions";
            switch (a.onward()) {
                case "forbidden" -> { return "onward-forbidden"; }
                case "named-parties" -> {
                    if (!a.onwardParties().contains(r.id()) && !a.onwardParties().contains("nation:" + r.nation())) {
                        return "onward-not-named";
                    }
                }
                case "with-consent" -> { return "onward-needs-consent"; }
                default -> throw new IllegalStateException(a.onward());
            }
        }
        // 9.
        List<Agreement> binding = new ArrayList<>();
        for (Agreement g : agreements) {
            if (!g.status().equals("terminated") && g.binds(own) && g.binds(r)) binding.add(g);
        }
        if (binding.isEmpty()) return "no-agreement";
        // 10.
        Tlp effective = t == null ? Tlp.AMBER : t;
        for (Agreement g : binding) {
            if (!g.inForce(now)) continue;
            if (!c.equals("definitions") && !g.categories().contains(c)) continue;
            if (!g.purposes().contains(x)) continue;
            if (effective.compareTo(g.maxTlp()) > 0) continue;
            if (!g.codes().containsAll(h)) continue;
            if (p && !g.personalData()) continue;
            return null;
        }
        return "no-agreement-passes";
    }
}
