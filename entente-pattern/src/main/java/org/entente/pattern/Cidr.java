package org.entente.pattern;

/**
 * An IPv4 or IPv6 network: an address and a prefix length. A single address is a network whose
 * prefix is the full width. IPv4 addresses live in the low 32 bits of {@code lo}.
 */
public record Cidr(boolean v6, long hi, long lo, int prefix) {

    public int width() {
        return v6 ? 128 : 32;
    }

    /** True when every address of {@code other} lies in this network. */
    public boolean contains(Cidr other) {
        if (other.v6 != v6 || other.prefix < prefix) {
            return false;
        }
        if (!v6) {
            long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            return (lo & mask) == (other.lo & mask);
        }
        if (prefix <= 64) {
            long mask = prefix == 0 ? 0 : -1L << (64 - prefix);
            return (hi & mask) == (other.hi & mask);
        }
        long mask = -1L << (128 - prefix);
        return hi == other.hi && (lo & mask) == (other.lo & mask);
    }

    /** Parses {@code 10.0.0.1}, {@code 10.0.0.0/8}, {@code 2001:db8::1} or {@code 2001:db8::/32}; null if it is none. */
    public static Cidr parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return null;
        }
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        boolean v6 = addr.indexOf(':') >= 0;
        int width = v6 ? 128 : 32;
        int prefix = width;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > width) {
                return null;
            }
        }
        if (!v6) {
            long v = ipv4(addr);
            return v < 0 ? null : new Cidr(false, 0, v, prefix);
        }
        long[] v = ipv6(addr);
        return v == null ? null : new Cidr(true, v[0], v[1], prefix);
    }

    static long ipv4(String s) {
        long v = 0;
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int start = i;
            int octet = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || octet > 255) {
                return -1;
            }
            v = (v << 8) | octet;
            parts++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return -1;
            }
            i++;
        }
        return parts == 4 ? v : -1;
    }

    private static long[] ipv6(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        int[] groups = new int[8];
        int count;
        if (dbl < 0) {
            count = groups(s, groups, 0, 8);
            if (count != 8) {
                return null;
            }
        } else {
            int[] head = new int[8];
            int[] tail = new int[8];
            int h = dbl == 0 ? 0 : groups(s.substring(0, dbl), head, 0, 7);
            int t = dbl + 2 == s.length() ? 0 : groups(s.substring(dbl + 2), tail, 0, 7);
            if (h < 0 || t < 0 || h + t > 7) {
                return null;
            }
            System.arraycopy(head, 0, groups, 0, h);
            System.arraycopy(tail, 0, groups, 8 - t, t);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | groups[g];
            lo = (lo << 16) | groups[g + 4];
        }
        return new long[]{hi, lo};
    }

    /** Reads colon-separated hex groups (the last may be a dotted IPv4 address); returns how many 16-bit groups, or -1. */
    private static int groups(String s, int[] out, int from, int max) {
        String[] parts = s.split(":", -1);
        int k = from;
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            if (p == parts.length - 1 && part.indexOf('.') >= 0) {
                long v4 = ipv4(part);
                if (v4 < 0 || k + 2 > max) {
                    return -1;
                }
                out[k++] = (int) (v4 >>> 16);
                out[k++] = (int) (v4 & 0xFFFF);
                continue;
            }
            if (part.isEmpty() || part.length() > 4 || k >= max) {
                return -1;
            }
            int v = 0;
            for (int i = 0; i < part.length(); i++) {
                int d = Character.digit(part.charAt(i), 16);
                if (d < 0) {
                    return -1;
                }
                v = (v << 4) | d;
            }
            out[k++] = v;
        }
        return k;
    }

    @Override
    public String toString() {
        if (!v6) {
            return ((lo >>> 24) & 255) + "." + ((lo >>> 16) & 255) + "." + ((lo >>> 8) & 255) + "." + (lo & 255)
                    + "/" + prefix;
        }
        StringBuilder b = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            long word = g < 4 ? hi : lo;
            int shift = 48 - 16 * (g % 4);
            if (g > 0) {
                b.append(':');
            }
            b.append(Long.toHexString((word >>> shift) & 0xFFFF));
        }
        return b.append('/').append(prefix).toString();
    }
}
