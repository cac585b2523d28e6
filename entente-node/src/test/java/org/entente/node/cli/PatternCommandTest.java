package org.entente.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PatternCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EntenteCommand.commandLine(java.util.Map.of()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void validateAcceptsAValidPattern() {
        Run r = run("pattern", "validate", "[file:hashes.'SHA-256' = 'aa' AND file:size > 10] WITHIN 5 SECONDS");
        assertThat(r.code()).isZero();
        assertThat(r.out().trim()).isEqualTo("valid");
    }

    @Test
    void validateNamesThePositionOfASyntaxError() {
        Run r = run("pattern", "validate", "[ipv4-addr:value = '1.2.3.4' AND]");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("position 32").contains("expected an object type")
                .contains("  " + " ".repeat(32) + "^");
    }

    @Test
    void validateRejectsPatternsThatCanNeverBeEvaluated() {
        Run r = run("pattern", "validate", "[a:b IN (1, 'x')]");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("one type");
    }

    private Path bundle() throws IOException {
        Path f = dir.resolve("obs.json");
        Files.writeString(f, """
                {"type":"bundle","id":"bundle--1","objects":[
                 {"type":"observed-data","id":"observed-data--1","first_observed":"2026-01-01T00:00:00Z",
                  "last_observed":"2026-01-01T00:00:00Z","number_observed":1,"object_refs":["ipv4-addr--1"]},
                 {"type":"ipv4-addr","id":"ipv4-addr--1","value":"198.51.100.7"}]}
                {"type":"bundle","id":"bundle--2","objects":[
                 {"type":"observed-data","id":"observed-data--2","first_observed":"2026-01-01T00:00:09Z",
                  "last_observed":"2026-01-01T00:00:09Z","number_observed":1,"object_refs":["domain-name--2"]},
                 {"type":"domain-name","id":"domain-name--2","value":"evil.example"}]}
                """);
        return f;
    }

    @Test
    void matchEvaluatesAllObservationsTogether() throws IOException {
        Path f = bundle();
        Run r = run("pattern", "match", "--pattern",
                "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] FOLLOWEDBY [domain-name:value = 'evil.example']",
                "--observations", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out().trim()).isEqualTo("{\"matched\":true,\"observed_data_refs\":[\"observed-data--1\",\"observed-data--2\"]}");

        r = run("pattern", "match", "--pattern", "([ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'evil.example']) WITHIN 5 SECONDS",
                "--observations", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().trim()).isEqualTo("{\"matched\":false,\"observed_data_refs\":[]}");
    }

    @Test
    void matchExitsWithTwoOnBadPatternBadInputOrEvaluationError() throws IOException {
        Path f = bundle();
        Run r = run("pattern", "match", "--pattern", "[ipv4-addr:value = ", "--observations", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("position 19");
        assertThat(r.out()).isEmpty();

        Path notJson = dir.resolve("bad.json");
        Files.write(notJson, new byte[]{'{', '"', 't', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        r = run("pattern", "match", "--pattern", "[a:b = 1]", "--observations", notJson.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read observations").containsIgnoringCase("utf-8");

        r = run("pattern", "match", "--pattern", "[ipv4-addr:value = t'2020-01-01T00:00:00Z']", "--observations", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("evaluation error").contains("not a STIX timestamp");

        r = run("pattern", "match", "--pattern", "[a:b = 1]", "--observations", dir.resolve("missing").toString());
        assertThat(r.code()).isEqualTo(2);
    }
}
