package org.entente.node.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.entente.node.policy.Decision.Deny;
import org.entente.node.policy.Decision.Permit;

/**
 * The one decision point: for an object, a recipient organisation, a purpose and an action, permit
 * or deny, with the rule and agreement that decided and a reason. An immutable snapshot of the
 * organisations and agreements; {@link PolicyService} swaps in a new one when they change.
 *
 * <p>The order of the checks is the order a data-protection officer would apply them: what the data
 * itself says (handling codes, TLP), then where it came from (the agreement it was received under
 * and its onward-sharing rule), then whether an agreement in force lets it go to this recipient for
 * this purpose.
 */
public final class Policy {

    /** Objects without a TLP marking leave the organisation as if they were TLP:AMBER. */
    public static final TlpLevel UNMARKED_SHARED_AS = TlpLevel.AMBER;

    private final String ownId;
    private final Map<String, String> nations;
    private final Map<String, Agreement> agreements;
    /** For each partner organisation, the agreements that bind both it and this node's organisation. */
    private final Map<String, Agreement[]> withPartner;
    /** Active consents: "covers|provider|recipient" to the object ids they cover ("*": all). */
    private final Map<String, java.util.Set<String>> consents;

    /**
     * @param ownId this node's organisation
     * @param nations every known organisation's nation, by organisation id
     */
    public Policy(String ownId, Map<String, String> nations, Collection<Agreement> agreements) {
        this(ownId, nations, agreements, List.of());
    }

