package org.entente.node.testing;

import java.util.Set;
import org.entente.node.NodeServices;
import org.entente.node.users.Accounts;
import org.entente.node.users.ApiKeys;
import org.entente.node.users.Role;

/** The node's users, keys and permissions together, as tests set them up: the real services of one node. */
public record Staff(NodeServices node) {
    public Accounts.User create(String username, String password, boolean admin) {
        return node.accounts().create(username, password, admin);
    }

    public Accounts.User create(String username, String password, boolean admin, String organisationId, Set<Role> roles) {
        return node.accounts().create(username, password, admin, organisationId, roles);
    }

    public void grant(String collectionId, String username, boolean read, boolean write) {
        node.permissions().grant(collectionId, username, read, write);
    }

    public ApiKeys.NewApiKey createApiKey(String username, String label) {
        return node.apiKeys().create(username, label);
    }

    public void revokeApiKey(String keyId) {
        node.apiKeys().revoke(keyId);
    }

    public java.util.Optional<Accounts.User> find(String username) {
        return node.accounts().find(username);
    }

    public void setPassword(String username, String password) {
        node.accounts().setPassword(username, password);
    }
}
