package org.entente.pattern;

/**
 * Open-addressing map from long keys (never {@link Long#MIN_VALUE}) to int values; -1 means
 * absent. Key and value sit side by side in one array, so a probe touches one cache line.
 */
final class LongIntMap {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] slots;   // key, value, key, value, ...
    private int capacity;
    private int size;

    LongIntMap(int initial) {
        capacity = Integer.highestOneBit(Math.max(4, initial) * 2 - 1);
        slots = new long[2 * capacity];
        for (int i = 0; i < capacity; i++) {
            slots[2 * i] = EMPTY;
        }
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
        int mask = capacity - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = slots[2 * i];
            if (k == key) {
                return (int) slots[2 * i + 1];
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    void put(long key, int value) {
        if ((size + 1) * 2 > capacity) {
            grow();
        }
        int mask = capacity - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = slots[2 * i];
            if (k == key) {
                slots[2 * i + 1] = value;
                return;
            }
            if (k == EMPTY) {
                slots[2 * i] = key;
                slots[2 * i + 1] = value;
                size++;
                return;
            }
        }
    }

    /** What an entry becomes in a rebuilt map: its new value, or -1 to leave it out. */
    @FunctionalInterface
    interface Remap {
        int apply(long key, int value);
    }

    /**
     * A new map with each entry's value replaced by {@code remap} (called once per entry), sized
     * for the entries that stay: how removals give their space back.
     */
    LongIntMap rebuilt(Remap remap) {
        int[] values = new int[capacity];
        int kept = 0;
        for (int i = 0; i < capacity; i++) {
            if (slots[2 * i] != EMPTY) {
                values[i] = remap.apply(slots[2 * i], (int) slots[2 * i + 1]);
                kept += values[i] >= 0 ? 1 : 0;
            }
        }
        LongIntMap to = new LongIntMap(2 * kept + 2);
        for (int i = 0; i < capacity; i++) {
            if (slots[2 * i] != EMPTY && values[i] >= 0) {
                to.put(slots[2 * i], values[i]);
            }
        }
        return to;
    }

    private void grow() {
        long[] old = slots;
        int oldCapacity = capacity;
        capacity *= 2;
        slots = new long[2 * capacity];
        for (int i = 0; i < capacity; i++) {
            slots[2 * i] = EMPTY;
        }
        size = 0;
        for (int i = 0; i < oldCapacity; i++) {
            if (old[2 * i] != EMPTY) {
                put(old[2 * i], (int) old[2 * i + 1]);
            }
        }
    }
}
