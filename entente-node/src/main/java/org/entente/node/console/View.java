package org.entente.node.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.entente.node.users.Principal;

/**
 * What every page needs besides its own content: the reader's language, who is signed in, the
 * session's CSRF token for its forms, the navigation she may use, and how to ask for this page in
 * another language.
 */
public final class View {
    /** An entry of the navigation. */
    public record Link(String href, String label, boolean current) {}

    private final Texts texts;
    private final Principal principal;
    private final String csrf;
    private final String path;
    private final Map<String, List<String>> query;
    private final List<Link> navigation;

    View(Texts texts, Principal principal, String csrf, String path, Map<String, List<String>> query, List<Link> navigation) {
        this.texts = texts;
        this.principal = principal;
        this.csrf = csrf;
        this.path = path;
        this.query = query;
        this.navigation = navigation;
    }

    public String t(String key, Object... args) {
        return texts.t(key, args);
    }

    /** The message of {@code prefix + value} when the bundle has one, else the value as it is. */
    public String word(String prefix, String value) {
        return value != null && texts.has(prefix + value) ? texts.t(prefix + value) : value == null ? "" : value;
    }

    public String join(java.util.Collection<String> items) {
        return texts.join(items);
    }

    public String number(long n) {
        return texts.number(n);
    }

    public String decimal(double d) {
        return texts.decimal(d);
    }

    public String dateTime(Instant t) {
        return texts.dateTime(t);
    }

    public String date(Instant t) {
        return texts.date(t);
    }

    public String date(LocalDate d) {
        return texts.date(d);
    }

    public String lang() {
        return texts.language();
    }

    public String dir() {
        return texts.direction();
    }

    public Texts texts() {
        return texts;
    }

    public boolean signedIn() {
        return principal != null;
    }

    public String user() {
        return principal == null ? "" : principal.username();
    }

    public Principal principal() {
        return principal;
    }

    public String csrf() {
        return csrf == null ? "" : csrf;
    }

    public List<Link> navigation() {
        return navigation;
    }

    /** This page in another language: the same path and query with {@code lang} replaced. */
    public String languageHref(String language) {
        StringBuilder sb = new StringBuilder(path).append("?lang=").append(language);
        query.forEach((k, vs) -> {
            if (k.equals("lang")) return;
            for (String v : vs) sb.append('&').append(enc(k)).append('=').append(enc(v));
        });
        return sb.toString();
    }

    /** The name of a language in that language, for the selector. */
    public String languageName(String language) {
        return Texts.of(language).t("language.self");
    }

    public List<String> languages() {
        return Texts.LANGUAGES;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
