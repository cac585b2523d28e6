package org.entente.node.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creating people and tools, their roles and passwords: every change audited with it, a refused one not at all. */
class AccountsTest {
    static UsersWorld world;
    static Accounts accounts;

    @BeforeAll
    static void open() {
        world = new UsersWorld();
        accounts = world.node.accounts();
    }

    @AfterAll
    static void close() {
        world.close();
    }

    @Test
    void aCreatedUserIsAuditedWithItsRolesAndOrganisation() {
        long before = world.records();
        Accounts.User u = accounts.create("ana.liaison", "liaison password 1", false, world.partner,
                Set.of(Role.LIAISON_OFFICER, Role.ANALYST), "root");
        assertThat(u.admin()).isFalse();
        assertThat(world.records()).isEqualTo(before + 1);
        UsersWorld.Record r = world.last();
        assertThat(r.kind()).isEqualTo(AuditEvent.USER_CHANGE);
        assertThat(r.actor()).isEqualTo("root");
        assertThat(r.detail().path("change").asText()).isEqualTo("created");
        assertThat(r.detail().path("user").asText()).isEqualTo("ana.liaison");
        assertThat(r.detail().path("organisation").asText()).isEqualTo(world.partner);
        assertThat(r.detail().path("roles").toString()).isEqualTo("[\"analyst\",\"liaison-officer\"]");
        assertThat(r.detail().toString()).doesNotContain("liaison password 1");
        Accounts.Listed listed = accounts.list().stream().filter(l -> l.username().equals("ana.liaison")).findFirst()
                .orElseThrow();
        assertThat(listed.organisation()).isEqualTo("Partner unit");
        assertThat(listed.roles()).containsExactlyInAnyOrder("analyst", "liaison-officer");
    }

    @Test
    void theAdministratorRoleAndFlagGoTogether() {
        assertThat(accounts.create("boss", "boss password 12", false, null, Set.of(Role.ADMINISTRATOR)).admin()).isTrue();
        accounts.create("flagged", "flagged password 1", true, null, Set.of(Role.AUDITOR));
        assertThat(accounts.list().stream().filter(l -> l.username().equals("flagged")).findFirst().orElseThrow().roles())
                .contains("administrator", "auditor");
    }

    @Test
    void refusedChangesNameTheFieldAndLeaveNoAuditRecord() {
        accounts.create("taken", "taken password 12", false);
        Object[][] cases = {
                {"taken", "another password 1", null, Set.of(Role.ANALYST), "username"},
                {"no spaces allowed", "another password 1", null, Set.of(Role.ANALYST), "username"},
                {"x".repeat(65), "another password 1", null, Set.of(Role.ANALYST), "username"},
                {"shortpass", "short", null, Set.of(Role.ANALYST), "password"},
                {"nulpass", "twelve chars\0!", null, Set.of(Role.ANALYST), "password"},
                {"noroles", "another password 1", null, Set.of(), "roles"},
                {"orphan", "another password 1", "identity--00000000-0000-4000-8000-000000000000", Set.of(Role.ANALYST),
                        "organisation"},
        };
        for (Object[] c : cases) {
            long before = world.records();
            @SuppressWarnings("unchecked")
            Set<Role> roles = (Set<Role>) c[3];
            assertThatThrownBy(() -> accounts.create((String) c[0], (String) c[1], false, (String) c[2], roles))
                    .as((String) c[0]).isInstanceOfSatisfying(InvalidInput.class,
                            e -> assertThat(e.problems().getFirst().field()).isEqualTo(c[4]));
            assertThat(world.records()).as("no record of " + c[0]).isEqualTo(before);
        }
        assertThat(accounts.find("orphan")).isEmpty();
        assertThat(accounts.find("noroles")).isEmpty();
    }

    /** The record is written in the change's own transaction: when it cannot be written, there is no change. */
    @Test
    void aChangeWhoseAuditRecordCannotBeWrittenIsNotMade() {
        long before = world.records();
        assertThatThrownBy(() -> accounts.create("unrecorded", "unrecorded password", false, null, Set.of(Role.ANALYST),
                "bad\0actor")).isInstanceOf(IllegalArgumentException.class);
        assertThat(accounts.find("unrecorded")).isEmpty();
        assertThat(world.records()).isEqualTo(before);

        accounts.create("keeps", "first password 12", false);
        String hash = storedHash("keeps");
        assertThatThrownBy(() -> accounts.setPassword("keeps", "second password 1", "bad\0actor"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(storedHash("keeps")).as("the password is unchanged").isEqualTo(hash);
    }

    @Test
    void aPasswordChangeIsAuditedAndAnUnknownUserRefused() {
        accounts.create("changer", "first password 12", false);
        long before = world.records();
        String hash = storedHash("changer");
        accounts.setPassword("changer", "second password 1", "root");
        assertThat(storedHash("changer")).isNotEqualTo(hash).startsWith("$argon2id$");
        assertThat(world.records()).isEqualTo(before + 1);
        assertThat(world.last().detail().path("change").asText()).isEqualTo("password set");
        assertThat(world.last().detail().toString()).doesNotContain("second password 1");

        long after = world.records();
        assertThatThrownBy(() -> accounts.setPassword("ghost", "any password 123", "root"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems().getFirst().field()).isEqualTo("username"));
        assertThatThrownBy(() -> accounts.setPassword("changer", "short", "root")).isInstanceOf(InvalidInput.class);
        assertThat(world.records()).isEqualTo(after);
    }

    /** Several processes starting at once on one database create exactly one first administrator. */
    @Test
    void theFirstAdministratorIsCreatedOnceWhateverTheRace() throws Exception {
        try (UsersWorld fresh = new UsersWorld()) {
            Accounts a = fresh.node.accounts();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "first-" + i;
                results.add(pool.submit(() -> a.createFirstAdmin(name, "first admin password")));
            }
            int created = 0;
            for (Future<Boolean> f : results) created += f.get() ? 1 : 0;
            pool.shutdown();
            assertThat(created).isEqualTo(1);
            assertThat(a.list().stream().filter(Accounts.Listed::admin).count()).isEqualTo(1);
            assertThat(a.anyAdmin()).isTrue();
            long records = fresh.records();
            assertThat(a.createFirstAdmin("late", "first admin password")).isFalse();
            assertThat(fresh.records()).isEqualTo(records);
        }
    }

    static String storedHash(String user) {
        return world.database.jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM app_user WHERE username = :u")
                .bind("u", user).mapTo(String.class).one());
    }
}
