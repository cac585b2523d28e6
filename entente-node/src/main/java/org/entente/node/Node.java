package org.entente.node;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Agreements;
import org.entente.node.policy.Consents;
import org.entente.node.policy.InvalidInput;
import org.entente.node.policy.PolicyApi;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.PolicyQueries;
import org.entente.node.policy.PolicyService;
import org.entente.node.policy.Retention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.entente.node.auth.HttpAuth;
import org.entente.node.auth.Users;
import org.entente.node.db.Database;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.Importer;
import org.entente.node.store.ObjectStore;
import org.entente.node.search.SearchApi;
import org.entente.node.taxii.TaxiiApi;

/** A running node: its database, its features wired by hand, and its HTTP server. */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    public static final String DEFAULT_COLLECTION = "intel";
    public static final String DEMO_COLLECTION = "demo";
    public static final String DEFINITIONS_COLLECTION = "definitions";
    static final String[] DEMO_FILES = {
            "indicator-for-c2-ip-address.json", "indicators-for-C2-with-COA.json", "infrastructure.json",
            "interop-objectmarking-test.json", "malicious-email-indicator-with-attachment.json",
            "indicator-to-campaign-relationship.json", "threat-reports/apt1.json", "threat-reports/poisonivy.json"};

    private final Database database;
    private final Javalin http;
    private final String url;
    private final List<String> notices;
    private final ScheduledExecutorService jobs;

    private Node(Database database, Javalin http, String url, List<String> notices, ScheduledExecutorService jobs) {
        this.database = database;
        this.http = http;
        this.url = url;
        this.notices = notices;
        this.jobs = jobs;
    }

    /**
     * Opens the database, makes sure an administrator and the default collection exist, loads the
     * demo data when asked, and starts serving.
     */
    public static Node start(NodeConfig config) {
        if (!config.tls() && !isLoopback(config.host())) {
            throw new IllegalArgumentException("refusing to listen on " + config.host() + " without TLS:"
                    + " give --tls-cert and --tls-key, or listen on 127.0.0.1");
        }
        Database db = Database.open(config.database());
        ScheduledExecutorService jobs = null;
        try {
            DataSource ds = db.dataSource();
            ObjectStore store = new ObjectStore(ds);
            AuditLog audit = new AuditLog(ds);
            Users users = new Users(ds, audit);
            Organisations organisations = new Organisations(ds, audit);
            PolicyService policies = new PolicyService(ds);
            List<String> notices = new ArrayList<>();
            notices.add("database: " + db.description());
            Organisation own = ownOrganisation(organisations, config, notices);
            Agreements agreements = new Agreements(ds, audit, organisations::partyExists, organisations::includeOwn);
            bootstrap(store, users, own, notices);
            if (config.demo()) loadDemo(store, users, organisations, agreements, own, notices);
            PolicyGate gate = new PolicyGate(policies, audit);

            TaxiiApi taxii = new TaxiiApi(store, users, ds,
                    new TaxiiApi.Settings(config.title(), null, config.maxContentLength()), gate);
            HttpAuth auth = new HttpAuth(users);
            Javalin app = Javalin.create(cfg -> {
                cfg.showJavalinBanner = false;
                cfg.router.ignoreTrailingSlashes = true;
                cfg.http.maxRequestSize = config.maxContentLength();
                if (config.tls()) {
                    cfg.jetty.addConnector((server, httpConfig) -> tlsConnector(server, httpConfig, config));
                }
            });
            app.get("/health", ctx -> ctx.json(java.util.Map.of("status", "ok")));
            auth.protect(app, "/taxii2/*");
            auth.protect(app, "/taxii2");
            auth.protect(app, "/api/*");
            taxii.register(app);
            new SearchApi(store, users, gate).register(app);
            Consents consents = new Consents(ds, audit, organisations::exists);
            new PolicyApi(organisations, agreements, consents, new PolicyQueries(ds, policies), gate).register(app);
            app.exception(HttpAuth.Failure.class, (e, ctx) -> {
                if (ctx.path().startsWith("/taxii2")) {
                    TaxiiApi.error(ctx, e.status, e.title, e.getMessage(), java.util.Map.of());
                } else {
                    ctx.status(e.status).json(java.util.Map.of("title", e.title, "http_status", e.status,
                            "description", e.getMessage()));
                }
            });
            if (config.tls()) app.start();
            else app.start(config.host(), config.port());
            String scheme = config.tls() ? "https" : "http";
            String url = scheme + "://" + hostForUrl(config.host()) + ":" + app.port() + "/";
            jobs = scheduleJobs(new Retention(ds, policies, audit), audit, config.retentionEvery());
            return new Node(db, app, url, notices, jobs);
        } catch (RuntimeException e) {
            if (jobs != null) jobs.shutdownNow();
            db.close();
            throw e;
        }
    }

    /** Retention purges and audit checkpoints, on a timer; every process runs them, a lock lets one work. */
    private static ScheduledExecutorService scheduleJobs(Retention retention, AuditLog audit, Duration every) {
        ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("entente-jobs").daemon().unstarted(r));
        long period = Math.max(1, every.toSeconds());
        jobs.scheduleWithFixedDelay(() -> {
            try {
                for (Retention.Purge p : retention.run(Instant.now(), false, AuditEvent.SYSTEM)) {
                    LOG.info("retention: purged {} objects ({} versions) of collection {} under agreement {} ({} days)",
                            p.objects(), p.versions(), p.collectionId(), p.agreementId(), p.retentionDays());
                }
                audit.checkpointIfBehind();
            } catch (RuntimeException e) {
                LOG.warn("scheduled retention run failed: {}", e.getMessage(), e);
            }
        }, Math.min(60, period), period, TimeUnit.SECONDS);
        return jobs;
    }

    /** The node's own organisation: the stored one, or the configured one on the first start. */
    private static Organisation ownOrganisation(Organisations organisations, NodeConfig config, List<String> notices) {
        Optional<Organisation> stored = organisations.own();
        if (stored.isPresent()) return stored.get();
        NodeConfig.OwnOrganisation o = config.demo() && System.getenv("ENTENTE_ORG_NAME") == null
                ? new NodeConfig.OwnOrganisation("Demo National CERT", "EE", "cert") : config.organisation();
        try {
            Organisation created = organisations.create(new Organisations.Draft(o.name(), o.nation(), o.sector(), null),
                    true, AuditEvent.SYSTEM);
            notices.add("own organisation created: " + created.name() + " (" + created.nation() + ", " + created.id()
                    + "); rename it with PUT /api/organisations/{id} or set ENTENTE_ORG_NAME/NATION/SECTOR before the first start");
            return created;
        } catch (InvalidInput e) {
            // Another process created it first.
            return organisations.own().orElseThrow(() -> e);
        }
    }

    private static void bootstrap(ObjectStore store, Users users, Organisation own, List<String> notices) {
        ensureCollection(store, DEFAULT_COLLECTION, "Intelligence", "The node's own STIX 2.1 intelligence.");
        // The handling-code marking definitions travel with the data they mark: partners look them up here.
        CollectionInfo definitions = ensureCollection(store, DEFINITIONS_COLLECTION, "Marking definitions",
                "Entente's handling-code marking definitions (docs/HANDLING-CODES.md).");
        try (InputStream in = Node.class.getResourceAsStream("/policy/handling-codes.json")) {
            if (in == null) throw new IllegalStateException("policy/handling-codes.json missing from the build");
            Importer.Report r = new Importer(store).importStream(in, definitions.id(), Importer.Mode.REJECT_FILE, Importer.silent());
            if (r.rejected()) throw new IllegalStateException("handling-code definitions rejected: " + r.rejection());
        } catch (IOException e) {
            throw new IllegalStateException("could not read the handling-code definitions", e);
        }
        int adopted = users.adoptOrphans(own.id());
        if (adopted > 0) notices.add(adopted + " existing user(s) assigned to the own organisation " + own.name());
        if (!users.anyAdmin()) {
            String name = envOr("ENTENTE_ADMIN_USER", "admin");
            String given = System.getenv("ENTENTE_ADMIN_PASSWORD");
            String password = given == null || given.isBlank() ? Users.generatePassword() : given;
            if (!users.createFirstAdmin(name, password)) return;
            notices.add("administrator created: " + name + " / "
                    + (given == null || given.isBlank() ? password + "   (generated; shown only this once)"
                            : "(password from ENTENTE_ADMIN_PASSWORD)"));
        }
    }

    /** Finds a collection by alias, creating it with a fresh UUID on first use. */
    public static CollectionInfo ensureCollection(ObjectStore store, String alias, String title, String description) {
        return store.collection(alias).orElseGet(
                () -> store.createCollection(java.util.UUID.randomUUID().toString(), alias, title, description));
    }

    private static void loadDemo(ObjectStore store, Users users, Organisations organisations, Agreements agreements,
            Organisation own, List<String> notices) {
        CollectionInfo demo = ensureCollection(store, DEMO_COLLECTION, "Demo intelligence",
                "OASIS STIX 2.1 example bundles (BSD-3-Clause), loaded by --demo.");
        Importer importer = new Importer(store);
        long added = 0;
        for (String file : DEMO_FILES) {
            try (InputStream in = Node.class.getResourceAsStream("/demo/" + file)) {
                if (in == null) throw new IllegalStateException("demo file missing from the build: " + file);
                Importer.Report r = importer.importStream(in, demo.id(), Importer.Mode.SKIP_INVALID, Importer.silent());
                added += r.added();
            } catch (IOException e) {
                throw new IllegalStateException("could not read demo file " + file, e);
            }
        }
        String password = Users.generatePassword();
        if (users.find("demo").isPresent()) users.setPassword("demo", password);
        else users.create("demo", password, false);
        users.grant(demo.id(), "demo", true, true);
        users.grant(store.collection(DEFAULT_COLLECTION).orElseThrow().id(), "demo", true, false);
        notices.add("demo data: " + DEMO_FILES.length + " OASIS example bundles in collection '" + DEMO_COLLECTION
                + "' (" + demo.id() + "), " + added + " objects new this start");
        notices.add("demo user: demo / " + password + "   (read and write on 'demo', read on 'intel')");
        Demo.partners(store, users, organisations, agreements, own, demo, notices);
    }

    private static ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig,
            NodeConfig config) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(Pem.keyStore(config.tlsCertificate(), config.tlsKey()));
        ssl.setKeyStorePassword(Pem.KEYSTORE_PASSWORD);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(config.host());
        connector.setPort(config.port());
        return connector;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public String url() {
        return url;
    }

    public int port() {
        return http.port();
    }

    public List<String> notices() {
        return List.copyOf(notices);
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        jobs.shutdownNow();
        http.stop();
        database.close();
    }
}
