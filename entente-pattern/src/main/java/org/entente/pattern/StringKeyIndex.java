package org.entente.pattern;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Open-addressing hash from (field, string) to an int (a posting-list head), with all keys
 * stored once in a growing byte arena: a million keys cost their bytes plus about twenty bytes,
 * not a million String objects. Keys are UTF-8; lookups of ASCII strings compare characters
 * against the arena directly, without encoding.
 */
final class StringKeyIndex {
    private byte[] arena;
    private int arenaUsed;
    /** Triples (arena offset + 1 of the key or 0 if empty, hash, value): one cache line per probe. */
    private int[] table;
    private int capacity;
    private int size;
    /**
     * One bit per key hash, eight to sixteen bits per key: small enough to stay in cache, so that
     * the usual lookup, of a value no indicator has, ends here without touching the table.
     */
    private long[] filter;

    StringKeyIndex() {
        this(1 << 10, 1 << 16);
    }

    private StringKeyIndex(int capacity, int arenaBytes) {
        this.capacity = capacity;
        table = new int[3 * capacity];
        filter = new long[capacity * 4 / 64];
        arena = new byte[arenaBytes];
    }

    private boolean mayContain(int h) {
        int bit = Integer.rotateLeft(h, 13) & ((filter.length << 6) - 1);
        return (filter[bit >>> 6] & (1L << bit)) != 0;
    }

    private void remember(int h) {
        int bit = Integer.rotateLeft(h, 13) & ((filter.length << 6) - 1);
        filter[bit >>> 6] |= 1L << bit;
    }

    int size() {
        return size;
    }

