package org.entente.screening.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The quoted CSV of the OFAC legacy files, read with Commons CSV: one record per line, {@code -0-}
 * for empty. Each line is parsed on its own, so that a line with an unclosed quote is one bad
 * record and not the end of the file.
 */
final class Csv {
    private Csv() {
    }

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).get();
    private static final Pattern POSITION = Pattern.compile("position: (\\d+)");

    /**
     * Splits one line into fields.
     *
     * @throws IllegalArgumentException starting with the column of the fault
     */
    static List<String> fields(String line) {
        List<CSVRecord> records;
        try (CSVParser p = CSVParser.parse(line, FORMAT)) {
            records = p.getRecords();
        } catch (IOException | UncheckedIOException e) {
            String message = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause().getMessage() : e.getMessage();
            Matcher m = POSITION.matcher(message == null ? "" : message);
            if (m.find()) {
                throw new IllegalArgumentException("column " + m.group(1) + ": text after a closing quote");
            }
            int open = unclosedQuote(line);
            throw new IllegalArgumentException(open > 0 ? "column " + open + ": quoted field is never closed"
                    : "unreadable CSV: " + message);
        }
        List<String> out = new ArrayList<>();
        if (records.isEmpty()) {
            out.add("");
            return out;
        }
        for (String v : records.getFirst()) {
            out.add(v.equals("-0-") ? "" : v.strip());
        }
        return out;
    }

    /** The column of the quote that opens a field never closed, or 0. */
    private static int unclosedQuote(String line) {
        boolean quoted = false;
        int open = 0;
        boolean fieldStart = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        quoted = false;
                    }
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
                open = i + 1;
            } else if (c == ',') {
                fieldStart = true;
                continue;
            }
            if (c != ' ') {
                fieldStart = false;
            }
        }
        return quoted ? open : 0;
    }
}
