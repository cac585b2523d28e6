package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.cli.CliDatabase.OTHER;
import static org.entente.node.cli.CliDatabase.PARTNER;
import static org.entente.node.cli.CliDatabase.file;
import static org.entente.node.cli.CliDatabase.firstLine;
import static org.entente.node.cli.CliDatabase.mou;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.Stix;
import org.junit.jupiter.api.Test;

/** Provenance of a partner's collection, and the retention its agreement imposes. */
class RetentionCommandTest {

    @Test
    void whatAPartnerProvidedIsPurgedAfterTheAgreedRetention() {
        CliDatabase db = CliDatabase.withPartners();
        ObjectNode terms = mou();
        ((ObjectNode) terms.get("rules")).put("retention_days", 30);
        String mou = firstLine(db.ok("agreement", "add", "--file", file(terms)));
        db.ok("collection", "add", "From the partner", "--alias", "from-de");
        Run provenance = db.ok("collection", "provenance", "from-de", "--provider", PARTNER, "--agreement", mou);
        assertThat(provenance.out()).contains("collection from-de (").contains("holds what " + PARTNER + " shared under " + mou);
        assertThat(db.ok("collection", "list").out()).containsPattern("from-de\\s+From the partner\\s+" + PARTNER + " under " + mou);

        String old = Stix.indicatorId();
        String recent = Stix.indicatorId();
        db.ok("import", file(Stix.bundle(Stix.indicator(old, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.1']"),
                Stix.indicator(old, "2024-02-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.1']"),
                Stix.indicator(recent, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.2']"))).toString(),
                "--collection", "from-de", "--quiet");
        // Received 40 days ago, as far as the node knows.
        db.execute("UPDATE stix_object SET date_added = date_added - interval '40 days' WHERE id = '" + old + "'");

        Run dry = db.ok("retention", "run", "--dry-run");
        assertThat(dry.out()).contains("would purge 1 object (2 versions) of collection from-de (")
                .contains("kept 30 days under " + mou);
        assertThat(db.run("policy", "explain", "--object", old, "--recipient", PARTNER).exit())
                .as("a dry run deletes nothing").isZero();

        Run purge = db.ok("retention", "run");
        assertThat(purge.out()).contains("purged 1 object (2 versions) of collection from-de (");
        assertThat(db.refused("policy", "explain", "--object", old, "--recipient", PARTNER).err())
                .contains("no object '" + old + "' is stored");
        assertThat(db.run("policy", "explain", "--object", recent, "--recipient", PARTNER).exit()).isZero();
        assertThat(db.ok("retention", "run").out()).contains("nothing has expired");
        assertThat(db.strings("SELECT object_id FROM deleted_object")).as("recorded for propagation").containsOnly(old);
        assertThat(db.auditKinds()).contains("purge", "collection-change");

        assertThat(db.ok("collection", "provenance", "from-de", "--own").out()).contains("holds the node's own intelligence");
        assertThat(db.ok("collection", "list").out()).containsPattern("from-de\\s+From the partner\\s+own");
    }

    @Test
    void provenanceNeedsAnAgreementTheProviderIsPartyTo() {
        CliDatabase db = CliDatabase.withPartners();
        String mou = firstLine(db.ok("agreement", "add", "--file", file(mou())));
        db.ok("collection", "add", "From the border police", "--alias", "from-jo");
        String before = db.ok("collection", "list").out();

        assertThat(db.refused("collection", "provenance", "from-jo", "--provider", OTHER, "--agreement", mou).err())
                .contains("--agreement: " + OTHER + " is not a party to " + mou);
        assertThat(db.refused("collection", "provenance", "from-jo", "--provider", "Nobody", "--agreement", mou).err())
                .contains("--provider: no organisation 'Nobody'");
        assertThat(db.refused("collection", "provenance", "from-jo", "--provider", OTHER, "--agreement", "agreement--x").err())
                .contains("--agreement: no agreement 'agreement--x'");
        assertThat(db.refused("collection", "provenance", "from-jo", "--provider", CliDatabase.OWN, "--agreement", mou).err())
                .contains("give --own");
        assertThat(db.refused("collection", "provenance", "from-jo", "--provider", OTHER).err()).contains("--agreement");
        assertThat(db.refused("collection", "provenance", "from-jo", "--own", "--provider", OTHER).err()).contains("--own");
        assertThat(db.refused("collection", "provenance", "nope", "--own").err()).contains("no collection 'nope'");
        assertThat(db.ok("collection", "list").out()).isEqualTo(before);
    }
}
