package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.cli.CliDatabase.OWN;
import static org.entente.node.cli.CliDatabase.PARTNER;

import org.entente.node.testing.Cli.Run;
import org.junit.jupiter.api.Test;

class OrgCommandTest {

    @Test
    void aNodeThatNeverStartedIsToldHowToGetItsOwnOrganisation() {
        CliDatabase db = new CliDatabase();
        assertThat(db.ok("org", "list").out()).contains("no organisations yet").contains("entente serve");

        Run noOwn = db.refused("agreement", "add", "--file", CliDatabase.file(CliDatabase.mou()));
        assertThat(noOwn.err()).contains("no own organisation yet: start the node once with `entente serve`,"
                + " or create it with `entente org add");

        Run created = db.ok("org", "add", OWN, "--nation", "ee", "--sector", "cybercrime", "--own");
        assertThat(created.out()).contains("created organisation " + OWN + " (EE, cybercrime, own, identity--");
        Run second = db.refused("org", "add", "Another Centre", "--nation", "EE", "--sector", "cert", "--own");
        assertThat(second.err()).contains("--own").contains("already has its own organisation").contains(OWN);
    }

    @Test
    void partnersAreListedAddedAndChanged() {
        CliDatabase db = CliDatabase.withPartners();
        Run list = db.ok("org", "list");
        assertThat(list.out().lines().findFirst().orElseThrow()).containsPattern("ID\\s+NAME\\s+NATION\\s+SECTOR\\s+OWN");
        assertThat(list.out()).containsPattern("identity--\\S+\\s+" + OWN + "\\s+EE\\s+cybercrime\\s+yes")
                .containsPattern("identity--\\S+\\s+" + PARTNER + "\\s+DE\\s+cybercrime\\s+24/7 desk");
        assertThat(list.out().lines().skip(1).findFirst().orElseThrow()).as("own first").contains(OWN);

        Run update = db.ok("org", "update", PARTNER.toLowerCase(), "--name", "BKA Cybercrime", "--contact", "cc@bka.example");
        assertThat(update.out()).contains("updated organisation BKA Cybercrime (DE, cybercrime");
        String id = update.out().replaceAll("(?s).*(identity--[0-9a-f-]+).*", "$1").strip();
        assertThat(db.ok("org", "update", id, "--sector", "police").out()).contains("BKA Cybercrime (DE, police");
        assertThat(db.ok("org", "list").out()).contains("BKA Cybercrime").doesNotContain(PARTNER);
    }

    @Test
    void badOrganisationsAreRefusedNamingTheFieldAndChangeNothing() {
        CliDatabase db = CliDatabase.withPartners();
        String before = db.ok("org", "list").out();

        Run nation = db.refused("org", "add", "Interpol NCB", "--nation", "XY", "--sector", "police");
        assertThat(nation.err()).contains("nation: 'XY' is not an ISO 3166-1 alpha-2 country code");
        Run sector = db.refused("org", "add", "Interpol NCB", "--nation", "FR", "--sector", "spies");
        assertThat(sector.err()).contains("sector: unknown sector 'spies'; known: cybercrime, cert");
        Run duplicate = db.refused("org", "add", PARTNER, "--nation", "DE", "--sector", "police");
        assertThat(duplicate.err()).contains("name: an organisation named '" + PARTNER + "' already exists");
        Run missing = db.refused("org", "add", "Interpol NCB", "--sector", "police");
        assertThat(missing.err()).contains("--nation");
        Run nothing = db.refused("org", "update", PARTNER);
        assertThat(nothing.err()).contains("nothing to change");
        Run unknown = db.refused("org", "update", "Nobody", "--nation", "FR");
        assertThat(unknown.err()).contains("ORG: no organisation 'Nobody'");
        Run badUpdate = db.refused("org", "update", PARTNER, "--nation", "Germany");
        assertThat(badUpdate.err()).contains("nation: 'Germany'");

        assertThat(db.ok("org", "list").out()).isEqualTo(before);
    }
}
