package org.entente.node.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the node does with objects it produces, as they come in: it signs them (the federation's
 * signed provenance, docs/FEDERATION.md) before they are stored, and tells partners' nodes once they
 * are stored. Objects received from partners' nodes are neither signed nor announced here.
 */
public interface Producer {

    /**
     * Signs, in place, the objects of a batch that this node produced. Objects it did not produce
     * (another organisation in created_by_ref, or already signed by their producer) are left as they are.
     */
    void sign(List<ObjectNode> objects);

    /** Objects were stored in a collection (committed). Must not block. */
    void added(String collectionId, long count);

    Producer NONE = new Producer() {
        @Override
        public void sign(List<ObjectNode> objects) {}

        @Override
        public void added(String collectionId, long count) {}
    };
}
