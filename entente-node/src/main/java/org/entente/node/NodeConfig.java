package org.entente.node;

import java.nio.file.Path;
import java.time.Duration;
import org.entente.node.db.DatabaseLocation;

/**
 * How to run a node.
 *
 * @param tlsCertificate PEM certificate chain; with {@code tlsKey} the node serves HTTPS only
 * @param port 0 picks a free port (tests)
 * @param organisation the node's own organisation, created on first start (later starts keep the stored one)
 * @param retentionEvery how often expired objects are purged (and the audit log checkpointed)
 */
public record NodeConfig(String host, int port, DatabaseLocation database, boolean demo, Path tlsCertificate,
        Path tlsKey, long maxContentLength, String title, OwnOrganisation organisation, Duration retentionEvery) {

    public static final int DEFAULT_PORT = 8420;
    public static final long DEFAULT_MAX_CONTENT_LENGTH = 10L * 1024 * 1024;
    public static final Duration DEFAULT_RETENTION_EVERY = Duration.ofHours(1);

    /** The organisation a node is created for: name, ISO 3166-1 alpha-2 nation, sector. */
    public record OwnOrganisation(String name, String nation, String sector) {
        /** From ENTENTE_ORG_NAME, ENTENTE_ORG_NATION and ENTENTE_ORG_SECTOR, else a placeholder to rename. */
        public static OwnOrganisation fromEnvironment() {
            return new OwnOrganisation(env("ENTENTE_ORG_NAME", "Local agency"), env("ENTENTE_ORG_NATION", "ZZ"),
                    env("ENTENTE_ORG_SECTOR", "cert"));
        }

        private static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }
    }

    public NodeConfig(String host, int port, DatabaseLocation database, boolean demo, Path tlsCertificate, Path tlsKey,
            long maxContentLength, String title) {
        this(host, port, database, demo, tlsCertificate, tlsKey, maxContentLength, title,
                OwnOrganisation.fromEnvironment(), DEFAULT_RETENTION_EVERY);
    }

    public boolean tls() {
        return tlsCertificate != null;
    }
}
