package org.entente.node.users;

import java.util.Set;
import org.entente.node.users.Role;

/**
 * Who is making a request: an authenticated user of this node, the organisation the user acts for
 * (null only for accounts made before organisations existed, until the node assigns its own), and
 * the user's roles.
 */
public record Principal(long userId, String username, boolean admin, String organisationId, Set<Role> roles) {
    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role r) {
        return roles.contains(r) || (r == Role.ADMINISTRATOR && admin);
    }
}
