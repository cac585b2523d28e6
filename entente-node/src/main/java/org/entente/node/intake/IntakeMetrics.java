package org.entente.node.intake;

/**
 * Where objects coming in are counted, by the way they came (the node wires Micrometer in): an
 * operator watches the admission rate and notices when a partner's feed stops or turns invalid.
 */
public interface IntakeMetrics {
    IntakeMetrics NONE = new IntakeMetrics() {
        @Override
        public void stored(Channel channel, long offered, long added) {}

        @Override
        public void refused(Channel channel, long objects) {}
    };

    /** The ways objects come in; REQUESTS: objects attached to requests for assistance and their answers, either way. */
    enum Channel {
        TAXII, IMPORT, FEDERATION, REQUESTS;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A batch stored: {@code offered} versions passed the checks, {@code added} of them were new
     * (the rest the collection already held).
     */
    void stored(Channel channel, long offered, long added);

    /** Objects refused as invalid (or with undefined markings); nothing of their batch was stored. */
    void refused(Channel channel, long objects);
}
