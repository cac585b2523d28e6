package org.entente.stix;

import static org.entente.stix.Vocabularies.*;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every STIX 2.1 type, transcribed from the specification's property tables (sections 4 to 8). */
final class Registry {
    private Registry() {}

    static final Kind STR = new Kind.Str();
    static final Kind TS = new Kind.Timestamp(false);
    static final Kind TS_MILLI = new Kind.Timestamp(true);
    static final Kind INT = new Kind.Int(Long.MIN_VALUE, Long.MAX_VALUE);
    static final Kind NON_NEGATIVE = new Kind.Int(0, Long.MAX_VALUE);
    static final Kind PORT = new Kind.Int(0, 65535);
    static final Kind BOOL = new Kind.Bool();
    static final Kind HASHES = new Kind.Hashes();
    static final Kind DICT = new Kind.Dict();
    static final Kind BINARY = new Kind.Binary();
    static final Kind HEX = new Kind.Hex();
    static final Kind ANY = new Kind.Any();
    static final Kind STRINGS = list(STR);
    static final Kind KILL_CHAIN = new Kind.KillChainPhases();
    static final Kind ANY_REF = ref();
    static final Kind ANY_REFS = list(ANY_REF);

    static Kind list(Kind item) {
        return new Kind.ListOf(item);
    }

    static Kind ref(String... types) {
        return new Kind.Ref(Set.of(types), Set.of());
    }

    static Kind refTo(Set<Category> categories, String... types) {
        return new Kind.Ref(Set.of(types), categories.isEmpty() ? Set.of() : EnumSet.copyOf(categories));
    }

    static Kind refs(String... types) {
        return list(ref(types));
    }

    private static final Map<String, Kind> COMMON_SDO = props(
            "type", STR, "spec_version", STR, "id", ANY_REF, "created_by_ref", ref("identity"),
            "created", TS_MILLI, "modified", TS_MILLI, "revoked", BOOL, "labels", STRINGS,
            "confidence", new Kind.Int(0, 100), "lang", STR, "external_references", new Kind.ExternalReferences(),
            "object_marking_refs", refs("marking-definition"), "granular_markings", new Kind.GranularMarkings(),
            "extensions", new Kind.Extensions());
    private static final Map<String, Kind> COMMON_SCO = props(
            "type", STR, "spec_version", STR, "id", ANY_REF, "object_marking_refs", refs("marking-definition"),
            "granular_markings", new Kind.GranularMarkings(), "defanged", BOOL, "extensions", new Kind.Extensions());
    /** Every common property of any category, for custom object types. */
    static final Map<String, Kind> COMMON;

    static {
        Map<String, Kind> all = new LinkedHashMap<>(COMMON_SDO);
        all.putAll(COMMON_SCO);
        COMMON = Map.copyOf(all);
    }

    private static final Set<String> REQUIRED_SDO = Set.of("type", "spec_version", "id", "created", "modified");
    private static final Set<String> REQUIRED_SCO = Set.of("type", "id");

    static final Kind SDO_OR_SCO = refTo(EnumSet.of(Category.SDO, Category.SCO));
    static final Kind SCO_REF = refTo(EnumSet.of(Category.SCO));
    private static final Kind SOFTWARE = ref("software");
    private static final Kind ADDRESS = ref("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name");

    private static final Map<String, TypeDef> TYPES = new HashMap<>();

