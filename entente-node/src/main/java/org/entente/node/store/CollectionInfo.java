package org.entente.node.store;

import java.time.Instant;

public record CollectionInfo(String id, String alias, String title, String description, Instant created) {}
