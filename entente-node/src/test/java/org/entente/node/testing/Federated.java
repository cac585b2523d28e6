package org.entente.node.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.entente.node.Node;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Agreement;

/** Nodes on loopback made partners of each other, as the federation, requests and console tests need them. */
public final class Federated {
    private Federated() {}

    public static Organisation own(Node n) {
        return n.services().organisations().own().orElseThrow();
    }

    /** Each node adds the other as a peer, on the identity document it was given. */
    public static void pair(Node a, Node b) {
        a.services().federation().addPeer(b.services().federation().identityDocument(), "test");
        b.services().federation().addPeer(a.services().federation().identityDocument(), "test");
    }

    /** Proposes an agreement at {@code proposer} and accepts it at {@code acceptor}; waits until both hold it active. */
    public static Agreement agree(Node proposer, Node acceptor, ObjectNode doc) {
        Agreement a = proposer.services().agreements().create(doc, "test");
        await("the proposal to reach " + own(acceptor).name(), () -> acceptor.services().agreements().find(a.id())
                .map(x -> x.status() == Agreement.Status.PROPOSED).orElse(false));
        acceptor.services().federation().acceptAgreement(a.id(), "test");
        await("the agreement to take effect at both", () -> active(proposer, a.id()) && active(acceptor, a.id()));
        return proposer.services().agreements().find(a.id()).orElseThrow();
    }

    public static boolean active(Node n, String agreementId) {
        return n.services().agreements().find(agreementId).map(x -> x.status() == Agreement.Status.ACTIVE).orElse(false);
    }

    public static void await(String what, BooleanSupplier done) {
        await(what, done, Duration.ofSeconds(20));
    }

    public static void await(String what, BooleanSupplier done, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) return;
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
