package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.testing.Cli.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.entente.node.db.Database;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.store.ObjectQuery;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.VersionMatch;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
    @TempDir
    Path dir;
    String url;
    DatabaseLocation.External db;

    @BeforeEach
    void database() {
        db = TestPostgres.freshDatabase();
        url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
    }

    Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    int stored(String alias) {
        try (Database database = Database.open(db)) {
            var d = org.entente.node.NodeServices.on(org.entente.node.config.NodeConfig.of(db, java.util.Map.of()), database);
            ObjectStore store = d.store();
            return store.collection(alias).map(c -> store.list(c.id(),
                    new ObjectQuery(null, 1000, List.of(), List.of(), VersionMatch.ALL, List.of()), false).entries().size())
                    .orElse(0);
        }
    }

    @Test
    void importsAFileAndAgainChangesNothing() throws IOException {
        Path f = file("two.json", Stix.bundle(Stix.indicator("[ipv4-addr:value = '10.40.0.1']"),
                Stix.indicator("[domain-name:value = 'a.example']")));
        Run first = run("import", "--database-url", url, f.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains("2 objects read, 2 new versions added to 'intel'");
        Run again = run("import", "--database-url", url, f.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.err()).contains("2 objects read, 0 new versions added");
        assertThat(stored("intel")).isEqualTo(2);
    }

    @Test
    void anInvalidObjectRejectsTheFileWithExitOne() throws IOException {
        Path f = file("bad.json", Stix.bundle(Stix.indicator("[ipv4-addr:value = '10.40.0.2']"),
                "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--nope\"}"));
        Run r = run("import", "--database-url", url, f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("REJECTED").contains("--skip-invalid").contains("object 1 indicator--nope /id: ERROR");
        assertThat(stored("intel")).isZero();

        Run skipping = run("import", "--database-url", url, "--skip-invalid", f.toString());
        assertThat(skipping.exit()).isEqualTo(1);
        assertThat(skipping.err()).contains("1 new versions added").contains("1 invalid skipped");
        assertThat(stored("intel")).isEqualTo(1);
    }

    /** Issue 10's probe: an object of year 0000 passed validation, then failed the store with a stack trace. */
    @Test
    void anObjectOfYearZeroIsInvalidAndSkippedLikeAnyOther() throws IOException {
        String yearZero = Stix.indicator("[ipv4-addr:value = '10.40.0.3']").replaceAll("\"created\":\"[^\"]+\"",
                "\"created\":\"0000-01-01T00:00:00.000Z\"");
        assertThat(yearZero).contains("0000-01-01");
        Path f = file("year-zero.json", Stix.bundle(Stix.indicator("[ipv4-addr:value = '10.40.0.4']"), yearZero));
        Run strict = run("import", "--database-url", url, f.toString());
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(strict.err()).contains("REJECTED").contains("/created").doesNotContain("Exception");
        assertThat(stored("intel")).isZero();

        Run skipping = run("import", "--database-url", url, "--skip-invalid", f.toString());
        assertThat(skipping.err()).contains("1 new versions added").contains("1 invalid skipped").doesNotContain("Exception");
        assertThat(skipping.exit()).isEqualTo(1);
        assertThat(stored("intel")).isEqualTo(1);
    }

    @Test
    void malformedJsonIsRejectedWithItsPosition() throws IOException {
        Path f = file("broken.json", "{\"type\":\"bundle\",\"objects\":[{\"type\":\"indicator\",,]}");
        Run r = run("import", "--database-url", url, f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("REJECTED").contains("not readable STIX JSON").contains("line 1");
    }

    @Test
    void usageErrorsExitTwoAndSayHowToFixThem() throws IOException {
        Path f = file("one.json", Stix.bundle(Stix.indicator("[ipv4-addr:value = '10.40.0.3']")));
        Run unknown = run("import", "--database-url", url, "--collection", "nope", f.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no collection 'nope'").contains("entente collection add");

        Run missing = run("import", "--database-url", url, dir.resolve("missing.json").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");

        Run badUrl = run("import", "--database-url", "mysql://x", f.toString());
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err()).contains("not a PostgreSQL URL");
    }
}
