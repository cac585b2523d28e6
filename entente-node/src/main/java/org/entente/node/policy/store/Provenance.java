package org.entente.node.policy.store;

import org.entente.node.common.InvalidInput;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;

/**
 * Where a collection's content came from: the node's own intelligence, or what one provider shared
 * under one agreement, whose purposes, onward-sharing rule and retention then bind all of it. A
 * change is checked, then stored and audited in one transaction.
 */
public final class Provenance {
    private final ObjectStore store;
    private final Organisations organisations;
    private final Agreements agreements;

    public Provenance(ObjectStore store, Organisations organisations, Agreements agreements) {
        this.store = store;
        this.organisations = organisations;
        this.agreements = agreements;
    }

    /** The collection holds the node's own intelligence. */
    public CollectionInfo own(String collection, String actor) {
        CollectionInfo c = collection(collection);
        store.setProvenance(c.id(), null, null, actor);
        return store.collection(c.id()).orElseThrow();
    }

    /** The collection holds what {@code provider} shared under {@code agreementId}. */
    public CollectionInfo received(String collection, String provider, String agreementId, String actor) {
        CollectionInfo c = collection(collection);
        Organisation o = organisations.find(provider).orElseThrow(() -> InvalidInput.of("Unknown organisation",
                "--provider", "no organisation '" + provider + "' (see `entente org list`)"));
        if (o.own()) {
            throw InvalidInput.of("Invalid provenance", "--provider", o.name() + " is this node's own organisation;"
                    + " for own intelligence give --own");
        }
        Agreement a = agreements.find(agreementId).orElseThrow(() -> InvalidInput.of("Unknown agreement",
                "--agreement", "no agreement '" + agreementId + "' (see `entente agreement list`)"));
        // The agreement's terms bind the data only if the provider signed it.
        if (!a.hasParty(o.id(), o.nation())) {
            throw InvalidInput.of("Invalid provenance", "--agreement", o.name() + " is not a party to " + a.id()
                    + " (" + a.title() + ")");
        }
        store.setProvenance(c.id(), o.id(), a.id(), actor);
        return store.collection(c.id()).orElseThrow();
    }

    private CollectionInfo collection(String idOrAlias) {
        return store.collection(idOrAlias).orElseThrow(() -> InvalidInput.of("Unknown collection", "COLLECTION",
                "no collection '" + idOrAlias + "' (see `entente collection list`)"));
    }
}
