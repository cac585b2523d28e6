package org.entente.node.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting of a node: its name in the configuration file, the environment variable that sets
 * it, its default and what it is for. One list, so that `entente config show`, the file reader and
 * the environment agree on what exists.
 */
public enum Key {
    DATA("data", "Data folder of the embedded PostgreSQL and of the node's files.", "~/.entente", false),
    DATABASE_URL("database.url", "External PostgreSQL (postgresql://user:password@host:5432/db or jdbc:postgresql://…);"
            + " unset: the embedded one in the data folder.", null, true),
    HOST("host", "Address the users' port listens on; anything but loopback needs TLS.", "127.0.0.1", false),
    PORT("port", "The users' port (HTTP API, TAXII, console); 0 picks a free one.", "8420", false),
    TLS_CERT("tls.cert", "PEM certificate chain of the users' port (with tls.key: HTTPS only).", null, false),
    TLS_KEY("tls.key", "PEM private key of tls.cert.", null, false),
    MAX_CONTENT_LENGTH("max_content_length", "Largest request body accepted, in bytes (TAXII max_content_length).",
            "10485760", false),
    TITLE("title", "Title shown in TAXII discovery.", "Entente node", false),
    ORG_NAME("org.name", "Name of the node's own organisation, used at the first start only.", "Local agency", false),
    ORG_NATION("org.nation", "ISO 3166-1 alpha-2 nation of the own organisation (first start only).", "ZZ", false),
    ORG_SECTOR("org.sector", "Sector of the own organisation (first start only).", "cert", false),
    ADMIN_USER("admin.user", "Name of the first administrator, created when the node has none.", "admin", false),
    ADMIN_PASSWORD("admin.password", "Password of the first administrator; unset: generated and printed once.", null, true),
    RETENTION_EVERY("retention.every", "How often the retention purge and audit checkpoint run (e.g. 1h, 30m, PT2H).",
            "1h", false),
    LOG_FORMAT("log.format", "Log lines as 'json' (one object per line, for collectors) or 'text'.", "json", false),
    FEDERATION_HOST("federation.host", "Address the federation listener (node-to-node, mutual TLS) listens on.",
            "127.0.0.1", false),
    FEDERATION_PORT("federation.port", "Port of the federation listener; 0 picks a free one (and is the default"
            + " when the users' port is 0).", "8421", false),
    FEDERATION_URL("federation.url", "The URL partners' nodes reach the federation listener at (default:"
            + " https://federation.host:federation.port/).", null, false),
    FEDERATION_CERT("federation.cert", "PEM certificate (chain) of the federation listener, e.g. from the agency's PKI;"
            + " unset: a self-signed one generated at the first start and kept in the database.", null, false),
    FEDERATION_KEY("federation.key", "PEM private key of federation.cert.", null, false),
    FEDERATION_TIMEOUT("federation.timeout", "How long a request to a partner's node may take before its sync stops"
            + " with an error (e.g. 30s).", "30s", false),
    SYNC_EVERY("sync.every", "How often each peer is synced when no push notification came (e.g. 60s).", "60s", false),
    CONSOLE_SESSION_IDLE("console.session_idle",
            "How long a web console session lasts without a request (e.g. 30m, 1h); at most 14h after sign-in in any case.",
            "1h", false),
    REQUESTS_ATTACHMENT_LIMIT("requests.attachment_limit", "Largest attachment of a request for assistance, an"
            + " answer or a clarification, in bytes.", "1048576", false),
    REQUESTS_CHECK_EVERY("requests.check_every", "How often deadlines of requests for assistance and preservations"
            + " are checked for reminders and escalations (e.g. 60s).", "60s", false),
    METRICS_OPEN_ON_LOOPBACK("metrics.open_on_loopback",
            "Whether /metrics answers without credentials to clients on loopback (others need an administrator).",
            "true", false),
    SCREENING_LIMIT_USER("screening.limit.user", "Screening checks per minute per user (a batch counts each traveller);"
            + " 0: no limit. Agreements may set lower limits for their partners.", "1200", false),
    SCREENING_LIMIT_ORGANISATION("screening.limit.organisation", "Screening checks per minute per organisation; 0: no limit.",
            "60000", false),
    SCREENING_SWEEP_WINDOW("screening.sweep.window", "How long a user's screening queries are remembered to notice a sweep.",
            "10m", false),
    SCREENING_SWEEP_DOCUMENTS("screening.sweep.documents", "Document numbers of one series close together within the window"
            + " that make a sweep (refused, reported to the administrators); 0: not checked.", "20", false),
    SCREENING_SWEEP_NAMES("screening.sweep.names", "Spellings of one name (same consonant skeletons) within the window that"
            + " make a sweep; 0: not checked.", "15", false),
    SCREENING_SWEEP_BLOCK("screening.sweep.block", "How long a user who swept a list is refused screening.", "15m", false),
    SCREENING_SYNCHRONOUS_COMMIT("screening.synchronous_commit", "Whether a check is answered only once its audit records"
            + " and hits are on disk ('true'), or once committed, PostgreSQL flushing them within a fraction of a second"
            + " ('false': a crash of the database server may lose the last checks' records, never part of one).", "true",
            false),
    EVENTS_MAX_CLIENTS("events.max_clients", "Event streams (GET /api/events) one node process keeps open at most.",
            "200", false);

    private final String name;
    private final String description;
    private final String defaultValue;
    private final boolean secret;

    Key(String name, String description, String defaultValue, boolean secret) {
        this.name = name;
        this.description = description;
        this.defaultValue = defaultValue;
        this.secret = secret;
    }

    /** The name in the configuration file. */
    public String fileName() {
        return name;
    }

    /** The environment variable: ENTENTE_ and the name in upper case, dots as underscores. */
    public String environmentVariable() {
        return "ENTENTE_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    public String description() {
        return description;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean secret() {
        return secret;
    }

    public static Optional<Key> byFileName(String name) {
        return Arrays.stream(values()).filter(k -> k.name.equals(name)).findFirst();
    }
}
