package org.entente.screening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.entente.screening.io.Watchlists;
import org.entente.screening.names.NameWeights;
import org.junit.jupiter.api.Test;

/** The accuracy targets that the name model meets on the real UN list, held as a regression guard. */
class EvaluationTest {

    @Test
    void arabicScriptFindsItsLatinEntryAndMadeUpNamesRarelyHit() throws IOException {
        List<Entry> un = Watchlists.read(ScreeningIndexTest.resource("un/consolidated.xml")).entries();
        Evaluation.Report r = new Evaluation(un, NameWeights.DEFAULT, Thresholds.defaults()).run(3, 2000, 1);
        Evaluation.Recall arabic = r.recalls().stream().filter(x -> x.what().startsWith("Arabic script")).findFirst().orElseThrow();
        assertThat(arabic.queries()).isGreaterThan(100);
        assertThat(arabic.r10()).isGreaterThanOrEqualTo(0.90);
        assertThat(r.negatives().queries()).isEqualTo(2000);
        assertThat(r.negatives().perThousand()).isLessThanOrEqualTo(1.0);
        Evaluation.Recall persons = recall(r, "aliases, un person, strong");
        Evaluation.Recall weak = recall(r, "aliases, un person, weak");
        // Most misses are aliases that share no word with any other name of their entry (nicknames, kunyas):
        // among those that do share one, recall@10 is far higher; and the weak aliases, which the
        // list itself says are too broad to screen on, are found far less often than the strong.
        assertThat(persons.r10Reachable()).isGreaterThan(persons.r10()).isGreaterThan(0.88);
        assertThat(weak.queries()).isGreaterThan(100);
        assertThat(weak.r10()).isLessThan(persons.r10());
        // The Latin main name of an entry is the romanisation of its original-script name.
        assertThat(recall(r, "Latin main name -> Arabic script only").r10()).isGreaterThanOrEqualTo(0.90);
    }

    private static Evaluation.Recall recall(Evaluation.Report r, String what) {
        return r.recalls().stream().filter(x -> x.what().equals(what)).findFirst().orElseThrow(() -> new AssertionError("no " + what));
    }
}
