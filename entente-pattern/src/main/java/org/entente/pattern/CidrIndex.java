package org.entente.pattern;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/** Networks of one path: per prefix length in use, a hash of the masked address. */
final class CidrIndex {
    private final LongIntMap[] v4 = new LongIntMap[33];
    private final LongIntMap[] v6 = new LongIntMap[129];
    /** One bit per (prefix length, network) in use: an address outside every network costs no table probe. */
    private final long[] filter = new long[1 << 15];
    private int[] v4Lengths = new int[0];
    private int[] v6Lengths = new int[0];

    void add(Cidr net, int target, IndicatorIndex m) {
        LongIntMap[] maps = net.v6() ? v6 : v4;
        if (maps[net.prefix()] == null) {
            maps[net.prefix()] = new LongIntMap(16);
            if (net.v6()) {
                v6Lengths = sortedWith(v6Lengths, net.prefix());
            } else {
                v4Lengths = sortedWith(v4Lengths, net.prefix());
            }
        }
        long key = key(net, net.prefix());
        maps[net.prefix()].put(key, m.post(maps[net.prefix()].get(key), target));
        remember(key, net.prefix());
    }

    private void remember(long key, int prefix) {
        int bit = filterBit(key, prefix);
        filter[bit >>> 6] |= 1L << bit;
    }

    int size() {
        int n = 0;
        for (LongIntMap map : v4) {
            n += map == null ? 0 : map.size();
        }
        for (LongIntMap map : v6) {
            n += map == null ? 0 : map.size();
        }
        return n;
    }

    /** The same networks with their posting lists copied by {@code relist}; networks left with none go. */
    CidrIndex rebuilt(IntUnaryOperator relist) {
        CidrIndex to = new CidrIndex();
        to.v4Lengths = rebuilt(v4, v4Lengths, to.v4, to, relist);
        to.v6Lengths = rebuilt(v6, v6Lengths, to.v6, to, relist);
        return to;
    }

    private static int[] rebuilt(LongIntMap[] from, int[] lengths, LongIntMap[] into, CidrIndex to,
            IntUnaryOperator relist) {
        int[] kept = new int[lengths.length];
        int n = 0;
        for (int prefix : lengths) {
            LongIntMap map = from[prefix].rebuilt((key, head) -> {
                int h = relist.applyAsInt(head);
                if (h >= 0) {
                    to.remember(key, prefix);
                }
                return h;
            });
            if (map.size() > 0) {
                into[prefix] = map;
                kept[n++] = prefix;
            }
        }
        return Arrays.copyOf(kept, n);
    }

    private int filterBit(long key, int prefix) {
        return (int) (((key + prefix) * 0x9E3779B97F4A7C15L) >>> (64 - 21));
    }

    private static int[] sortedWith(int[] a, int v) {
        int[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = v;
        Arrays.sort(r);
        return r;
    }

    /** The key of the network's first {@code prefix} bits; IPv6 is folded to 64 bits. */
    private static final long[] V4_MASKS = new long[33];

    static {
        for (int p = 1; p <= 32; p++) {
            V4_MASKS[p] = (0xFFFF_FFFFL << (32 - p)) & 0xFFFF_FFFFL;
        }
    }

    static long key(Cidr c, int prefix) {
        if (!c.v6()) {
            return c.lo() & V4_MASKS[prefix];
        }
        long hi = prefix == 0 ? 0 : prefix >= 64 ? c.hi() : c.hi() & (-1L << (64 - prefix));
        long lo = prefix <= 64 ? 0 : prefix == 128 ? c.lo() : c.lo() & (-1L << (128 - prefix));
        long k = hi * 0x9E3779B97F4A7C15L + Long.rotateLeft(lo, 31) + prefix;
        return k == Long.MIN_VALUE ? 0 : k;
    }

    void lookup(Cidr value, IndicatorIndex m) {
        LongIntMap[] maps = value.v6() ? v6 : v4;
        for (int p : value.v6() ? v6Lengths : v4Lengths) {
            if (p > value.prefix()) {
                return;
            }
            long key = key(value, p);
            int bit = filterBit(key, p);
            if ((filter[bit >>> 6] & (1L << bit)) != 0) {
                m.walk(maps[p].get(key));
            }
        }
    }
}
