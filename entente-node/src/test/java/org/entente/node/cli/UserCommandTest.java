package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.testing.Cli.run;

import org.entente.node.config.DatabaseLocation;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.Test;

class UserCommandTest {

    @Test
    void usersKeysAndGrantsFromTheCommandLine() {
        DatabaseLocation.External db = TestPostgres.freshDatabase();
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
        Run add = run("user", "add", "--database-url", url, "alice");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("created user alice with password ").contains("shown only this once");

        Run key = run("user", "key", "--database-url", url, "alice", "--label", "misp sync");
        assertThat(key.exit()).isZero();
        assertThat(key.out()).startsWith("ent_");

        assertThat(run("collection", "add", "--database-url", url, "Shared with CERT", "--alias", "cert").exit()).isZero();
        Run grant = run("user", "grant", "--database-url", url, "alice", "cert", "--read");
        assertThat(grant.exit()).as(grant.err()).isZero();
        assertThat(grant.out()).contains("read=true, write=false");

        Run list = run("user", "list", "--database-url", url);
        assertThat(list.out()).containsPattern("alice\\s+user\\s+\\S+\\s+1");

        Run dup = run("user", "add", "--database-url", url, "alice");
        assertThat(dup.exit()).isEqualTo(2);
        assertThat(dup.err()).contains("already exists");
        Run badName = run("user", "add", "--database-url", url, "bad name");
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).contains("user names are");
        Run noCollection = run("user", "grant", "--database-url", url, "alice", "nope", "--read");
        assertThat(noCollection.exit()).isEqualTo(2);
        assertThat(noCollection.err()).contains("no collection 'nope'");
        Run badAlias = run("collection", "add", "--database-url", url, "X", "--alias", "Not Valid");
        assertThat(badAlias.exit()).isEqualTo(2);
    }

    @Test
    void usersBelongToAnOrganisationAndHoldRoles() {
        CliDatabase db = CliDatabase.withPartners();
        Run own = db.ok("user", "add", "anna", "--role", "analyst,liaison-officer");
        assertThat(own.out()).contains("organisation: " + CliDatabase.OWN).contains("roles: analyst,liaison-officer");
        Run partner = db.ok("user", "add", "dieter", "--org", CliDatabase.PARTNER.toUpperCase(), "--role", "border-officer");
        assertThat(partner.out()).contains("organisation: " + CliDatabase.PARTNER).contains("roles: border-officer");
        assertThat(db.ok("user", "add", "root", "--admin").out()).contains("roles: administrator (administrator)");
        Run list = db.ok("user", "list");
        assertThat(list.out()).containsPattern("anna\\s+user\\s+\\S+\\s+0\\s+" + CliDatabase.OWN + "\\s+(analyst,liaison-officer|liaison-officer,analyst)")
                .containsPattern("dieter\\s+user\\s+\\S+\\s+0\\s+" + CliDatabase.PARTNER + "\\s+border-officer")
                .containsPattern("root\\s+admin\\s+.*administrator");

        assertThat(db.refused("user", "add", "eve", "--role", "spy").err()).contains("--role: unknown role 'spy'; known: analyst");
        assertThat(db.refused("user", "add", "eve", "--org", "Nobody").err()).contains("--org: no organisation 'Nobody'");
        assertThat(db.refused("user", "add", "eve", "--org", CliDatabase.PARTNER, "--admin").err())
                .contains("--admin: administrators belong to the node's own organisation");
        assertThat(db.ok("user", "list").out()).isEqualTo(list.out()).doesNotContain("eve");
    }
}
