package org.entente.pattern;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Open-addressing hash from (field, string) to an int (a posting-list head), with all keys
 * stored once in a growing byte arena: a million keys cost their bytes plus about twenty bytes,
 * not a million String objects. Keys are UTF-8; lookups of ASCII strings compare characters
 * against the arena directly, without encoding.
 */
final class StringKeyIndex {
    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private int[] slots;   // arena offset + 1 of the key, 0 if empty
    private int[] hashes;
    private int[] values;
    private int size;

    StringKeyIndex() {
        slots = new int[1 << 10];
        hashes = new int[slots.length];
        values = new int[slots.length];
    }

    int size() {
        return size;
    }

    long bytes() {
        return arena.length + 12L * slots.length;
    }

    /** The value for the key, or -1. {@code from} lets callers look up a suffix without copying it. */
    int get(int field, String s, int from) {
        if (!ascii(s, from)) {
            return get(field, s.substring(from).getBytes(StandardCharsets.UTF_8));
        }
        int h = hashAscii(field, s, from);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if (hashes[i] == h && equalsAscii(slot - 1, field, s, from)) {
                return values[i];
            }
        }
    }

    private int get(int field, byte[] key) {
        int h = hashBytes(field, key);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if (hashes[i] == h && equalsBytes(slot - 1, field, key)) {
                return values[i];
            }
        }
    }

    /** Sets the value of the key, adding the key if new. */
    void put(int field, String s, int value) {
        byte[] key = s.getBytes(StandardCharsets.UTF_8);
        int h = hashBytes(field, key);
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                slots[i] = append(field, key) + 1;
                hashes[i] = h;
                values[i] = value;
                size++;
                return;
            }
            if (hashes[i] == h && equalsBytes(slot - 1, field, key)) {
                values[i] = value;
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

    private static boolean ascii(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static int hashAscii(int field, String s, int from) {
        int h = field * 0x9E3779B9;
        for (int i = from; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x01000193;
        }
        return LongIntMap.mix(h);
    }

    private static int hashBytes(int field, byte[] key) {
        int h = field * 0x9E3779B9;
        for (byte b : key) {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        return LongIntMap.mix(h);
    }

    private void grow() {
        int[] oldSlots = slots;
        int[] oldHashes = hashes;
        int[] oldValues = values;
        int n = oldSlots.length * 2;
        slots = new int[n];
        hashes = new int[n];
        values = new int[n];
        int mask = n - 1;
        for (int j = 0; j < oldSlots.length; j++) {
            if (oldSlots[j] != 0) {
                int i = oldHashes[j] & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = oldSlots[j];
                hashes[i] = oldHashes[j];
                values[i] = oldValues[j];
            }
        }
    }
}
