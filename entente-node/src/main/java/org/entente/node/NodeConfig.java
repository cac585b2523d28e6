package org.entente.node;

import java.nio.file.Path;
import org.entente.node.db.DatabaseLocation;

/**
 * How to run a node.
 *
 * @param tlsCertificate PEM certificate chain; with {@code tlsKey} the node serves HTTPS only
 * @param port 0 picks a free port (tests)
 */
public record NodeConfig(String host, int port, DatabaseLocation database, boolean demo, Path tlsCertificate,
        Path tlsKey, long maxContentLength, String title) {

    public static final int DEFAULT_PORT = 8420;
    public static final long DEFAULT_MAX_CONTENT_LENGTH = 10L * 1024 * 1024;

    public boolean tls() {
        return tlsCertificate != null;
    }
}
