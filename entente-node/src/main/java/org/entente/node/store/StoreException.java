package org.entente.node.store;

/** A database failure the caller cannot correct; callers map it to a 500 or an exit code. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
