package org.entente.node.federation;

import java.time.Instant;
import java.util.List;

/**
 * Where this node stands with one peer, as `entente peer status`, {@code /api/peers} and the console
 * show it.
 *
 * @param offered what this node offers the peer (collection id and the agreement it is offered under)
 * @param collections what this node pulls from the peer, one entry per source collection
 * @param pendingMessages messages to the peer not yet acknowledged
 */
public record PeerStatus(String organisationId, String name, String nation, String url, String fingerprint,
        String signingKey, Instant identityIssued, Instant added, Instant lastSuccess, String lastError,
        Instant lastErrorAt, List<Offered> offered, List<Pulled> collections, int pendingMessages) {

    public PeerStatus {
        offered = List.copyOf(offered);
        collections = List.copyOf(collections);
    }

    /** A collection this node offers the peer. */
    public record Offered(String collectionId, String collectionTitle, String agreementId) {}

    /**
     * A collection this node pulls from the peer.
     *
     * @param addedAfter the peer's date_added of the last object received (the cursor)
     * @param next the peer's paging token, when the last page said there is more
     */
    public record Pulled(String remoteCollection, String localCollection, String title, String agreementId,
            boolean offered, Instant lastAttempt, Instant lastSuccess, String addedAfter, String next,
            long tombstonesAfter, long received, long rejected, long retracted, String lastError, Instant lastErrorAt) {}

    /** The JSON form of the API and of `entente peer status --json`. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var o = f.objectNode();
        o.put("organisation", organisationId);
        o.put("name", name);
        o.put("nation", nation);
        o.put("url", url);
        o.put("fingerprint", fingerprint);
        o.put("signing_key", signingKey);
        o.put("identity_issued", text(identityIssued));
        o.put("added", text(added));
        o.put("last_success", text(lastSuccess));
        o.put("last_error", lastError);
        o.put("last_error_at", text(lastErrorAt));
        o.put("pending_messages", pendingMessages);
        var off = o.putArray("offered");
        for (Offered x : offered) {
            off.addObject().put("collection", x.collectionId()).put("title", x.collectionTitle())
                    .put("agreement", x.agreementId());
        }
        var cols = o.putArray("collections");
        for (Pulled p : collections) {
            var c = cols.addObject();
            c.put("remote_collection", p.remoteCollection());
            c.put("local_collection", p.localCollection());
            c.put("title", p.title());
            c.put("agreement", p.agreementId());
            c.put("offered", p.offered());
            c.put("last_attempt", text(p.lastAttempt()));
            c.put("last_success", text(p.lastSuccess()));
            var cursor = c.putObject("cursor");
            cursor.put("added_after", p.addedAfter());
            cursor.put("next", p.next());
            cursor.put("tombstones_after", p.tombstonesAfter());
            c.put("received", p.received());
            c.put("rejected", p.rejected());
            c.put("retracted", p.retracted());
            c.put("last_error", p.lastError());
            c.put("last_error_at", text(p.lastErrorAt()));
        }
        return o;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
