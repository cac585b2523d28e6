package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.entente.node.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `entente config show`: every setting with its value and source, secrets masked; wrong settings exit 2. */
class ConfigCommandTest {
    @TempDir
    Path dir;

    @Test
    void showsEveryKeyWithItsSourceAndMasksSecrets() throws Exception {
        Path file = dir.resolve("entente.conf");
        Files.writeString(file, "port = 9000\ntitle = Border node\nadmin.password = file-s3cret-password\n");
        Map<String, String> env = Map.of("ENTENTE_LOG_FORMAT", "text",
                "ENTENTE_DATABASE_URL", "postgresql://entente:db-s3cret@db.example:5432/entente");
        Cli.Run table = Cli.run(env, "config", "show", "--config", file.toString(), "--data", dir.toString());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("configuration file: " + file).contains("KEY", "VALUE", "SOURCE", "ENVIRONMENT");
        assertThat(line(table.out(), "port")).contains("9000", "file", "ENTENTE_PORT");
        assertThat(line(table.out(), "log.format")).contains("text", "environment");
        assertThat(line(table.out(), "data")).contains(dir.toString(), "option");
        assertThat(line(table.out(), "host")).contains("127.0.0.1", "default");
        assertThat(line(table.out(), "admin.password")).contains("********", "file");
        assertThat(line(table.out(), "database.url")).contains("postgresql://entente:********@db.example:5432/entente");
        assertThat(table.out()).doesNotContain("s3cret");

        Cli.Run json = Cli.run(env, "config", "show", "--config", file.toString(), "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode settings = new ObjectMapper().readTree(json.out());
        assertThat(settings.path("file").asText()).isEqualTo(file.toString());
        assertThat(settings.at("/settings/port/value").asText()).isEqualTo("9000");
        assertThat(settings.at("/settings/port/source").asText()).isEqualTo("file");
        assertThat(settings.at("/settings/port/environment").asText()).isEqualTo("ENTENTE_PORT");
        assertThat(settings.at("/settings/admin.password/value").asText()).isEqualTo("********");
        assertThat(settings.at("/settings/tls.cert/value").asText()).isEqualTo("(unset)");
        assertThat(json.out()).doesNotContain("s3cret");
    }

    @Test
    void wrongSettingsExit2NamingTheKeyAndItsSource() throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "port = eighty\nprot = 1\n");
        Cli.Run r = Cli.run(Map.of("ENTENTE_LOG_FORMAT", "xml"), "config", "show", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown key 'prot'").contains(file + " line 2");
        Cli.Run values = Cli.run(Map.of("ENTENTE_LOG_FORMAT", "xml"), "config", "show", "--data", dir.toString());
        assertThat(values.exit()).isEqualTo(2);
        assertThat(values.err()).contains("log.format (from ENTENTE_LOG_FORMAT)").contains("'xml'");
        Cli.Run serve = Cli.run(Map.of(), "serve", "--port", "eighty", "--data", dir.toString());
        assertThat(serve.exit()).as("serve checks before it starts anything").isEqualTo(2);
        assertThat(Files.exists(dir.resolve("pgdata"))).isFalse();
    }

    static String line(String table, String key) {
        for (String l : table.split("\n")) if (l.startsWith(key + " ")) return l;
        throw new AssertionError("no line for " + key + " in\n" + table);
    }
}
