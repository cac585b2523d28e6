package org.entente.screening.io;

import java.util.Arrays;

/** A whole source file in memory with a map from offsets to line and column, for error positions. */
final class SourceText {
    final String name;
    final String text;
    private final int[] lineStarts;

    SourceText(String name, String text) {
        this.name = name;
        this.text = text;
        int[] starts = new int[1024];
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        lineStarts = Arrays.copyOf(starts, n);
    }

    /** 1-based line of an offset. */
    int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }
}
