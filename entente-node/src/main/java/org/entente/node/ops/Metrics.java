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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.entente.node.intake.IntakeMetrics;
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

    /**
     * Decisions of the sharing policy, by outcome and rule. A page decides up to a thousand objects:
     * the counters are looked up in a map of their own rather than built through the registry each time.
     */
    public PolicyMetrics policy() {
        Map<String, Counter> counters = new ConcurrentHashMap<>();
        return (permitted, rule) -> counters.computeIfAbsent((permitted ? "permit|" : "deny|") + rule,
                k -> Counter.builder("entente.policy.decisions").description("Decisions of the sharing policy on objects")
                        .tag("outcome", permitted ? "permit" : "deny").tag("rule", rule).register(registry)).increment();
    }

    /**
     * Objects coming in, by channel (taxii, import, federation) and outcome: {@code added} (new
     * versions), {@code held} (versions the collection already had), {@code refused} (invalid).
     */
    public IntakeMetrics intake() {
        return new IntakeMetrics() {
            @Override
            public void stored(Channel channel, long offered, long added) {
                count(channel, "added", added);
                count(channel, "held", offered - added);
            }

            @Override
            public void refused(Channel channel, long objects) {
                count(channel, "refused", objects);
            }

            private void count(Channel channel, String outcome, long n) {
                Counter c = Counter.builder("entente.intake.objects").description("STIX object versions offered to the node")
                        .tag("channel", channel.wire()).tag("outcome", outcome).register(registry);
                if (n > 0) c.increment(n);
            }
        };
    }

    /** A value read when Prometheus scrapes (e.g. the audit chain's length). */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }
}
