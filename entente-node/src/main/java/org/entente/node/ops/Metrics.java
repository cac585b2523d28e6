package org.entente.node.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.ToDoubleFunction;
import org.entente.node.policy.PolicyMetrics;

/**
 * The node's meters, in one Prometheus registry: what an operator watches (requests, decisions,
 * imports, the audit chain, the JVM and the connection pool). Features record through the small
 * interfaces they own; this class turns those into meters.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** GC metrics hold a notification listener: bound only by a serving node, and closed with it. */
    public AutoCloseable bindGc() {
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Decisions of the sharing policy, by outcome and rule. */
    public PolicyMetrics policy() {
        return (permitted, rule) -> Counter.builder("entente.policy.decisions")
                .description("Decisions of the sharing policy on objects")
                .tag("outcome", permitted ? "permit" : "deny").tag("rule", rule).register(registry).increment();
    }

    /** Objects admitted into the store, by the path they came in on (taxii, import, federation). */
    public void admitted(String path, long objects) {
        Counter.builder("entente.objects.admitted").description("STIX object versions stored")
                .tag("path", path).register(registry).increment(objects);
    }

    /** A value read when Prometheus scrapes (e.g. the audit chain's length). */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }
}
