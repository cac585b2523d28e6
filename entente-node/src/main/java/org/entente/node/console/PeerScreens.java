package org.entente.node.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.federation.PeerStatus;
import org.entente.node.http.Routes;
import org.entente.node.policy.Agreement;
import org.entente.node.users.Principal;

/**
 * The partners' nodes this node syncs with, for administrators: each peer's organisation and
 * pinned certificate, what this node offers it and what it offers, and per collection pulled the
 * sync status `entente peer status` shows (last success, cursor, counts, last error), from the
 * federation service's own status. "Sync now" asks the serving process for a cycle, audited as
 * {@code POST /api/peers/{peer}/sync} is.
 */
final class PeerScreens {
    private final Pages pages;
    private final Console.Services s;

    PeerScreens(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
    }

    void register(Routes routes) {
        routes.page("/console/peers", this::list);
        routes.action("/console/peers/{peer}/sync", this::sync);
    }

    /** A collection offered to the peer. */
    public record OfferRow(String title, String collectionId, String agreement) {}

    /** A collection pulled from the peer, with its sync status. */
    public record PulledRow(String title, String remoteCollection, String localCollection, String agreement,
            boolean offered, String lastAttempt, String lastSuccess, String cursor, String next, String received,
            String rejected, String retracted, String lastError, String lastErrorAt) {}

    public record PeerRow(String organisationId, String name, String nation, String url, String fingerprint,
            String signingKey, String identityIssued, String added, String lastSuccess, String lastError,
            String lastErrorAt, String pending, List<OfferRow> offered, List<PulledRow> pulled) {}

    public record Model(List<PeerRow> peers, String url, Pages.Notice notice) {}

    private void list(Context ctx) {
        pages.access().requireAdministrator(Pages.principal(ctx));
        View v = pages.view(ctx);
        List<PeerRow> rows = new ArrayList<>();
        for (PeerStatus p : s.federation().statuses()) rows.add(row(v, p));
        Pages.Notice notice = null;
        String synced = Pages.param(ctx, "synced");
        if (synced != null) {
            String name = rows.stream().filter(r -> r.organisationId().equals(synced)).map(PeerRow::name).findFirst()
                    .orElse(synced);
            notice = Pages.Notice.done(v.t("peers.sync-requested", name));
        }
        pages.render(ctx, "peers.jte", v, new Model(rows, s.federation().url(), notice));
    }

    private PeerRow row(View v, PeerStatus p) {
        List<OfferRow> offered = p.offered().stream().map(o -> new OfferRow(o.collectionTitle(), o.collectionId(),
                agreement(o.agreementId()))).toList();
        List<PulledRow> pulled = p.collections().stream().map(c -> new PulledRow(c.title() == null ? c.remoteCollection()
                        : c.title(), c.remoteCollection(), c.localCollection(), agreement(c.agreementId()), c.offered(),
                time(v, c.lastAttempt()), time(v, c.lastSuccess()), c.addedAfter() == null ? "" : c.addedAfter(),
                c.next() == null ? "" : c.next(), v.number(c.received()), v.number(c.rejected()), v.number(c.retracted()),
                c.lastError() == null ? "" : c.lastError(), time(v, c.lastErrorAt()))).toList();
        return new PeerRow(p.organisationId(), p.name(), p.nation() == null ? "" : p.nation(), p.url(), p.fingerprint(),
                p.signingKey(), time(v, p.identityIssued()), time(v, p.added()), time(v, p.lastSuccess()),
                p.lastError() == null ? "" : p.lastError(), time(v, p.lastErrorAt()), v.number(p.pendingMessages()),
                offered, pulled);
    }

    private String agreement(String id) {
        if (id == null) return "";
        return s.agreements().find(id).map(Agreement::title).orElse(id);
    }

    private static String time(View v, Instant t) {
        return t == null ? "" : v.dateTime(t);
    }

    private void sync(Context ctx) {
        Principal p = Pages.principal(ctx);
        pages.access().requireAdministrator(p);
        String peer = ctx.pathParam("peer");
        s.federation().syncRequestedBy(peer, p.username());
        ctx.redirect("/console/peers?synced=" + View.enc(peer), HttpStatus.SEE_OTHER);
    }
}
