package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.entente.node.testing.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `entente node …`, `entente peer …` and `entente agreement accept` as an operator runs them, on two nodes' databases. */
class PeerCommandTest {

    private static CliDatabase node(String name, String nation) {
        CliDatabase db = new CliDatabase();
        db.ok("org", "add", name, "--nation", nation, "--sector", "cert", "--own");
        db.ok("collection", "add", "Intelligence", "--alias", "intel");
        return db;
    }

    @Test
    void twoOperatorsMakeTheirNodesPeersOfferACollectionAndSeeTheStatus(@TempDir Path dir) throws Exception {
        CliDatabase x = node("Centre X", "EE");
        CliDatabase y = node("Centre Y", "DE");
        Path idx = dir.resolve("x.json");
        Path idy = dir.resolve("y.json");
        assertThat(x.ok("node", "identity", "--output", idx.toString()).out()).contains("identity of Centre X written to");
        y.ok("node", "identity", "-o", idy.toString());
        JsonNode doc = CliDatabase.JSON.readTree(Files.readString(idx));
        assertThat(doc.path("organisation").path("name").asText()).isEqualTo("Centre X");
        assertThat(doc.path("fingerprint").asText()).hasSize(64);
        assertThat(Files.readString(idx)).doesNotContain("PRIVATE");

        Run added = x.ok("peer", "add", "--identity", idy.toString());
        assertThat(added.out()).contains("peer Centre Y (DE, identity--").contains("certificate ");
        y.ok("peer", "add", "--identity", idx.toString());
        assertThat(x.ok("peer", "list").out()).containsPattern("Centre Y\\s+DE\\s+identity--\\S+\\s+https://127.0.0.1:8421/");

        // Nothing is offered without an agreement binding both.
        assertThat(x.refused("peer", "offer", "Centre Y", "intel").err()).contains("--agreement")
                .contains("no agreement binds this node and Centre Y");
        ObjectNode mou = CliDatabase.mou();
        mou.putArray("parties").add("Centre X").add("Centre Y");
        String agreement = CliDatabase.firstLine(x.ok("agreement", "add", "--file", CliDatabase.file(mou)));
        assertThat(x.ok("agreement", "list").out()).containsPattern(agreement + "\\s+1\\s+proposed\\s+no");
        assertThat(x.ok("peer", "offer", "Centre Y", "intel", "--agreement", agreement).out())
                .contains("offered Intelligence").contains("to Centre Y under agreement " + agreement);

        Run status = x.ok("peer", "status", "--json");
        JsonNode peer = CliDatabase.JSON.readTree(status.out()).path("peers").get(0);
        assertThat(peer.path("name").asText()).isEqualTo("Centre Y");
        assertThat(peer.path("offered").get(0).path("agreement").asText()).isEqualTo(agreement);
        assertThat(peer.path("pending_messages").asInt()).as("the proposal waits for Y's node").isEqualTo(1);
        assertThat(x.ok("peer", "status", "Centre Y").out()).contains("offered to it: Intelligence")
                .contains("1 message(s) waiting");

        // Y's node is not running: a sync here says so and fails.
        Run sync = x.run("peer", "sync", "Centre Y", "--wait");
        assertThat(sync.exit()).isEqualTo(1);
        assertThat(sync.out()).contains("Centre Y: sync failed").contains("could not reach Centre Y");

        assertThat(x.ok("peer", "withdraw", "Centre Y", "intel").out()).contains("no longer offering intel to Centre Y");
        assertThat(x.refused("peer", "withdraw", "Centre Y", "intel").err()).contains("is not offered to Centre Y");
        assertThat(x.ok("peer", "remove", "Centre Y").out()).contains("removed peer Centre Y");
        assertThat(x.ok("peer", "list").out()).contains("no peers yet");
        assertThat(x.auditKinds()).contains("peer-change");
    }

    @Test
    void badIdentitiesAndUnknownPeersAreRefusedWithTheReason(@TempDir Path dir) throws Exception {
        CliDatabase x = node("Centre X", "EE");
        CliDatabase y = node("Centre Y", "DE");
        Path idy = dir.resolve("y.json");
        y.ok("node", "identity", "-o", idy.toString());
        ObjectNode doc = (ObjectNode) CliDatabase.JSON.readTree(Files.readString(idy));

        assertThat(x.refused("peer", "add", "--identity", dir.resolve("missing.json").toString()).err())
                .contains("--identity").contains("no such file");
        ObjectNode moved = doc.deepCopy();
        moved.put("url", "https://203.0.113.9:8421/");
        assertThat(x.refused("peer", "add", "--identity", CliDatabase.file(moved)).err())
                .contains("/signatures").contains("does not verify");
        ObjectNode extra = doc.deepCopy();
        extra.put("note", "added by hand");
        assertThat(x.refused("peer", "add", "--identity", CliDatabase.file(extra)).err()).contains("/note: unknown field");
        Path own = dir.resolve("x.json");
        x.ok("node", "identity", "-o", own.toString());
        assertThat(x.refused("peer", "add", "--identity", own.toString()).err()).contains("own organisation");
        assertThat(x.refused("peer", "offer", "Nobody", "intel").err()).contains("no peer 'Nobody'");
        assertThat(x.refused("peer", "status", "Nobody").err()).contains("no peer 'Nobody'");
        assertThat(x.refused("agreement", "accept", "agreement--00000000-0000-4000-8000-000000000000").err())
                .contains("no agreement");
        assertThat(x.ok("peer", "list").out()).contains("no peers yet");
    }

    @Test
    void rotatingKeysKeepsThePreviousKeyInTheIdentity(@TempDir Path dir) throws Exception {
        CliDatabase x = node("Centre X", "EE");
        Path before = dir.resolve("before.json");
        x.ok("node", "identity", "-o", before.toString());
        String oldKey = CliDatabase.JSON.readTree(Files.readString(before)).path("signing_key").path("id").asText();
        Run rotated = x.ok("node", "rotate-keys");
        assertThat(rotated.out()).contains("new signing key").doesNotContain(oldKey);
        JsonNode after = CliDatabase.JSON.readTree(x.ok("node", "identity").out());
        assertThat(after.path("signing_key").path("id").asText()).isNotEqualTo(oldKey);
        assertThat(after.path("previous_keys").get(0).path("id").asText()).isEqualTo(oldKey);
        assertThat(after.path("signatures")).hasSize(2);
        // The audit checkpoint key is another key: rotating the federation keys leaves it as it was.
        assertThat(x.ok("audit", "verify").exit()).isZero();
    }
}
