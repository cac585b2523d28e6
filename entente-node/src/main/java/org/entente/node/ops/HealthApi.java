package org.entente.node.ops;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.entente.node.http.Api;
import org.entente.node.http.Routes;

/**
 * {@code GET /health}: whether the node can serve, for load balancers and operators: the database
 * answers, its schema is the one this build expects, and where the audit chain stands. 503 when the
 * database does not answer.
 */
public final class HealthApi implements Api {
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
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> database = new LinkedHashMap<>();
        boolean up;
        long t0 = System.nanoTime();
        try {
            db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            database.put("status", "up");
            database.put("latency_ms", Math.round((System.nanoTime() - t0) / 1e5) / 10.0);
            up = true;
        } catch (RuntimeException e) {
            database.put("status", "down");
            database.put("error", e.getMessage());
            up = false;
        }
        out.put("status", up ? "ok" : "unavailable");
        out.put("database", database);
        if (up) {
            out.put("migrations", Map.of("version", db.schemaVersion(), "pending", db.pendingMigrations()));
            AuditLog.Head head = audit.head();
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("records", head.seq());
            a.put("head", head.hash());
            a.put("at", head.at() == null ? null : head.at().toString());
            out.put("audit", a);
        }
        ctx.status(up ? 200 : 503).json(out);
    }
}
