package org.entente.node.store;

import java.time.Instant;

/** One object version in a collection; json is null when only the manifest was asked for. */
public record Entry(String id, Instant version, Instant dateAdded, String specVersion, String json) {}
