package org.entente.stix;

import java.util.List;
import java.util.Optional;

/** What STIX 2.1 says about a type name. Custom types (not defined by the specification) are unknown. */
public final class StixTypes {
    private StixTypes() {}

    public static boolean isSco(String type) {
        return category(type).orElse(null) == Category.SCO;
    }

    public static boolean isSdo(String type) {
        return category(type).orElse(null) == Category.SDO;
    }

    public static boolean isSro(String type) {
        return category(type).orElse(null) == Category.SRO;
    }

    /** Defined by STIX 2.1 itself (including marking-definition, language-content, extension-definition and bundle). */
    public static boolean isKnown(String type) {
        return type != null && Registry.type(type) != null;
    }

    /** The ID-contributing properties of an SCO type in specification order; empty for other types and process. */
    public static List<String> idContributingProperties(String type) {
        TypeDef def = type == null ? null : Registry.type(type);
        return def == null ? List.of() : def.idContributing();
    }

    public static Optional<Category> category(String type) {
        TypeDef def = type == null ? null : Registry.type(type);
        return def == null ? Optional.empty() : Optional.of(def.category());
    }
}
