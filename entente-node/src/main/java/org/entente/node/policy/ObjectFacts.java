package org.entente.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the policy needs to know of a STIX object, packed in an int so that it is derived once when
 * the object is stored (column {@code stix_object.policy_facts}) and a page of a thousand objects is
 * decided without parsing one of them. Only objects with granular markings or TLP:RED are parsed
 * when released (to redact properties or read their named recipients).
 *
 * <pre>
 * bits 0-2   TLP level (TlpLevel ordinal; the most restrictive of the object's TLP markings)
 * bits 3-6   handling codes H0..H3
 * bits 7-10  category (Category ordinal)
 * bit  11    holds personal data
 * bit  12    has granular markings
 * </pre>
 */
public record ObjectFacts(TlpLevel tlp, Set<HandlingCode> handling, Category category, boolean personal,
        boolean granular) {

    /** Property by which a producer flags an object of any type as holding personal data. */
    public static final String PERSONAL_FLAG = "x_entente_personal_data";

    private static final TlpLevel[] TLP = TlpLevel.values();
    private static final Category[] CATEGORY = Category.values();

    public ObjectFacts {
        handling = Set.copyOf(handling);
    }

    public int pack() {
        int bits = tlp.ordinal();
        for (HandlingCode h : handling) bits |= h.bit() << 3;
        bits |= category.ordinal() << 7;
        if (personal) bits |= 1 << 11;
        if (granular) bits |= 1 << 12;
        return bits;
    }

    public static ObjectFacts unpack(int bits) {
        return new ObjectFacts(tlp(bits), HandlingCode.fromBits((bits >>> 3) & 0xF), category(bits), personal(bits),
                granular(bits));
    }

    // Field access straight from the packed form, for the decision's hot path.
    public static TlpLevel tlp(int bits) {
        return TLP[bits & 7];
    }

    public static int handlingBits(int bits) {
        return (bits >>> 3) & 0xF;
    }

    public static Category category(int bits) {
        return CATEGORY[(bits >>> 7) & 0xF];
    }

    public static boolean personal(int bits) {
        return (bits & (1 << 11)) != 0;
    }

    public static boolean granular(int bits) {
        return (bits & (1 << 12)) != 0;
    }

    /**
     * A test of packed facts, {@code (facts & mask) == value}, that a search hands to the store so
     * that the store filters without knowing the layout.
     */
    public record Filter(int mask, int value) {
        /** Objects whose (most restrictive) TLP marking is this level; UNMARKED for none. */
        public static Filter tlp(TlpLevel level) {
            return new Filter(7, level.ordinal());
        }

        /** Objects that carry this handling code (among others, perhaps). */
        public static Filter handling(HandlingCode code) {
            return new Filter(code.bit() << 3, code.bit() << 3);
        }
    }

    /** Derives the facts of an object. */
    public static ObjectFacts of(JsonNode object) {
        String type = object.path("type").asText("");
        TlpLevel tlp = TlpLevel.UNMARKED;
        EnumSet<HandlingCode> handling = EnumSet.noneOf(HandlingCode.class);
        for (JsonNode ref : object.path("object_marking_refs")) {
            String id = ref.asText("");
            TlpLevel l = TlpLevel.ofMarking(id).orElse(null);
            if (l != null && l.ordinal() > tlp.ordinal()) tlp = l;
            HandlingCode.ofMarking(id).ifPresent(handling::add);
        }
        boolean granular = false;
        for (JsonNode g : object.path("granular_markings")) {
            if (g.hasNonNull("marking_ref")) granular = true;
        }
        Category category = Category.of(type, object);
        return new ObjectFacts(tlp, handling, category, holdsPersonalData(type, category, object), granular);
    }

    public static int packOf(JsonNode object) {
        return of(object).pack();
    }

    /**
     * Whether deciding an object with these facts needs its JSON: TLP:RED names its recipients
     * inside, granular markings are applied property by property.
     */
    public static boolean needsJson(int bits) {
        return tlp(bits) == TlpLevel.RED || granular(bits);
    }

    /** How restrictive a TLP level is when the object leaves: unmarked objects leave as AMBER. */
    private static int rank(int tlpOrdinal) {
        TlpLevel t = TLP[tlpOrdinal];
        return (t == TlpLevel.UNMARKED ? Policy.UNMARKED_SHARED_AS : t).ordinal();
    }

    /**
     * The facts that bind a version, given those of the newest version of the object: a producer
     * who marks a later version more restrictively restricts the earlier ones too, and one who
     * relaxes a later version does not thereby relax what an earlier one said. So the stricter of
     * each: the higher TLP, every handling code, personal data if either says so. Category and
     * granular markings stay the version's own (docs/POLICY.md, Versions).
     */
    public static int bindingFacts(int own, Integer latest) {
        if (latest == null || latest == own) return own;
        int l = latest;
        int tlp = rank(l & 7) > rank(own & 7) ? l & 7 : own & 7;
        int bits = (own & ~7) | tlp;
        bits |= l & (0xF << 3);
        bits |= l & (1 << 11);
        return bits;
    }

    private static boolean holdsPersonalData(String type, Category category, JsonNode object) {
        if (object.path(PERSONAL_FLAG).asBoolean(false)) return true;
        return switch (category) {
            case PERSONS_OF_INTEREST, TRAVEL_DOCUMENTS, VEHICLES -> true;
            default -> switch (type) {
                // An account or a named mailbox identifies a person; a bare address or domain does not
                // by itself, or every phishing indicator would be personal data.
                case "user-account", "email-message" -> true;
                case "email-addr" -> object.hasNonNull("display_name");
                default -> false;
            };
        };
    }

    /** Marking references of an object that are neither TLP nor handling codes: they must be defined somewhere. */
    public static Set<String> otherMarkingRefs(JsonNode object) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode ref : object.path("object_marking_refs")) addIfOther(out, ref.asText(""));
        for (JsonNode g : object.path("granular_markings")) {
            if (g.hasNonNull("marking_ref")) addIfOther(out, g.get("marking_ref").asText(""));
        }
        return out;
    }

    private static void addIfOther(Set<String> out, String id) {
        if (TlpLevel.ofMarking(id).isEmpty() && HandlingCode.ofMarking(id).isEmpty()) out.add(id);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder(tlp.label());
        if (!handling.isEmpty()) sb.append(", handling ").append(handling);
        sb.append(", category ").append(category.wire());
        if (personal) sb.append(", personal data");
        if (granular) sb.append(", granular markings");
        return sb.toString();
    }
}