    static {
        sdo("attack-pattern", "name", "name", STR, "description", STR, "aliases", STRINGS, "kill_chain_phases", KILL_CHAIN);
        sdo("campaign", "name", "name", STR, "description", STR, "aliases", STRINGS, "first_seen", TS,
                "last_seen", TS, "objective", STR);
        sdo("course-of-action", "name", "name", STR, "description", STR, "action", ANY);
        sdo("grouping", "context object_refs", "name", STR, "description", STR, "context", GROUPING_CONTEXT,
                "object_refs", ANY_REFS);
        sdo("identity", "name", "name", STR, "description", STR, "roles", STRINGS, "identity_class", IDENTITY_CLASS,
                "sectors", list(INDUSTRY_SECTOR), "contact_information", STR);
        sdo("incident", "name", "name", STR, "description", STR, "kill_chain_phases", KILL_CHAIN);
        sdo("indicator", "pattern pattern_type valid_from", "name", STR, "description", STR,
                "indicator_types", list(INDICATOR_TYPE), "pattern", STR, "pattern_type", PATTERN_TYPE,
                "pattern_version", STR, "valid_from", TS, "valid_until", TS, "kill_chain_phases", KILL_CHAIN);
        sdo("infrastructure", "name", "name", STR, "description", STR, "infrastructure_types", list(INFRASTRUCTURE_TYPE),
                "aliases", STRINGS, "kill_chain_phases", KILL_CHAIN, "first_seen", TS, "last_seen", TS);
        sdo("intrusion-set", "name", "name", STR, "description", STR, "aliases", STRINGS, "first_seen", TS,
                "last_seen", TS, "goals", STRINGS, "resource_level", ATTACK_RESOURCE_LEVEL,
                "primary_motivation", ATTACK_MOTIVATION, "secondary_motivations", list(ATTACK_MOTIVATION));
        sdo("location", "", "name", STR, "description", STR, "latitude", new Kind.Num(-90, 90),
                "longitude", new Kind.Num(-180, 180), "precision", new Kind.Num(0, Double.MAX_VALUE), "region", REGION,
                "country", STR, "administrative_area", STR, "city", STR, "street_address", STR, "postal_code", STR);
        sdo("malware", "is_family", "name", STR, "description", STR, "malware_types", list(MALWARE_TYPE),
                "is_family", BOOL, "aliases", STRINGS, "kill_chain_phases", KILL_CHAIN, "first_seen", TS,
                "last_seen", TS, "operating_system_refs", list(SOFTWARE),
                "architecture_execution_envs", list(PROCESSOR_ARCHITECTURE),
                "implementation_languages", list(IMPLEMENTATION_LANGUAGE), "capabilities", list(MALWARE_CAPABILITIES),
                "sample_refs", refs("file", "artifact"));
        sdo("malware-analysis", "product", "product", STR, "version", STR, "host_vm_ref", SOFTWARE,
                "operating_system_ref", SOFTWARE, "installed_software_refs", list(SOFTWARE),
                "configuration_version", STR, "modules", STRINGS, "analysis_engine_version", STR,
                "analysis_definition_version", STR, "submitted", TS, "analysis_started", TS, "analysis_ended", TS,
                "result_name", STR, "result", MALWARE_RESULT, "analysis_sco_refs", list(SCO_REF),
                "sample_ref", ref("file", "artifact", "network-traffic"));
        sdo("note", "content object_refs", "abstract", STR, "content", STR, "authors", STRINGS, "object_refs", ANY_REFS);
        sdo("observed-data", "first_observed last_observed number_observed", "first_observed", TS,
                "last_observed", TS, "number_observed", new Kind.Int(1, 999_999_999), "objects", DICT,
                "object_refs", list(refTo(EnumSet.of(Category.SCO, Category.SRO))));
        sdo("opinion", "opinion object_refs", "explanation", STR, "authors", STRINGS, "opinion", OPINION,
                "object_refs", ANY_REFS);
        sdo("report", "name published object_refs", "name", STR, "description", STR, "report_types", list(REPORT_TYPE),
                "published", TS, "object_refs", ANY_REFS);
        sdo("threat-actor", "name", "name", STR, "description", STR, "threat_actor_types", list(THREAT_ACTOR_TYPE),
                "aliases", STRINGS, "first_seen", TS, "last_seen", TS, "roles", list(THREAT_ACTOR_ROLE),
                "goals", STRINGS, "sophistication", THREAT_ACTOR_SOPHISTICATION, "resource_level", ATTACK_RESOURCE_LEVEL,
                "primary_motivation", ATTACK_MOTIVATION, "secondary_motivations", list(ATTACK_MOTIVATION),
                "personal_motivations", list(ATTACK_MOTIVATION));
        sdo("tool", "name", "name", STR, "description", STR, "tool_types", list(TOOL_TYPE), "aliases", STRINGS,
                "kill_chain_phases", KILL_CHAIN, "tool_version", STR);
        sdo("vulnerability", "name", "name", STR, "description", STR);

        define("relationship", Category.SRO, COMMON_SDO, REQUIRED_SDO,
                "relationship_type source_ref target_ref", List.of(),
                "relationship_type", STR, "description", STR, "source_ref", SDO_OR_SCO, "target_ref", SDO_OR_SCO,
                "start_time", TS, "stop_time", TS);
        define("sighting", Category.SRO, COMMON_SDO, REQUIRED_SDO, "sighting_of_ref", List.of(),
                "description", STR, "first_seen", TS, "last_seen", TS, "count", new Kind.Int(0, 999_999_999),
                "sighting_of_ref", refTo(EnumSet.of(Category.SDO)), "observed_data_refs", refs("observed-data"),
                "where_sighted_refs", refs("identity", "location"), "summary", BOOL);

        Map<String, Kind> markingCommon = props("type", STR, "spec_version", STR, "id", ANY_REF,
                "created_by_ref", ref("identity"), "created", TS_MILLI,
                "external_references", new Kind.ExternalReferences(), "object_marking_refs", refs("marking-definition"),
                "granular_markings", new Kind.GranularMarkings(), "extensions", new Kind.Extensions());
        define("marking-definition", Category.META, markingCommon, Set.of("type", "spec_version", "id", "created"),
                "", List.of(), "name", STR, "definition_type", STR, "definition", DICT);
        define("language-content", Category.META, COMMON_SDO, REQUIRED_SDO, "object_ref contents", List.of(),
                "object_ref", ANY_REF, "object_modified", TS_MILLI, "contents", DICT);
        define("extension-definition", Category.META, COMMON_SDO, REQUIRED_SDO,
                "created_by_ref name schema version extension_types", List.of(),
                "name", STR, "description", STR, "schema", STR, "version", STR,
                "extension_types", list(EXTENSION_TYPE), "extension_properties", STRINGS);

        sco("artifact", "", List.of("hashes", "payload_bin"), "mime_type", STR, "payload_bin", BINARY, "url", STR,
                "hashes", HASHES, "encryption_algorithm", ENCRYPTION_ALGORITHM, "decryption_key", STR);
        sco("autonomous-system", "number", List.of("number"), "number", NON_NEGATIVE, "name", STR, "rir", STR);
        sco("directory", "path", List.of("path"), "path", STR, "path_enc", STR, "ctime", TS, "mtime", TS,
                "atime", TS, "contains_refs", refs("file", "directory"));
        sco("domain-name", "value", List.of("value"), "value", STR,
                "resolves_to_refs", refs("ipv4-addr", "ipv6-addr", "domain-name"));
        sco("email-addr", "value", List.of("value"), "value", STR, "display_name", STR,
                "belongs_to_ref", ref("user-account"));
        Kind mimePart = new Kind.Nested("mime-part-type", props("body", STR, "body_raw_ref", ref("artifact", "file"),
                "content_type", STR, "content_disposition", STR), Set.of());
        sco("email-message", "is_multipart", List.of("from_ref", "subject", "body"), "is_multipart", BOOL,
                "date", TS, "content_type", STR, "from_ref", ref("email-addr"), "sender_ref", ref("email-addr"),
                "to_refs", refs("email-addr"), "cc_refs", refs("email-addr"), "bcc_refs", refs("email-addr"),
                "message_id", STR, "subject", STR, "received_lines", STRINGS, "additional_header_fields", DICT,
                "body", STR, "body_multipart", list(mimePart), "raw_email_ref", ref("artifact"));
        sco("file", "", List.of("hashes", "name", "extensions", "parent_directory_ref"), "hashes", HASHES,
                "size", NON_NEGATIVE, "name", STR, "name_enc", STR, "magic_number_hex", HEX, "mime_type", STR,
                "ctime", TS, "mtime", TS, "atime", TS, "parent_directory_ref", ref("directory"),
                "contains_refs", list(SCO_REF), "content_ref", ref("artifact"));
        sco("ipv4-addr", "value", List.of("value"), "value", STR, "resolves_to_refs", refs("mac-addr"),
                "belongs_to_refs", refs("autonomous-system"));
        sco("ipv6-addr", "value", List.of("value"), "value", STR, "resolves_to_refs", refs("mac-addr"),
                "belongs_to_refs", refs("autonomous-system"));
        sco("mac-addr", "value", List.of("value"), "value", STR);
        sco("mutex", "name", List.of("name"), "name", STR);
        sco("network-traffic", "protocols",
                List.of("start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"),
                "start", TS, "end", TS, "is_active", BOOL, "src_ref", ADDRESS, "dst_ref", ADDRESS,
                "src_port", PORT, "dst_port", PORT, "protocols", STRINGS, "src_byte_count", NON_NEGATIVE,
                "dst_byte_count", NON_NEGATIVE, "src_packets", NON_NEGATIVE, "dst_packets", NON_NEGATIVE,
                "ipfix", DICT, "src_payload_ref", ref("artifact"), "dst_payload_ref", ref("artifact"),
                "encapsulates_refs", refs("network-traffic"), "encapsulated_by_ref", ref("network-traffic"));
        sco("process", "", List.of(), "is_hidden", BOOL, "pid", INT, "created_time", TS, "cwd", STR,
                "command_line", STR, "environment_variables", DICT, "opened_connection_refs", refs("network-traffic"),
                "creator_user_ref", ref("user-account"), "image_ref", ref("file"), "parent_ref", ref("process"),
                "child_refs", refs("process"));
        sco("software", "name", List.of("name", "cpe", "swid", "vendor", "version"), "name", STR, "cpe", STR,
                "swid", STR, "languages", STRINGS, "vendor", STR, "version", STR);
        sco("url", "value", List.of("value"), "value", STR);
        sco("user-account", "", List.of("account_type", "user_id", "account_login"), "user_id", STR,
                "credential", STR, "account_login", STR, "account_type", ACCOUNT_TYPE, "display_name", STR,
                "is_service_account", BOOL, "is_privileged", BOOL, "can_escalate_privs", BOOL, "is_disabled", BOOL,
                "account_created", TS, "account_expires", TS, "credential_last_changed", TS,
                "account_first_login", TS, "account_last_login", TS);
        Kind registryValue = new Kind.Nested("windows-registry-value-type", props("name", STR, "data", STR,
                "data_type", WINDOWS_REGISTRY_DATATYPE), Set.of());
        sco("windows-registry-key", "", List.of("key", "values"), "key", STR, "values", list(registryValue),
                "modified_time", TS, "creator_user_ref", ref("user-account"), "number_of_subkeys", NON_NEGATIVE);
        sco("x509-certificate", "", List.of("hashes", "serial_number"), "is_self_signed", BOOL, "hashes", HASHES,
                "version", STR, "serial_number", STR, "signature_algorithm", STR, "issuer", STR,
                "validity_not_before", TS, "validity_not_after", TS, "subject", STR,
                "subject_public_key_algorithm", STR, "subject_public_key_modulus", STR,
                "subject_public_key_exponent", NON_NEGATIVE, "x509_v3_extensions", DICT);

        define("bundle", Category.BUNDLE, Map.of(), Set.of(), "type id", List.of(),
                "type", STR, "id", ANY_REF, "objects", ANY);
    }

