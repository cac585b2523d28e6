package org.entente.node.taxii;

import java.util.Locale;

/** Content negotiation for TAXII 2.1: only {@code application/taxii+json;version=2.1} is spoken. */
final class MediaTypes {
    private MediaTypes() {}

    static final String TAXII = "application/taxii+json;version=2.1";
    static final String STIX = "application/stix+json;version=2.1";

    /** Accept is acceptable when it is absent or names TAXII 2.1 (or a wildcard covering it). */
    static boolean acceptsTaxii(String accept) {
        if (accept == null || accept.isBlank()) return true;
        for (String range : accept.split(",")) {
            String[] parts = range.trim().toLowerCase(Locale.ROOT).split(";");
            String type = parts[0].trim();
            String version = null;
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                if (kv.length != 2) continue;
                if (kv[0].trim().equals("version")) version = kv[1].trim();
                if (kv[0].trim().equals("q")) {
                    try {
                        q = Double.parseDouble(kv[1].trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (q <= 0) continue;
            if (type.equals("*/*") || type.equals("application/*")) return true;
            if (type.equals("application/taxii+json") && (version == null || version.equals("2.1"))) return true;
        }
        return false;
    }

    /** A POSTed body must be declared as TAXII 2.1 (a missing version parameter means the latest). */
    static boolean isTaxiiContent(String contentType) {
        if (contentType == null) return false;
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].trim().equals("application/taxii+json")) return false;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals("version") && !kv[1].trim().equals("2.1")) return false;
        }
        return true;
    }
}
