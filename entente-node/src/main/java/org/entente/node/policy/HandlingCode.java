package org.entente.node.policy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Handling codes: conditions a provider attaches to what it shares, beyond TLP. They are STIX
 * marking definitions of Entente's own, defined through {@link #EXTENSION_DEFINITION} (see
 * docs/HANDLING-CODES.md and resources/policy/handling-codes.json).
 */
public enum HandlingCode {
    H0("marking-definition--a217482e-5f27-449f-beeb-40a8572ce9c0",
            "use only to prevent and combat crime",
            EnumSet.of(Purpose.PREVENTION, Purpose.DETECTION, Purpose.INVESTIGATION, Purpose.PROSECUTION)),
    H1("marking-definition--68856817-cadc-45fd-ba2d-301a59de215f",
            "not for judicial proceedings without the provider's permission",
            EnumSet.complementOf(EnumSet.of(Purpose.PROSECUTION))),
    H2("marking-definition--5be610a9-3208-408f-94bb-77c9a9671026",
            "no dissemination without the provider's permission",
            EnumSet.allOf(Purpose.class)),
    H3("marking-definition--df78d509-56dc-4756-95ab-d7162a2cd86d",
            "other restrictions stated by the provider: ask before any use beyond the recipient's own analysis",
            EnumSet.allOf(Purpose.class));

    /** The extension definition under which the four marking definitions are written. */
    public static final String EXTENSION_DEFINITION = "extension-definition--5cbcc0eb-1dfd-4176-97ff-f5bad2ae38db";

    private final String markingId;
    private final String meaning;
    private final Set<Purpose> purposes;

    HandlingCode(String markingId, String meaning, Set<Purpose> purposes) {
        this.markingId = markingId;
        this.meaning = meaning;
        this.purposes = purposes;
    }

    public String markingId() {
        return markingId;
    }

    public String meaning() {
        return meaning;
    }

    /** The purposes the data may be used for under this code, whoever holds it. */
    public boolean permits(Purpose p) {
        return purposes.contains(p);
    }

    int bit() {
        return 1 << ordinal();
    }

    public static Optional<HandlingCode> ofMarking(String markingId) {
        return Arrays.stream(values()).filter(h -> h.markingId.equals(markingId)).findFirst();
    }

    public static Optional<HandlingCode> parse(String s) {
        if (s == null) return Optional.empty();
        String k = s.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(h -> h.name().equals(k) || h.markingId.equalsIgnoreCase(s.trim()))
                .findFirst();
    }

    static EnumSet<HandlingCode> fromBits(int bits) {
        EnumSet<HandlingCode> out = EnumSet.noneOf(HandlingCode.class);
        for (HandlingCode h : values()) if ((bits & h.bit()) != 0) out.add(h);
        return out;
    }
}
