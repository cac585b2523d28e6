package org.entente.node.screening;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.entente.node.common.InvalidInput;
import org.entente.screening.Entry;
import org.entente.screening.io.ImportProblem;
import org.entente.screening.io.ImportResult;
import org.entente.screening.io.Progress;
import org.entente.screening.io.Watchlists;

/**
 * An edition of a list read with the library's importers and applied as a difference: entries of
 * the edition are written in the stored form, each id once (a later record with an id already seen
 * is reported and left out), and {@link WatchlistStore#applyEdition} keeps what did not change.
 */
public final class ListImport {
    /** Problems listed in a report; the rest are counted. */
    static final int LISTED = 1_000;

    private ListImport() {}

    /** What an import read, what it could not read, and what it changed. */
    public record Report(String list, String format, long entries, List<ImportProblem> problems, long errors,
            long warnings, WatchlistStore.Applied applied, long millis) {

        public ObjectNode json() {
            ObjectNode o = EntryJson.JSON.createObjectNode();
            o.put("watchlist", list);
            o.put("format", format);
            o.put("entries", entries);
            o.put("added", applied.added());
            o.put("changed", applied.changed());
            o.put("removed", applied.removed());
            o.put("unchanged", applied.unchanged());
            o.put("errors", errors);
            o.put("warnings", warnings);
            ArrayNode p = o.putArray("problems");
            for (ImportProblem x : problems.subList(0, Math.min(LISTED, problems.size()))) {
                ObjectNode q = p.addObject();
                q.put("line", x.line());
                if (x.column() > 0) q.put("column", x.column());
                q.put("severity", x.severity().name().toLowerCase(Locale.ROOT));
                q.put("message", x.message());
            }
            o.put("millis", millis);
            return o;
        }
    }

    static Report run(WatchlistStore store, Watchlist w, Path file, boolean removeMissing, String edition, String actor,
            String actorOrganisation, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        ImportResult read;
        try {
            read = Watchlists.read(file, progress);
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("Unreadable watchlist", "file", e.getMessage());
        }
        List<ImportProblem> problems = new ArrayList<>(read.problems());
        List<String[]> rows = new ArrayList<>(read.entries().size());
        Set<String> seen = new HashSet<>();
        for (Entry e : read.entries()) {
            String id = e.listing().id();
            if (!seen.add(id)) {
                problems.add(new ImportProblem(file.toString(), 0, 0, ImportProblem.Severity.ERROR,
                        "entry '" + id + "' appears again: the later record is left out"));
                continue;
            }
            rows.add(new String[] {id, EntryJson.write(e)});
        }
        String source = "import " + read.format() + (edition == null ? "" : " " + edition);
        WatchlistStore.Applied applied = store.applyEdition(w.id(), rows, removeMissing, edition, actor,
                actorOrganisation, source);
        long errors = problems.stream().filter(p -> p.severity() == ImportProblem.Severity.ERROR).count();
        return new Report(w.id(), read.format(), rows.size(), problems, errors, problems.size() - errors, applied,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Writes an uploaded edition where the library can read it: a ZIP (the OFAC folder: sdn.csv,
     * alt.csv, add.csv; or one file of any format) is unpacked, anything else is the file itself.
     *
     * @return the file or folder to read
     */
    static Path unpack(byte[] body, Path dir) throws IOException {
        if (body.length >= 4 && body[0] == 'P' && body[1] == 'K' && body[2] == 3 && body[3] == 4) {
            List<Path> files = new ArrayList<>();
            try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(body))) {
                ZipEntry z;
                long total = 0;
                while ((z = zip.getNextEntry()) != null) {
                    if (z.isDirectory()) continue;
                    String name = Path.of(z.getName()).getFileName().toString();
                    if (name.startsWith(".") || name.isEmpty()) continue;
                    Path out = dir.resolve(name);
                    total += copy(zip, out);
                    if (total > 1L << 31) throw InvalidInput.of("Watchlist too large", "", "the ZIP unpacks to over 2 GB");
                    files.add(out);
                }
            }
            if (files.isEmpty()) throw InvalidInput.of("Empty watchlist", "", "the ZIP holds no file");
            if (Files.exists(dir.resolve("sdn.csv")) || files.size() > 1) return dir;
            return files.getFirst();
        }
        Path out = dir.resolve("edition");
        Files.write(out, body);
        return out;
    }

    private static long copy(InputStream in, Path out) throws IOException {
        try (var o = Files.newOutputStream(out)) {
            return in.transferTo(o);
        }
    }
}
