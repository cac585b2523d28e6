package org.entente.node.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.entente.node.audit.AuditLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console over plain HTTP, without a browser (so it runs on every machine): sign-in and its
 * cookie, the security headers, CSRF, what a partner's user can reach by URL, and the time the node
 * spends on every page of the demo data.
 */
class ConsolePagesTest {
    static DemoNode demo;
    static ConsoleClient admin;

    /** Every screen of an administrator, as the navigation leads to them. */
    static final List<String> PAGES = List.of("/console", "/console/intelligence", "/console/intelligence?type=indicator",
            "/console/intelligence?value=10.0.0.0", "/console/import", "/console/partners", "/console/explain",
            "/console/audit", "/console/users", "/console/users/demo", "/console/screening", "/console/peers",
            "/console/requests", "/console/requests?box=outbox&state=all", "/console/requests/new");

    @BeforeAll
    static void start() {
        demo = new DemoNode();
        admin = new ConsoleClient(demo.url());
        assertThat(admin.signIn(DemoNode.ADMIN, DemoNode.ADMIN_PASSWORD).statusCode()).isEqualTo(303);
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    void aVisitorIsAskedToSignInAndTheSessionCookieIsHttpOnlyAndStrict() {
        ConsoleClient visitor = new ConsoleClient(demo.url());
        HttpResponse<String> home = visitor.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("name=\"username\"", "name=\"password\"", "action=\"/sign-in\"");
        // A page of the console sends a visitor to sign in, and back afterwards.
        HttpResponse<String> page = visitor.get("/console/partners");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location").orElseThrow()).isEqualTo("/?next=%2Fconsole%2Fpartners");

        HttpResponse<String> wrong = visitor.signIn(DemoNode.ADMIN, "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("The user name or the password is wrong.");

        String token = ConsoleClient.csrf(visitor.get("/?next=%2Fconsole%2Fpartners").body());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", token);
        form.put("username", DemoNode.ADMIN);
        form.put("password", DemoNode.ADMIN_PASSWORD);
        form.put("next", "/console/partners");
        HttpResponse<String> ok = visitor.post("/sign-in", form);
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location").orElseThrow()).isEqualTo("/console/partners");
        String cookie = ok.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("entente_session="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
        // Plain HTTP is served on loopback only, where a Secure cookie would never come back.
        assertThat(cookie).doesNotContain("Secure");
        assertThat(visitor.get("/console/partners").statusCode()).isEqualTo(200);

        // An address of another site is never a place to go after signing in.
        assertThat(Console.safeNext("//evil.example/console")).isNull();
        assertThat(Console.safeNext("https://evil.example/")).isNull();
        assertThat(Console.safeNext("/console/audit?kind=login")).isEqualTo("/console/audit?kind=login");

        // Signing out ends the session on the node, not only in the browser.
        assertThat(visitor.post("/sign-out", Map.of("_csrf", visitor.csrf())).statusCode()).isEqualTo(303);
        assertThat(visitor.get("/console/partners").statusCode()).isEqualTo(303);
    }

    @Test
    void theSignInFormItselfNeedsItsToken() {
        ConsoleClient visitor = new ConsoleClient(demo.url());
        visitor.get("/");
        HttpResponse<String> r = visitor.post("/sign-in", Map.of("username", DemoNode.ADMIN, "password",
                DemoNode.ADMIN_PASSWORD));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Set-Cookie").orElse("")).doesNotContain("entente_session");
    }

    @Test
    void everyPageHasAStrictContentSecurityPolicyAndNoInlineScriptOrStyle() {
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern handler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
        Pattern styleAttribute = Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
        for (String path : PAGES) {
            HttpResponse<String> r = admin.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(inlineScript.matcher(r.body()).find()).as(path + " has an inline script").isFalse();
            assertThat(handler.matcher(r.body()).find()).as(path + " has an event handler attribute").isFalse();
            assertThat(styleAttribute.matcher(r.body()).find()).as(path + " has a style attribute").isFalse();
            // Every form that changes something carries the session's CSRF token.
            Matcher forms = Pattern.compile("<form[^>]*method=\"post\"[^>]*>(.*?)</form>", Pattern.DOTALL).matcher(r.body());
            while (forms.find()) assertThat(forms.group(1)).as(path + ": a form without its token").contains("name=\"_csrf\"");
        }
    }

    /** The node's time on each page (Server-Timing), the median of five, on the demo data. */
    @Test
    void noPageTakesTheNodeMoreThan300Milliseconds() {
        admin.get("/console/objects/" + demo.permitted); // the first look at an object loads the policy's caches
        List<String> pages = new ArrayList<>(PAGES);
        pages.add("/console/objects/" + demo.permitted);
        pages.add("/console/partners/" + demo.partnerOrganisation);
        pages.add("/console/explain?object=" + demo.permitted + "&recipient=" + demo.partnerOrganisation);
        Map<String, Double> slow = new LinkedHashMap<>();
        for (String path : pages) {
            double[] times = new double[5];
            for (int i = 0; i < times.length; i++) {
                HttpResponse<String> r = admin.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                String timing = r.headers().firstValue("Server-Timing").orElseThrow(() -> new AssertionError(path + ": no Server-Timing"));
                times[i] = Double.parseDouble(timing.replaceAll(".*dur=([0-9.]+).*", "$1"));
            }
            Arrays.sort(times);
            if (times[2] > 300) slow.put(path, times[2]);
        }
        assertThat(slow).as("pages over 300 ms (median of 5)").isEmpty();
    }

    @Test
    void aChangeWithoutTheSessionsTokenIsRefusedChangesNothingAndIsAudited() {
        long before = demo.node.services().accounts().list().size();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", "forged-user");
        form.put("password", "forged-password-1");
        form.put("roles", "analyst");
        HttpResponse<String> none = admin.post("/console/users", form);
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        form.put("_csrf", "not-the-token");
        assertThat(admin.post("/console/users", form).statusCode()).isEqualTo(403);
        assertThat(demo.node.services().accounts().find("forged-user")).isEmpty();
        assertThat(demo.node.services().accounts().list()).hasSize((int) before);
        List<AuditLog.Entry> refused = demo.node.services().audit().records(new AuditLog.Filter("rejected-request",
                DemoNode.ADMIN, null, null, null, 10));
        assertThat(refused).anySatisfy(e -> assertThat(e.detailJson()).contains("csrf-token", "/console/users"));
        // With the token, the same form works.
        form.put("_csrf", admin.csrf());
        assertThat(admin.post("/console/users", form).statusCode()).isEqualTo(303);
        assertThat(demo.node.services().accounts().find("forged-user")).isPresent();
    }

    @Test
    void thePartnersUserReachesNoWithheldObjectByAnyAddress() {
        ConsoleClient partner = new ConsoleClient(demo.url());
        assertThat(partner.signIn(DemoNode.PARTNER, DemoNode.PARTNER_PASSWORD).statusCode()).isEqualTo(303);
        String id = demo.withheld;
        // The control: an object the agreement lets through is shown.
        assertThat(partner.get("/console/objects/" + demo.permitted).statusCode()).isEqualTo(200);
        for (String path : List.of("/console/objects/" + id, "/console/objects/" + id + "?collection=" + demo.demoCollection,
                "/console/objects/" + id + "?version=2017-01-01T00:00:00Z", "/console/objects/" + id + "?purpose=detection")) {
            HttpResponse<String> r = partner.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("\"type\"", "Properties");
        }
        assertThat(partner.get("/console/intelligence?collection=" + demo.demoCollection).body()).doesNotContain(id);
        assertThat(partner.get("/console/intelligence?type=" + id.substring(0, id.indexOf("--"))).body()).doesNotContain(id);
        HttpResponse<String> explain = partner.get("/console/explain?object=" + id);
        assertThat(explain.statusCode()).isEqualTo(400);
        assertThat(explain.body()).doesNotContain("Permitted", "TLP");
        // Asking the graph of a permitted object to expand into the withheld one draws nothing of it.
        assertThat(partner.get("/console/objects/" + demo.permitted + "?expand=" + id).body())
                .doesNotContain("href=\"/console/objects/" + id + "\"");
        // Nor do the other screens: the audit log and the users are not the partner's to see.
        assertThat(partner.get("/console/audit").statusCode()).isEqualTo(403);
        assertThat(partner.get("/console/users").statusCode()).isEqualTo(403);
        // The desk and the peers are not a partner's: refused as by /api/requests and /api/peers.
        assertThat(partner.get("/console/requests").statusCode()).isEqualTo(403);
        assertThat(partner.get("/console/peers").statusCode()).isEqualTo(403);
        assertThat(partner.get("/console/partners/" + demo.node.services().organisations().own().orElseThrow().id())
                .statusCode()).isEqualTo(403);
    }

    @Test
    void theLanguageIsChosenOnAnyPageAndRememberedForTheUser() {
        ConsoleClient user = new ConsoleClient(demo.url());
        user.signIn("demo-lang", "x"); // an unknown user: refused, nothing remembered
        demo.node.services().accounts().create("linguist", "linguist-password-1", false);
        assertThat(user.signIn("linguist", "linguist-password-1").statusCode()).isEqualTo(303);
        assertThat(user.get("/console/partners?lang=ar").body()).contains("<html lang=\"ar\" dir=\"rtl\">", "الشركاء والاتفاقيات");
        // Another browser of the same user gets Arabic without asking.
        ConsoleClient elsewhere = new ConsoleClient(demo.url());
        elsewhere.signIn("linguist", "linguist-password-1");
        assertThat(elsewhere.get("/console").body()).contains("dir=\"rtl\"");
        assertThat(elsewhere.get("/console?lang=fr").body()).contains("<html lang=\"fr\" dir=\"ltr\">", "Tableau de bord");
        assertThat(user.get("/console/explain").body()).contains("lang=\"fr\"");
        // Numbers and dates as each language writes them.
        assertThat(Texts.of("en").number(1234567)).isEqualTo("1,234,567");
        assertThat(Texts.of("fr").number(1234567)).matches("1\\h234\\h567");
        java.time.LocalDate day = java.time.LocalDate.of(2026, 3, 1);
        assertThat(Texts.of("en").date(day)).isEqualTo("March 1, 2026");
        assertThat(Texts.of("fr").date(day)).isEqualTo("1 mars 2026");
        assertThat(Texts.of("ar").date(day)).contains("مارس");
    }
}
