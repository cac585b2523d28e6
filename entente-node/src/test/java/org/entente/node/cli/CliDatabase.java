package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.testing.Cli;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.TestPostgres;

/**
 * A fresh node database as the CLI sees it, with the partners most tests need: `entente ARGS…
 * --database-url URL`, and agreement files to give it.
 */
final class CliDatabase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OWN = "National Cybercrime Centre";
    static final String PARTNER = "Partner Cybercrime Unit";
    static final String OTHER = "Partner Border Police";

    final String url;
    final DatabaseLocation.External location;

    CliDatabase() {
        this(TestPostgres.freshDatabase());
    }

    /** A database on another server, whose superuser is postgres/postgres as on the test server. */
    CliDatabase(DatabaseLocation.External location) {
        this.location = location;
        url = location.jdbcUrl() + (location.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
    }

    /** A database whose own organisation and two partners were added with `entente org add`. */
    static CliDatabase withPartners() {
        return withPartners(new CliDatabase());
    }

    static CliDatabase withPartners(CliDatabase db) {
        db.ok("org", "add", OWN, "--nation", "EE", "--sector", "cybercrime", "--own");
        db.ok("org", "add", PARTNER, "--nation", "DE", "--sector", "cybercrime", "--contact", "24/7 desk +49 30 0000");
        db.ok("org", "add", OTHER, "--nation", "JO", "--sector", "border");
        return db;
    }

    Run run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--database-url";
        all[args.length + 1] = url;
        return Cli.run(all);
    }

    /** Runs a command that must succeed, showing its error output when it does not. */
    Run ok(String... args) {
        Run r = run(args);
        assertThat(r.exit()).as("entente " + String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    /** Runs a command that must be refused as bad input: exit 2, a reason, and nothing on standard output. */
    Run refused(String... args) {
        Run r = run(args);
        assertThat(r.exit()).as("entente " + String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err()).isEqualTo(2);
        assertThat(r.out()).as("a refusal prints no result").isBlank();
        return r;
    }

    /** The MoU of docs/POLICY.md between the own organisation and the partner, parties given by name. */
    static ObjectNode mou() {
        ObjectNode a = JSON.createObjectNode();
        a.put("title", "Memorandum of understanding on cybercrime cooperation");
        a.put("kind", "bilateral");
        a.putArray("parties").add(OWN).add(PARTNER);
        a.putObject("legal_basis").put("text", "Budapest Convention, Art. 26").put("reference", "ETS No. 185");
        a.put("valid_from", "2024-01-01");
        a.put("valid_until", "2099-01-01");
        a.put("status", "active");
        ObjectNode r = a.putObject("rules");
        r.putArray("categories").add("cyber-indicators").add("malware-and-tooling");
        r.putArray("purposes").add("prevention").add("detection").add("investigation").add("intelligence-analysis");
        r.put("max_tlp", "amber");
        r.putArray("handling_codes").add("H0").add("H1");
        r.putObject("personal_data").put("allowed", false);
        r.put("retention_days", 730);
        r.putObject("onward_sharing").put("rule", "forbidden");
        return a;
    }

    static Path file(String text) {
        try {
            Path f = Files.createTempFile("agreement", ".json");
            Files.writeString(f, text);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String file(ObjectNode doc) {
        return file(doc.toPrettyString()).toString();
    }

    /** The first line a command printed, e.g. the id `entente agreement add` prints. */
    static String firstLine(Run r) {
        return r.out().lines().findFirst().orElse("").strip();
    }

    /** What a data-protection officer would find in the audit log, by kind, in order. */
    List<String> auditKinds() {
        return strings("SELECT kind FROM audit_record ORDER BY seq");
    }

    List<String> strings(String sql) {
        try (Connection c = DriverManager.getConnection(location.jdbcUrl(), "postgres", "postgres");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String sql) {
        try (Connection c = DriverManager.getConnection(location.jdbcUrl(), "postgres", "postgres");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
