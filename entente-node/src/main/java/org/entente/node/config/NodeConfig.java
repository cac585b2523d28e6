package org.entente.node.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.entente.node.config.DatabaseLocation;

/**
 * How to run a node: the checked {@link Configuration}, where its database is, and whether to load
 * the demo. Typed views of the settings for the code that uses them; nothing here reads the
 * environment, so what a test builds is what it gets.
 */
public final class NodeConfig {
    public static final int DEFAULT_PORT = 8420;
    public static final long DEFAULT_MAX_CONTENT_LENGTH = 10L * 1024 * 1024;
    public static final Duration DEFAULT_RETENTION_EVERY = Duration.ofHours(1);

    /** The organisation a node is created for: name, ISO 3166-1 alpha-2 nation, sector. */
    public record OwnOrganisation(String name, String nation, String sector) {}

    /** The first administrator: name, and the password when one was configured (else generated). */
    public record Administrator(String username, String password) {}

    private final Configuration settings;
    private final DatabaseLocation database;
    private final boolean demo;

    public NodeConfig(Configuration settings, DatabaseLocation database, boolean demo) {
        this.settings = settings;
        this.database = database;
        this.demo = demo;
    }

    /** Defaults, this database, and the given settings: the form tests use. */
    public static NodeConfig of(DatabaseLocation database, Map<Key, String> settings) {
        return new NodeConfig(Configuration.of(settings), database, false);
    }

    /** As before the configuration file existed: the settings most tests care about. */
    public NodeConfig(String host, int port, DatabaseLocation database, boolean demo, Path tlsCertificate, Path tlsKey,
            long maxContentLength, String title) {
        this(host, port, database, demo, tlsCertificate, tlsKey, maxContentLength, title, null, null);
    }

    public NodeConfig(String host, int port, DatabaseLocation database, boolean demo, Path tlsCertificate, Path tlsKey,
            long maxContentLength, String title, OwnOrganisation organisation, Duration retentionEvery) {
        this(Configuration.of(values(host, port, tlsCertificate, tlsKey, maxContentLength, title, organisation,
                retentionEvery)), database, demo);
    }

    private static Map<Key, String> values(String host, int port, Path cert, Path key, long maxContentLength,
            String title, OwnOrganisation organisation, Duration retentionEvery) {
        Map<Key, String> v = new EnumMap<>(Key.class);
        v.put(Key.HOST, host);
        v.put(Key.PORT, Integer.toString(port));
        if (cert != null) v.put(Key.TLS_CERT, cert.toString());
        if (key != null) v.put(Key.TLS_KEY, key.toString());
        v.put(Key.MAX_CONTENT_LENGTH, Long.toString(maxContentLength));
        if (title != null) v.put(Key.TITLE, title);
        if (organisation != null) {
            v.put(Key.ORG_NAME, organisation.name());
            v.put(Key.ORG_NATION, organisation.nation());
            v.put(Key.ORG_SECTOR, organisation.sector());
        }
        if (retentionEvery != null) v.put(Key.RETENTION_EVERY, retentionEvery.toSeconds() + "s");
        return v;
    }

    /** The same configuration with one more setting (checked again). */
    public NodeConfig with(Key key, String value) {
        Map<Key, String> v = new EnumMap<>(Key.class);
        for (Key k : Key.values()) {
            if (settings.source(k) != Configuration.Source.DEFAULT) settings.optional(k).ifPresent(s -> v.put(k, s));
        }
        v.put(key, value);
        return new NodeConfig(Configuration.of(v), database, demo);
    }

    public NodeConfig withDemo(boolean demo) {
        return new NodeConfig(settings, database, demo);
    }

    public Configuration settings() {
        return settings;
    }

    public DatabaseLocation database() {
        return database;
    }

    public boolean demo() {
        return demo;
    }

    public String host() {
        return settings.text(Key.HOST);
    }

    public int port() {
        return Integer.parseInt(settings.text(Key.PORT));
    }

    public Path tlsCertificate() {
        return settings.optional(Key.TLS_CERT).map(Path::of).orElse(null);
    }

    public Path tlsKey() {
        return settings.optional(Key.TLS_KEY).map(Path::of).orElse(null);
    }

    public boolean tls() {
        return tlsCertificate() != null;
    }