    /** The predefined SCO extensions (section 6), keyed by extension name. */
    static final Map<String, Kind.Nested> SCO_EXTENSIONS = Map.ofEntries(
            ext("archive-ext", "contains_refs", "contains_refs", refs("file", "directory"), "comment", STR),
            ext("ntfs-ext", "", "sid", STR, "alternate_data_streams", list(new Kind.Nested("alternate-data-stream-type",
                    props("name", STR, "hashes", HASHES, "size", NON_NEGATIVE), Set.of("name")))),
            ext("pdf-ext", "", "version", STR, "is_optimized", BOOL, "document_info_dict", DICT, "pdfid0", STR,
                    "pdfid1", STR),
            ext("raster-image-ext", "", "image_height", INT, "image_width", INT, "bits_per_pixel", INT,
                    "exif_tags", DICT),
            ext("windows-pebinary-ext", "pe_type", "pe_type", WINDOWS_PEBINARY_TYPE, "imphash", STR,
                    "machine_hex", HEX, "number_of_sections", NON_NEGATIVE, "time_date_stamp", TS,
                    "pointer_to_symbol_table_hex", HEX, "number_of_symbols", NON_NEGATIVE,
                    "size_of_optional_header", NON_NEGATIVE, "characteristics_hex", HEX, "file_header_hashes", HASHES,
                    "optional_header", DICT, "sections", list(DICT)),
            ext("http-request-ext", "request_method request_value", "request_method", STR, "request_value", STR,
                    "request_version", STR, "request_header", DICT, "message_body_length", NON_NEGATIVE,
                    "message_body_data_ref", ref("artifact")),
            ext("icmp-ext", "icmp_type_hex icmp_code_hex", "icmp_type_hex", HEX, "icmp_code_hex", HEX),
            ext("socket-ext", "address_family", "address_family", NETWORK_SOCKET_ADDRESS_FAMILY,
                    "is_blocking", BOOL, "is_listening", BOOL, "options", DICT, "socket_type", NETWORK_SOCKET_TYPE,
                    "socket_descriptor", NON_NEGATIVE, "socket_handle", INT),
            ext("tcp-ext", "", "src_flags_hex", HEX, "dst_flags_hex", HEX),
            ext("windows-process-ext", "", "aslr_enabled", BOOL, "dep_enabled", BOOL, "priority", STR,
                    "owner_sid", STR, "window_title", STR, "startup_info", DICT,
                    "integrity_level", WINDOWS_INTEGRITY_LEVEL),
            ext("windows-service-ext", "", "service_name", STR, "descriptions", STRINGS, "display_name", STR,
                    "group_name", STR, "start_type", WINDOWS_SERVICE_START_TYPE, "service_dll_refs", refs("file"),
                    "service_type", WINDOWS_SERVICE_TYPE, "service_status", WINDOWS_SERVICE_STATUS),
            ext("unix-account-ext", "", "gid", INT, "groups", STRINGS, "home_dir", STR, "shell", STR));

