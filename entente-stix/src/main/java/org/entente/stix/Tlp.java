package org.entente.stix;

import java.util.Map;
import java.util.Optional;

/**
 * The standard TLP marking definitions. TLP 2.0 ones are defined by the OASIS TLP 2.0 extension
 * ({@link #EXTENSION_DEFINITION}), TLP 1.0 ones by STIX 2.1 section 7.2.1.4 itself.
 */
public final class Tlp {
    private Tlp() {}

    public static final String EXTENSION_DEFINITION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    public static final String CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    public static final String GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    public static final String AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    public static final String AMBER_STRICT = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    public static final String RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

    /** TLP 1.0 as defined in STIX 2.1 (definition_type "tlp"). */
    public static final String V1_WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    public static final String V1_GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    public static final String V1_AMBER = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    public static final String V1_RED = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

    /** A standard TLP marking: its level as written in the definition ("clear", "amber+strict", "white", ...). */
    record Standard(String id, String name, String level, boolean v2, String created) {}

    static final Map<String, Standard> STANDARD = Map.of(
            CLEAR, new Standard(CLEAR, "TLP:CLEAR", "clear", true, "2022-10-01T00:00:00.000Z"),
            GREEN, new Standard(GREEN, "TLP:GREEN", "green", true, "2022-10-01T00:00:00.000Z"),
            AMBER, new Standard(AMBER, "TLP:AMBER", "amber", true, "2022-10-01T00:00:00.000Z"),
            AMBER_STRICT, new Standard(AMBER_STRICT, "TLP:AMBER+STRICT", "amber+strict", true, "2022-10-01T00:00:00.000Z"),
            RED, new Standard(RED, "TLP:RED", "red", true, "2022-10-01T00:00:00.000Z"),
            V1_WHITE, new Standard(V1_WHITE, "TLP:WHITE", "white", false, "2017-01-20T00:00:00.000Z"),
            V1_GREEN, new Standard(V1_GREEN, "TLP:GREEN", "green", false, "2017-01-20T00:00:00.000Z"),
            V1_AMBER, new Standard(V1_AMBER, "TLP:AMBER", "amber", false, "2017-01-20T00:00:00.000Z"),
            V1_RED, new Standard(V1_RED, "TLP:RED", "red", false, "2017-01-20T00:00:00.000Z"));

    /** Whether {@code markingId} is one of the standard TLP 2.0 (or 1.0) marking definitions. */
    public static boolean isStandard(String markingId) {
        return STANDARD.containsKey(markingId);
    }

    /** The TLP level of a standard marking-definition id: "clear", "green", "amber", "amber+strict", "red" or "white". */
    public static Optional<String> level(String markingId) {
        Standard s = STANDARD.get(markingId);
        return s == null ? Optional.empty() : Optional.of(s.level());
    }
}
