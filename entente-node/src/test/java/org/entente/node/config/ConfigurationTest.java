package org.entente.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.entente.node.common.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings: defaults, the file, the environment and the options, weakest first, checked at once. */
class ConfigurationTest {
    @TempDir
    Path dir;

    Path file(String text) throws IOException {
        Path f = Files.createTempFile(dir, "entente", ".conf");
        Files.writeString(f, text);
        return f;
    }

    static List<String> fields(InvalidInput e) {
        List<String> out = new ArrayList<>();
        e.problems().forEach(p -> out.add(p.field()));
        return out;
    }

    static InvalidInput refused(Map<String, String> env, Path file, Map<Key, String> options) {
        try {
            Configuration.load(env, file, options);
        } catch (InvalidInput e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void everyKeyHasItsDefaultUntilSomethingSetsIt() {
        Configuration c = Configuration.of(Map.of());
        assertThat(c.text(Key.HOST)).isEqualTo("127.0.0.1");
        assertThat(c.text(Key.PORT)).isEqualTo("8420");
        assertThat(c.text(Key.LOG_FORMAT)).isEqualTo("json");
        assertThat(c.source(Key.PORT)).isEqualTo(Configuration.Source.DEFAULT);
        assertThat(c.optional(Key.DATABASE_URL)).isEmpty();
        assertThat(c.file()).isEmpty();
        assertThat(c.database()).isInstanceOf(DatabaseLocation.Embedded.class);
        for (Key k : Key.values()) {
            assertThat(k.environmentVariable()).startsWith("ENTENTE_").doesNotContain(".");
            assertThat(Key.byFileName(k.fileName())).contains(k);
            assertThat(k.description()).isNotBlank();
        }
    }

    @Test
    void theFileTheEnvironmentAndTheOptionsOverrideEachOtherInThatOrder() throws IOException {
        Path f = file("""
                # a node of the border police
                port = 9000
                title = "Border node"
                host=127.0.0.1
                log.format = text
                retention.every = 30m
                """);
        Configuration fromFile = Configuration.load(Map.of(), f, Map.of());
        assertThat(fromFile.text(Key.PORT)).isEqualTo("9000");
        assertThat(fromFile.source(Key.PORT)).isEqualTo(Configuration.Source.FILE);
        assertThat(fromFile.text(Key.TITLE)).as("quotes removed").isEqualTo("Border node");
        assertThat(fromFile.file()).contains(f);

        Map<String, String> env = Map.of("ENTENTE_PORT", "9100", "ENTENTE_LOG_FORMAT", "json", "ENTENTE_TITLE", " ",
                "UNRELATED", "x");
        Configuration fromEnv = Configuration.load(env, f, Map.of());
        assertThat(fromEnv.text(Key.PORT)).isEqualTo("9100");
        assertThat(fromEnv.source(Key.PORT)).isEqualTo(Configuration.Source.ENVIRONMENT);
        assertThat(fromEnv.text(Key.TITLE)).as("a blank variable sets nothing").isEqualTo("Border node");

        Configuration fromOption = Configuration.load(env, f, Map.of(Key.PORT, "9200"));
        assertThat(fromOption.text(Key.PORT)).isEqualTo("9200");
        assertThat(fromOption.source(Key.PORT)).isEqualTo(Configuration.Source.OPTION);
        assertThat(fromOption.text(Key.LOG_FORMAT)).isEqualTo("json");
        assertThat(fromOption.source(Key.LOG_FORMAT)).isEqualTo(Configuration.Source.ENVIRONMENT);
        assertThat(new NodeConfig(fromOption, fromOption.database(), false).retentionEvery())
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void theFileIsNamedByTheOptionByEntenteConfigOrFoundInTheDataFolder() throws IOException {
        Path named = file("title = named\n");
        assertThat(Configuration.load(Map.of("ENTENTE_CONFIG", named.toString()), null, Map.of()).text(Key.TITLE))
                .isEqualTo("named");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("entente.conf"), "title = in the data folder\n");
        Configuration found = Configuration.load(Map.of("ENTENTE_DATA", data.toString()), null, Map.of());
        assertThat(found.text(Key.TITLE)).isEqualTo("in the data folder");
        assertThat(found.file()).contains(data.resolve("entente.conf"));
        assertThat(Configuration.load(Map.of(), null, Map.of(Key.DATA, data.toString())).text(Key.TITLE))
                .isEqualTo("in the data folder");
        assertThat(Configuration.load(Map.of("ENTENTE_CONFIG", named.toString()), null, Map.of(Key.DATA, data.toString()))
                .text(Key.TITLE)).as("a named file wins over the data folder's").isEqualTo("named");
        assertThat(Configuration.of(Map.of(Key.DATA, data.toString())).file()).as("tests read no file").isEmpty();

        InvalidInput missing = refused(Map.of("ENTENTE_CONFIG", dir.resolve("nope.conf").toString()), null, Map.of());
        assertThat(fields(missing)).containsExactly("ENTENTE_CONFIG");
        assertThat(missing.getMessage()).contains("nope.conf");
        assertThat(fields(refused(Map.of(), dir.resolve("gone.conf"), Map.of()))).containsExactly("--config");
    }

    @Test
    void unknownKeysAndMalformedLinesAreRefusedWithTheirLine() throws IOException {
        Path f = file("port = 9000\nprot = 9001\njust some words\n");
        InvalidInput e = refused(Map.of(), f, Map.of());
        assertThat(fields(e)).containsExactly(f + " line 2", f + " line 3");
        assertThat(e.problems().get(0).message()).contains("unknown key 'prot'").contains("port");
        assertThat(e.problems().get(1).message()).contains("key = value");
    }

    @Test
    void aWrongValueIsNamedWithWhereItCameFromAndEveryProblemIsReportedAtOnce() throws IOException {
        Path f = file("port = eighty\nlog.format = xml\n");
        InvalidInput e = refused(Map.of("ENTENTE_RETENTION_EVERY", "1 hour", "ENTENTE_METRICS_OPEN_ON_LOOPBACK", "yes"), f,
                Map.of(Key.ORG_NATION, "Germany", Key.MAX_CONTENT_LENGTH, "12"));
        assertThat(fields(e)).containsExactlyInAnyOrder(
                "port (from " + f + ")",
                "log.format (from " + f + ")",
                "retention.every (from ENTENTE_RETENTION_EVERY)",
                "metrics.open_on_loopback (from ENTENTE_METRICS_OPEN_ON_LOOPBACK)",
                "org.nation (from the command line)",
                "max_content_length (from the command line)");
        assertThat(e.getMessage()).contains("'eighty'", "'1 hour'", "ISO 3166-1");
    }

    @Test
    void checksOfSingleKeys() throws IOException {
        assertThat(fields(refused(Map.of(), null, Map.of(Key.PORT, "70000")))).containsExactly("port (from the command line)");
        assertThat(fields(refused(Map.of(), null, Map.of(Key.RETENTION_EVERY, "0s"))))
                .containsExactly("retention.every (from the command line)");
        assertThat(fields(refused(Map.of(), null, Map.of(Key.DATABASE_URL, "mysql://db/x"))))
                .containsExactly("database.url (from the command line)");
        Path cert = file("not really a certificate");
        assertThat(fields(refused(Map.of(), null, Map.of(Key.TLS_CERT, cert.toString()))))
                .containsExactly("tls.key");
        assertThat(fields(refused(Map.of(), null, Map.of(Key.TLS_CERT, cert.toString(), Key.TLS_KEY,
                dir.resolve("missing.pem").toString())))).containsExactly("tls.key (from the command line)");
        assertThat(fields(refused(Map.of("ENTENTE_TITLE", "a\0b"), null, Map.of())))
                .containsExactly("title (from ENTENTE_TITLE)");
    }

    @Test
    void durationsAsOperatorsWriteThem() {
        assertThat(Configuration.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Configuration.parseDuration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Configuration.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Configuration.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Configuration.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Configuration.parseDuration("PT2H30M")).isEqualTo(Duration.ofMinutes(150));
        assertThat(Configuration.parseDuration(" 1H ")).isEqualTo(Duration.ofHours(1));
        for (String bad : new String[] {"1 hour", "h", "-5m", "5", "PTx", "99999999999999999999d"}) {
            assertThatThrownBy(() -> Configuration.parseDuration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("90s, 30m, 1h, 2d or PT1H");
        }
    }

    @Test
    void secretsAreMaskedWhenShown() {
        Configuration c = Configuration.load(Map.of("ENTENTE_ADMIN_PASSWORD", "s3cret-admin-pass"), null,
                Map.of(Key.DATABASE_URL, "postgresql://entente:db-s3cret@db.example:5432/entente"));
        Map<Key, Configuration.Value> shown = c.shown();
        assertThat(shown.get(Key.ADMIN_PASSWORD).text()).isEqualTo("********");
        assertThat(shown.get(Key.ADMIN_PASSWORD).source()).isEqualTo(Configuration.Source.ENVIRONMENT);
        assertThat(shown.get(Key.DATABASE_URL).text()).isEqualTo("postgresql://entente:********@db.example:5432/entente");
        assertThat(shown.get(Key.TLS_CERT).text()).isEqualTo("(unset)");
        assertThat(shown.toString()).doesNotContain("s3cret");
        assertThat(Configuration.maskUrl("jdbc:postgresql://db:5432/e?user=u&password=p4ss&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/e?user=u&password=********&ssl=true");
    }
}
