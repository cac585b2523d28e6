package org.entente.node.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Where the node's system of record lives: an embedded PostgreSQL in a data folder, or an external server. */
public sealed interface DatabaseLocation {

    /** The zero-setup default: PostgreSQL 17 run by the node itself, its files under {@code dataDir/pgdata}. */
    record Embedded(Path dataDir) implements DatabaseLocation {}

    /** An external PostgreSQL, given as a JDBC URL plus optional credentials. */
    record External(String jdbcUrl, String user, String password) implements DatabaseLocation {
        @Override
        public String toString() {
            return "External[" + jdbcUrl + ", user=" + user + "]";
        }
    }

    /**
     * Accepts {@code jdbc:postgresql://host:port/db?user=…} as well as the libpq form
     * {@code postgresql://user:password@host:port/db} that operators usually have at hand.
     */
    static External parseUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL is empty");
        }
        String u = url.trim();
        if (u.startsWith("jdbc:postgresql:")) {
            return new External(u, null, null);
        }
        if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
            URI uri = URI.create(u);
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new External("jdbc:postgresql://" + host + ":" + port + path + query, user, password);
        }
        throw new IllegalArgumentException(
                "not a PostgreSQL URL: expected postgresql://user:password@host:port/database or jdbc:postgresql://…");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
