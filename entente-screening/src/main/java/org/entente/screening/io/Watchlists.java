package org.entente.screening.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a watchlist file of any supported format, detected from the file itself: the UN
 * consolidated list XML, the OFAC SDN legacy CSV (its folder or its {@code sdn.csv}) or the
 * project's JSON Lines.
 */
public final class Watchlists {

    private Watchlists() {
    }

    /**
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the format is not recognised
     */
    public static ImportResult read(Path path, Progress progress) throws IOException {
        if (Files.isDirectory(path)) {
            Path sdn = path.resolve("sdn.csv");
            if (!Files.isRegularFile(sdn)) {
                throw new IllegalArgumentException(path + " is a folder without sdn.csv");
            }
            return new OfacCsvReader(sdn, progress).read();
        }
        if (!Files.isReadable(path)) {
            throw new IOException("cannot read " + path);
        }
        String head;
        try (InputStream in = Files.newInputStream(path)) {
            head = new String(in.readNBytes(4096), StandardCharsets.UTF_8).stripLeading();
        }
        if (head.startsWith("\uFEFF")) {
            head = head.substring(1);
        }
        if (head.startsWith("<")) {
            if (!head.contains("CONSOLIDATED_LIST")) {
                throw new IllegalArgumentException(path + ": XML, but not the UN consolidated list (no CONSOLIDATED_LIST element)");
            }
            return new UnXmlReader(new SourceText(path.toString(), Files.readString(path)), progress).read();
        }
        if (head.startsWith("{") || head.isEmpty()) {
            return new JsonLinesReader(path, progress).read();
        }
        if (path.getFileName().toString().equalsIgnoreCase("sdn.csv") || head.matches("(?s)^\\d+,\".*")) {
            return new OfacCsvReader(path, progress).read();
        }
        throw new IllegalArgumentException(path + ": unknown watchlist format (expected UN consolidated XML, OFAC sdn.csv or JSON Lines)");
    }

    public static ImportResult read(Path path) throws IOException {
        return read(path, Progress.NONE);
    }
}
