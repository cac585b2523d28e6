package org.entente.node.console;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.entente.node.audit.AuditLog;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.store.Retention;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.users.Principal;

/**
 * The first screen after sign-in: what arrived lately, per partner and collection, as a chart;
 * and what needs someone's attention (agreements about to expire, retention purges about to run,
 * imports that failed).
 */
final class Dashboard {
    static final int DAYS = 30;
    static final Duration EXPIRY_HORIZON = Duration.ofDays(90);
    static final Duration PURGE_HORIZON = Duration.ofDays(7);
    /** Colours of the chart's series, distinguishable and dark enough on white (WCAG 3:1 for graphics). */
    static final String[] PALETTE = {"#1f5a96", "#b5471b", "#2f7d32", "#7b3f9e", "#8a6d00", "#00707a", "#a3294f", "#4d4d4d"};

    private final Pages pages;
    private final Console.Services s;

    Dashboard(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
    }

    /** One bar segment of the chart: a collection's arrivals on one day. */
    public record Bar(double x, double y, double width, double height, String colour, String label) {}

    /** A series of the chart, for its legend and its table. */
    public record Series(String label, String colour, long total) {}

    /** A labelled tick of the time axis. */
    public record Tick(double x, String label) {}

    /** A line of the value axis. */
    public record Level(double y, String label) {}

    /** The chart, laid out: positions in the SVG's own units. */
    public record Chart(List<Bar> bars, List<Series> series, List<Tick> ticks, List<Level> levels, double width,
            double height, double left, double bottom, long total, List<Row> table) {}

    /** A row of the chart's table: a day and the count of each series. */
    public record Row(String day, List<String> counts) {}

    /** Something that needs attention, already in words. */
    public record Item(String text, String href) {}

    public record Model(Optional<Chart> chart, List<Item> expiring, List<Item> purges, List<Item> failedImports,
            boolean ownStaff) {}

    void show(Context ctx) {
        View v = pages.view(ctx);
        Principal p = Pages.principal(ctx);
        boolean own = pages.access().ownStaff(p);
        Instant now = Instant.now();
        Map<String, String> orgNames = new HashMap<>();
        for (Organisation o : pages.views().organisations(p)) orgNames.put(o.id(), o.name());
        List<CollectionInfo> readable = pages.access().readable(p);
        // Counts say what exists, withheld or not: a partner's people see what they may read, not how much there is.
        Optional<Chart> chart = own ? Optional.of(chart(v, readable, orgNames, now)) : Optional.empty();
        List<Item> expiring = new ArrayList<>();
        for (Agreement a : s.agreements().all()) {
            if (!pages.views().visible(p, a) || !a.inForce(now) || a.validUntil() == null) continue;
            if (a.validUntil().isBefore(now.plus(EXPIRY_HORIZON))) {
                expiring.add(new Item(v.t("dashboard.expiring", a.title(), v.date(a.validUntil())),
                        "/console/agreements/" + a.id()));
            }
        }
        List<Item> purges = new ArrayList<>();
        List<Item> failed = new ArrayList<>();
        if (own) {
            Map<String, String> titles = new HashMap<>();
            readable.forEach(c -> titles.put(c.id(), c.title()));
            for (Retention.Due d : s.retention().due(now, PURGE_HORIZON)) {
                if (!titles.containsKey(d.collectionId())) continue;
                purges.add(new Item(v.t("dashboard.purge", d.objects(), titles.get(d.collectionId()), d.retentionDays()),
                        "/console/intelligence?collection=" + d.collectionId()));
            }
            for (AuditLog.Entry e : s.audit().records(new AuditLog.Filter(ImportScreen.REJECTED, null,
                    now.minus(Duration.ofDays(7)), null, null, 20))) {
                failed.add(new Item(v.t("dashboard.failed-import", e.actor(), v.dateTime(e.at())),
                        pages.access().mayAudit(p) ? "/console/audit?kind=" + ImportScreen.REJECTED : null));
            }
        }
        pages.render(ctx, "dashboard.jte", v, new Model(chart, expiring, purges, failed, own));
    }

