package org.entente.node.taxii;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.store.ObjectQuery;
import org.entente.node.store.Timestamps;
import org.entente.node.store.VersionMatch;

/** The query parameters of the TAXII listing endpoints, parsed and checked. */
record Filters(Instant addedAfter, int limit, String next, List<String> ids, List<String> types,
        VersionMatch versions, List<String> specVersions, boolean versionGiven) {

    static Filters parse(Context ctx, boolean allowIdAndType, boolean allowVersion) {
        Instant addedAfter = null;
        String aa = ctx.queryParam("added_after");
        if (aa != null) {
            addedAfter = Timestamps.parse(aa);
            if (addedAfter == null) {
                throw TaxiiException.badRequest("added_after must be an RFC 3339 timestamp such as "
                        + "2024-01-31T12:00:00.000Z, not '" + aa + "'");
            }
        }
        int limit = TaxiiApi.MAX_PAGE;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l.trim());
            } catch (NumberFormatException e) {
                throw TaxiiException.badRequest("limit must be a positive whole number, not '" + l + "'");
            }
            if (limit < 1) throw TaxiiException.badRequest("limit must be at least 1, not " + limit);
            limit = Math.min(limit, TaxiiApi.MAX_PAGE);
        }
        String next = ctx.queryParam("next");
        if (next != null && next.isBlank()) throw TaxiiException.badRequest("next must not be empty");
        List<String> ids = list(ctx, "match[id]");
        List<String> types = list(ctx, "match[type]");
        if (!allowIdAndType && (!ids.isEmpty() || !types.isEmpty())) {
            throw TaxiiException.badRequest("match[id] and match[type] are not supported on this endpoint");
        }
        List<String> rawVersions = list(ctx, "match[version]");
        if (!allowVersion && !rawVersions.isEmpty()) {
            throw TaxiiException.badRequest("match[version] is not supported on this endpoint");
        }
        VersionMatch versions = rawVersions.isEmpty() ? VersionMatch.LAST : versions(rawVersions);
        List<String> specVersions = list(ctx, "match[spec_version]");
        for (String sv : specVersions) {
            if (!sv.matches("[0-9]+\\.[0-9]+")) {
                throw TaxiiException.badRequest("match[spec_version] takes versions such as 2.1, not '" + sv + "'");
            }
        }
        return new Filters(addedAfter, limit, next, ids, types, versions, specVersions, !rawVersions.isEmpty());
    }

    private static VersionMatch versions(List<String> values) {
        boolean all = false;
        boolean first = false;
        boolean last = false;
        List<Instant> exact = new ArrayList<>();
        for (String v : values) {
            switch (v) {
                case "all" -> all = true;
                case "first" -> first = true;
                case "last" -> last = true;
                default -> {
                    Instant t = Timestamps.parse(v);
                    if (t == null) {
                        throw TaxiiException.badRequest("match[version] takes first, last, all or timestamps,"
                                + " not '" + v + "'");
                    }
                    exact.add(t);
                }
            }
        }
        return new VersionMatch(all, first, last, exact);
    }

    private static List<String> list(Context ctx, String name) {
        List<String> out = new ArrayList<>();
        for (String value : ctx.queryParams(name)) {
            for (String part : value.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) throw TaxiiException.badRequest(name + " has an empty value");
                out.add(p);
            }
        }
        return out;
    }

    Filters withId(String id) {
        return new Filters(addedAfter, limit, next, List.of(id), types, versions, specVersions, versionGiven);
    }

    Filters withVersions(VersionMatch v) {
        return new Filters(addedAfter, limit, next, ids, types, v, specVersions, versionGiven);
    }

    boolean isFiltered() {
        return addedAfter != null || versionGiven || !specVersions.isEmpty();
    }

    /** The query from these filters, continuing after a paging position when there is one. */
    ObjectQuery query(Instant position) {
        Instant after = addedAfter;
        if (position != null && (after == null || position.isAfter(after))) after = position;
        return new ObjectQuery(after, limit, ids, types, versions, specVersions);
    }

    /** What a paging token is bound to: the filters, but not added_after, limit or next. */
    String canonical() {
        return String.join(",", ids) + "|" + String.join(",", types) + "|" + versions + "|"
                + String.join(",", specVersions);
    }
}
