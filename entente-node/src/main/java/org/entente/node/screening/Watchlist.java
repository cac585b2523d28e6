package org.entente.node.screening;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.entente.node.policy.Category;
import org.entente.node.policy.HandlingCode;
import org.entente.node.policy.ObjectFacts;
import org.entente.node.policy.Subject;
import org.entente.node.policy.TlpLevel;

/**
 * A watchlist as the policy and the screening service see it: who owns it, how it is marked, and,
 * for a list received from a partner, who provided it under which agreement.
 *
 * @param providerId null for the own organisation's lists
 * @param agreementId the agreement a partner's list was received under; null for own lists
 * @param remoteId the provider's own id of the list; null for own lists
 * @param threshold the score from which a hit is reported on this list; null: the library's per kind
 * @param seq the change number of the list's last change of its description or markings
 */
public record Watchlist(String id, String name, String ownerId, WatchlistKind kind, Category category, TlpLevel tlp,
        Set<HandlingCode> handlingCodes, List<String> redRecipients, boolean personalData, String description,
        Double threshold, String providerId, String agreementId, String remoteId, String edition, long seq,
        Instant created, Instant modified, Instant removed) {

    /** Categories a watchlist may be shared under. */
    public static final Set<Category> CATEGORIES = EnumSet.of(Category.PERSONS_OF_INTEREST, Category.TRAVEL_DOCUMENTS,
            Category.VEHICLES, Category.SANCTIONS_ENTITIES);

    public Watchlist {
        handlingCodes = handlingCodes.isEmpty() ? Set.of() : Set.copyOf(handlingCodes);
        redRecipients = List.copyOf(redRecipients);
    }

    public boolean live() {
        return removed == null;
    }

    public boolean received() {
        return providerId != null;
    }

    /**
     * The list as the decision point sees it: one unit of sharing, like a collection, so the policy
     * decides the list, not each entry.
     */
    public Subject subject() {
        int facts = new ObjectFacts(tlp, handlingCodes, category, personalData, false).pack();
        return new Subject(facts, providerId, agreementId, redRecipients, "watchlist:" + id);
    }
}