    static TypeDef type(String name) {
        return TYPES.get(name);
    }

    static Iterable<TypeDef> all() {
        return TYPES.values();
    }

    private static Map.Entry<String, Kind.Nested> ext(String name, String required, Object... pairs) {
        return Map.entry(name, new Kind.Nested(name, props(pairs), words(required)));
    }

    private static void sdo(String name, String required, Object... pairs) {
        define(name, Category.SDO, COMMON_SDO, REQUIRED_SDO, required, List.of(), pairs);
    }

    private static void sco(String name, String required, List<String> idContributing, Object... pairs) {
        define(name, Category.SCO, COMMON_SCO, REQUIRED_SCO, required, idContributing, pairs);
    }

    private static void define(String name, Category category, Map<String, Kind> common, Set<String> commonRequired,
                               String required, List<String> idContributing, Object... pairs) {
        Map<String, Kind> all = new LinkedHashMap<>(common);
        all.putAll(props(pairs));
        Set<String> req = new java.util.HashSet<>(commonRequired);
        req.addAll(words(required));
        // A list, not a set: it is iterated for every validated object.
        TYPES.put(name, new TypeDef(name, category, Map.copyOf(all), List.copyOf(new java.util.TreeSet<>(req)), List.copyOf(idContributing)));
    }

    private static Set<String> words(String s) {
        return s.isBlank() ? Set.of() : Set.of(s.trim().split("\\s+"));
    }

    private static Map<String, Kind> props(Object... pairs) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (m.put((String) pairs[i], (Kind) pairs[i + 1]) != null) {
                throw new IllegalStateException("property listed twice: " + pairs[i]);
            }
        }
        return m;
    }
}
