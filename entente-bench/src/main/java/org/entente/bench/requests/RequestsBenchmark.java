package org.entente.bench.requests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Agreement;
import org.entente.node.requests.RequestState;
import org.entente.node.requests.Requests;
import org.entente.node.users.Role;

/**
 * Requests for assistance between two nodes (issue 15), each with its own embedded PostgreSQL:
 * N requests through their whole lifecycle (sent, received, acknowledged, in progress, answered),
 * with the time from each transition at one node to its record at the other; then the 24/7 desk's
 * inbox at 1,000 and at 100,000 open requests, listed over HTTP.
 *
 * <p>Usage: {@code bench/requests.sh [REQUESTS] [PER-SECOND] [WORK-DIR] [WARM-UP-REQUESTS]}
 */
public final class RequestsBenchmark {
    private static final ObjectMapper M = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Path work = Path.of(args.length > 2 ? args[2] : "bench/out").toAbsolutePath().resolve("requests-" + System.currentTimeMillis());
        try (Node a = start(work.resolve("a"), "Cybercrime Unit", "EE", "cybercrime");
                Node b = start(work.resolve("b"), "National CERT", "DE", "cert")) {
            a.services().federation().addPeer(b.services().federation().identityDocument(), "bench");
            b.services().federation().addPeer(a.services().federation().identityDocument(), "bench");
            Agreement mou = agree(a, b);
            exchange(a, b, mou, warmUp, n, rate);
            inbox(b, a);
        }
    }

    private static Node start(Path data, String name, String nation, String sector) {
        Map<Key, String> s = new EnumMap<>(Key.class);
        s.put(Key.PORT, "0");
        s.put(Key.ORG_NAME, name);
        s.put(Key.ORG_NATION, nation);
        s.put(Key.ORG_SECTOR, sector);
        s.put(Key.SYNC_EVERY, "1h");
        s.put(Key.LOG_FORMAT, "text");
        return Node.start(NodeConfig.of(new DatabaseLocation.Embedded(data), s));
    }

    private static Organisation own(Node n) {
        return n.services().organisations().own().orElseThrow();
    }

    private static Agreement agree(Node a, Node b) throws InterruptedException {
        ObjectNode d = M.createObjectNode();
        d.put("title", "MoU on cybercrime cooperation").put("kind", "bilateral");
        d.putArray("parties").add(own(a).id()).add(own(b).id());
        d.putObject("legal_basis").put("text", "Budapest Convention");
        d.put("valid_from", "2020-01-01").put("status", "active");
        ObjectNode r = d.putObject("rules");
        r.putArray("categories").add("cyber-indicators");
        r.putArray("purposes").add("investigation");
        r.put("max_tlp", "amber");
        ObjectNode as = d.putObject("assistance");
        as.putObject("types").put("preservation", "Art. 29").put("subscriber-data", "Art. 31");
        as.putObject("deadlines").put("routine", "P30D").put("urgent", "P3D").put("threat-to-life", "PT12H");
        Agreement ag = a.services().agreements().create(d, "bench");
        while (b.services().agreements().find(ag.id()).isEmpty()) Thread.sleep(20);
        b.services().federation().acceptAgreement(ag.id(), "bench");
        while (a.services().agreements().find(ag.id()).map(x -> x.status() != Agreement.Status.ACTIVE).orElse(true)) {
            Thread.sleep(20);
        }
        return ag;
    }

    private static ObjectNode body(Node b, Agreement mou, int i) {
        ObjectNode r = M.createObjectNode();
        r.put("partner", own(b).id()).put("type", i % 2 == 0 ? "preservation" : "subscriber-data")
                .put("urgency", i % 10 == 0 ? "threat-to-life" : "urgent");
        r.putObject("legal_basis").put("agreement", mou.id());
        r.putObject("subject").putArray("ip_addresses").addObject().put("address", "198.51.100." + (i % 250))
                .put("timestamp", "2026-03-01T02:13:00+01:00").put("time_zone", "Europe/Berlin");
        r.putArray("measures").add("preserve and disclose the subscriber of this address");
        r.put("language", "en").put("summary", "benchmark request " + i);
        return r;
    }

    /**
     * A creates requests at {@code rate} per second; B's desk (two workers) acknowledges, starts and
     * answers each as soon as its inbox shows it. Latency: each event's time at the node that made
     * it to its record at the other (one machine, one clock). The first {@code warmUp} requests run
     * the same way while the two freshly started nodes are compiled to speed; they are reported on
     * their own line and left out of the measured figures.
     */
    private static void exchange(Node a, Node b, Agreement mou, int warmUp, int n, double rate) throws Exception {
        Requests ra = a.services().requests();
        Requests rb = b.services().requests();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService desk = Executors.newFixedThreadPool(2);
        for (int w = 0; w < 2; w++) {
            int worker = w;
            desk.submit(() -> {
                Requests.Actor officer = new Requests.Actor("officer-" + worker);
                while (!done.get()) {
                    boolean any = false;
                    for (Requests.Request r : rb.list(false, "open", null, null, 200).requests()) {
                        if ((r.id().hashCode() & 1) != worker) continue;
                        try {
                            switch (r.state()) {
                                case RECEIVED -> rb.acknowledge(r.id(), officer, null);
                                case ACKNOWLEDGED -> rb.start(r.id(), officer, null);
                                case IN_PROGRESS -> rb.answer(r.id(), officer, M.createObjectNode().put("text", "done"));
                                default -> {
                                    continue;
                                }
                            }
                            any = true;
                        } catch (RuntimeException e) {
                            // the other worker or a crossing message moved it first
                        }
                    }
                    if (!any) sleep(20);
                }
                return null;
            });
        }
        if (warmUp > 0) {
            Phase w = phase(a, b, mou, 0, warmUp, rate);
            System.out.printf("WARMUP   %,d requests at %.0f/s just after the start, %,d answered in %.1f s: visible at the"
                            + " other node after median %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms (not counted below)%n",
                    warmUp, rate, w.answered, w.seconds, pct(w.all, 50), pct(w.all, 90), pct(w.all, 99), w.all.getLast());
            diagnose(a, b, w.ids);
            diagnose(b, a, w.ids);
        }
        Phase m = phase(a, b, mou, warmUp, n, rate);
        done.set(true);
        desk.shutdown();
        desk.awaitTermination(30, TimeUnit.SECONDS);
        List<Double> all = m.all;
        System.out.printf("EXCHANGE %,d requests offered at %.0f/s, %,d answered at both ends in %.1f s; %,d state changes"
                        + " crossed (A->B %,d, B->A %,d)%n", n, rate, m.answered, m.seconds, all.size(), m.atB, m.atA);
        System.out.printf("VISIBLE  at the other node after: median %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms"
                + " (targets: median < 1000 ms, p99 < 5000 ms)%n", pct(all, 50), pct(all, 90), pct(all, 99), all.getLast());
        diagnose(a, b, m.ids);
        diagnose(b, a, m.ids);
        Requests.Actor officer = new Requests.Actor("officer-a");
        // Baseline in the same process: one request alone, its five state changes each way, nothing else running.
        List<Double> single = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = ra.create(body(b, mou, i), officer).id();
            waitFor(rb, id, RequestState.RECEIVED);
            rb.acknowledge(id, officer, null);
            waitFor(ra, id, RequestState.ACKNOWLEDGED);
            single.addAll(latencies(b, own(a).id(), List.of(id)));
            single.addAll(latencies(a, own(b).id(), List.of(id)));
        }
        Collections.sort(single);
        System.out.printf("BASE     one request at a time (20 requests, sent/received/acknowledged): median %.0f ms,"
                + " p99 %.0f ms; loaded/unloaded median ratio %.2f%n", pct(single, 50), pct(single, 99),
                pct(all, 50) / pct(single, 50));
    }

    /**
     * Where the time of the events {@code from} made and {@code to} recorded went: per kind the
     * tail, and for each event over a second whether its message was delivered at the first attempt,
     * how long it waited in the sender's outbox, and how many messages were ahead of it there.
     */
    private static void diagnose(Node from, Node to, List<String> ids) {
        String madeBy = own(from).id();
        List<Map<String, Object>> rows = to.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT kind, message_id, extract(epoch FROM recorded - at) * 1000 AS ms FROM assistance_event"
                        + " WHERE by_org = :o AND request_id = ANY(:ids)").bind("o", madeBy)
                .bind("ids", ids.toArray(String[]::new)).mapToMap().list());
        Map<String, Map<String, Object>> outbox = new java.util.HashMap<>();
        from.database().jdbi().useHandle(h -> h.createQuery("SELECT id, attempts,"
                        + " extract(epoch FROM created) * 1000 AS created, extract(epoch FROM delivered) * 1000 AS delivered"
                        + " FROM federation_outbox").mapToMap().forEach(r -> outbox.put((String) r.get("id"), r)));
        List<double[]> spans = new ArrayList<>();
        for (Map<String, Object> o : outbox.values()) {
            if (o.get("delivered") != null) spans.add(new double[] {num(o.get("created")), num(o.get("delivered"))});
        }
        Map<String, List<Double>> byKind = new java.util.TreeMap<>();
        int slow = 0, retried = 0, slowRetried = 0;
        List<Double> slowOutboxWait = new ArrayList<>();
        List<Double> slowAhead = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            double ms = num(r.get("ms"));
            byKind.computeIfAbsent((String) r.get("kind"), k -> new ArrayList<>()).add(ms);
            Map<String, Object> o = outbox.get((String) r.get("message_id"));
            if (o == null) continue;
            boolean again = ((Number) o.get("attempts")).intValue() > 1;
            if (again) retried++;
            if (ms > 1000) {
                slow++;
                if (again) slowRetried++;
                double created = num(o.get("created"));
                if (o.get("delivered") != null) slowOutboxWait.add(num(o.get("delivered")) - created);
                slowAhead.add((double) spans.stream().filter(s -> s[0] < created && s[1] > created).count());
            }
        }
        System.out.printf("DIAG     %s -> %s: %,d events, %,d over 1 s, %,d messages needed more than one attempt"
                + " (%,d of the slow ones)%n", own(from).name(), own(to).name(), rows.size(), slow, retried, slowRetried);
        for (var e : byKind.entrySet()) {
            List<Double> k = e.getValue();
            Collections.sort(k);
            System.out.printf("  %-20s median %5.0f ms, p90 %5.0f ms, p99 %5.0f ms, max %5.0f ms, over 1 s %,d of %,d%n",
                    e.getKey(), pct(k, 50), pct(k, 90), pct(k, 99), k.getLast(), k.stream().filter(x -> x > 1000).count(),
                    k.size());
        }
        Collections.sort(slowOutboxWait);
        Collections.sort(slowAhead);
        if (!slowOutboxWait.isEmpty()) {
            System.out.printf("  slow ones: outbox created -> delivered median %.0f ms, max %.0f ms; messages waiting"
                    + " ahead of them median %.0f, max %.0f%n", pct(slowOutboxWait, 50), slowOutboxWait.getLast(),
                    pct(slowAhead, 50), slowAhead.getLast());
        }
        // Stalls: a second or more in which the receiver took nothing while the sender had messages waiting.
        List<Double> received = to.database().jdbi().withHandle(h -> h.createQuery("SELECT extract(epoch FROM received)"
                + " * 1000 FROM federation_inbox WHERE organisation_id = :o ORDER BY received").bind("o", madeBy)
                .mapTo(Double.class).list());
        for (int i = 1; i < received.size(); i++) {
            double gapStart = received.get(i - 1), gapEnd = received.get(i);
            if (gapEnd - gapStart < 1000) continue;
            long waiting = spans.stream().filter(s -> s[0] < gapStart && s[1] > gapEnd).count();
            if (waiting > 0) {
                System.out.printf("  STALL %.1f s with %,d messages waiting (after %,d received)%n",
                        (gapEnd - gapStart) / 1000, waiting, i);
            }
        }
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private record Phase(List<String> ids, List<Double> all, int atB, int atA, int answered, double seconds) {}

    /** Requests {@code from} .. {@code from + n} offered at {@code rate}, until all are answered at A (or 5 minutes). */
    private static Phase phase(Node a, Node b, Agreement mou, int from, int n, double rate) throws Exception {
        Requests ra = a.services().requests();
        Requests.Actor officer = new Requests.Actor("officer-a");
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long due = t0 + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            ids.add(ra.create(body(b, mou, from + i), officer).id());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        int answered = 0;
        while (System.nanoTime() < deadline) {
            answered = a.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM assistance_request"
                    + " WHERE state = 'answered' AND id = ANY(:ids)").bind("ids", ids.toArray(String[]::new))
                    .mapTo(Integer.class).one());
            if (answered == n) break;
            sleep(200);
        }
        double took = (System.nanoTime() - t0) / 1e9;
        List<Double> atB = latencies(b, own(a).id(), ids);
        List<Double> atA = latencies(a, own(b).id(), ids);
        List<Double> all = new ArrayList<>(atA);
        all.addAll(atB);
        Collections.sort(all);
        return new Phase(ids, all, atB.size(), atA.size(), answered, took);
    }

    /** Milliseconds from each event of these requests made by {@code madeBy} to its record at node {@code at}. */
    private static List<Double> latencies(Node at, String madeBy, List<String> ids) {
        return at.database().jdbi().withHandle(h -> new ArrayList<>(h.createQuery("SELECT extract(epoch FROM recorded - at)"
                        + " * 1000 FROM assistance_event WHERE by_org = :o AND request_id = ANY(:ids) ORDER BY 1")
                .bind("o", madeBy).bind("ids", ids.toArray(String[]::new)).mapTo(Double.class).list()));
    }

    private static void waitFor(Requests r, String id, RequestState s) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && r.find(id).map(x -> x.state() != s).orElse(true)) sleep(2);
    }

    private static double pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The desk's inbox at 1,000 open requests (the baseline) and at 100,000: the first page and a
     * page deep in the list, over HTTP as the desk's officer reads it. The open requests are written
     * straight into the table (a generated load, not an exchange).
     */
    private static void inbox(Node b, Node a) throws Exception {
        String partner = own(a).id();
        b.services().accounts().create("desk", "desk-password-1", false, own(b).id(), Set.of(Role.LIAISON_OFFICER));
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString("desk:desk-password-1".getBytes(StandardCharsets.UTF_8));
        fill(b, partner, 0, 1_000);
        double[] base = timeList(http, b, auth);
        fill(b, partner, 1_000, 100_000);
        double[] big = timeList(http, b, auth);
        System.out.printf("INBOX    open requests listed over HTTP (50 a page, 200 times each): 1,000 open: first page"
                        + " median %.1f ms p99 %.1f ms, deep page median %.1f ms; 100,000 open: first page median %.1f ms"
                        + " p99 %.1f ms, deep page median %.1f ms p99 %.1f ms (target < 100 ms); ratio 100k/1k %.2f%n",
                base[0], base[1], base[2], big[0], big[1], big[2], big[3], big[0] / base[0]);
    }

    private static String base(Node n) {
        return n.url().endsWith("/") ? n.url().substring(0, n.url().length() - 1) : n.url();
    }

    private static void fill(Node b, String partner, int from, int to) {
        b.database().jdbi().useHandle(h -> {
            h.execute("INSERT INTO assistance_request (id, outgoing, requester, requested, partner, agreement_id, article,"
                    + " type, urgency, urgency_rank, state, open, deadline, document, created, created_by, sent, updated,"
                    + " events) SELECT 'request--' || md5(g::text)::uuid, false, ?, ?, ?, 'agreement--bench', 'Art. 29',"
                    + " 'preservation', (ARRAY['routine','urgent','threat-to-life'])[1 + g % 3], g % 3, 'received', true,"
                    + " now() + (g % 5000) * interval '1 minute', '{\"summary\":\"generated\"}'::jsonb, now(), 'bench',"
                    + " now(), now(), 2 FROM generate_series(?, ?) g",
                    partner, own(b).id(), partner, from, to - 1);
            h.execute("ANALYZE assistance_request");
        });
    }

    /** First page median and p99, then a page 400 deep (after its cursor) median and p99. */
    private static double[] timeList(HttpClient http, Node b, String auth) throws Exception {
        List<Double> first = new ArrayList<>();
        String next = null;
        for (int i = 0; i < 220; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base(b) + "/api/requests?box=inbox&limit=50"))
                    .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(r.body());
            if (i >= 20) first.add((System.nanoTime() - t) / 1e6);
            next = M.readTree(r.body()).path("next").asText();
        }
        // A cursor deep in the list: walk 400 pages once, then time the page after it.
        for (int i = 0; i < 400 && next != null && !next.isEmpty(); i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base(b) + "/api/requests?box=inbox&limit=50&after="
                    + next)).header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
            String n = M.readTree(r.body()).path("next").asText();
            if (n.isEmpty()) break;
            next = n;
        }
        List<Double> deep = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base(b) + "/api/requests?box=inbox&limit=50&after="
                    + next)).header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(r.body());
            deep.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(first);
        Collections.sort(deep);
        return new double[] {pct(first, 50), pct(first, 99), pct(deep, 50), pct(deep, 99)};
    }
}
