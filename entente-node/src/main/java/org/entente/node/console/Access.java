package org.entente.node.console;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.entente.node.common.Refusal;
import org.entente.node.policy.Purpose;
import org.entente.node.policy.store.PolicyViews;
import org.entente.node.requests.Requests;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.users.Permissions;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * Who may use which screen, by the same permissions and roles the HTTP API checks: collections by
 * their permissions, partners' people kept to their own organisation's side, users and peers for
 * administrators, the audit log for those who oversee, the desk of requests by the requests API's rule.
 */
final class Access {
    private final PolicyViews views;
    private final Permissions permissions;
    private final ObjectStore store;
    private final Requests requests;

    Access(PolicyViews views, Permissions permissions, ObjectStore store, Requests requests) {
        this.views = views;
        this.permissions = permissions;
        this.store = store;
        this.requests = requests;
    }

    boolean ownStaff(Principal p) {
        return views.ownStaff(p);
    }

    List<CollectionInfo> readable(Principal p) {
        Set<String> ids = new HashSet<>(permissions.readableCollections(p));
        return store.collections().stream().filter(c -> ids.contains(c.id())).toList();
    }

    /**
     * Collections the person may import into: those she may write, and for a partner's people only
     * those whose provider is their organisation (intake.Admission's rule).
     */
    List<CollectionInfo> writable(Principal p) {
        Set<String> ids = new HashSet<>(permissions.writableCollections(p));
        boolean own = ownStaff(p);
        return store.collections().stream().filter(c -> ids.contains(c.id()))
                .filter(c -> own || (p.organisationId() != null && p.organisationId().equals(c.providerId()))).toList();
    }

    boolean mayImport(Principal p) {
        return !writable(p).isEmpty();
    }

    /**
     * Screening is open to whoever the screening API serves: a person whose role screens for a
     * purpose (an auditor does not), of the own organisation or a partner's; the policy then decides
     * list by list which watchlists her organisation may be screened against.
     */
    boolean mayScreen(Principal p) {
        if (p.admin()) return true;
        for (Role r : p.roles()) if (Purpose.defaultFor(r).isPresent()) return true;
        return false;
    }

    /** The 24/7 desk (requests for assistance): by the rule of the requests API. */
    boolean mayReadRequests(Principal p) {
        return requests.deskRefusal(p, false).isEmpty();
    }

    boolean mayActOnRequests(Principal p) {
        return requests.deskRefusal(p, true).isEmpty();
    }

    boolean mayAudit(Principal p) {
        return ownStaff(p) && (p.has(Role.ADMINISTRATOR) || p.has(Role.AUDITOR) || p.has(Role.SUPERVISOR));
    }

    void requireAdministrator(Principal p) {
        if (!p.has(Role.ADMINISTRATOR)) {
            throw new Refusal(403, "Forbidden", "not-administrator", "only administrators manage users and agreements");
        }
    }

    void requireAudit(Principal p) {
        if (!mayAudit(p)) {
            throw new Refusal(403, "Forbidden", "not-auditor", "the audit log is for administrators, auditors and supervisors");
        }
    }

    void requireScreening(Principal p) {
        if (!mayScreen(p)) {
            throw new Refusal(403, "Forbidden", "not-screening-role", "screening is for people whose role screens for a purpose");
        }
    }
}
