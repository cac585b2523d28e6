package org.entente.node.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.entente.node.http.Sessions;
import org.entente.screening.ScreeningIndex;
import org.entente.screening.io.ImportResult;
import org.entente.screening.io.Watchlists;

/**
 * The watchlist an officer uploaded to screen against during her session, until the node serves
 * its own watchlists. The file is kept with the session in PostgreSQL ({@code console_watchlist}),
 * so any node process can serve her next request; each process builds the index once and keeps
 * it for a while, keyed by session and upload.
 */
final class SessionWatchlists {
    private final Database db;
    private final Cache<String, Loaded> indexes = Caffeine.newBuilder().maximumSize(20)
            .expireAfterAccess(Duration.ofHours(1)).build();

    SessionWatchlists(Database db) {
        this.db = db;
    }

    /** A watchlist ready to screen against. */
    record Loaded(String fileName, String format, int entries, int problems, ScreeningIndex index) {}

    /** Keeps an uploaded list for the session, replacing the one before; refuses a file no reader understands. */
    Loaded store(Sessions.Session session, String fileName, byte[] content) {
        String name = fileName == null || fileName.isBlank() ? "watchlist" : fileName.strip();
        Loaded loaded = build(name, content);
        Instant uploaded = db.jdbi().withHandle(h -> h.createQuery("INSERT INTO console_watchlist (token_hash, file_name,"
                        + " content) VALUES (:h, :n, :c) ON CONFLICT (token_hash) DO UPDATE SET file_name = EXCLUDED.file_name,"
                        + " content = EXCLUDED.content, uploaded = now() RETURNING uploaded")
                .bind("h", session.tokenHash()).bind("n", name).bind("c", content)
                .mapTo(OffsetDateTime.class).one().toInstant());
        indexes.put(key(session, uploaded), loaded);
        return loaded;
    }

    Optional<Loaded> current(Sessions.Session session) {
        record Row(String name, Instant uploaded) {}
        Optional<Row> row = db.jdbi().withHandle(h -> h.createQuery("SELECT file_name, uploaded FROM console_watchlist"
                        + " WHERE token_hash = :h").bind("h", session.tokenHash())
                .map((rs, c) -> new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant())).findOne());
        if (row.isEmpty()) return Optional.empty();
        return Optional.of(indexes.get(key(session, row.get().uploaded()), k -> {
            byte[] content = db.jdbi().withHandle(h -> h.createQuery("SELECT content FROM console_watchlist WHERE token_hash = :h")
                    .bind("h", session.tokenHash()).mapTo(byte[].class).one());
            return build(row.get().name(), content);
        }));
    }

    private static String key(Sessions.Session s, Instant uploaded) {
        return HexFormat.of().formatHex(s.tokenHash()) + "|" + uploaded;
    }

    /** Reads the file with the screening library's readers, which detect the format from the content. */
    static Loaded build(String fileName, byte[] content) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("entente-watchlist");
            // The OFAC reader knows its main file by name; any other name is only a hint.
            String lower = fileName.toLowerCase(Locale.ROOT);
            String stored = lower.endsWith(".csv") ? "sdn.csv" : lower.endsWith(".xml") ? "list.xml" : "list.jsonl";
            Path file = Files.write(dir.resolve(stored), content);
            ImportResult r = Watchlists.read(file);
            if (r.entries().isEmpty()) {
                throw InvalidInput.of("Invalid watchlist", "watchlist", "the file holds no entry that could be read ("
                        + r.problems().size() + " problems)");
            }
            ScreeningIndex index = new ScreeningIndex();
            index.addAll(r.entries());
            index.compact();
            return new Loaded(fileName, String.valueOf(r.format()), r.entries().size(), r.problems().size(), index);
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("Invalid watchlist", "watchlist", e.getMessage().replace(String.valueOf(dir), ""));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the uploaded watchlist", e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A temporary folder left behind holds a copy of an uploaded list; the OS cleans tmp.
        }
    }
}
