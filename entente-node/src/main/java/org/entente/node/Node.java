package org.entente.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.entente.node.audit.AuditEvent;
import org.entente.node.config.NodeConfig;
import org.entente.node.db.Database;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.HttpServer;
import org.entente.node.ops.Jobs;
import org.entente.node.policy.store.Retention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running node: its services, its users' port and its scheduled jobs. */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    public static final String DEFAULT_COLLECTION = Bootstrap.DEFAULT_COLLECTION;
    public static final String DEMO_COLLECTION = Bootstrap.DEMO_COLLECTION;
    public static final String DEFINITIONS_COLLECTION = Bootstrap.DEFINITIONS_COLLECTION;

    private final NodeServices services;
    private final HttpServer http;
    private final Jobs jobs;
    private final List<String> notices;
    private final AutoCloseable gcMetrics;

    private Node(NodeServices services, HttpServer http, Jobs jobs, List<String> notices, AutoCloseable gcMetrics) {
        this.services = services;
        this.http = http;
        this.jobs = jobs;
        this.notices = notices;
        this.gcMetrics = gcMetrics;
    }

    /**
     * Opens the database, makes sure the organisation, an administrator and the default collections
     * exist, loads the demo data when asked, and starts serving.
     */
    public static Node start(NodeConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** As {@link #start(NodeConfig)}, with the clock requests for assistance are timed by (tests move it). */
    public static Node start(NodeConfig config, Clock clock) {
        if (!config.tls() && !HttpServer.isLoopback(config.host())) {
            throw new IllegalArgumentException("refusing to listen on " + config.host() + " without TLS:"
                    + " give --tls-cert and --tls-key, or listen on 127.0.0.1");
        }
        NodeServices services = NodeServices.open(config, clock);
        HttpServer http = null;
        Jobs jobs = new Jobs();
        try {
            List<String> notices = Bootstrap.run(services);
            // The lists are served from memory: built before the port opens, then followed.
            services.screening().start();
            AutoCloseable gc = services.metrics().bindGc();
            services.database().pool().setMetricRegistry(services.metrics().registry());
            services.metrics().gauge("entente.audit.records", "Records in the audit chain", services.audit(),
                    a -> a.head().seq());
            http = new HttpServer(config, new HttpAuth(services.authenticator()), services.sessions(), services.audit(),
                    services.metrics().registry(), services.metrics()::scrape, services.apis());
            http.start();
            services.federation().start(jobs, services.metrics().registry());
            schedule(jobs, services, config.retentionEvery());
            jobs.every("request-deadlines", Duration.ofSeconds(5), config.requestsCheckEvery(),
                    () -> services.requests().checkDeadlines());
            return new Node(services, http, jobs, notices, gc);
        } catch (RuntimeException e) {
            jobs.close();
            if (http != null) http.close();
            services.close();
            throw e;
        }
    }

    /** Retention purges and audit checkpoints; every process runs them, a lock lets one purge. */
    private static void schedule(Jobs jobs, NodeServices services, Duration every) {
        Retention retention = services.retention();
        jobs.every("retention", Duration.ofSeconds(Math.min(60, every.toSeconds())), every, () -> {
            for (Retention.Purge p : retention.run(Instant.now(), false, AuditEvent.SYSTEM)) {
                LOG.info("retention: purged {} objects ({} versions) of collection {} under agreement {} ({} days)",
                        p.objects(), p.versions(), p.collectionId(), p.agreementId(), p.retentionDays());
            }
            services.audit().checkpointIfBehind();
        });
        jobs.every("screening-usage", Duration.ofMinutes(5), Duration.ofMinutes(30), services.screening()::purgeUsage);
    }

    public String url() {
        return http.url();
    }

    public int port() {
        return http.port();
    }

    /** The URL partners' nodes reach this node's federation listener at. */
    public String federationUrl() {
        return services.federation().url();
    }

    public List<String> notices() {
        return List.copyOf(notices);
    }

    public NodeServices services() {
        return services;
    }

    public Database database() {
        return services.database();
    }

    public HttpServer http() {
        return http;
    }

    @Override
    public void close() {
        jobs.close();
        services.federation().close();
        // Event streams are closed before the port, which otherwise waits for them.
        services.screening().close();
        http.close();
        try {
            gcMetrics.close();
        } catch (Exception e) {
            LOG.debug("closing GC metrics: {}", e.getMessage());
        }
        services.close();
    }
}
