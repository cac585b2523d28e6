package org.entente.node.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.entente.node.NodeServices;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.NodeConfig;
import org.entente.node.db.Database;
import org.entente.node.partners.Organisations;
import org.entente.node.testing.TestPostgres;

/** A node's users on a database of their own: the real services, an own and a partner organisation, a collection. */
final class UsersWorld implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Database database;
    final NodeServices node;
    final String own;
    final String partner;
    final String collection;

    UsersWorld() {
        DatabaseLocation.External location = TestPostgres.freshDatabase();
        database = Database.open(location);
        node = NodeServices.on(NodeConfig.of(location, Map.of()), database);
        own = node.organisations().create(new Organisations.Draft("Own agency", "EE", "cert", null), true, "test").id();
        partner = node.organisations().create(new Organisations.Draft("Partner unit", "DE", "police", null), false, "test").id();
        collection = node.store().createCollection(UUID.randomUUID().toString(), null, "Intelligence", null).id();
    }

    /** Records in the audit chain. */
    long records() {
        return node.audit().head().seq();
    }

    /** The newest audit record: kind, actor and detail. */
    Record last() {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT kind, actor, detail::text FROM audit_record ORDER BY seq DESC LIMIT 1")
                .map((rs, ctx) -> new Record(rs.getString(1), rs.getString(2), tree(rs.getString(3)))).one());
    }

    record Record(String kind, String actor, JsonNode detail) {}

    static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
