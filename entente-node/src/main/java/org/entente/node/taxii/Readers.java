package org.entente.node.taxii;

import io.javalin.http.Context;
import java.util.List;
import org.entente.node.http.HttpAuth;
import org.entente.node.policy.Action;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Release;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.Entry;
import org.entente.node.users.Permissions;
import org.entente.node.users.Permissions.Permission;
import org.entente.node.users.Principal;

/**
 * Who reads through a TAXII server, and on what terms: the node's users on the users' port
 * ({@link #users}), or partners' nodes on the federation listener. Every object still passes the
 * {@link Release} this opens.
 */
public interface Readers {

    /** What the principal may do with a collection. */
    Permission permission(Principal p, CollectionInfo c);

    /** Opens the release of one read of collection {@code c}; a refusal is audited and thrown. */
    Release open(Context ctx, Principal p, CollectionInfo c);

    /** Objects were released to the principal (a page of objects, or one object), in page order. */
    default void served(Context ctx, Principal p, CollectionInfo c, List<Entry> released) {}

    /** The node's users: their collection permissions, the purpose they declare or their role implies. */
    static Readers users(Permissions permissions, PolicyGate gate) {
        return new Readers() {
            @Override
            public Permission permission(Principal p, CollectionInfo c) {
                return permissions.permission(p, c.id());
            }

            @Override
            public Release open(Context ctx, Principal p, CollectionInfo c) {
                String purpose = ctx.header(PolicyGate.PURPOSE_HEADER);
                if (purpose == null || purpose.isBlank()) purpose = ctx.queryParam("purpose");
                return gate.open(HttpAuth.principal(ctx), purpose, ctx.header(PolicyGate.ORGANISATION_HEADER),
                        Action.READ, ctx.req().getMethod() + " " + ctx.path());
            }
        };
    }
}
