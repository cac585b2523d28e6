package org.entente.node;

import java.time.Clock;
import java.util.List;
import org.entente.node.audit.AuditLog;
import org.entente.node.config.NodeConfig;
import org.entente.node.console.Console;
import org.entente.node.db.Database;
import org.entente.node.db.NodeSettings;
import org.entente.node.federation.Federation;
import org.entente.node.http.Api;
import org.entente.node.http.Sessions;
import org.entente.node.intake.Admission;
import org.entente.node.intake.Importer;
import org.entente.node.ops.HealthApi;
import org.entente.node.ops.Metrics;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.api.PolicyApi;
import org.entente.node.policy.store.Agreements;
import org.entente.node.policy.store.Consents;
import org.entente.node.policy.store.Export;
import org.entente.node.policy.store.PolicyQueries;
import org.entente.node.policy.store.PolicyService;
import org.entente.node.policy.store.PolicyViews;
import org.entente.node.policy.store.Provenance;
import org.entente.node.policy.store.Retention;
import org.entente.node.screening.ScreeningApi;
import org.entente.node.screening.ScreeningService;
import org.entente.node.requests.Requests;
import org.entente.node.requests.RequestsApi;
import org.entente.node.search.SearchApi;
import org.entente.node.store.ObjectStore;
import org.entente.node.taxii.TaxiiApi;
import org.entente.node.users.Accounts;
import org.entente.node.users.ApiKeys;
import org.entente.node.users.Authenticator;
import org.entente.node.users.Permissions;

/**
 * The composition root: every service of a node wired by hand, once, for the server and for every
 * command alike. Opening it opens the database (starting the embedded PostgreSQL, migrating the
 * schema); building the services does no I/O, so a command pays only for what it uses.
 */
public final class NodeServices implements AutoCloseable {
    private final NodeConfig config;
    private final Database database;
    private final Metrics metrics;
    private final AuditLog audit;
    private final Organisations organisations;
    private final Accounts accounts;
    private final ApiKeys apiKeys;
    private final Permissions permissions;
    private final Authenticator authenticator;
    private final ObjectStore store;
    private final PolicyService policies;
    private final PolicyGate gate;
    private final Agreements agreements;
    private final Consents consents;
    private final PolicyQueries policyQueries;
    private final Retention retention;
    private final Provenance provenance;
    private final Admission admission;
    private final NodeSettings settings;
    private final PolicyViews policyViews;
    private final Sessions sessions;
    private final Federation federation;
    private final ScreeningService screening;
    private final Requests requests;

    private NodeServices(NodeConfig config, Database database, Clock clock) {
        this.config = config;
        this.database = database;
        this.metrics = new Metrics();
        this.audit = new AuditLog(database);
        this.settings = new NodeSettings(database.jdbi());
        this.organisations = new Organisations(database, audit);
        this.accounts = new Accounts(database, audit);
        this.apiKeys = new ApiKeys(database, accounts);
        this.permissions = new Permissions(database, accounts);
        this.authenticator = new Authenticator(database, audit);
        this.store = new ObjectStore(database, audit);
        this.policies = new PolicyService(database);
        this.gate = new PolicyGate(policies, audit, metrics.policy());
        // Federation first: agreements are countersigned by the parties' nodes, consents withdrawn from
        // them, and what the node produces is signed as it comes in.
        this.federation = new Federation(config, database, audit, settings, organisations, store, gate);
        this.agreements = new Agreements(database, audit, organisations::partyExists, organisations::includeOwn,
                federation.countersigning());
        this.consents = new Consents(database, audit, organisations::exists, federation::consentRevoked);
        this.policyQueries = new PolicyQueries(store, policies);
        this.retention = new Retention(database, store, policies, audit);
        this.provenance = new Provenance(store, organisations, agreements);
        this.admission = new Admission(store, audit, metrics.intake(), federation.producer());
        federation.bind(agreements, admission, provenance);
        this.policyViews = new PolicyViews(organisations, policyQueries, policies, permissions);
        this.sessions = new Sessions(database, accounts, audit, config.tls(), config.consoleSessionIdle());
        this.screening = new ScreeningService(database, audit, gate, organisations, config);
        // Attachments travel base64-encoded in one message, which the partner's listener bounds like any body.
        this.requests = new Requests(database, audit, clock, federation, organisations, gate, store, admission, provenance,
                config.requestsAttachmentLimit(), Math.max(0, config.maxContentLength() - 256 * 1024));
    }

    /** Opens the node's database as configured and wires the services on it. */
    public static NodeServices open(NodeConfig config) {
        return open(config, Clock.systemUTC());
    }

    /**
     * As {@link #open(NodeConfig)}, with the clock that deadlines and the lifecycle of requests for
     * assistance are timed by (tests move it instead of waiting).
     */
    public static NodeServices open(NodeConfig config, Clock clock) {
        return new NodeServices(config, Database.open(config.database()), clock);
    }

    /** Wires the services on a database already open (tests that share one server). */
    public static NodeServices on(NodeConfig config, Database database) {
        return new NodeServices(config, database, Clock.systemUTC());
    }

    /** The APIs of the users' port, in the order they are registered. */
    public List<Api> apis() {
        return List.of(
                new HealthApi(database, audit),
                new TaxiiApi(store, permissions, database, () -> settings.secret("taxii-paging-key", 32),
                        new TaxiiApi.Settings(config.title(), null, config.maxContentLength()), gate, admission),
                new SearchApi(store, permissions, gate),
                new PolicyApi(organisations, agreements, consents, policyViews),
                new org.entente.node.federation.PeersApi(federation),
                new Console(new Console.Services(config, database, sessions, authenticator, accounts, apiKeys, permissions,
                        organisations, store, gate, policyViews, agreements, retention, audit, importer(), admission, screening,
                        federation, requests)),
                new ScreeningApi(screening),
                new RequestsApi(requests, organisations));
    }

    public Export export() {
        return new Export(store, organisations, gate);
    }

    public Importer importer() {
        return new Importer(store, metrics.intake(), federation.producer());
    }

    public Federation federation() {
        return federation;
    }

    public Requests requests() {
        return requests;
    }

    public NodeConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public Metrics metrics() {
        return metrics;
    }

    public AuditLog audit() {
        return audit;
    }

    public NodeSettings settings() {
        return settings;
    }

    public Organisations organisations() {
        return organisations;
    }

    public Accounts accounts() {
        return accounts;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    public Permissions permissions() {
        return permissions;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public ObjectStore store() {
        return store;
    }

    public PolicyService policies() {
        return policies;
    }

    public PolicyGate gate() {
        return gate;
    }

    public Agreements agreements() {
        return agreements;
    }

    public Consents consents() {
        return consents;
    }

    public PolicyQueries policyQueries() {
        return policyQueries;
    }

    public Retention retention() {
        return retention;
    }

    public PolicyViews policyViews() {
        return policyViews;
    }

    /** The console's signed-in sessions (PostgreSQL), for the users' port. */
    public Sessions sessions() {
        return sessions;
    }

    public Provenance provenance() {
        return provenance;
    }

    public Admission admission() {
        return admission;
    }

    public ScreeningService screening() {
        return screening;
    }

    @Override
    public void close() {
        screening.close();
        federation.close();
        database.close();
    }
}
