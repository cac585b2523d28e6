package org.entente.node.policy.store;

import java.util.Set;
import org.entente.node.policy.Agreement;
import org.jdbi.v3.core.Handle;

/**
 * What the nodes of the other parties have to say about an agreement: a party whose organisation
 * runs a peer node must sign every version before this node acts on it (docs/FEDERATION.md). The
 * federation implements it; without federation no party has a node and nothing changes.
 */
public interface Countersigning {

    /** The parties of {@code a} whose nodes must sign each of its versions; empty when none. */
    Set<String> countersigners(Agreement a);

    /**
     * A version made at this node is being stored: sign it and send it to the countersigners, in the
     * transaction that stores it.
     */
    void madeHere(Handle h, Agreement a, String actor);

    Countersigning NONE = new Countersigning() {
        @Override
        public Set<String> countersigners(Agreement a) {
            return Set.of();
        }

        @Override
        public void madeHere(Handle h, Agreement a, String actor) {}
    };
}
