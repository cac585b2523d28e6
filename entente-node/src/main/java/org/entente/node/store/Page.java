package org.entente.node.store;

import java.util.List;

/** A page of a collection in date_added order; more says whether the next page has anything. */
public record Page(List<Entry> entries, boolean more) {
    public Page {
        entries = List.copyOf(entries);
    }
}
