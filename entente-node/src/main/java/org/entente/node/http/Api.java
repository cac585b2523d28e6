package org.entente.node.http;

/** A group of HTTP endpoints of one feature; the server calls {@link #register} once at start. */
public interface Api {
    void register(Routes routes);
}
