package org.entente.node.store;

import java.time.Instant;
import java.util.List;

/** TAXII's match[version]: any of first, last, all, or exact version timestamps. Default: last. */
public record VersionMatch(boolean all, boolean first, boolean last, List<Instant> exact) {
    public static final VersionMatch LAST = new VersionMatch(false, false, true, List.of());
    public static final VersionMatch ALL = new VersionMatch(true, false, false, List.of());

    public VersionMatch {
        exact = List.copyOf(exact);
    }
}
