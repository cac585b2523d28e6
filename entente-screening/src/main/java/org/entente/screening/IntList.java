package org.entente.screening;

import java.util.Arrays;

/** A growable list of ints: postings of the index, kept sorted by being appended in id order. */
final class IntList {
    int[] a;
    int n;

    IntList(int capacity) {
        a = new int[capacity];
    }

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, Math.max(2, n + (n >> 1) + 1));
        }
        a[n++] = v;
    }

    /**
     * Keeps the values that {@code map} maps to 0 or more, as mapped, and gives back the spare
     * capacity; the map must keep the order of the values. Returns how many are left.
     */
    int remap(int[] map) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            int v = map[a[i]];
            if (v >= 0 && (m == 0 || a[m - 1] != v)) {
                a[m++] = v;
            }
        }
        n = m;
        trim();
        return n;
    }

    /** Gives back unused capacity; called once a bulk load is done. */
    void trim() {
        if (a.length != n) {
            a = Arrays.copyOf(a, n);
        }
    }
}
