package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.cli.CliDatabase.OTHER;
import static org.entente.node.cli.CliDatabase.PARTNER;
import static org.entente.node.cli.CliDatabase.file;
import static org.entente.node.cli.CliDatabase.firstLine;
import static org.entente.node.cli.CliDatabase.mou;

import com.fasterxml.jackson.databind.JsonNode;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.Stix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `entente policy explain` and `report` on a node with an active MoU with one partner and none with another. */
class PolicyCommandTest {
    static CliDatabase db;
    static String mou;
    static String indicator;

    @BeforeAll
    static void partnersAgreementAndIntelligence() {
        db = CliDatabase.withPartners();
        mou = firstLine(db.ok("agreement", "add", "--file", file(mou())));
        indicator = Stix.indicatorId();
        String bundle = Stix.bundle(Stix.indicator(indicator, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '198.51.100.7']"));
        db.ok("import", CliDatabase.file(bundle).toString(), "--quiet");
    }

    @Test
    void aPartnerUnderAnAgreementIsPermittedAndTheChecksAreShown() {
        Run r = db.run("policy", "explain", "--object", indicator, "--recipient", PARTNER, "--purpose", "detection");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("recipient  " + PARTNER + " (identity--")
                .contains("purpose    detection, action read")
                .contains("own intelligence")
                .contains("PERMIT  rule agreement, agreement " + mou + " (Memorandum of understanding on cybercrime cooperation)")
                .contains("reason   ")
                .contains("collection intel (").contains("object   no TLP marking, category cyber-indicators")
                .contains("checks\n    - ");
    }

    @Test
    void aPartnerWithoutAgreementIsDeniedWithExitOne() {
        Run r = db.run("policy", "explain", "--object", indicator, "--recipient", OTHER);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("DENY  rule no-agreement").contains("purpose    intelligence-analysis");

        Run prosecution = db.run("policy", "explain", "--object", indicator, "--recipient", PARTNER, "--purpose", "prosecution");
        assertThat(prosecution.exit()).isEqualTo(1);
        assertThat(prosecution.out()).contains("DENY  rule purpose-not-permitted");
    }

    @Test
    void theRawDecisionIsAvailableAsJson() throws Exception {
        Run r = db.run("policy", "explain", "--object", indicator, "--recipient", PARTNER, "--action", "export", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = CliDatabase.JSON.readTree(r.out());
        assertThat(j.path("action").asText()).isEqualTo("export");
        assertThat(j.path("results").get(0).path("decision").asText()).isEqualTo("permit");
        assertThat(j.path("results").get(0).path("agreement").asText()).isEqualTo(mou);
        assertThat(j.path("results").get(0).path("checks")).isNotEmpty();
    }

    @Test
    void badQuestionsAreRefusedNamingTheOption() {
        assertThat(db.refused("policy", "explain", "--object", indicator, "--recipient", PARTNER, "--purpose", "curiosity")
                .err()).contains("--purpose: 'curiosity' is not a purpose").contains("border-control");
        assertThat(db.refused("policy", "explain", "--object", indicator, "--recipient", PARTNER, "--action", "print")
                .err()).contains("--action: 'print'");
        assertThat(db.refused("policy", "explain", "--object", indicator, "--recipient", "Nobody").err())
                .contains("--recipient: no organisation 'Nobody'");
        assertThat(db.refused("policy", "explain", "--object", "indicator--00000000-0000-4000-8000-000000000000",
                "--recipient", PARTNER).err()).contains("--object: no object 'indicator--00000000");
        assertThat(db.refused("policy", "explain", "--object", indicator, "--recipient", PARTNER, "--user", "ghost")
                .err()).contains("--user: no user named 'ghost'");
        assertThat(db.refused("policy", "explain", "--recipient", PARTNER).err()).contains("--object");
        assertThat(db.refused("policy", "report", "--recipient", "Nobody").err()).contains("--recipient: no organisation 'Nobody'");
    }

    @Test
    void theReportCountsWhatEachPartnerMayReceiveByAgreementAndPurpose() throws Exception {
        Run r = db.ok("policy", "report", "--recipient", PARTNER);
        assertThat(r.out()).contains("What " + PARTNER + " (identity--")
                .containsPattern(mou + "\\s+version 1, active, in force: Memorandum")
                .contains("For detection:\n  permitted under " + mou + " (Memorandum of understanding on cybercrime cooperation): 1\n"
                        + "    intel / cyber-indicators: 1")
                .contains("For prosecution:\n  permitted: none\n  withheld, purpose-not-permitted: 1");

        Run other = db.ok("policy", "report", "--recipient", OTHER);
        assertThat(other.out()).contains("none: it receives nothing but what it provided itself")
                .contains("withheld, no-agreement: 1");

        JsonNode j = CliDatabase.JSON.readTree(db.ok("policy", "report", "--recipient", PARTNER, "--json").out());
        JsonNode byCollection = j.path("receivable").path("detection").path("permitted_by_agreement").path(mou);
        assertThat(byCollection.properties()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).as("keyed by collection id and category").endsWith(" / cyber-indicators");
            assertThat(e.getValue().asLong()).isEqualTo(1);
        });
    }
}
