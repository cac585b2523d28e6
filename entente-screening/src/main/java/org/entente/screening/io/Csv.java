package org.entente.screening.io;

import java.util.ArrayList;
import java.util.List;

/** The quoted CSV of the OFAC legacy files: one record per line, {@code -0-} for empty. */
final class Csv {
    private Csv() {
    }

    /**
     * Splits one line into fields.
     *
     * @throws IllegalArgumentException naming the column of the fault
     */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            StringBuilder f = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                int open = i;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("column " + (open + 1) + ": quoted field is never closed");
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            f.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    f.append(c);
                    i++;
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("column " + (i + 1) + ": text after a closing quote");
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    f.append(line.charAt(i++));
                }
            }
            String v = f.toString().strip();
            out.add(v.equals("-0-") ? "" : v);
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }
}
