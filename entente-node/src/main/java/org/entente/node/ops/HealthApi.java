package org.entente.node.ops;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.entente.node.http.Api;
import org.entente.node.http.Routes;

/**
 * {@code GET /health}: whether the node can serve, for load balancers and operators: the database
 * answers, its schema is the one this build expects, and where the audit chain stands. 503 when the
 * database does not answer within {@link #PATIENCE}: a load balancer asks often and must not wait
 * for the connection pool's own, longer, timeout.
 */
public final class HealthApi implements Api {
    static final Duration PATIENCE = Duration.ofSeconds(2);

    private final Database db;
    private final AuditLog audit;

    public HealthApi(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    @Override
    public void register(Routes routes) {
        routes.publicGet("/health", this::health);
    }

    private void health(Context ctx) {
        long t0 = System.nanoTime();
        CompletableFuture<Map<String, Object>> report = CompletableFuture.supplyAsync(() -> report(t0),
                r -> Thread.ofVirtual().name("entente-health").start(r));
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> database = new LinkedHashMap<>();
        try {
            Map<String, Object> r = report.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            out.put("status", "ok");
            database.put("status", "up");
            database.put("latency_ms", r.remove("latency_ms"));
            out.put("database", database);
            out.putAll(r);
            ctx.status(200).json(out);
        } catch (TimeoutException | ExecutionException e) {
            report.cancel(true);
            out.put("status", "unavailable");
            database.put("status", "down");
            database.put("error", e instanceof TimeoutException ? "no answer within " + PATIENCE.toSeconds() + " s"
                    : String.valueOf(e.getCause().getMessage()));
            out.put("database", database);
            ctx.status(503).json(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the database", e);
        }
    }

    private Map<String, Object> report(long t0) {
        Map<String, Object> out = new LinkedHashMap<>();
        db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
        out.put("latency_ms", Math.round((System.nanoTime() - t0) / 1e5) / 10.0);
        out.put("migrations", Map.of("version", db.schemaVersion(), "pending", db.pendingMigrations()));
        AuditLog.Head head = audit.head();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("records", head.seq());
        a.put("head", head.hash());
        a.put("at", head.at() == null ? null : head.at().toString());
        out.put("audit", a);
        return out;
    }
}
