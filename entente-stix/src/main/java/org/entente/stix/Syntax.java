package org.entente.stix;

/** Hand-written checks of the lexical forms STIX uses, kept allocation-free for the import hot path. */
final class Syntax {
    private Syntax() {}

    /** Null when {@code s} is a valid RFC 3339 UTC timestamp as STIX requires, else the reason. */
    static String timestampError(String s) {
        int n = s.length();
        if (n < 20) return "is not an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SS[.fraction]Z)";
        if (!digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 7) || s.charAt(7) != '-' || !digits(s, 8, 10)
                || s.charAt(10) != 'T' || !digits(s, 11, 13) || s.charAt(13) != ':' || !digits(s, 14, 16)
                || s.charAt(16) != ':' || !digits(s, 17, 19)) {
            return "is not an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SS[.fraction]Z)";
        }
        int i = 19;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) i++;
            if (i == start) return "has a decimal point without fractional digits";
        }
        if (i != n - 1 || s.charAt(i) != 'Z') {
            char c = i < n ? s.charAt(i) : ' ';
            return c == '+' || c == '-' || c == 'z'
                    ? "must be in UTC and end with an upper-case Z, not a time-zone offset"
                    : "is not an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SS[.fraction]Z)";
        }
        int year = num(s, 0, 4), month = num(s, 5, 7), day = num(s, 8, 10);
        // RFC 3339 allows year 0000, but the calendar timestamps are stored in (PostgreSQL's, from 4713 BC to
        // 294276 AD) has no year 0: such an object could be validated and then not stored. Four digits keep the
        // other end of that range out of reach.
        if (year == 0) return "has year 0000, which cannot be stored: years run from 0001 to 9999";
        if (month < 1 || month > 12) return "has month " + month + " out of range";
        if (day < 1 || day > daysIn(year, month)) return "has day " + day + " out of range for its month";
        if (num(s, 11, 13) > 23 || num(s, 14, 16) > 59 || num(s, 17, 19) > 60) return "has a time of day out of range";
        return null;
    }

    /** Digits after the decimal point of a valid timestamp. */
    static int fractionDigits(String ts) {
        return ts.charAt(19) == '.' ? ts.length() - 21 : 0;
    }

    /** Chronological order of two valid timestamps (fixed-width fields make the prefix compare lexically). */
    static int compareTimestamps(String a, String b) {
        for (int i = 0; i < 19; i++) {
            int c = a.charAt(i) - b.charAt(i);
            if (c != 0) return c;
        }
        // Fractions: digits from index 20 up to the final Z, missing ones read as 0.
        int fa = a.charAt(19) == '.' ? a.length() - 21 : 0, fb = b.charAt(19) == '.' ? b.length() - 21 : 0;
        for (int i = 0; i < Math.max(fa, fb); i++) {
            char ca = i < fa ? a.charAt(20 + i) : '0';
            char cb = i < fb ? b.charAt(20 + i) : '0';
            if (ca != cb) return ca - cb;
        }
        return 0;
    }

    /** Null when {@code s} is {@code type--UUID} with an RFC 4122 UUID, else the reason. */
    static String identifierError(String s) {
        int sep = s.lastIndexOf("--");
        if (sep <= 0) return "is not an identifier of the form type--UUID";
        String typeError = typeNameError(s, 0, sep);
        if (typeError != null) return "has a type part that " + typeError;
        int u = sep + 2;
        if (s.length() - u != 36) return "does not end with a 36-character UUID";
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(u + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') return "does not end with a UUID in 8-4-4-4-12 form";
            } else if (!isHex(c)) {
                return "has a non-hexadecimal character in its UUID";
            }
        }
        char version = s.charAt(u + 14);
        if (version < '1' || version > '5') return "has a UUID that is not an RFC 4122 UUID (version " + version + ")";
        char variant = Character.toLowerCase(s.charAt(u + 19));
        if (variant != '8' && variant != '9' && variant != 'a' && variant != 'b') {
            return "has a UUID that is not of the RFC 4122 variant";
        }
        return null;
    }

    /** UUID version digit of a valid identifier. */
    static char uuidVersion(String id) {
        return id.charAt(id.length() - 36 + 14);
    }

    static String typeName(String id) {
        int sep = id.lastIndexOf("--");
        return sep < 0 ? id : id.substring(0, sep);
    }

    /** Null when {@code s[from,to)} is a valid STIX type name (3 to 250 of a-z 0-9 and single hyphens). */
    static String typeNameError(String s, int from, int to) {
        int n = to - from;
        if (n < 3 || n > 250) return "must be 3 to 250 characters long";
        char prev = '-';
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || isDigit(c) || c == '-';
            if (!ok) return "may only contain a-z, 0-9 and hyphens";
            if (c == '-' && prev == '-') return "may not start with or repeat a hyphen";
            prev = c;
        }
        return null;
    }

    /** STIX 2.1 section 11.1: custom property names are 3 to 250 of a-z, 0-9 and underscore. */
    static boolean validPropertyName(String s) {
        int n = s.length();
        if (n < 3 || n > 250) return false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || isDigit(c) || c == '_')) return false;
        }
        return true;
    }

    /** RFC 5646 language tag, structurally: a 2-8 letter primary subtag (or x/i), then 1-8 alphanumeric subtags. */
    static boolean validLanguageTag(String s) {
        String[] parts = s.split("-", -1);
        String primary = parts[0];
        boolean privateUse = primary.equalsIgnoreCase("x") || primary.equalsIgnoreCase("i");
        if (!privateUse && (primary.length() < 2 || primary.length() > 8 || !letters(primary))) return false;
        if (privateUse && parts.length < 2) return false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 8) return false;
            for (int j = 0; j < p.length(); j++) if (!Character.isLetterOrDigit(p.charAt(j)) || p.charAt(j) > 127) return false;
        }
        return true;
    }

    /** Dotted-quad IPv4 address, optionally with a /0-32 CIDR suffix. */
    static boolean isIpv4(String s) {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (slash >= 0 && !prefix(s.substring(slash + 1), 32)) return false;
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || !digits(p, 0, p.length())) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /** RFC 4291 text form of an IPv6 address (with "::" and an embedded IPv4 tail), optionally /0-128. */
    static boolean isIpv6(String s) {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (slash >= 0 && !prefix(s.substring(slash + 1), 128)) return false;
        int gap = addr.indexOf("::");
        if (gap >= 0 && addr.indexOf("::", gap + 1) >= 0) return false;
        String[] groups = gap < 0 ? addr.split(":", -1)
                : (addr.substring(0, gap) + (gap == 0 ? "" : ":") + "GAP" + (gap + 2 == addr.length() ? "" : ":") + addr.substring(gap + 2)).split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.equals("GAP")) continue;
            if (i == groups.length - 1 && g.indexOf('.') >= 0) {
                if (!isIpv4(g) || g.indexOf('/') >= 0) return false;
                count += 2;
                continue;
            }
            if (g.isEmpty() || g.length() > 4) return false;
            for (int j = 0; j < g.length(); j++) if (!isHex(g.charAt(j))) return false;
            count++;
        }
        return gap >= 0 ? count < 8 : count == 8;
    }

    /** STIX 2.1 mac-addr: colon-separated, lower-case MAC-48 with leading zeros. */
    static boolean isMac(String s) {
        if (s.length() != 17) return false;
        for (int i = 0; i < 17; i++) {
            char c = s.charAt(i);
            if (i % 3 == 2 ? c != ':' : !(isDigit(c) || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    /** CVE-YYYY-NNNN with at least four sequence digits. */
    static boolean isCveId(String s) {
        return s.length() >= 13 && s.startsWith("CVE-") && digits(s, 4, 8) && s.charAt(8) == '-' && digits(s, 9, s.length());
    }

    static boolean isCapecId(String s) {
        return s.length() > 6 && s.startsWith("CAPEC-") && digits(s, 6, s.length());
    }

    /** RFC 3986 at its coarsest: a scheme (letter, then letters, digits, + - .), a colon, something after it. */
    static boolean looksLikeUrl(String s) {
        int colon = s.indexOf(':');
        if (colon < 1 || colon == s.length() - 1 || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 127) return false;
        for (int i = 1; i < colon; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '+' || c == '-' || c == '.')) return false;
        }
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return false;
        return true;
    }

    /** A media type in type/subtype form. */
    static boolean isMediaType(String s) {
        int slash = s.indexOf('/');
        return slash > 0 && slash < s.length() - 1 && s.indexOf(' ') < 0 && s.indexOf('/', slash + 1) < 0;
    }

    private static boolean prefix(String s, int max) {
        return !s.isEmpty() && s.length() <= 3 && digits(s, 0, s.length()) && Integer.parseInt(s) <= max;
    }

    static boolean isHexString(String s) {
        if (s.isEmpty() || (s.length() & 1) != 0) return false;
        for (int i = 0; i < s.length(); i++) if (!isHex(s.charAt(i))) return false;
        return true;
    }

    static boolean isBase64(String s) {
        int n = s.length();
        if ((n & 3) != 0) return false;
        int pad = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '=') {
                if (++pad > 2 || i < n - 2) return false;
            } else if (pad > 0 || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c) || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean letters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) if (!isDigit(s.charAt(i))) return false;
        return true;
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) v = v * 10 + (s.charAt(i) - '0');
        return v;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** RFC 6901 escaping of one reference token. */
    static String escapePointer(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) return token;
        return token.replace("~", "~0").replace("/", "~1");
    }
}
