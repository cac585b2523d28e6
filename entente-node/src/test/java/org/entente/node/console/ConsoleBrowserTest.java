package org.entente.node.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.node.store.ObjectSearch;
import org.entente.node.store.Stored;
import org.entente.stix.StixJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Each screen's main path in a real browser (Debian's Chromium), in English and in Arabic, as a
 * newcomer does it on `entente serve --demo`: keyboard for the sign-in, no serious or critical
 * accessibility violation (axe-core), Arabic laid out right to left with identifiers left to right,
 * and a screenshot of each screen in both languages under target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final List<String> LANGUAGES = List.of("en", "ar");
    static final String DEMO_MRZ = "P<LBNHADDAD<NASSER<<KARIM<<<<<<<<<<<<<<<<<<<\nRL44719021LBN7904129M3101159<<<<<<<<<<<<<<04";

    static DemoNode demo;
    static Browser b;
    @org.junit.jupiter.api.io.TempDir
    static Path files;

    /** A file the browser uploads, as a person picks it from her disk. */
    static Path file(String name, String content) throws IOException {
        return Files.writeString(files.resolve(name), content, StandardCharsets.UTF_8);
    }

    @BeforeAll
    static void start() throws IOException {
        if (!Browser.available()) {
            System.out.println("BROWSER TESTS SKIPPED: " + Browser.CHROMIUM + " or " + Browser.DRIVER
                    + " is missing; install them with: apt-get install -y chromium chromium-driver");
        }
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed:"
                + " apt-get install -y chromium chromium-driver");
        demo = new DemoNode();
        b = new Browser(demo.url());
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (demo != null) demo.close();
    }

    /** The page is in this language and direction, has no serious accessibility problem, and is kept as a picture. */
    static void check(String screen, String lang) throws IOException {
        b.check(screen, lang);
    }

    static void signIn(String user, String password, String lang) {
        b.signIn(user, password, lang);
    }

    @Test
    @Order(1)
    void signInAndSignOut() throws IOException {
        for (String lang : LANGUAGES) {
            b.driver.manage().deleteAllCookies();
            b.open("/?lang=" + lang);
            assertThat(b.find("label[for=username]").getText()).isNotBlank();
            assertThat(b.find("label[for=password]").getText()).isNotBlank();
            assertThat(b.find("input[name=username]").getAttribute("autocomplete")).isEqualTo("username");
            check("signin", lang);
            b.type("input[name=username]", DemoNode.ADMIN);
            b.type("input[name=password]", "wrong-password-0");
            b.navigating(() -> b.submit("input[name=password]"));
            assertThat(b.find(".notice.error").getText()).isEqualTo(Texts.of(lang).t("signin.failed"));
            signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, lang);
            assertThat(b.find("h1").getText()).isEqualTo(Texts.of(lang).t("dashboard.title"));
            Cookie session = b.driver.manage().getCookieNamed("entente_session");
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");
            b.click(".account button");
            b.waiting().until(ExpectedConditions.presenceOfElementLocated(org.openqa.selenium.By.name("password")));
            b.open("/console");
            assertThat(b.driver.getCurrentUrl()).contains("/?next=");
        }
    }

    @Test
    @Order(2)
    void dashboard() throws IOException {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "en");
        for (String lang : LANGUAGES) {
            b.open("/console?lang=" + lang);
            assertThat(b.all("figure.chart svg rect")).isNotEmpty();
            assertThat(b.find("figure.chart svg title").getAttribute("textContent")).contains(Texts.of(lang).number(
                    demo.node.services().store().addedPerDay(demo.node.services().store().collections().stream()
                                    .map(org.entente.node.store.CollectionInfo::id).toList(),
                            java.time.Instant.now().minus(java.time.Duration.ofDays(30))).stream()
                            .mapToLong(c -> c.objects()).sum()));
            assertThat(b.text("#attention")).isEqualTo(Texts.of(lang).t("dashboard.attention"));
            check("dashboard", lang);
        }
    }

    @Test
    @Order(3)
    void intelligenceSearchObjectAndGraph() throws IOException {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "en");
        String[] chain = chain();
        for (String lang : LANGUAGES) {
            b.open("/console/intelligence?lang=" + lang);
            b.type("#f-value", "10.0.0.0");
            b.navigating(() -> b.submit("#f-value"));
            b.waiting().until(d -> !b.all("table.results tbody tr").isEmpty());
            assertThat(b.all("table.results tbody tr")).allSatisfy(r -> assertThat(r.getText()).contains("indicator"));
            if (lang.equals("ar")) {
                WebElement id = b.find("table.results tbody tr bdi.id");
                assertThat(b.script("return getComputedStyle(arguments[0]).direction", id)).isEqualTo("ltr");
            }
            check("intelligence", lang);
            // By type and marking, with the keyboard-friendly form.
            new Select(b.find("#f-type")).selectByValue("campaign");
            b.find("#f-value").clear();
            b.navigating(() -> b.submit("#f-value"));
            b.waiting().until(ExpectedConditions.urlContains("type=campaign"));
            assertThat(b.all("table.results tbody tr")).isNotEmpty().allSatisfy(r -> assertThat(r.getText()).contains("campaign"));

            b.open("/console/objects/" + chain[0] + "?lang=" + lang);
            assertThat(b.text("#object-id")).isEqualTo(chain[0]);
            if (lang.equals("ar")) {
                // A STIX id inside Arabic text reads left to right.
                assertThat(b.script("return getComputedStyle(document.getElementById('object-id')).direction")).isEqualTo("ltr");
                assertThat(b.script("return getComputedStyle(document.getElementById('object-id').parentElement).direction"))
                        .isEqualTo("rtl");
            }
            assertThat(b.all("#markings-title + ul li")).isNotEmpty();
            assertThat(b.text("#provenance-title + dl")).contains("Demo intelligence");
            assertThat(b.all("#versions-title + ol li")).isNotEmpty();
            int before = b.all("#graph svg circle").size();
            assertThat(before).isGreaterThanOrEqualTo(2);
            check("object", lang);
            // Expanding a neighbour draws its own neighbours too (htmx swaps the graph in place).
            b.find(".graph-nodes a[hx-get*='" + chain[1] + "']").click();
            b.waiting().until(d -> b.all("#graph svg circle").size() > before);
            assertThat(b.html()).contains(chain[2]);
            b.screenshot("object-graph-expanded-" + lang);
        }
    }

    /** Three objects A - B - C of the demo data where C is related to B but not to A. */
    static String[] chain() {
        var store = demo.node.services().store();
        Map<String, Set<String>> next = new HashMap<>();
        for (Stored o : store.search(new ObjectSearch(List.of(demo.demoCollection), null, List.of("relationship"), null,
                null, null, null, 2000))) {
            var r = tree(o.json());
            String s = r.path("source_ref").asText(), t = r.path("target_ref").asText();
            next.computeIfAbsent(s, k -> new HashSet<>()).add(t);
            next.computeIfAbsent(t, k -> new HashSet<>()).add(s);
        }
        Set<String> present = new HashSet<>();
        store.latest(next.keySet(), List.of(demo.demoCollection)).forEach(o -> present.add(o.id()));
        for (var a : next.entrySet()) {
            if (!present.contains(a.getKey()) || a.getKey().startsWith("identity--")) continue;
            for (String bId : a.getValue()) {
                if (!present.contains(bId)) continue;
                for (String c : next.getOrDefault(bId, Set.of())) {
                    if (present.contains(c) && !c.equals(a.getKey()) && !a.getValue().contains(c)) {
                        return new String[] {a.getKey(), bId, c};
                    }
                }
            }
        }
        throw new IllegalStateException("no chain of three related objects in the demo data");
    }

    static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return StixJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(4)
    void importABundleWithItsReport() throws IOException {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "en");
        Path bad = file("bad-bundle.json", """
                {"type": "bundle", "id": "bundle--6b2a2a52-5d43-4a8c-9d11-1b7e2a0c5f10", "objects": [
                 {"type": "indicator", "spec_version": "2.1", "id": "indicator--1f2f0b9c-8c55-4a47-8d2a-6a9d2fd6a001",
                  "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z",
                  "pattern": "[ipv4-addr:value = '203.0.113.9']", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"},
                 {"type": "indicator", "spec_version": "2.1", "id": "indicator--not-a-uuid",
                  "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z", "pattern_type": "stix"}]}
                """);
        for (String lang : LANGUAGES) {
            b.open("/console/import?lang=" + lang);
            new Select(b.find("#f-collection")).selectByValue(demo.demoCollection);
            b.find("#f-bundle").sendKeys(bad.toString());
            b.click("#import-form button[type=submit]");
            b.waiting().until(d -> !b.all("#report-title").isEmpty());
            assertThat(b.text("#report-title")).isEqualTo(Texts.of(lang).t("import.rejected"));
            assertThat(b.text("table.problems")).contains("/objects/1");
            assertThat(b.find("#import-progress").getAttribute("value")).isEqualTo("100");
            check("import", lang);
        }
        Path good = file("good-bundle.json", """
                {"type": "bundle", "id": "bundle--1d4d9b1e-2f7e-4c47-9a53-0f1c9a8d7e21", "objects": [
                 {"type": "indicator", "spec_version": "2.1", "id": "indicator--7c6f3a7e-5d8b-4b6e-9a2c-3e4f5a6b7c8d",
                  "created": "2026-01-02T00:00:00Z", "modified": "2026-01-02T00:00:00Z", "name": "Console import check",
                  "pattern": "[domain-name:value = 'console-import.example']", "pattern_type": "stix",
                  "valid_from": "2026-01-02T00:00:00Z"}]}
                """);
        b.open("/console/import?lang=en");
        new Select(b.find("#f-collection")).selectByValue(demo.demoCollection);
        b.find("#f-bundle").sendKeys(good.toString());
        b.click("#import-form button[type=submit]");
        b.waiting().until(d -> !b.all("#report-title").isEmpty());
        assertThat(b.text("#report-title")).isEqualTo("Imported");
        assertThat(b.text("dl.figures")).contains("1");
        b.screenshot("import-accepted-en");
        b.open("/console/intelligence?value=console-import.example");
        assertThat(b.text("table.results")).contains("Console import check");
    }

    @Test
    @Order(5)
    void partnersAgreementsReportAndExplain() throws IOException {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "en");
        String mou = demo.node.services().agreements().all().stream().filter(a -> a.title().startsWith("Memorandum"))
                .findFirst().orElseThrow().id();
        for (String lang : LANGUAGES) {
            b.open("/console/partners?lang=" + lang);
            assertThat(b.text("main")).contains("Partner Cybercrime Unit", "Memorandum of understanding");
            check("partners", lang);
            b.open("/console/agreements/" + mou + "?lang=" + lang);
            new Select(b.find("#f-status")).selectByValue("suspended");
            b.navigating(() -> b.click("form.card button[type=submit]"));
            b.waiting().until(ExpectedConditions.urlContains("done=status"));
            assertThat(b.text(".notice.ok")).isEqualTo(Texts.of(lang).t("agreement.status-changed"));
            // The two latest versions side by side: the status is the term that changed.
            assertThat(b.all("table.compare tr.changed")).hasSize(1);
            assertThat(b.text("table.compare tr.changed")).contains(Texts.of(lang).t("field.status"),
                    Texts.of(lang).t("status.active"), Texts.of(lang).t("status.suspended"));
            check("agreement", lang);
            new Select(b.find("#f-status")).selectByValue("active");
            b.navigating(() -> b.click("form.card button[type=submit]"));
            b.waiting().until(d -> b.text("p.subtitle").contains(Texts.of(lang).t("status.active")));

            b.open("/console/partners/" + demo.partnerOrganisation + "?lang=" + lang);
            assertThat(b.text("h1")).contains("Partner Cybercrime Unit");
            assertThat(b.all("main table")).isNotEmpty();
            check("report", lang);

            b.open("/console/explain?lang=" + lang);
            b.type("#f-object", demo.permitted);
            new Select(b.find("#f-recipient")).selectByValue(demo.partnerOrganisation);
            new Select(b.find("#f-purpose")).selectByValue("detection");
            b.navigating(() -> b.submit("#f-object"));
            b.waiting().until(d -> !b.all("article.decision").isEmpty());
            assertThat(b.find("article.decision").getAttribute("class")).contains("permit");
            assertThat(b.all("ol.checks li")).isNotEmpty();
            check("explain", lang);
        }
    }

    @Test
    @Order(6)
    void usersAndApiKeys() throws IOException {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "en");
        for (String lang : LANGUAGES) {
            String name = "officer-" + lang;
            b.open("/console/users?lang=" + lang);
            check("users", lang);
            b.type("#f-username", name);
            b.type("#f-password", "officer-password-1");
            // Analyst is ticked for a new user; she is a border officer too.
            b.click("#role-border-officer");
            b.navigating(() -> b.click("form.card button[type=submit]"));
            b.waiting().until(ExpectedConditions.urlContains("done=created"));
            assertThat(b.text("table")).contains(name);
            b.open("/console/users/" + name + "?lang=" + lang);
            b.type("#f-label", "document reader");
            b.navigating(() -> b.find("#f-label").sendKeys(Keys.ENTER));
            b.waiting().until(d -> !b.all("#new-key").isEmpty());
            String key = b.text("#new-key");
            assertThat(key).startsWith("ent_");
            assertThat(demo.node.services().authenticator().apiKey(key, "127.0.0.1"))
                    .isInstanceOf(org.entente.node.users.AuthResult.Authenticated.class);
            check("user-key", lang);
            // Shown once: the page after it does not have it, and revoking it stops it.
            b.open("/console/users/" + name + "?lang=" + lang);
            assertThat(b.all("#new-key")).isEmpty();
            assertThat(b.html()).doesNotContain(key);
            b.navigating(() -> b.click("button.danger"));
            b.waiting().until(ExpectedConditions.urlContains("done=revoked"));
            assertThat(demo.node.services().authenticator().apiKey(key, "127.0.0.1"))
                    .isNotInstanceOf(org.entente.node.users.AuthResult.Authenticated.class);
            assertThat(demo.node.services().accounts().list().stream().filter(u -> u.username().equals(name))
                    .findFirst().orElseThrow().roles()).containsExactlyInAnyOrder("analyst", "border-officer");
        }
    }

    @Test
    @Order(7)
    void auditFilterVerifyAndExport() throws IOException, InterruptedException {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "en");
        for (String lang : LANGUAGES) {
            b.open("/console/audit?kind=session-start&lang=" + lang);
            assertThat(b.all("table.records tbody tr")).isNotEmpty();
            assertThat(b.text("table.records tbody")).contains(DemoNode.ADMIN);
            b.navigating(() -> b.click("form[action='/console/audit/verify'] button"));
            b.waiting().until(d -> !b.all("#verification").isEmpty());
            assertThat(b.find("#verification").getAttribute("class")).contains("ok");
            check("audit", lang);
        }
        b.click("form[action='/console/audit/export'] button");
        Path file = null;
        for (int i = 0; i < 100 && file == null; i++) {
            try (var files = Files.list(b.downloads)) {
                file = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElse(null);
            }
            if (file == null) Thread.sleep(100);
        }
        assertThat(file).as("the audit export was downloaded").isNotNull();
        Thread.sleep(300);
        assertThat(Files.readString(file)).contains("\"records\"", "\"checkpoint\"", "session-start");
    }

    @Test
    @Order(8)
    void screeningATravellerAnMrzAndAManifestAgainstTheServedWatchlists() throws IOException {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "en");
        Path bad = file("bad-manifest.jsonl", """
                {"id": "seat-1A", "name": "Leila Ben Ali", "birth_date": "1990-02-28"}
                not json
                {"id": "seat-3C", "nationality": "XX", "name": "Jean Dupont"}
                """);
        Path manifest = file("manifest.jsonl", """
                {"id": "seat-1A", "name": "Leila Ben Ali", "birth_date": "1990-02-28"}
                {"id": "seat-1B", "name": "Jean Dupont", "nationality": "FR"}
                {"id": "seat-2A", "mrz": "P<LBNHADDAD<NASSER<<KARIM<<<<<<<<<<<<<<<<<<<\\nRL44719021LBN7904129M3101159<<<<<<<<<<<<<<04"}
                """);
        String own = demo.node.services().organisations().own().orElseThrow().id();
        for (String lang : LANGUAGES) {
            int hitsBefore = demo.node.services().screening().hits().hits(own, null, null, 0, 1000).size();
            b.open("/console/screening?lang=" + lang);
            // The list the demo node serves, screened for this person's purpose.
            assertThat(b.text("table.lists")).contains("demo", Texts.of(lang).t("screening.list-screened"));

            b.type("#f-name", "Karim Hadad Nasser");
            b.type("#f-birth", "1979");
            b.navigating(() -> b.submit("#f-name"));
            b.waiting().until(d -> !b.all("table.screening").isEmpty());
            assertThat(b.all("table.screening tr.hit")).isNotEmpty();
            assertThat(b.text("table.screening tr.hit")).contains("DEMO-P1");
            // Whom to call about it: the list's owner and its contact point.
            assertThat(b.text("table.screening tr.hit td.follow-up")).contains("Demo National CERT", "+372 600 0000");
            b.script("document.getElementById('results-title').scrollIntoView()");
            check("screening-traveller", lang);

            b.type("#f-mrz", DEMO_MRZ);
            b.navigating(() -> b.click("form[action='/console/screening/mrz'] button"));
            b.waiting().until(d -> !b.all("table.screening tr.hit").isEmpty());
            assertThat(b.text("table.screening")).contains("RL4471902", "DEMO-P1");
            b.script("document.getElementById('results-title').scrollIntoView()");
            check("screening-mrz", lang);

            // A manifest is read whole before anyone is screened, as the API's batch: each bad line named.
            b.find("#f-manifest").sendKeys(bad.toString());
            b.navigating(() -> b.click("form[action='/console/screening/manifest'] button"));
            b.waiting().until(d -> !b.all(".notice.error").isEmpty());
            assertThat(b.text(".notice.error")).contains("/1", "/2/nationality");
            assertThat(b.all("table.screening")).isEmpty();

            b.find("#f-manifest").sendKeys(manifest.toString());
            b.navigating(() -> b.click("form[action='/console/screening/manifest'] button"));
            b.waiting().until(d -> b.text("#results-title").contains(Texts.of(lang).number(3)));
            String table = b.text("table.screening");
            assertThat(table).contains("seat-1A", "seat-1B", "seat-2A", "DEMO-P3", "DEMO-P1");
            WebElement why = b.find("table.screening tr.hit details summary");
            why.click();
            assertThat(b.find("table.screening tr.hit details ul").isDisplayed()).isTrue();
            b.script("document.getElementById('results-title').scrollIntoView()");
            check("screening-manifest", lang);
            // Every hit was recorded by the screening service (and told to the list's owner).
            assertThat(demo.node.services().screening().hits().hits(own, null, null, 0, 1000).size())
                    .isGreaterThanOrEqualTo(hitsBefore + 4);
        }
    }

    @Test
    @Order(9)
    void aPartnersUserSeesNoHitFromAListThePolicyWithholds() throws IOException {
        long before = checksBy(DemoNode.PARTNER);
        for (String lang : LANGUAGES) {
            signIn(DemoNode.PARTNER, DemoNode.PARTNER_PASSWORD, lang);
            b.open("/console/screening?lang=" + lang);
            // The demo list (persons, personal data) is not among the lists the memorandum lets the partner use.
            assertThat(b.all("#no-lists")).hasSize(1);
            assertThat(b.html()).doesNotContain("DEMO-P");
            b.type("#f-mrz", DEMO_MRZ);
            b.navigating(() -> b.click("form[action='/console/screening/mrz'] button"));
            b.waiting().until(d -> !b.all("table.screening").isEmpty());
            assertThat(b.all("table.screening tr.hit")).isEmpty();
            assertThat(b.text("table.screening")).contains(Texts.of(lang).t("screening.no-hit"));
            assertThat(b.html()).doesNotContain("DEMO-P1").doesNotContain("Karim Haddad Nasser");
            b.script("document.getElementById('results-title').scrollIntoView()");
            check("screening-partner", lang);
        }
        // The checks were made, through the service, with the demo list withheld by the policy.
        assertThat(checksBy(DemoNode.PARTNER)).isEqualTo(before + 2);
        String detail = demo.node.database().jdbi().withHandle(h -> h.createQuery("SELECT detail::text FROM audit_record"
                + " WHERE kind = 'screening-check' AND actor = :a ORDER BY seq DESC LIMIT 1").bind("a", DemoNode.PARTNER)
                .mapTo(String.class).one());
        assertThat(tree(detail).path("lists")).isEmpty();
        assertThat(tree(detail).path("lists_withheld").toString()).contains(
                demo.node.services().screening().store().find("demo").orElseThrow().id());
        assertThat(tree(detail).path("hits")).isEmpty();
    }

    static long checksBy(String user) {
        return demo.node.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit_record"
                + " WHERE kind = 'screening-check' AND actor = :a").bind("a", user).mapTo(Long.class).one());
    }

    @Test
    @Order(10)
    void thePartnersUserMeetsWithheldObjectsAsMissingOnes() throws IOException {
        for (String lang : LANGUAGES) {
            signIn(DemoNode.PARTNER, DemoNode.PARTNER_PASSWORD, lang);
            b.open("/console/objects/" + demo.permitted + "?lang=" + lang);
            assertThat(b.text("#object-id")).isEqualTo(demo.permitted);
            b.open("/console/objects/" + demo.withheld + "?lang=" + lang);
            assertThat(b.text("h1")).isEqualTo(Texts.of(lang).t("error.404"));
            assertThat(b.html()).doesNotContain(Texts.of(lang).t("object.properties"));
            check("partner-withheld", lang);
            b.open("/console/intelligence?collection=" + demo.demoCollection + "&lang=" + lang);
            assertThat(b.html()).doesNotContain(demo.withheld);
            check("partner-intelligence", lang);
            b.open("/console/explain?object=" + demo.withheld + "&lang=" + lang);
            assertThat(b.all(".notice.error")).isNotEmpty();
            assertThat(b.all("article.decision")).isEmpty();
            // Screens that are not a partner's are not offered.
            List<String> offered = new ArrayList<>();
            b.all("nav.main a").forEach(a -> offered.add(a.getAttribute("href")));
            assertThat(offered).noneMatch(h -> h.endsWith("/console/audit") || h.endsWith("/console/users")
                    || h.endsWith("/console/peers") || h.endsWith("/console/requests"));
        }
    }

    @Test
    @Order(11)
    void aFormSentWithoutItsTokenIsRefused() {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "en");
        b.open("/console/users");
        Object status = ((org.openqa.selenium.JavascriptExecutor) b.driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch('/console/users', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                        + " body: 'username=forged&password=forged-password-1&roles=administrator'})"
                        + ".then(function (r) { done(r.status); }).catch(function (e) { done('error ' + e); });");
        assertThat(status).isEqualTo(403L);
        assertThat(demo.node.services().accounts().find("forged")).isEmpty();
    }

    @Test
    @Order(12)
    void frenchToo() throws IOException {
        signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD, "fr");
        for (String page : List.of("/console", "/console/partners", "/console/screening")) {
            b.open(page + "?lang=fr");
            assertThat(b.find("html").getAttribute("lang")).isEqualTo("fr");
        }
        assertThat(b.text("h1")).isEqualTo("Contrôle");
        b.open("/console?lang=fr");
        check("dashboard", "fr");
    }
}
