package org.entente.pattern;

import java.util.Arrays;

/** Open-addressing map from long keys (never {@link Long#MIN_VALUE}) to int values; -1 means absent. */
final class LongIntMap {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private int[] values;
    private int size;

    LongIntMap(int capacity) {
        int n = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1);
        keys = new long[n];
        Arrays.fill(keys, EMPTY);
        values = new int[n];
    }

    int size() {
        return size;
    }

    static int mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        return (int) (k ^ (k >>> 33));
    }

    int get(long key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    void put(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    private void grow() {
        long[] oldK = keys;
        int[] oldV = values;
        keys = new long[oldK.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new int[oldK.length * 2];
        size = 0;
        for (int i = 0; i < oldK.length; i++) {
            if (oldK[i] != EMPTY) {
                put(oldK[i], oldV[i]);
            }
        }
    }
}
