package org.entente.node.db;

import java.security.SecureRandom;
import org.jdbi.v3.core.Jdbi;

/** Node-wide values kept in the database so that every process serving it agrees on them. */
public final class NodeSettings {
    private final Jdbi jdbi;

    public NodeSettings(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A random secret, created by whichever process asks first; concurrent first calls agree
     * because the insert does nothing when another process won.
     */
    public byte[] secret(String name, int bytes) {
        byte[] candidate = new byte[bytes];
        new SecureRandom().nextBytes(candidate);
        return agreed(name, candidate);
    }

    /** The value stored under {@code name}; the candidate when none was, stored now (first process wins). */
    public byte[] agreed(String name, byte[] candidate) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO node_setting (name, value) VALUES (:name, :value) ON CONFLICT (name) DO NOTHING")
                    .bind("name", name).bind("value", candidate).execute();
            return h.createQuery("SELECT value FROM node_setting WHERE name = :name").bind("name", name)
                    .mapTo(byte[].class).one();
        });
    }

    /** A stored value, if any. */
    public java.util.Optional<byte[]> get(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM node_setting WHERE name = :name")
                .bind("name", name).mapTo(byte[].class).findOne());
    }

    /** Stores a value, replacing what was there. */
    public void put(org.jdbi.v3.core.Handle h, String name, byte[] value) {
        h.createUpdate("INSERT INTO node_setting (name, value) VALUES (:name, :value)"
                + " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value").bind("name", name).bind("value", value).execute();
    }
}
