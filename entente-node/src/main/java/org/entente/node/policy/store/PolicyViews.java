package org.entente.node.policy.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Action;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Policy;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Purpose;
import org.entente.node.users.Permissions;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * What a person may learn of partners, agreements and the policy's decisions, whichever screen or
 * API asks: the node's own staff see every partner; a partner's users see this node's organisation
 * and their own, their agreements, and explanations only of objects their organisation may
 * receive. One class, so that the console can never show what the HTTP API would refuse.
 */
public final class PolicyViews {
    private final Organisations organisations;
    private final PolicyQueries queries;
    private final PolicyService policies;
    private final Permissions permissions;

    public PolicyViews(Organisations organisations, PolicyQueries queries, PolicyService policies, Permissions permissions) {
        this.organisations = organisations;
        this.queries = queries;
        this.policies = policies;
        this.permissions = permissions;
    }

    /** Whether the person works for this node's own organisation (and so sees all its partners). */
    public boolean ownStaff(Principal p) {
        String own = policies.current().ownOrganisation();
        return p.organisationId() != null && p.organisationId().equals(own);
    }

    /** Who may ask the policy about any object and any organisation. */
    public static boolean overseer(Principal p) {
        return p.has(Role.ADMINISTRATOR) || p.has(Role.SUPERVISOR) || p.has(Role.AUDITOR);
    }

    /** A partner's users learn of this node's organisation and their own, not of the node's other partners. */
    public boolean visible(Principal p, Organisation o) {
        return ownStaff(p) || o.own() || o.id().equals(p.organisationId());
    }

    /** Own staff see every agreement; a partner's users see those their organisation is party to. */
    public boolean visible(Principal p, Agreement a) {
        if (ownStaff(p)) return true;
        Policy policy = policies.current();
        return p.organisationId() != null && policy.agreementsWith(p.organisationId()).stream()
                .anyMatch(x -> x.id().equals(a.id()));
    }

    public List<Organisation> organisations(Principal p) {
        return organisations.all().stream().filter(o -> visible(p, o)).toList();
    }

    /**
     * The organisation a question is about: the asker's own when none is named; another one only
     * for administrators, supervisors and auditors.
     */
    public String recipientFor(Principal p, String recipient) {
        if (recipient == null || recipient.isBlank()) {
            if (p.organisationId() == null) throw InvalidInput.of("Recipient required", "recipient", "give ?recipient=ORG");
            return p.organisationId();
        }
        Organisation o = organisations.find(recipient).orElseThrow(() -> InvalidInput.of("Unknown recipient",
                "recipient", "no organisation '" + recipient + "' is known to this node (see GET /api/organisations)"));
        if (!overseer(p) && !o.id().equals(p.organisationId())) {
            throw new Refusal(403, "Forbidden", "explain-other-organisation",
                    "only administrators, supervisors and auditors may ask about another organisation");
        }
        return o.id();
    }

    /** The collections whose content the asker may ask about; null for overseers (all of them). */
    public Set<String> scope(Principal p) {
        return overseer(p) ? null : new HashSet<>(permissions.readableCollections(p));
    }

    /**
     * Why {@code recipient} may or may not receive an object, as the asker may learn it.
     *
     * @param purposeText as asked, or null for the asker's role's default
     * @param actionText as asked, or null for read
     * @param user the user of the recipient to decide for, or null (the asker, when she asks about her organisation)
     */
    public ObjectNode explain(Principal p, String object, String recipient, String purposeText, String actionText,
            String user) {
        if (object == null || object.isBlank()) {
            throw InvalidInput.of("Object required", "object", "give the object id as ?object=indicator--…");
        }
        String to = recipientFor(p, recipient);
        Purpose purpose = purposeText == null || purposeText.isBlank() ? PolicyGate.purpose(null, p)
                : Purpose.parse(purposeText).orElseThrow(() -> InvalidInput.of("Unknown purpose", "purpose",
                        "purpose '" + purposeText + "' is not one that agreements know; known: " + Purpose.choices()));
        Action action = actionText == null || actionText.isBlank() ? Action.READ : Action.parse(actionText)
                .orElseThrow(() -> InvalidInput.of("Unknown action", "action", "action '" + actionText
                        + "' is not one of read, sync, export, query"));
        String u = user == null && to.equals(p.organisationId()) ? p.username() : user;
        ObjectNode answer;
        try {
            answer = queries.explain(object, to, u, purpose, action, scope(p));
        } catch (InvalidInput e) {
            if (!overseer(p)) throw unknownObject(object);
            throw e;
        }
        boolean anyPermit = false;
        for (JsonNode r : answer.path("results")) anyPermit |= "permit".equals(r.path("decision").asText());
        // That an object one may not receive exists, and what its markings are, is itself information.
        if (!overseer(p) && !anyPermit) throw unknownObject(object);
        return answer;
    }

    private static InvalidInput unknownObject(String object) {
        return InvalidInput.of("Unknown object", "object", "no object '" + object + "' that you may receive");
    }

    /** An agreement status as a person or a request writes it. */
    public static Agreement.Status status(String s, String field) {
        return switch (s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "draft" -> Agreement.Status.DRAFT;
            case "active" -> Agreement.Status.ACTIVE;
            case "suspended" -> Agreement.Status.SUSPENDED;
            case "terminated" -> Agreement.Status.TERMINATED;
            default -> throw InvalidInput.of("Invalid status", field, "'" + s
                    + "' is not one of draft, active, suspended, terminated");
        };
    }

    /** What an organisation may receive, as the asker may learn it. */
    public ObjectNode report(Principal p, String recipient) {
        return queries.report(recipientFor(p, recipient), scope(p));
    }
}
