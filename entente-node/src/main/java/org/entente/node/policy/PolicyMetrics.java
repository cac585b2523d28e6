package org.entente.node.policy;

/** Where decisions are counted, by outcome and rule (the node wires Micrometer in). */
@FunctionalInterface
public interface PolicyMetrics {
    PolicyMetrics NONE = (permitted, rule) -> { };

    void decided(boolean permitted, String rule);
}