    public Policy(String ownId, Map<String, String> nations, Collection<Agreement> agreements, Collection<Consent> consents) {
        Map<String, java.util.Set<String>> byPair = new HashMap<>();
        for (Consent c : consents) {
            byPair.computeIfAbsent(c.covers().wire() + "|" + c.providerId() + "|" + c.recipientId(), k -> new java.util.HashSet<>())
                    .add(c.objectId() == null ? "*" : c.objectId());
        }
        this.consents = byPair;
        this.ownId = ownId;
        this.nations = Map.copyOf(nations);
        Map<String, Agreement> byId = new LinkedHashMap<>();
        for (Agreement a : agreements) byId.put(a.id(), a);
        this.agreements = byId;
        String ownNation = ownId == null ? null : nations.get(ownId);
        Map<String, List<Agreement>> partners = new HashMap<>();
        for (Agreement a : agreements) {
            if (a.status() == Agreement.Status.TERMINATED || !a.hasParty(ownId, ownNation)) continue;
            for (Map.Entry<String, String> org : nations.entrySet()) {
                if (org.getKey().equals(ownId)) continue;
                if (a.hasParty(org.getKey(), org.getValue())) {
                    partners.computeIfAbsent(org.getKey(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        Map<String, Agreement[]> index = new HashMap<>();
        partners.forEach((k, v) -> index.put(k, v.toArray(Agreement[]::new)));
        this.withPartner = index;
    }

    public String ownOrganisation() {
        return ownId;
    }

    public Optional<Agreement> agreement(String id) {
        return Optional.ofNullable(id == null ? null : agreements.get(id));
    }

    public Collection<Agreement> agreements() {
        return agreements.values();
    }

    public boolean knows(String organisationId) {
        return nations.containsKey(organisationId);
    }

    /** The agreements that bind this node and {@code partner}, in force or not (terminated ones left out). */
    public List<Agreement> agreementsWith(String partner) {
        Agreement[] a = withPartner.get(partner);
        return a == null ? List.of() : List.of(a);
    }

    /** The decision alone: what every read path calls for every object. */
    public Decision decide(Subject s, Recipient r, Purpose purpose, Action action, Instant now) {
        return decide(s, r, purpose, action, now, null);
    }

    /** The decision and, in order, every check that led to it. */
    public Explanation explain(Subject s, Recipient r, Purpose purpose, Action action, Instant now) {
        List<String> checks = new ArrayList<>();
        Decision d = decide(s, r, purpose, action, now, checks);
        return new Explanation(d, ObjectFacts.unpack(s.facts()), checks);
    }

    public record Explanation(Decision decision, ObjectFacts facts, List<String> checks) {}

    private Decision decide(Subject s, Recipient r, Purpose purpose, Action action, Instant now, List<String> trace) {
        String to = r.organisationId();
        String nation = to == null ? null : nations.get(to);
        if (nation == null) {
            return new Deny("unknown-recipient", null, "organisation '" + to + "' is not known to this node");
        }
        int facts = s.facts();
        TlpLevel tlp = ObjectFacts.tlp(facts);
        String provider = s.providerId();
        note(trace, () -> "object: " + ObjectFacts.unpack(facts).describe() + "; "
                + (provider == null ? "this node's own intelligence" : "provided by " + provider
                + (s.viaAgreementId() == null ? "" : " under agreement " + s.viaAgreementId())));

        if (provider == null && to.equals(ownId)) {
            if (tlp == TlpLevel.RED && !namedInternally(s, r)) return redNotNamed(r, null);
            return new Permit("own-organisation", null, "own intelligence, read within the organisation");
        }
        if (provider != null && to.equals(provider)) {
            return new Permit("returned-to-provider", null, "the recipient is the organisation that provided it");
        }

        // From here on the holder is not the provider: the provider's handling codes bind.
        int codes = ObjectFacts.handlingBits(facts);
        String grantor = provider == null ? ownId : provider;
        for (HandlingCode h : HandlingCode.values()) {
            if ((codes & h.bit()) != 0 && !h.permits(purpose)) {
                if (h == HandlingCode.H1 && consented(Consent.Covers.JUDICIAL_USE, grantor, to, s.objectId())) {
                    note(trace, () -> "H1: " + grantor + " consented to judicial use by " + to);
                    continue;
                }
                return new Deny(h == HandlingCode.H1 ? "handling-h1-judicial" : "handling-" + h.name().toLowerCase() + "-purpose",
                        null, h.name() + " (" + h.meaning() + ") does not allow the purpose " + purpose.wire());
            }
        }
        Agreement via = s.viaAgreementId() == null ? null : agreements.get(s.viaAgreementId());
        if (provider != null) {
            if (via == null) {
                return new Deny("provenance-unknown", s.viaAgreementId(), "received from " + provider
                        + " under no agreement this node knows: it can only go back to its provider");
            }
            if (!via.rules().purposes().contains(purpose)) {
                return new Deny("purpose-limited-by-provider", via.id(), "received under agreement " + via.id()
                        + ", which permits only " + names(via.rules().purposes()) + ", not " + purpose.wire());
            }
            note(trace, () -> "agreement " + via.id() + " under which it was received permits " + purpose.wire());
        }
        if (to.equals(ownId)) {
            if (tlp == TlpLevel.RED && !namedInternally(s, r)) return redNotNamed(r, via == null ? null : via.id());
            return new Permit("received-under-agreement", via == null ? null : via.id(),
                    "received from " + provider + " under agreement " + (via == null ? "?" : via.id())
                            + ", used within the organisation for " + purpose.wire());
        }

        // Leaving the organisation.
        if (tlp == TlpLevel.AMBER_STRICT) {
            return new Deny("tlp-amber-strict", null, "TLP:AMBER+STRICT stays within the organisation that holds it");
        }
        if (tlp == TlpLevel.RED && !s.redRecipients().contains(to)) {
            return new Deny("tlp-red-not-named", null, "TLP:RED goes to named recipients only, and " + to + " is not named");
        }
        if (provider != null) {
            boolean consent = consented(Consent.Covers.ONWARD_SHARING, provider, to, s.objectId());
            if ((codes & HandlingCode.H2.bit()) != 0 && !consent) {
                return new Deny("handling-h2-dissemination", via.id(), "H2: " + HandlingCode.H2.meaning()
                        + " (" + provider + "), and no consent is recorded");
            }
            if ((codes & HandlingCode.H3.bit()) != 0 && !consent) {
                return new Deny("handling-h3-restrictions", via.id(), "H3: " + HandlingCode.H3.meaning()
                        + " (" + provider + "), and no consent is recorded");
            }
            if (consent) note(trace, () -> provider + " consented to passing it on to " + to);
            switch (via.rules().onward()) {
                case FORBIDDEN -> {
                    return new Deny("onward-forbidden", via.id(), "agreement " + via.id()
                            + " under which it was received forbids passing it on");
                }
                case NAMED_PARTIES -> {
                    if (!via.onwardPartyIncludes(to, nation)) {
                        return new Deny("onward-not-named", via.id(), "agreement " + via.id()
                                + " allows passing it on only to " + via.rules().onwardParties() + ", not to " + to);
                    }
                }
                case WITH_CONSENT -> {
                    if (!consent) {
                        return new Deny("onward-needs-consent", via.id(), "agreement " + via.id()
                                + " allows passing it on only with the consent of " + provider + ", and none is recorded");
                    }
                }
            }
            note(trace, () -> "agreement " + via.id() + " allows passing it on to " + to);
        }

        Agreement[] candidates = withPartner.get(to);
        if (candidates == null) {
            return new Deny("no-agreement", null, "no agreement binds this node's organisation and " + to);
        }
        if (r.agreementId() != null) {
            // A partner node's sync is decided under the agreement the collection is offered under,
            // the one its copy will be held under (its purposes and onward rule bind it there).
            Agreement only = null;
            for (Agreement a : candidates) if (a.id().equals(r.agreementId())) only = a;
            if (only == null) {
                return new Deny("no-agreement", r.agreementId(), "agreement " + r.agreementId()
                        + " does not bind this node's organisation and " + to);
            }
            candidates = new Agreement[] {only};
        }
        Agreement firstFailed = null;
        String firstRule = null;
        for (Agreement a : candidates) {
            String rule = check(a, facts, tlp, codes, purpose, now);
            if (rule == null) {
                return new Permit("agreement", a.id(), "permitted by agreement " + a.id() + " (" + a.title() + ") for "
                        + purpose.wire() + ": " + ObjectFacts.category(facts).wire() + " up to "
                        + a.rules().maxTlp().label());
            }
            if (trace != null) trace.add(reason(rule, a, facts, tlp, codes, purpose, now));
            if (firstFailed == null) {
                firstFailed = a;
                firstRule = rule;
            }
        }
        // Reasons are words for people: built once, for the failure reported, not for every agreement tried.
        String reason = reason(firstRule, firstFailed, facts, tlp, codes, purpose, now);
        if (candidates.length == 1) return new Deny(firstRule, firstFailed.id(), reason);
        return new Deny(firstRule, firstFailed.id(), "none of the " + candidates.length
                + " agreements with " + to + " permits it; the first: " + reason);
    }

    /** The rule by which agreement {@code a} does not let the object pass, or null when it does. */
    private static String check(Agreement a, int facts, TlpLevel tlp, int codes, Purpose purpose, Instant now) {
        if (!a.inForce(now)) return "agreement-not-in-force";
        Agreement.Rules rules = a.rules();
        Category category = ObjectFacts.category(facts);
        if (category != Category.DEFINITIONS && !rules.categories().contains(category)) return "category-not-covered";
        if (!rules.purposes().contains(purpose)) return "purpose-not-permitted";
        TlpLevel effective = tlp == TlpLevel.UNMARKED ? UNMARKED_SHARED_AS : tlp;
        if (!effective.atMost(rules.maxTlp())) return "tlp-above-ceiling";
        for (HandlingCode h : HandlingCode.values()) {
            if ((codes & h.bit()) != 0 && !rules.handlingCodes().contains(h)) return "handling-not-accepted";
        }
        if (ObjectFacts.personal(facts) && !rules.personalData()) return "personal-data-not-allowed";
        return null;
    }

    private static String reason(String rule, Agreement a, int facts, TlpLevel tlp, int codes, Purpose purpose,
            Instant now) {
        Agreement.Rules rules = a.rules();
        return switch (rule) {
            case "agreement-not-in-force" -> a.notInForceReason(now);
            case "category-not-covered" -> "agreement " + a.id() + " does not cover " + ObjectFacts.category(facts).wire();
            case "purpose-not-permitted" -> "agreement " + a.id() + " does not permit the purpose " + purpose.wire()
                    + " (only " + names(rules.purposes()) + ")";
            case "tlp-above-ceiling" -> {
                TlpLevel effective = tlp == TlpLevel.UNMARKED ? UNMARKED_SHARED_AS : tlp;
                yield "the object is " + effective.label()
                        + (tlp == TlpLevel.UNMARKED ? " (unmarked objects leave as " + UNMARKED_SHARED_AS.label() + ")" : "")
                        + ", above the ceiling " + rules.maxTlp().label() + " of agreement " + a.id();
            }
            case "handling-not-accepted" -> {
                List<String> missing = new ArrayList<>();
                for (HandlingCode h : HandlingCode.values()) {
                    if ((codes & h.bit()) != 0 && !rules.handlingCodes().contains(h)) missing.add(h.name());
                }
                yield "the object carries " + String.join(", ", missing)
                        + ", which the recipients of agreement " + a.id() + " have not undertaken to honour";
            }
            case "personal-data-not-allowed" -> "the object holds personal data and agreement " + a.id()
                    + " gives no legal basis for sharing it";
            default -> rule;
        };
    }

    private boolean consented(Consent.Covers covers, String provider, String recipient, String objectId) {
        if (consents.isEmpty()) return false;
        java.util.Set<String> objects = consents.get(covers.wire() + "|" + provider + "|" + recipient);
        return objects != null && (objects.contains("*") || (objectId != null && objects.contains(objectId)));
    }

    /** Within the holding organisation, TLP:RED is for the users it names. */
    private static Deny redNotNamed(Recipient r, String agreementId) {
        return new Deny("tlp-red-not-named", agreementId, "TLP:RED: only the named recipients may see it, and "
                + (r.username() == null ? "no user was given" : "user " + r.username() + " is not named"));
    }

    private static boolean namedInternally(Subject s, Recipient r) {
        return r.username() != null && s.redRecipients().contains("user:" + r.username());
    }

    private static String names(java.util.Set<Purpose> ps) {
        return String.join(", ", ps.stream().sorted().map(Purpose::wire).toList());
    }

    private static void note(List<String> trace, java.util.function.Supplier<String> line) {
        if (trace != null) trace.add(line.get());
    }
}
