package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

    static final String INDICATOR = "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
            + "\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"created\":\"2016-04-06T20:03:48.000Z\","
            + "\"modified\":\"2016-04-06T20:03:48.000Z\",\"indicator_types\":[\"malicious-activity\"],"
            + "\"pattern\":\"[ipv4-addr:value = '198.51.100.1']\",\"pattern_type\":\"stix\",\"valid_from\":\"2016-01-01T00:00:00Z\"}";
    static final String BAD_INDICATOR = "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
            + "\"id\":\"indicator--0f0a7ae4-3c28-4e0e-9f5c-3a1a7c9b2d11\",\"created\":\"2016-04-06T20:03:48.000Z\","
            + "\"modified\":\"2016-04-05T20:03:48.000Z\",\"indicator_types\":[\"spicy\"],"
            + "\"pattern\":\"[ipv4-addr:value = '198.51.100.2']\",\"pattern_type\":\"stix\",\"valid_from\":\"2016-01-01T00:00:00+02:00\"}";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = EntenteCommand.commandLine(java.util.Map.of());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    static String bundle(String... objects) {
        return "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["
                + String.join(",", objects) + "]}";
    }

    @Test
    void aValidFileExitsZeroWithASummary() throws IOException {
        Path f = file("good.json", bundle(INDICATOR, INDICATOR.replace("8e2e2d2b", "9e2e2d2b")));
        Run r = run("validate", f.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(f + ": 2 objects, 0 errors, 0 warnings" + System.lineSeparator());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void errorsArePrintedWithObjectIdAndPointerAndExitOne() throws IOException {
        Path f = file("bad.json", bundle(INDICATOR, BAD_INDICATOR));
        Run r = run("validate", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        String id = "indicator--0f0a7ae4-3c28-4e0e-9f5c-3a1a7c9b2d11";
        assertThat(r.out()).contains(
                f + ": " + id + " /modified: ERROR modified (2016-04-05T20:03:48.000Z) is earlier than created",
                f + ": " + id + " /valid_from: ERROR '2016-01-01T00:00:00+02:00' must be in UTC",
                f + ": " + id + " /indicator_types/0: WARNING 'spicy' is not in the open vocabulary indicator-type-ov",
                f + ": 2 objects, 2 errors, 1 warnings");
        assertThat(r.out()).doesNotContain("indicator--8e2e2d2b");
    }

    @Test
    void indicatorPatternsAreParsed() throws IOException {
        Path f = file("pattern.json", bundle(INDICATOR.replace("[ipv4-addr:value = '198.51.100.1']", "[ipv4-addr:value = ]")));
        Run r = run("validate", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(f + ": indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f /pattern: ERROR is not a valid STIX pattern: ");
    }

    @Test
    void theBundleItselfIsCheckedToo() throws IOException {
        Path f = file("badbundle.json", bundle(INDICATOR).replace("bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "bundle--42"));
        Run r = run("validate", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(f + ": bundle--42 /id: ERROR 'bundle--42' does not end with a 36-character UUID",
                f + ": 1 objects, 1 errors, 0 warnings");
    }

    @Test
    void warningsAloneDoNotFailAndCanBeHidden() throws IOException {
        Path f = file("warn.jsonl", INDICATOR.replace("malicious-activity", "spicy") + "\n");
        Run r = run("validate", f.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("WARNING").contains("0 errors, 1 warnings");
        Run quiet = run("validate", "--errors-only", f.toString());
        assertThat(quiet.out()).doesNotContain("WARNING").contains("0 errors, 1 warnings");
    }

    @Test
    void malformedInputExitsTwoWithTheLocationOnStandardError() throws IOException {
        Path f = file("broken.json", bundle(INDICATOR) .replace("]}", ",\n{\"type\": }]}"));
        Run r = run("validate", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("entente validate: " + f + ": malformed JSON").contains("line 2, column");
        assertThat(r.out()).contains("1 objects, 0 errors, 0 warnings (stopped: unreadable input)");
    }

    @Test
    void aMissingFileExitsTwo() {
        Run r = run("validate", dir.resolve("nope.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope.json: no such file");
    }

    @Test
    void severalFilesGetATotalAndTheWorstExitCode() throws IOException {
        Path good = file("good.json", bundle(INDICATOR));
        Path bad = file("bad.json", bundle(BAD_INDICATOR));
        Run r = run("validate", good.toString(), bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("total: 2 files, 2 objects, 2 errors, 1 warnings");
    }

    @Test
    void readsStandardInputForDash() {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(bundle(BAD_INDICATOR).getBytes(StandardCharsets.UTF_8)));
            Run r = run("validate", "-");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("-: indicator--0f0a7ae4-3c28-4e0e-9f5c-3a1a7c9b2d11 /modified: ERROR", "-: 1 objects, 2 errors, 1 warnings");
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void withoutAFileItIsAUsageError() {
        Run r = run("validate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter");
    }

    @Test
    void helpExplainsTheOutputAndExitCodes() {
        Run r = run("validate", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out().replaceAll("\\s+", " ")).contains("FILE: OBJECT-ID POINTER: ERROR|WARNING reason")
                .contains("0 no errors").contains("1 at least one error").contains("2 a file is unreadable");
    }
}
