package org.entente.node.users;

/** The outcome of presenting credentials. */
public sealed interface AuthResult {
    record Authenticated(Principal principal) implements AuthResult {}

    record Rejected(String reason) implements AuthResult {}

    /** Too many recent failures for this account: no verification was attempted. */
    record Throttled(long retryAfterSeconds) implements AuthResult {}
}
