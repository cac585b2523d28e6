package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.cli.CliDatabase.OWN;
import static org.entente.node.cli.CliDatabase.PARTNER;
import static org.entente.node.cli.CliDatabase.file;
import static org.entente.node.cli.CliDatabase.firstLine;
import static org.entente.node.cli.CliDatabase.mou;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.entente.node.testing.Cli.Run;
import org.junit.jupiter.api.Test;

class AgreementCommandTest {

    static JsonNode json(Run r) {
        try {
            return CliDatabase.JSON.readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.out(), e);
        }
    }

    static String orgId(CliDatabase db, String name) {
        return db.strings("SELECT id FROM organisation WHERE name = '" + name + "'").getFirst();
    }

    @Test
    void anAgreementIsAddedByPartyNamesShownUpdatedActivatedAndItsHistoryKept() {
        CliDatabase db = CliDatabase.withPartners();
        assertThat(db.ok("agreement", "list").out()).contains("no agreements yet");

        ObjectNode draft = mou().put("status", "draft");
        Run add = db.ok("agreement", "add", "--file", file(draft));
        String id = firstLine(add);
        assertThat(id).as("only the id, for scripts").matches("agreement--[0-9a-f-]{36}");
        assertThat(add.out().strip()).isEqualTo(id);

        Run list = db.ok("agreement", "list");
        assertThat(list.out()).containsPattern(id + "\\s+1\\s+draft\\s+no\\s+2024-01-01 \\.\\. 2099-01-01\\s+"
                + OWN + ", " + PARTNER + "\\s+Memorandum of understanding");

        JsonNode shown = json(db.ok("agreement", "show", id));
        assertThat(shown.path("parties")).extracting(JsonNode::asText)
                .as("names are stored as the organisations' ids")
                .containsExactly(orgId(db, OWN), orgId(db, PARTNER));
        assertThat(shown.path("rules").path("max_tlp").asText()).isEqualTo("amber");

        // What `show` prints goes back to `update` after an edit.
        ObjectNode edited = (ObjectNode) shown.deepCopy();
        ((ObjectNode) edited.get("rules")).put("retention_days", 365);
        ((ObjectNode) edited.get("rules")).putObject("onward_sharing").put("rule", "named-parties")
                .putArray("parties").add("nation:nl");
        assertThat(db.ok("agreement", "update", id, "--file", file(edited)).out())
                .contains("updated agreement " + id + " version 2, draft");
        assertThat(db.ok("agreement", "status", id, "active").out()).contains(id + " version 3, active");
        assertThat(db.ok("agreement", "status", id, "ACTIVE").out()).contains("already; nothing changed");
        assertThat(db.ok("agreement", "list").out()).containsPattern(id + "\\s+3\\s+active\\s+yes");

        JsonNode history = json(db.ok("agreement", "show", id, "--history"));
        assertThat(history.path("versions")).hasSize(3);
        assertThat(history.path("versions").get(0).path("document").path("status").asText()).isEqualTo("draft");
        assertThat(history.path("versions").get(1).path("document").path("rules").path("onward_sharing")
                .path("parties").get(0).asText()).isEqualTo("nation:NL");
        assertThat(history.path("versions").get(2).path("changed_by").asText()).startsWith("cli:");

        // Editing the version-1 file now would silently undo versions 2 and 3.
        Run stale = db.refused("agreement", "update", id, "--file", file(shown.deepCopy()));
        assertThat(stale.err()).contains("/version: the file was taken from version 1, but the agreement is at version 3");

        assertThat(db.ok("agreement", "status", id, "terminated").out()).contains("version 4, terminated");
        Run after = db.refused("agreement", "status", id, "active");
        assertThat(after.err()).contains("/status").contains("terminated");
        assertThat(db.auditKinds()).filteredOn("agreement-change"::equals).hasSize(4);
    }

    @Test
    void anAgreementCanBeReadFromStandardInput() {
        CliDatabase db = CliDatabase.withPartners();
        InputStream in = System.in;
        try {
            System.setIn(new ByteArrayInputStream(("// the MoU, as signed\n" + mou().toPrettyString())
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(firstLine(db.ok("agreement", "add", "--file", "-"))).startsWith("agreement--");
        } finally {
            System.setIn(in);
        }
    }

    /**
     * Each bad file is refused with exit 2 and the field named, stores nothing (the list, every
     * version and the audit log are as before) and prints no id.
     */
    @Test
    void badAgreementsAreRefusedNamingTheFieldAndChangeNothing() {
        CliDatabase db = CliDatabase.withPartners();
        String id = firstLine(db.ok("agreement", "add", "--file", file(mou())));
        String list = db.ok("agreement", "list").out();
        String shown = db.ok("agreement", "show", id, "--history").out();
        List<String> audit = db.auditKinds();
        List<String> versions = db.strings("SELECT agreement_id || ' ' || version FROM agreement_version ORDER BY 1");
        List<String> epoch = db.strings("SELECT epoch::text FROM policy_epoch");

        Consumer<Run> nothingChanged = r -> {
            assertThat(db.ok("agreement", "list").out()).isEqualTo(list);
            assertThat(db.ok("agreement", "show", id, "--history").out()).isEqualTo(shown);
            assertThat(db.strings("SELECT agreement_id || ' ' || version FROM agreement_version ORDER BY 1")).isEqualTo(versions);
            assertThat(db.strings("SELECT epoch::text FROM policy_epoch")).as("no process reloads the policy").isEqualTo(epoch);
            assertThat(db.auditKinds()).isEqualTo(audit);
        };

        Run reversed = db.refused("agreement", "add", "--file", file(mou().put("valid_from", "2030-01-01").put("valid_until", "2026-01-01")));
        assertThat(reversed.err()).contains("Invalid agreement").contains("/valid_until: valid_until (2026-01-01T00:00:00Z) must be after valid_from");
        nothingChanged.accept(reversed);

        ObjectNode unknownParty = mou();
        unknownParty.putArray("parties").add(OWN).add("Bundeskriminalamt");
        Run party = db.refused("agreement", "add", "--file", file(unknownParty));
        assertThat(party.err()).contains("/parties/1: no organisation or nation 'Bundeskriminalamt' is known");
        nothingChanged.accept(party);

        ObjectNode tlp = mou();
        ((ObjectNode) tlp.get("rules")).put("max_tlp", "orange");
        Run ceiling = db.refused("agreement", "add", "--file", file(tlp));
        assertThat(ceiling.err()).contains("/rules/max_tlp: unknown TLP level 'orange'");
        nothingChanged.accept(ceiling);

        ObjectNode personal = mou();
        ((ObjectNode) personal.get("rules")).putObject("personal_data").put("allowed", true);
        Run basis = db.refused("agreement", "update", id, "--file", file(personal));
        assertThat(basis.err()).contains("/rules/personal_data/legal_basis: personal data may be shared only on a stated legal basis");
        nothingChanged.accept(basis);

        ObjectNode several = mou().put("valid_until", "2020-01-01");
        ((ObjectNode) several.get("rules")).put("max_tlp", "purple");
        Run all = db.refused("agreement", "add", "--file", file(several));
        assertThat(all.err().lines().filter(l -> l.startsWith("  /"))).as("one line per problem")
                .anyMatch(l -> l.contains("/valid_until")).anyMatch(l -> l.contains("/rules/max_tlp"));
        nothingChanged.accept(all);

        Run status = db.refused("agreement", "status", id, "paused");
        assertThat(status.err()).contains("STATUS: 'paused' is not one of draft, active, suspended, terminated");
        nothingChanged.accept(status);

        Run missing = db.refused("agreement", "add", "--file", "/no/such/agreement.json");
        assertThat(missing.err()).contains("--file: no such file: /no/such/agreement.json");
        nothingChanged.accept(missing);

        Run invalid = db.refused("agreement", "update", id, "--file", file("{\"title\": \"MoU\",\n \"parties\": [\"a\" \"b\"]}").toString());
        assertThat(invalid.err()).contains("--file").contains("is not valid JSON (line 2");
        nothingChanged.accept(invalid);

        Run notAnObject = db.refused("agreement", "add", "--file", file("[]").toString());
        assertThat(notAnObject.err()).contains("--file").contains("must hold one JSON object");
        nothingChanged.accept(notAnObject);

        Run unknownId = db.refused("agreement", "show", "agreement--00000000-0000-0000-0000-000000000000");
        assertThat(unknownId.err()).contains("AGREEMENT: no agreement 'agreement--00000000");
    }
}
