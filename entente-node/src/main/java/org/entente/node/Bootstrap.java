package org.entente.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.entente.node.config.NodeConfig;
import org.entente.node.intake.Importer;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.users.Accounts;

/**
 * What a node needs before it serves, made on the first start and checked on every start: its own
 * organisation, the default and definitions collections, the handling-code definitions, the first
 * administrator; the demo partners and data when asked. Safe to run by several processes at once.
 */
final class Bootstrap {
    private Bootstrap() {}

    static final String DEFAULT_COLLECTION = "intel";
    static final String DEMO_COLLECTION = "demo";
    static final String DEFINITIONS_COLLECTION = "definitions";
    static final String[] DEMO_FILES = {
            "indicator-for-c2-ip-address.json", "indicators-for-C2-with-COA.json", "infrastructure.json",
            "interop-objectmarking-test.json", "malicious-email-indicator-with-attachment.json",
            "indicator-to-campaign-relationship.json", "threat-reports/apt1.json", "threat-reports/poisonivy.json"};

    /** Runs the start-up work; returns what an operator should be told. */
    static List<String> run(NodeServices node) {
        List<String> notices = new ArrayList<>();
        notices.add("database: " + node.database().description());
        Organisation own = ownOrganisation(node, notices);
        ensureCollection(node.store(), DEFAULT_COLLECTION, "Intelligence", "The node's own STIX 2.1 intelligence.");
        // The handling-code marking definitions travel with the data they mark: partners look them up here.
        CollectionInfo definitions = ensureCollection(node.store(), DEFINITIONS_COLLECTION, "Marking definitions",
                "Entente's handling-code marking definitions (docs/HANDLING-CODES.md).");
        load(node.importer(), "/policy/handling-codes.json", definitions.id(), Importer.Mode.REJECT_FILE);
        load(node.importer(), "/policy/federation-signature.json", definitions.id(), Importer.Mode.REJECT_FILE);
        int adopted = node.accounts().adoptOrphans(own.id());
        if (adopted > 0) notices.add(adopted + " existing user(s) assigned to the own organisation " + own.name());
        NodeConfig.Administrator admin = node.config().administrator();
        if (!node.accounts().anyAdmin()) {
            String password = admin.password() == null ? Accounts.generatePassword() : admin.password();
            if (node.accounts().createFirstAdmin(admin.username(), password)) {
                notices.add("administrator created: " + admin.username() + " / "
                        + (admin.password() == null ? password + "   (generated; shown only this once)"
                                : "(password from the configuration, admin.password)"));
            }
        }
        if (node.config().demo()) demo(node, own, notices);
        return notices;
    }

    /** The node's own organisation: the stored one, or the configured one on the first start. */
    private static Organisation ownOrganisation(NodeServices node, List<String> notices) {
        Organisations organisations = node.organisations();
        Optional<Organisation> stored = organisations.own();
        if (stored.isPresent()) return stored.get();
        NodeConfig.OwnOrganisation o = node.config().demo() && !node.config().organisationConfigured()
                ? new NodeConfig.OwnOrganisation("Demo National CERT", "EE", "cert") : node.config().organisation();
        try {
            Organisation created = organisations.create(new Organisations.Draft(o.name(), o.nation(), o.sector(), null),
                    true, AuditEvent.SYSTEM);
            notices.add("own organisation created: " + created.name() + " (" + created.nation() + ", " + created.id()
                    + "); rename it with PUT /api/organisations/{id}, or set org.name/org.nation/org.sector"
                    + " (ENTENTE_ORG_NAME/NATION/SECTOR) before the first start");
            return created;
        } catch (InvalidInput e) {
            // Another process created it first.
            return organisations.own().orElseThrow(() -> e);
        }
    }

    static CollectionInfo ensureCollection(ObjectStore store, String alias, String title, String description) {
        return store.ensureCollection(alias, title, description);
    }

    private static Importer.Report load(Importer importer, String resource, String collectionId, Importer.Mode mode) {
        try (InputStream in = Bootstrap.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " missing from the build");
            Importer.Report r = importer.importStream(in, collectionId, mode, Importer.silent());
            if (r.rejected() && mode == Importer.Mode.REJECT_FILE) {
                throw new IllegalStateException(resource + " rejected: " + r.rejection());
            }
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + resource, e);
        }
    }

    private static void demo(NodeServices node, Organisation own, List<String> notices) {
        CollectionInfo demo = ensureCollection(node.store(), DEMO_COLLECTION, "Demo intelligence",
                "OASIS STIX 2.1 example bundles (BSD-3-Clause), loaded by --demo.");
        long added = 0;
        for (String file : DEMO_FILES) {
            added += load(node.importer(), "/demo/" + file, demo.id(), Importer.Mode.SKIP_INVALID).added();
        }
        String password = Accounts.generatePassword();
        if (node.accounts().find("demo").isPresent()) node.accounts().setPassword("demo", password);
        else node.accounts().create("demo", password, false);
        node.permissions().grant(demo.id(), "demo", true, true);
        node.permissions().grant(node.store().collection(DEFAULT_COLLECTION).orElseThrow().id(), "demo", true, false);
        notices.add("demo data: " + DEMO_FILES.length + " OASIS example bundles in collection '" + DEMO_COLLECTION
                + "' (" + demo.id() + "), " + added + " objects new this start");
        notices.add("demo user: demo / " + password + "   (read and write on 'demo', read on 'intel')");
        Demo.partners(node, own, demo, notices);
        Demo.watchlist(node, own, notices);
    }
}
