package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScreenCommandTest {

    /** The real UN list, kept with its source in the screening module's test data. */
    static final Path UN = Path.of("../entente-screening/src/test/resources/watchlists/un/consolidated.xml");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = EntenteCommand.commandLine(java.util.Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path watchlist() throws IOException {
        Path f = dir.resolve("national.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"id\":\"p1\",\"kind\":\"person\",\"names\":[\"Usama bin Muhammad bin Awad BIN LADIN\",\"أسامة بن لادن\"],"
                        + "\"birth_dates\":[\"1957-07-30\"],\"nationalities\":[\"SA\"],\"gender\":\"male\","
                        + "\"documents\":[{\"type\":\"passport\",\"number\":\"C 123456\",\"country\":\"SA\"}],"
                        + "\"owner\":\"National Police\",\"reference\":\"NP-2026-17\"}",
                "{\"id\":\"d1\",\"kind\":\"document\",\"number\":\"L898902C3\",\"type\":\"passport\",\"status\":\"stolen\",\"reported\":\"2025-03-01\"}",
                "{\"id\":\"e1\",\"kind\":\"entity\",\"names\":[\"Banco Nacional de Cuba\",\"National Bank of Cuba\"],\"countries\":[\"CU\"]}"));
        return f;
    }

    @Test
    void screensOneTravellerAndExplainsTheHit() throws IOException {
        Run r = run("screen", "--watchlist", watchlist().toString(), "--query", "Osama ben Laden", "--birth-date", "1957");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 hit among 3 entries")
                .contains("HIT   person Usama bin Muhammad bin Awad BIN LADIN [national p1]")
                .contains("Osama ~ أسامة (same consonants, script without short vowels")
                .contains("year of birth 1957 fits")
                .contains("listed on national by National Police, reference NP-2026-17");
        assertThat(r.err()).contains("national.jsonl: JSON Lines, 3 entries");
    }

    @Test
    void screensAnMrzWithABadCheckDigitAndSaysSo() throws IOException {
        Run r = run("screen", "--watchlist", watchlist().toString(), "--mrz",
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\nL898902C37UTO7408122F1204159ZE184226B<<<<<10");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("WARNING: check digit of document number is 7, computed 6")
                .contains("HIT   document passport L898902C3 stolen [national d1]")
                .contains("reported 2025-03-01");
    }

    @Test
    void screensAManifestLineByLineAndReportsBadLines() throws IOException {
        Path queries = dir.resolve("manifest.jsonl");
        Files.writeString(queries, String.join("\n",
                "{\"id\":\"t1\",\"name\":\"أسامة بن لادن\"}",
                "{\"id\":\"t2\",\"name\":\"Anna Maria Eriksson\",\"document\":\"C-123456\"}",
                "{\"id\":\"t3\",\"name\":\"John Smith\",\"birth_date\":\"1990-02-30\"}",
                "{\"id\":\"t4\",\"name\":\"Jane Doe\",\"nationality\":\"ZZ\"}",
                "{\"id\":\"t5\",\"mrz\":\"P<UTOERIKSSON\"}",
                "not json",
                "{\"id\":\"t7\",\"name\":\"Banco Nacional Cuba\"}",
                "{\"id\":\"t8\",\"name\":\"Maria Gonzalez\"}"));
        Path out = dir.resolve("hits.jsonl");
        Run r = run("screen", "--watchlist", watchlist().toString(), "--queries", queries.toString(), "--output", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("line 3: invalid birth date '1990-02-30'")
                .contains("line 4: unknown country code 'ZZ'")
                .contains("line 5: an MRZ has 3 lines of 30 characters")
                .contains("line 6: not JSON")
                .contains("4 queries screened, 3 with hits, 4 bad lines");
        List<JsonNode> lines = Files.readAllLines(out).stream().map(ScreenCommandTest::json).toList();
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0).get("query").asText()).isEqualTo("t1");
        assertThat(lines.get(0).get("hits").get(0).get("entry").get("id").asText()).isEqualTo("p1");
        assertThat(lines.get(0).get("hits").get(0).get("explanation").asText()).contains("same spelling");
        assertThat(lines.get(0).get("micros").asLong()).isNotNegative();
        assertThat(lines.get(1).get("hits").get(0).get("explanation").asText()).contains("document 1.00: same number");
        assertThat(lines.get(2).get("error").asText()).contains("1990-02-30");
        assertThat(lines.get(6).get("hits").get(0).get("entry").get("id").asText()).isEqualTo("e1");
        assertThat(lines.get(7).get("hits")).isEmpty();
    }

    @Test
    void comparesTwoNamesOrAFileOfPairs() throws IOException {
        Run one = run("screen", "compare", "Abd al-Rahman", "Abdurrahman");
        assertThat(one.code()).isZero();
        JsonNode j = json(one.out().strip());
        assertThat(j.get("score").asDouble()).isEqualTo(1.0);
        assertThat(j.get("match").asBoolean()).isTrue();
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, String.join("\n",
                "{\"a\":\"Muammar Gaddafi\",\"b\":\"AL-QADHAFI, Muammar\"}",
                "{\"a\":\"ETCO International Ltd\",\"b\":\"ETCO INTERNATIONAL COMPANY, LIMITED\",\"kind\":\"entity\"}",
                "{\"a\":\"Muammar Gaddafi\",\"b\":\"Saddam Hussein\"}",
                "{\"a\":\"x\"}",
                "{\"a\":\"x\",\"b\":\"y\",\"kind\":\"vessel\"}"));
        Run r = run("screen", "compare", "--pairs", pairs.toString());
        assertThat(r.code()).isEqualTo(1);
        List<JsonNode> lines = r.out().lines().map(ScreenCommandTest::json).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("match").asBoolean()).isTrue();
        assertThat(lines.get(1).get("score").asDouble()).isEqualTo(1.0);
        assertThat(lines.get(2).get("match").asBoolean()).isFalse();
        assertThat(r.err()).contains("line 4: needs \"a\" and \"b\"").contains("line 5: unknown kind 'vessel'");
    }

    @Test
    void badInputIsAClearErrorWithExitCodeTwo() throws IOException {
        Run missing = run("screen", "--watchlist", dir.resolve("nope.xml").toString(), "--query", "x");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");
        Run mrz = run("screen", "--watchlist", watchlist().toString(), "--mrz", "P<UTOERIKSSON<<ANNA");
        assertThat(mrz.code()).isEqualTo(2);
        assertThat(mrz.err()).contains("an MRZ has 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 (TD3); got 1 line of 19");
        Run country = run("screen", "--watchlist", watchlist().toString(), "--query", "x", "--nationality", "Atlantis");
        assertThat(country.code()).isEqualTo(2);
        assertThat(country.err()).contains("unknown country code 'Atlantis'");
        Run nothing = run("screen", "--watchlist", watchlist().toString());
        assertThat(nothing.code()).isEqualTo(2);
        Run compare = run("screen", "compare", "only one");
        assertThat(compare.code()).isEqualTo(2);
    }

    @Test
    void evaluatesTheRealUnListAndReportsRecallAndFalseHits() {
        Run r = run("screen", "evaluate", "--watchlist", UN.toString(), "--every", "7", "--negatives", "300");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("aliases, un person").contains("Arabic script -> Latin names")
                .contains("negatives (recombined person names)").contains("negatives (recombined entity names)").contains("recall@10");
    }

    static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(s, e);
        }
    }
}
