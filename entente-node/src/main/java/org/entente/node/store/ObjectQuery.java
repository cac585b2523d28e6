package org.entente.node.store;

import java.time.Instant;
import java.util.List;

/**
 * A filtered, ordered slice of a collection: what the TAXII objects, manifest and versions endpoints
 * ask for. Empty lists mean no filter; {@code after} is the exclusive lower bound on date_added
 * (from added_after or a paging token).
 */
public record ObjectQuery(Instant after, int limit, List<String> ids, List<String> types, VersionMatch versions,
        List<String> specVersions) {
    public ObjectQuery {
        ids = List.copyOf(ids);
        types = List.copyOf(types);
        specVersions = List.copyOf(specVersions);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
    }
}
