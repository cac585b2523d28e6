package org.entente.node.console;

import java.util.List;
import java.util.Map;
import org.entente.node.Node;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Action;
import org.entente.node.policy.Release;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectSearch;
import org.entente.node.store.Stored;
import org.entente.node.testing.TestPostgres;
import org.entente.node.users.Principal;

/**
 * A node started as `entente serve --demo` starts, with known passwords, and two objects of the
 * demo collection picked by the policy itself: one the demo partner's user may see, one it may not.
 */
final class DemoNode implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password-1";
    static final String PARTNER = "partner-de";
    static final String PARTNER_PASSWORD = "partner-password-1";

    final Node node;
    final String demoCollection;
    final String partnerOrganisation;
    /** An object the partner's user may read (of the demo collection). */
    final String permitted;
    /** An object of the demo collection the policy withholds from the partner's user. */
    final String withheld;

    DemoNode() {
        NodeConfig config = NodeConfig.of(TestPostgres.freshDatabase(), Map.of(Key.HOST, "127.0.0.1", Key.PORT, "0",
                Key.ADMIN_PASSWORD, ADMIN_PASSWORD)).withDemo(true);
        node = Node.start(config);
        node.services().accounts().setPassword(PARTNER, PARTNER_PASSWORD);
        CollectionInfo demo = node.services().store().collection(Node.DEMO_COLLECTION).orElseThrow();
        demoCollection = demo.id();
        partnerOrganisation = node.services().organisations().find("Partner Cybercrime Unit").map(Organisation::id)
                .orElseThrow();
        long userId = node.services().accounts().find(PARTNER).orElseThrow().id();
        Principal partner = node.services().accounts().signedIn(userId).orElseThrow().principal();
        Release release = node.services().gate().open(partner, null, null, Action.READ, "test");
        String yes = null, no = null;
        for (Stored o : node.services().store().search(new ObjectSearch(List.of(demo.id()), null, List.of(), null, null,
                null, null, 1000))) {
            boolean released = Intelligence.decide(release, o) != null;
            if (released && yes == null && o.type().equals("indicator")) yes = o.id();
            // Something a partner would want and must not have: not the identities other objects name.
            if (!released && no == null && !o.type().equals("identity") && !o.type().equals("marking-definition")) no = o.id();
        }
        if (yes == null || no == null) throw new IllegalStateException("the demo data no longer has both kinds of object");
        permitted = yes;
        withheld = no;
    }

    String url() {
        return node.url();
    }

    @Override
    public void close() {
        node.close();
    }
}
