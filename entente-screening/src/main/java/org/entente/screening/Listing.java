package org.entente.screening;

import java.util.Objects;

/**
 * Where an entry comes from and whom to ask after a hit: the list, the owning agency and the
 * reference the owner uses for the follow-up.
 */
public record Listing(String id, String list, String owner, String reference) {
    public Listing {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(list, "list");
        owner = owner == null ? "" : owner;
        reference = reference == null ? "" : reference;
    }
}