    /** The value for the key, or -1. {@code from} lets callers look up a suffix without copying it. */
    int get(int field, String s, int from) {
        int h = hashAscii(field, s, from);
        if (h == NOT_ASCII) {
            return get(field, s.substring(from).getBytes(StandardCharsets.UTF_8));
        }
        if (!mayContain(h)) {
            return -1;
        }
        int mask = capacity - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slot = table[3 * i];
            if (slot == 0) {
                return -1;
            }
            if (table[3 * i + 1] == h && equalsAscii(slot - 1, field, s, from)) {
                return table[3 * i + 2];
            }
        }
    }

    private int get(int field, byte[] key) {
        int h = hashBytes(field, key);
        if (!mayContain(h)) {
            return -1;
        }
        int mask = capacity - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slot = table[3 * i];
            if (slot == 0) {
                return -1;
            }
            if (table[3 * i + 1] == h && equalsBytes(slot - 1, field, key)) {
                return table[3 * i + 2];
            }
        }
    }

    /** Sets the value of the key, adding the key if new. */
    void put(int field, String s, int value) {
        byte[] key = s.getBytes(StandardCharsets.UTF_8);
        int h = hashBytes(field, key);
        if ((size + 1) * 2 > capacity) {
            grow();
        }
        int mask = capacity - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slot = table[3 * i];
            if (slot == 0) {
                table[3 * i] = append(field, key) + 1;
                table[3 * i + 1] = h;
                table[3 * i + 2] = value;
                size++;
                remember(h);
                return;
            }
            if (table[3 * i + 1] == h && equalsBytes(slot - 1, field, key)) {
                table[3 * i + 2] = value;
                return;
            }
        }
    }

    private int append(int field, byte[] key) {
        int need = 10 + key.length;
        if (arenaUsed + need > arena.length) {
            long cap = Math.max((long) arena.length * 3 / 2, (long) arenaUsed + need);
            if (cap > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("indicator key arena full (2 GiB)");
            }
            arena = Arrays.copyOf(arena, (int) cap);
        }
        int at = arenaUsed;
        int p = varint(at, field);
        p = varint(p, key.length);
        System.arraycopy(key, 0, arena, p, key.length);
        arenaUsed = p + key.length;
        return at;
    }

    private int varint(int p, int v) {
        while ((v & ~0x7F) != 0) {
            arena[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        arena[p++] = (byte) v;
        return p;
    }

    /** Reads a varint at {@code pos[0]} and advances it. */
    private int readVarint(int[] pos) {
        int v = 0;
        int shift = 0;
        while (true) {
            byte b = arena[pos[0]++];
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    private boolean equalsAscii(int at, int field, String s, int from) {
        int[] pos = {at};
        if (readVarint(pos) != field || readVarint(pos) != s.length() - from) {
            return false;
        }
        int p = pos[0];
        for (int i = from; i < s.length(); i++) {
            if (arena[p++] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean equalsBytes(int at, int field, byte[] key) {
        int[] pos = {at};
        if (readVarint(pos) != field || readVarint(pos) != key.length) {
            return false;
        }
        return Arrays.equals(arena, pos[0], pos[0] + key.length, key, 0, key.length);
    }

    /** Returned by {@link #hashAscii} for a string with a non-ASCII character (no real hash is this value). */
    private static final int NOT_ASCII = 0x7FFF_FFFF;

    private static int hashAscii(int field, String s, int from) {
        int h = field * 0x9E3779B9;
        int or = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            or |= c;
            h = (h ^ c) * 0x01000193;
        }
        return or >= 128 ? NOT_ASCII : finish(h);
    }

    private static int finish(int h) {
        h = LongIntMap.mix(h);
        return h == NOT_ASCII ? 0 : h;
    }

    private static int hashBytes(int field, byte[] key) {
        int h = field * 0x9E3779B9;
        for (byte b : key) {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        return finish(h);
    }

    /**
     * A new index with each key's value replaced by {@code remap} (called once per key; -1 leaves
     * the key out), its table, filter and arena sized for the keys that stay.
     */
    StringKeyIndex rebuilt(IntUnaryOperator remap) {
        int[] values = new int[capacity];
        int kept = 0;
        long bytes = 0;
        for (int j = 0; j < capacity; j++) {
            if (table[3 * j] != 0) {
                values[j] = remap.applyAsInt(table[3 * j + 2]);
                if (values[j] >= 0) {
                    kept++;
                    bytes += entryLength(table[3 * j] - 1);
                }
            }
        }
        int cap = 1 << 10;
        while ((kept + 1) * 2L > cap) {
            cap <<= 1;
        }
        StringKeyIndex to = new StringKeyIndex(cap, (int) Math.min(Integer.MAX_VALUE - 16,
                Math.max(1 << 16, bytes + (bytes >> 4))));
        int mask = cap - 1;
        for (int j = 0; j < capacity; j++) {
            if (table[3 * j] != 0 && values[j] >= 0) {
                int h = table[3 * j + 1];
                int i = h & mask;
                while (to.table[3 * i] != 0) {
                    i = (i + 1) & mask;
                }
                // the entry's bytes (field, length, key) move as they are: no re-encoding, no re-hashing
                int at = table[3 * j] - 1;
                int length = entryLength(at);
                System.arraycopy(arena, at, to.arena, to.arenaUsed, length);
                to.table[3 * i] = to.arenaUsed + 1;
                to.table[3 * i + 1] = h;
                to.table[3 * i + 2] = values[j];
                to.arenaUsed += length;
                to.size++;
                to.remember(h);
            }
        }
        return to;
    }

    /** Bytes of the entry at {@code at}: its two varints and its key. */
    private int entryLength(int at) {
        int[] pos = {at};
        readVarint(pos);
        int length = readVarint(pos);
        return pos[0] + length - at;
    }

    private void grow() {
        int[] old = table;
        int oldCapacity = capacity;
        capacity *= 2;
        table = new int[3 * capacity];
        filter = new long[capacity * 4 / 64];
        int mask = capacity - 1;
        for (int j = 0; j < oldCapacity; j++) {
            if (old[3 * j] != 0) {
                remember(old[3 * j + 1]);
                int i = old[3 * j + 1] & mask;
                while (table[3 * i] != 0) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(old, 3 * j, table, 3 * i, 3);
            }
        }
    }
}
