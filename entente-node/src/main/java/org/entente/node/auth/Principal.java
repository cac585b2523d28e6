package org.entente.node.auth;

/** Who is making a request: an authenticated user of this node. */
public record Principal(long userId, String username, boolean admin) {}
