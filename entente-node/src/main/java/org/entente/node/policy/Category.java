package org.entente.node.policy;

import org.entente.node.common.Vocabulary;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The data categories agreements are written in, derived from an object's STIX type (and, for
 * identities, its identity class). {@link #DEFINITIONS} (marking and extension definitions) are
 * what a recipient needs to read everything else: every agreement covers them.
 */
public enum Category {
    CYBER_INDICATORS, MALWARE_AND_TOOLING, THREAT_ACTORS_AND_CAMPAIGNS, INCIDENTS, REPORTS_AND_CONTEXT,
    PERSONS_OF_INTEREST, TRAVEL_DOCUMENTS, VEHICLES, SANCTIONS_ENTITIES, REQUESTS, OPERATIONS, DEFINITIONS;

    /** STIX cyber-observable types (all of them are observables in the sense of agreements). */
    private static final Set<String> SCO = Set.of("artifact", "autonomous-system", "directory", "domain-name",
            "email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic",
            "process", "software", "url", "user-account", "windows-registry-key", "x509-certificate");

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<Category> parse(String s) {
        return Vocabulary.parse(Category.class, s);
    }

    public static String choices() {
        return Arrays.stream(values()).filter(c -> c != DEFINITIONS).map(Category::wire)
                .collect(Collectors.joining(", "));
    }

    /** The category of an object; unknown and custom types count as context. */
    public static Category of(String type, JsonNode object) {
        if (SCO.contains(type)) return CYBER_INDICATORS;
        return switch (type) {
            case "indicator", "observed-data", "sighting", "infrastructure" -> CYBER_INDICATORS;
            case "malware", "tool", "malware-analysis", "vulnerability" -> MALWARE_AND_TOOLING;
            case "threat-actor", "intrusion-set", "campaign", "attack-pattern" -> THREAT_ACTORS_AND_CAMPAIGNS;
            case "incident" -> INCIDENTS;
            case "identity" -> "individual".equals(object.path("identity_class").asText(null))
                    ? PERSONS_OF_INTEREST : REPORTS_AND_CONTEXT;
            case "x-entente-person" -> PERSONS_OF_INTEREST;
            case "x-entente-travel-document" -> TRAVEL_DOCUMENTS;
            case "x-entente-vehicle" -> VEHICLES;
            case "x-entente-sanctions-entity" -> SANCTIONS_ENTITIES;
            case "x-entente-request" -> REQUESTS;
            case "x-entente-operation" -> OPERATIONS;
            case "marking-definition", "extension-definition" -> DEFINITIONS;
            default -> REPORTS_AND_CONTEXT;
        };
    }
}
