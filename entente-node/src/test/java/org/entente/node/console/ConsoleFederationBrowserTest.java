package org.entente.node.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.testing.Federated.await;
import static org.entente.node.testing.Federated.own;
import static org.entente.node.testing.Federated.pair;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.entente.node.Node;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.intake.Importer;
import org.entente.node.policy.Agreement;
import org.entente.node.requests.RequestState;
import org.entente.node.requests.Requests;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.Federated;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.StixJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The screens of a node with a partner's node: the peers screen with its sync status and "sync
 * now", and the 24/7 desk (inbox, outbox, a request and its actions, a new request). Two real nodes
 * on loopback, peers of each other under a memorandum that covers requests; the browser works on
 * node A, node B is the partner whose people the test plays through its services.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleFederationBrowserTest {
    static final String ADMIN_PASSWORD = "admin-password-1";

    static Node a;
    static Node b;
    static Agreement mou;
    static CollectionInfo offeredByB;
    static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed:"
                + " apt-get install -y chromium chromium-driver");
        a = node("National CERT", "EE", "cert");
        b = node("Partner Cybercrime Unit", "DE", "cybercrime");
        pair(a, b);
        mou = agree();
        offeredByB = b.services().store().ensureCollection("shared", "Shared indicators", null);
        load(b, offeredByB.id());
        b.services().federation().offer(own(a).name(), "shared", mou.id(), "test");
        a.services().federation().offer(own(b).name(), Node.DEFAULT_COLLECTION, mou.id(), "test");
        browser = new Browser(a.url());
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (b != null) b.close();
        if (a != null) a.close();
    }

    static Node node(String name, String nation, String sector) {
        Map<Key, String> s = new EnumMap<>(Key.class);
        s.put(Key.HOST, "127.0.0.1");
        s.put(Key.PORT, "0");
        s.put(Key.ADMIN_PASSWORD, ADMIN_PASSWORD);
        s.put(Key.ORG_NAME, name);
        s.put(Key.ORG_NATION, nation);
        s.put(Key.ORG_SECTOR, sector);
        s.put(Key.SYNC_EVERY, "1h");
        s.put(Key.FEDERATION_TIMEOUT, "10s");
        return Node.start(NodeConfig.of(TestPostgres.freshDatabase(), s));
    }

    /** A memorandum proposed by A and countersigned by B's node, covering requests for assistance. */
    static Agreement agree() {
        ObjectNode d = (ObjectNode) json("""
                {"title": "Memorandum on cybercrime cooperation", "kind": "bilateral",
                 "legal_basis": {"text": "Budapest Convention on Cybercrime", "reference": "ETS No. 185"},
                 "valid_from": "2020-01-01", "status": "active",
                 "rules": {"categories": ["cyber-indicators", "reports-and-context"], "purposes": ["detection", "investigation"],
                           "max_tlp": "amber", "handling_codes": ["H0", "H1"], "personal_data": {"allowed": false},
                           "onward_sharing": {"rule": "forbidden"}},
                 "assistance": {"types": {"preservation": "Budapest Convention, Art. 29",
                                          "information": "Budapest Convention, Art. 25"},
                                "deadlines": {"routine": "P30D", "urgent": "P3D", "threat-to-life": "PT12H"},
                                "preservation_days": 90}}
                """);
        d.putArray("parties").add(own(a).id()).add(own(b).id());
        return Federated.agree(a, b, d);
    }

    static void load(Node n, String collection) {
        String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[{\"type\":\"indicator\","
                + "\"spec_version\":\"2.1\",\"id\":\"indicator--" + UUID.randomUUID() + "\",\"created\":\"2026-01-01T00:00:00Z\","
                + "\"modified\":\"2026-01-01T00:00:00Z\",\"name\":\"phishing kit host\",\"pattern\":\"[ipv4-addr:value ="
                + " '198.51.100.77']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}]}";
        Importer.Report r = n.services().importer().importStream(new ByteArrayInputStream(bundle.getBytes(
                StandardCharsets.UTF_8)), collection, Importer.Mode.REJECT_FILE, Importer.silent());
        assertThat(r.rejected()).isFalse();
    }

    static JsonNode json(String s) {
        try {
            return StixJson.mapper().readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A preservation request B's liaison officer sends to A; returns its id once A has received it. */
    static String incoming(String summary) {
        ObjectNode body = (ObjectNode) json("""
                {"type": "preservation", "urgency": "urgent", "language": "de",
                 "subject": {"accounts": [{"service": "mail.example", "identifier": "suspect@mail.example"}],
                             "domains": ["phish-login.example"]},
                 "measures": ["preserve the mailbox and its access logs"]}
                """);
        body.put("partner", own(a).name()).put("summary", summary);
        body.putObject("legal_basis").put("agreement", mou.id());
        String id = b.services().requests().create(body, new Requests.Actor("liaison-b")).id();
        awaitState(a, id, RequestState.RECEIVED);
        return id;
    }

    static void awaitState(Node n, String id, RequestState state) {
        await(id + " to be " + state.wire() + " at " + own(n).name(), () -> n.services().requests().find(id)
                .map(r -> r.state() == state).orElse(false));
    }

    static void signIn(String lang) {
        browser.signIn("admin", ADMIN_PASSWORD, lang);
    }

    static void check(String screen, String lang) throws IOException {
        browser.check(screen, lang);
    }

    @Test
    @Order(1)
    void peersWithTheirSyncStatusAndSyncNow() throws IOException {
        signIn("en");
        String fingerprint = b.services().federation().identityDocument().path("fingerprint").asText();
        for (String lang : ConsoleBrowserTest.LANGUAGES) {
            long before = syncRequests();
            browser.open("/console/peers?lang=" + lang);
            assertThat(browser.text("section.peer h2")).contains("Partner Cybercrime Unit");
            assertThat(browser.text("section.peer .fingerprint")).isEqualTo(fingerprint);
            assertThat(browser.text("table.offered")).contains("Intelligence", mou.title());
            browser.navigating(() -> browser.click("form.sync button"));
            browser.waiting().until(ExpectedConditions.urlContains("synced="));
            assertThat(browser.text(".notice.ok")).contains("Partner Cybercrime Unit");
            // The cycle the administrator asked for pulls the partner's collection; the screen shows what came.
            String one = Texts.of(lang).number(1);
            browser.waiting().until(d -> {
                browser.open("/console/peers?lang=" + lang);
                return !browser.all("table.pulled td.received").isEmpty()
                        && browser.text("table.pulled td.received").equals(one);
            });
            assertThat(browser.text("table.pulled")).contains("Shared indicators", mou.title());
            assertThat(browser.text("section.peer dd.last-success")).isNotEqualTo(Texts.of(lang).t("peers.never"));
            if (lang.equals("ar")) {
                assertThat(browser.script("return getComputedStyle(document.querySelector('section.peer .fingerprint'))"
                        + ".direction")).isEqualTo("ltr");
            }
            check("peers", lang);
            assertThat(syncRequests()).as("the request is audited").isEqualTo(before + 1);
        }
    }

    static long syncRequests() {
        return a.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit_record"
                + " WHERE kind = 'peer-sync-requested' AND actor = 'admin'").mapTo(Long.class).one());
    }

    @Test
    @Order(2)
    void theInboxARequestAcknowledgedAndAnswered() throws IOException {
        signIn("en");
        for (String lang : ConsoleBrowserTest.LANGUAGES) {
            String id = incoming("Phishing against the tax office (" + lang + "): logs needed.");
            browser.open("/console/requests?lang=" + lang);
            assertThat(browser.text("table.requests")).contains("Partner Cybercrime Unit", "(" + lang + ")",
                    Texts.of(lang).t("request.state.received"), Texts.of(lang).t("request.urgency.urgent"));
            check("requests-inbox", lang);
            browser.navigating(() -> browser.find("table.requests a[href*='" + id + "']").click());
            assertThat(browser.text("#request-id")).isEqualTo(id);
            assertThat(browser.text("dl.facts")).contains("Budapest Convention, Art. 29");
            assertThat(browser.text("main")).contains("suspect@mail.example", "preserve the mailbox");
            check("request", lang);

            browser.type("#f-ack-note", "Received by the duty officer.");
            browser.navigating(() -> browser.click("form.action-ack button"));
            browser.waiting().until(ExpectedConditions.urlContains("done=ack"));
            assertThat(a.services().requests().find(id).orElseThrow().state()).isEqualTo(RequestState.ACKNOWLEDGED);
            browser.type("#f-answer-text", "The mailbox and its logs are preserved for 90 days.");
            browser.navigating(() -> browser.click("form.action-answer button"));
            browser.waiting().until(ExpectedConditions.urlContains("done=answer"));
            assertThat(browser.text(".notice.ok")).isEqualTo(Texts.of(lang).t("requests.done.answer"));
            assertThat(browser.text("table.history")).contains("Received by the duty officer.", "preserved for 90 days",
                    Texts.of(lang).t("request.event.acknowledged"), Texts.of(lang).t("request.event.answered"));
            assertThat(browser.all("form.action-answer")).isEmpty();
            browser.script("document.getElementById('history-title').scrollIntoView()");
            check("request-answered", lang);
            // Both ends agree: the partner's node has the answer.
            awaitState(b, id, RequestState.ANSWERED);
        }
    }

    @Test
    @Order(3)
    void aRefusalStatesItsGrounds() throws IOException {
        signIn("en");
        String id = incoming("A request the desk refuses.");
        browser.open("/console/requests/" + id + "?lang=en");
        browser.type("#f-refuse-grounds", "The account is not held by a provider in our jurisdiction.");
        browser.navigating(() -> browser.click("form.action-refuse button"));
        browser.waiting().until(ExpectedConditions.urlContains("done=refuse"));
        awaitState(b, id, RequestState.REFUSED);
        assertThat(b.services().requests().events(id).getLast().detail().path("grounds").asText())
                .isEqualTo("The account is not held by a provider in our jurisdiction.");
    }

    @Test
    @Order(4)
    void aNewRequestSentThenWithdrawnFromTheOutbox() throws IOException {
        signIn("en");
        for (String lang : ConsoleBrowserTest.LANGUAGES) {
            browser.open("/console/requests/new?lang=" + lang);
            new Select(browser.find("#f-partner")).selectByValue(own(b).id());
            new Select(browser.find("#f-agreement")).selectByValue(mou.id());
            new Select(browser.find("#f-type")).selectByValue("information");
            new Select(browser.find("#f-urgency")).selectByValue("urgent");
            browser.type("#f-measures", "tell us who registered the domain");
            browser.type("#f-domains", "phish-login.example");
            // No summary: refused, the field named, nothing sent.
            long before = a.services().requests().list(true, "all", null, null, 500).requests().size();
            browser.navigating(() -> browser.click("#new-request-form button[type=submit]"));
            assertThat(browser.text(".notice.error")).contains("/summary");
            assertThat(a.services().requests().list(true, "all", null, null, 500).requests()).hasSize((int) before);
            check("request-new", lang);

            browser.type("#f-summary", "Who is behind phish-login.example (" + lang + ")?");
            browser.navigating(() -> browser.click("#new-request-form button[type=submit]"));
            browser.waiting().until(ExpectedConditions.urlContains("done=send"));
            String id = browser.text("#request-id");
            awaitState(b, id, RequestState.RECEIVED);

            browser.type("#f-withdraw-reason", "Answered by another channel.");
            browser.navigating(() -> browser.click("form.action-withdraw button"));
            browser.waiting().until(ExpectedConditions.urlContains("done=withdraw"));
            awaitState(b, id, RequestState.WITHDRAWN);

            browser.open("/console/requests?box=outbox&state=all&lang=" + lang);
            assertThat(browser.text("table.requests")).contains("(" + lang + ")", Texts.of(lang).t("request.state.withdrawn"));
            check("requests-outbox", lang);
        }
    }

    @Test
    @Order(5)
    void anActionWithoutItsTokenIsRefused() {
        signIn("en");
        String id = incoming("A forged acknowledgement must not land.");
        browser.open("/console/requests/" + id);
        Object status = browser.driver.executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch('/console/requests/" + id + "/ack', {method: 'POST', headers: {'Content-Type':"
                        + " 'application/x-www-form-urlencoded'}, body: 'note=forged'})"
                        + ".then(function (r) { done(r.status); }).catch(function (e) { done('error ' + e); });");
        assertThat(status).isEqualTo(403L);
        assertThat(a.services().requests().find(id).orElseThrow().state()).isEqualTo(RequestState.RECEIVED);
        assertThat(a.services().requests().events(id)).noneMatch(e -> e.kind().wire().equals("acknowledged"));
    }

    @Test
    @Order(6)
    void frenchToo() {
        signIn("fr");
        for (String page : List.of("/console/peers", "/console/requests", "/console/requests?box=outbox",
                "/console/requests/new")) {
            browser.open(page + (page.contains("?") ? "&" : "?") + "lang=fr");
            assertThat(browser.find("html").getAttribute("lang")).isEqualTo("fr");
            assertThat(browser.html()).doesNotContain("[requests.").doesNotContain("[peers.");
        }
    }
}
