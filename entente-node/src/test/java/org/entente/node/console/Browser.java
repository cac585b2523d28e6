package org.entente.node.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import static org.assertj.core.api.Assertions.assertThat;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven by its chromedriver, headless at 1280×800, with axe-core at hand and a
 * folder for screenshots and downloads.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    final Path downloads;
    private final Path profile;
    private final String base;
    private String axe;

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    }

    Browser(String base) throws IOException {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.profile = Files.createTempDirectory("entente-chromium");
        this.downloads = Files.createTempDirectory("entente-downloads");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,800",
                "--user-data-dir=" + profile, "--lang=en-GB");
        o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    void type(String css, String value) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(value);
    }

    /** Submits by the keyboard, as an officer without a mouse does. */
    void submit(String css) {
        find(css).sendKeys(org.openqa.selenium.Keys.ENTER);
    }

    void click(String css) {
        find(css).click();
    }

    String html() {
        return driver.getPageSource();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(20));
        // A page being replaced answers "stale" or "not in the document" for a moment: ask again.
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        w.ignoring(org.openqa.selenium.WebDriverException.class);
        return w;
    }

    /** Does something that loads a new page, and waits until the old one is gone. */
    void navigating(Runnable action) {
        WebElement old = find("html");
        action.run();
        waiting().until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(old));
    }

    void screenshot(String name) throws IOException {
        File f = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** axe-core's violations of impact serious or critical on the current page, one line each. */
    List<String> seriousAccessibilityViolations() throws IOException {
        if (axe == null) {
            try (InputStream in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
                axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        script(axe);
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(JSON.stringify(r.violations)); })"
                        + ".catch(function (e) { done('error: ' + e); });");
        String json = String.valueOf(result);
        if (json.startsWith("error")) throw new IllegalStateException("axe-core failed: " + json);
        List<String> out = new ArrayList<>();
        for (JsonNode v : new ObjectMapper().readTree(json)) {
            String impact = v.path("impact").asText();
            if (!impact.equals("serious") && !impact.equals("critical")) continue;
            List<String> targets = new ArrayList<>();
            v.path("nodes").forEach(n -> targets.add(n.path("target").toString()));
            out.add(impact + " " + v.path("id").asText() + ": " + v.path("help").asText() + " at " + targets);
        }
        return out;
    }

    /** The page is in this language and direction, has no serious accessibility problem, and is kept as a picture. */
    void check(String screen, String lang) throws IOException {
        assertThat(find("html").getAttribute("lang")).as(screen).isEqualTo(lang);
        assertThat(find("html").getAttribute("dir")).as(screen).isEqualTo(lang.equals("ar") ? "rtl" : "ltr");
        if (lang.equals("ar")) {
            assertThat(script("return getComputedStyle(document.querySelector('main')).direction")).isEqualTo("rtl");
            List<WebElement> nav = all("nav.main a");
            if (nav.size() > 1) {
                // Mirrored: the first entry of the navigation is the rightmost.
                assertThat(nav.get(0).getRect().getX()).as(screen + ": navigation mirrored")
                        .isGreaterThan(nav.get(1).getRect().getX());
            }
            for (WebElement table : all("main table")) {
                assertThat(script("return getComputedStyle(arguments[0]).direction", table)).isEqualTo("rtl");
            }
        }
        assertThat(seriousAccessibilityViolations()).as(screen + " in " + lang).isEmpty();
        screenshot(screen + "-" + lang);
    }

    void signIn(String user, String password, String lang) {
        driver.manage().deleteAllCookies();
        open("/?lang=" + lang);
        // Keyboard only: the user name field has the focus, Tab goes to the password, Enter signs in.
        // (autofocus takes effect at the first rendering after the load: wait for it)
        waiting().until(d -> "username".equals(d.switchTo().activeElement().getAttribute("name")));
        driver.switchTo().activeElement().sendKeys(user);
        driver.switchTo().activeElement().sendKeys(Keys.TAB);
        driver.switchTo().activeElement().sendKeys(password, Keys.ENTER);
        waiting().until(ExpectedConditions.urlContains("/console"));
    }

    @Override
    public void close() {
        driver.quit();
        deleteTree(profile);
        deleteTree(downloads);
    }

    private static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder left behind.
        }
    }
}
