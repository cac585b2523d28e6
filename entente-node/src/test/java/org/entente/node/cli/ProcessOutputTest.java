package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.entente.node.testing.NodeProcess;
import org.junit.jupiter.api.Test;

/** Commands run as an operator runs them, in a process of their own: all they print reaches the terminal. */
class ProcessOutputTest {
    @Test
    void tablesPrintedWithoutAFinalNewlineAreNotLostAtExit() throws Exception {
        CliDatabase db = CliDatabase.withPartners();
        try (NodeProcess p = NodeProcess.start(Map.of(), "org", "list", "--database-url", db.url)) {
            assertThat(p.waitFor(60)).isZero();
            assertThat(p.output()).contains("NATION", CliDatabase.OWN, CliDatabase.PARTNER);
        }
    }
}