    private Chart chart(View v, List<CollectionInfo> readable, Map<String, String> orgNames, Instant now) {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(DAYS - 1);
        List<ObjectStore.DailyCount> counts = s.store().addedPerDay(readable.stream().map(CollectionInfo::id).toList(),
                first.atStartOfDay().toInstant(ZoneOffset.UTC));
        Map<String, Map<LocalDate, Long>> byCollection = new LinkedHashMap<>();
        for (ObjectStore.DailyCount c : counts) {
            byCollection.computeIfAbsent(c.collectionId(), k -> new HashMap<>()).merge(c.day(), c.objects(), Long::sum);
        }
        List<CollectionInfo> shown = readable.stream().filter(c -> byCollection.containsKey(c.id())).toList();
        long[] perDay = new long[DAYS];
        for (ObjectStore.DailyCount c : counts) {
            int i = (int) (c.day().toEpochDay() - first.toEpochDay());
            if (i >= 0 && i < DAYS) perDay[i] += c.objects();
        }
        long max = 1;
        for (long n : perDay) max = Math.max(max, n);
        long top = niceCeiling(max);
        double width = 760, height = 190, left = 56, bottom = 28;
        double plot = height - bottom - 8;
        double slot = (width - left - 8) / DAYS;
        List<Bar> bars = new ArrayList<>();
        List<Series> series = new ArrayList<>();
        double[] stacked = new double[DAYS];
        long total = 0;
        for (int k = 0; k < shown.size(); k++) {
            CollectionInfo c = shown.get(k);
            String colour = PALETTE[k % PALETTE.length];
            String label = v.t("dashboard.series", c.title(), c.providerId() == null ? v.t("dashboard.own")
                    : orgNames.getOrDefault(c.providerId(), c.providerId()));
            long sum = 0;
            for (int i = 0; i < DAYS; i++) {
                long n = byCollection.get(c.id()).getOrDefault(first.plusDays(i), 0L);
                if (n == 0) continue;
                sum += n;
                double h = n * plot / top;
                double y = height - bottom - stacked[i] - h;
                stacked[i] += h;
                bars.add(new Bar(left + i * slot + 1, y, Math.max(1, slot - 2), h, colour,
                        v.t("dashboard.bar", label, v.date(first.plusDays(i)), n)));
            }
            total += sum;
            series.add(new Series(label, colour, sum));
        }
        List<Tick> ticks = new ArrayList<>();
        // A week apart, counted back from today, so that the last label is today's.
        for (int i = DAYS - 1; i >= 0; i -= 7) ticks.add(new Tick(left + i * slot + slot / 2, v.texts().day(first.plusDays(i))));
        List<Level> levels = new ArrayList<>();
        for (int j = 0; j <= 4; j++) {
            long value = top * j / 4;
            levels.add(new Level(height - bottom - plot * j / 4, v.number(value)));
        }
        List<Row> table = new ArrayList<>();
        for (int i = DAYS - 1; i >= 0; i--) {
            if (perDay[i] == 0) continue;
            LocalDate day = first.plusDays(i);
            List<String> cells = new ArrayList<>();
            for (CollectionInfo c : shown) cells.add(v.number(byCollection.get(c.id()).getOrDefault(day, 0L)));
            table.add(new Row(v.date(day), cells));
        }
        return new Chart(bars, series, ticks, levels, width, height, left, bottom, total, table);
    }

    /** A round number at or above n (1, 2, 3, 4, 5, 6 or 8 times a power of ten): an axis read at a glance. */
    static long niceCeiling(long n) {
        long p = 1;
        while (true) {
            for (long m : new long[] {1, 2, 3, 4, 5, 6, 8}) if (m * p >= n) return m * p;
            p *= 10;
        }
    }
}
