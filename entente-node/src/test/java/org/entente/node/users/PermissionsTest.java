package org.entente.node.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.UUID;
import org.entente.node.common.InvalidInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may read and write which collection; administrators everything. */
class PermissionsTest {
    static UsersWorld world;
    static Permissions permissions;
    static Principal reader;
    static Principal admin;

    @BeforeAll
    static void open() {
        world = new UsersWorld();
        permissions = world.node.permissions();
        Accounts.User r = world.node.accounts().create("reader", "reader password 1", false);
        Accounts.User a = world.node.accounts().create("admin", "admin password 12", true);
        reader = new Principal(r.id(), "reader", false, world.own, Set.of(Role.ANALYST));
        admin = new Principal(a.id(), "admin", true, world.own, Set.of(Role.ADMINISTRATOR));
    }

    @AfterAll
    static void close() {
        world.close();
    }

    @Test
    void aGrantIsAuditedAndReplacesTheOneBefore() {
        assertThat(permissions.permission(reader, world.collection)).isEqualTo(Permissions.Permission.NONE);
        long before = world.records();
        permissions.grant(world.collection, "reader", true, false, "root");
        assertThat(permissions.permission(reader, world.collection)).isEqualTo(new Permissions.Permission(true, false));
        assertThat(permissions.readableCollections(reader)).containsExactly(world.collection);
        assertThat(world.records()).isEqualTo(before + 1);
        UsersWorld.Record r = world.last();
        assertThat(r.detail().path("change").asText()).isEqualTo("collection permission");
        assertThat(r.detail().path("collection").asText()).isEqualTo(world.collection);
        assertThat(r.detail().path("read").asBoolean()).isTrue();
        assertThat(r.detail().path("write").asBoolean()).isFalse();

        permissions.grant(world.collection, "reader", false, true, "root");
        assertThat(permissions.permission(reader, world.collection)).isEqualTo(new Permissions.Permission(false, true));
        assertThat(permissions.readableCollections(reader)).isEmpty();
        permissions.grant(world.collection, "reader", true, false, "root");
    }

    @Test
    void administratorsReadAndWriteEveryCollection() {
        String another = world.node.store().createCollection(UUID.randomUUID().toString(), null, "Another", null).id();
        assertThat(permissions.permission(admin, another)).isEqualTo(Permissions.Permission.ALL);
        assertThat(permissions.readableCollections(admin)).contains(world.collection, another);
        assertThat(permissions.readableCollections(reader)).doesNotContain(another);
    }

    @Test
    void grantsForUnknownUsersOrCollectionsAreRefusedWithoutARecord() {
        long before = world.records();
        assertThatThrownBy(() -> permissions.grant("no-such-collection", "reader", true, true, "root"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems().getFirst().field()).isEqualTo("collection"));
        assertThatThrownBy(() -> permissions.grant(world.collection, "ghost", true, true, "root"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems().getFirst().field()).isEqualTo("username"));
        assertThat(world.records()).isEqualTo(before);
    }
}