    public long maxContentLength() {
        return Long.parseLong(settings.text(Key.MAX_CONTENT_LENGTH));
    }

    public String title() {
        return settings.text(Key.TITLE);
    }

    public OwnOrganisation organisation() {
        return new OwnOrganisation(settings.text(Key.ORG_NAME), settings.text(Key.ORG_NATION).toUpperCase(Locale.ROOT),
                settings.text(Key.ORG_SECTOR));
    }

    /** Whether the own organisation was configured rather than left at its placeholder. */
    public boolean organisationConfigured() {
        return settings.source(Key.ORG_NAME) != Configuration.Source.DEFAULT;
    }

    public Administrator administrator() {
        return new Administrator(settings.text(Key.ADMIN_USER), settings.optional(Key.ADMIN_PASSWORD).orElse(null));
    }

    public Duration retentionEvery() {
        return Configuration.parseDuration(settings.text(Key.RETENTION_EVERY));
    }

    /** How long a console session lives without a request. */
    public Duration consoleSessionIdle() {
        return Configuration.parseDuration(settings.text(Key.CONSOLE_SESSION_IDLE));
    }

    public boolean jsonLogs() {
        return settings.text(Key.LOG_FORMAT).equals("json");
    }

    public String federationHost() {
        return settings.text(Key.FEDERATION_HOST);
    }

    /** The federation port; when the users' port is chosen freely (0) and this one was not set, it is too. */
    public int federationPort() {
        if (settings.source(Key.FEDERATION_PORT) == Configuration.Source.DEFAULT && port() == 0) return 0;
        return Integer.parseInt(settings.text(Key.FEDERATION_PORT));
    }

    /** The URL partners reach this node at, when configured; otherwise derived from the listener. */
    public java.util.Optional<String> federationUrl() {
        return settings.optional(Key.FEDERATION_URL);
    }

    public Path federationCertificate() {
        return settings.optional(Key.FEDERATION_CERT).map(Path::of).orElse(null);
    }

    public Path federationKey() {
        return settings.optional(Key.FEDERATION_KEY).map(Path::of).orElse(null);
    }

    public Duration federationTimeout() {
        return Configuration.parseDuration(settings.text(Key.FEDERATION_TIMEOUT));
    }

    public Duration syncEvery() {
        return Configuration.parseDuration(settings.text(Key.SYNC_EVERY));
    }

    /** Screening checks per minute per user and per organisation (0: no limit). */
    public long screeningLimitPerUser() {
        return Long.parseLong(settings.text(Key.SCREENING_LIMIT_USER));
    }

    public long screeningLimitPerOrganisation() {
        return Long.parseLong(settings.text(Key.SCREENING_LIMIT_ORGANISATION));
    }

    public Duration screeningSweepWindow() {
        return Configuration.parseDuration(settings.text(Key.SCREENING_SWEEP_WINDOW));
    }

    /** Numbers of one document series, and spellings of one name, that make a sweep (0: not checked). */
    public int screeningSweepDocuments() {
        return Integer.parseInt(settings.text(Key.SCREENING_SWEEP_DOCUMENTS));
    }

    public int screeningSweepNames() {
        return Integer.parseInt(settings.text(Key.SCREENING_SWEEP_NAMES));
    }

    public Duration screeningSweepBlock() {
        return Configuration.parseDuration(settings.text(Key.SCREENING_SWEEP_BLOCK));
    }

    /** Whether screening records are flushed to disk before the check is answered. */
    public boolean screeningSynchronousCommit() {
        return Boolean.parseBoolean(settings.text(Key.SCREENING_SYNCHRONOUS_COMMIT));
    }

    public int eventsMaxClients() {
        return Integer.parseInt(settings.text(Key.EVENTS_MAX_CLIENTS));
    }

    public long requestsAttachmentLimit() {
        return Long.parseLong(settings.text(Key.REQUESTS_ATTACHMENT_LIMIT));
    }

    public Duration requestsCheckEvery() {
        return Configuration.parseDuration(settings.text(Key.REQUESTS_CHECK_EVERY));
    }

    public boolean metricsOpenOnLoopback() {
        return Boolean.parseBoolean(settings.text(Key.METRICS_OPEN_ON_LOOPBACK));
    }
}
