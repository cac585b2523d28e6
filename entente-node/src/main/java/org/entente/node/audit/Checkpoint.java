package org.entente.node.audit;

import java.time.Instant;

/**
 * The node's signed statement that its audit chain reached {@code seq} with {@code hash}
 * (lower-case hex of 32 bytes); {@code signature} is the hex of the Ed25519 signature over
 * {@link #message()}.
 */
public record Checkpoint(long seq, String hash, Instant at, String signature) {

    /** The signed bytes, as docs/AUDIT.md specifies them. */
    public byte[] message() {
        return Chain.checkpointMessage(seq, Chain.unhex(hash), at);
    }
}
