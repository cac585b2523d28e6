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

    /** Gives back unused capacity; called once a bulk load is done. */
    void trim() {
        if (a.length != n) {
            a = Arrays.copyOf(a, n);
        }
    }
}
