package org.entente.node.db;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Node-wide values kept in the database so that every process serving it agrees on them. */
public final class NodeSettings {
    private final DataSource db;

    public NodeSettings(DataSource db) {
        this.db = db;
    }

    /**
     * A random secret, created by whichever process asks first; concurrent first calls agree
     * because the insert does nothing when another process won.
     */
    public byte[] secret(String name, int bytes) {
        byte[] candidate = new byte[bytes];
        new SecureRandom().nextBytes(candidate);
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO node_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, name);
                s.setBytes(2, candidate);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM node_setting WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read node setting " + name + ": " + e.getMessage(), e);
        }
    }
}
