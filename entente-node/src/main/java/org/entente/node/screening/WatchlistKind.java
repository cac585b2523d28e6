package org.entente.node.screening;

import java.util.Optional;
import org.entente.node.common.Vocabulary;
import org.entente.node.policy.Category;

/** What a watchlist is for; each kind implies the policy category a list of it is shared under by default. */
public enum WatchlistKind {
    SANCTIONS(Category.PERSONS_OF_INTEREST),
    WANTED_PERSONS(Category.PERSONS_OF_INTEREST),
    TRAVEL_DOCUMENTS(Category.TRAVEL_DOCUMENTS),
    VEHICLES(Category.VEHICLES),
    ENTITIES(Category.SANCTIONS_ENTITIES);

    private final Category category;

    WatchlistKind(Category category) {
        this.category = category;
    }

    /** The category a list of this kind is decided under unless its owner says otherwise. */
    public Category defaultCategory() {
        return category;
    }

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<WatchlistKind> parse(String s) {
        return Vocabulary.parse(WatchlistKind.class, s);
    }

    public static String choices() {
        return Vocabulary.choices(values());
    }
}
