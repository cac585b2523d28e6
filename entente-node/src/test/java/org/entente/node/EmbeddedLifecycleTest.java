package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.entente.node.testing.Cli;
import org.entente.node.testing.Http;
import org.entente.node.testing.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `entente serve` on a data folder, as an operator runs it: the PostgreSQL it starts stops with it,
 * whether it is stopped or killed, and a command beside it never stops the node's server.
 */
class EmbeddedLifecycleTest {

    private static final String LISTENING = "Entente node listening on ";
    /** The last line `serve` prints when it has started. */
    private static final String READY = "Stop with Ctrl-C.";
    private static final Map<String, String> ENV = Map.of("ENTENTE_ADMIN_USER", "ops", "ENTENTE_ADMIN_PASSWORD", "ops-password-123");

    @TempDir
    Path dir;

    /** Postmasters these tests started, stopped at the end if a failed assertion left one running. */
    private final List<Long> postmasters = new ArrayList<>();

    @AfterEach
    void stopLeftovers() throws Exception {
        for (long pid : postmasters) {
            if (alive(pid)) new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
        }
    }

    @Test
    void sigtermStopsThePostmasterTheNodeStartedAndACommandBesideItDoesNot() throws Exception {
        Path data = dir.resolve("data");
        try (NodeProcess node = NodeProcess.start(ENV, "serve", "--port", "0", "--data", data.toString())) {
            String url = node.awaitLine(LISTENING, 120).substring(LISTENING.length());
            long postmaster = postmasterPid(data);

            // A command on the same folder attaches to the node's server and leaves it running.
            Cli.Run verify = Cli.run("audit", "verify", "--data", data.toString());
            assertThat(verify.exit()).as(verify.err()).isZero();
            assertThat(alive(postmaster)).as("the node's PostgreSQL after `entente audit verify` beside it").isTrue();
            assertThat(new Http(url, null).get("/health").status()).isEqualTo(200);

            node.handle().destroy(); // SIGTERM
            node.waitFor(90);
            assertThat(alive(postmaster)).as("PostgreSQL still running after its node exited").isFalse();
            assertThat(data.resolve("pgdata/postmaster.pid")).doesNotExist();
        }
    }

    @Test
    void thePostmasterOfAKilledNodeStopsAndTheNextStartKeepsTheData() throws Exception {
        Path data = dir.resolve("data");
        long first;
        try (NodeProcess node = NodeProcess.start(ENV, "serve", "--port", "0", "--data", data.toString())) {
            node.awaitLine(LISTENING, 120);
            first = postmasterPid(data);
            node.kill();
            node.waitFor(30);
        }
        assertThat(awaitExit(first, 30)).as("PostgreSQL pid " + first + " still running 30 s after its node was killed").isTrue();

        try (NodeProcess again = NodeProcess.start(ENV, "serve", "--port", "0", "--data", data.toString())) {
            again.awaitLine(LISTENING, 120);
            again.awaitLine(READY, 10);
            long second = postmasterPid(data);
            assertThat(second).isNotEqualTo(first);
            assertThat(again.output()).as("the administrator of the first start is still there")
                    .doesNotContain("administrator created");
            again.handle().destroy();
            again.waitFor(90);
            assertThat(alive(second)).isFalse();
        }
    }

    @Test
    void anOrphanedPostmasterIsStoppedByTheNextStart() throws Exception {
        Path data = dir.resolve("data");
        long orphan;
        try (NodeProcess node = NodeProcess.start(ENV, "serve", "--port", "0", "--data", data.toString())) {
            node.awaitLine(LISTENING, 120);
            orphan = postmasterPid(data);
            // Killing the node's whole process group would take its watcher too: only the next start is left.
            node.handle().children().forEach(ProcessHandle::destroyForcibly);
            node.kill();
            node.waitFor(30);
        }
        Thread.sleep(2_000);
        assertThat(alive(orphan)).as("without its watcher, the killed node's PostgreSQL keeps running").isTrue();

        try (NodeProcess again = NodeProcess.start(ENV, "serve", "--port", "0", "--data", data.toString())) {
            again.awaitLine(LISTENING, 120);
            again.awaitLine(READY, 10);
            assertThat(again.output()).contains("stopped PostgreSQL pid " + orphan + " left running on this folder by a node that was killed");
            assertThat(alive(orphan)).isFalse();
            long own = postmasterPid(data);
            assertThat(own).isNotEqualTo(orphan);
            again.handle().destroy();
            again.waitFor(90);
            assertThat(alive(own)).isFalse();
        }
    }

    private long postmasterPid(Path data) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("pgdata/postmaster.pid")).get(0).trim());
        postmasters.add(pid);
        assertThat(alive(pid)).isTrue();
        return pid;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean awaitExit(long pid, int seconds) throws Exception {
        var h = ProcessHandle.of(pid);
        if (h.isEmpty()) return true;
        try {
            h.get().onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
