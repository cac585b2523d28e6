package org.entente.node.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.entente.node.partners.Sector;
import org.entente.node.policy.Action;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Category;
import org.entente.node.policy.HandlingCode;
import org.entente.node.policy.Purpose;
import org.entente.node.policy.TlpLevel;
import org.entente.node.users.Role;
import org.entente.screening.Kind;
import org.junit.jupiter.api.Test;

/**
 * Every word of the console comes from the message bundles, and every bundle has every word: the
 * templates hold no text of their own, each key the pages ask for exists in English, Arabic and
 * French, and each value of the vocabularies shown (statuses, roles, purposes…) has its words.
 */
class ConsoleTextsTest {
    static final Path TEMPLATES = Path.of("src/main/jte");
    static final Path CODE = Path.of("src/main/java/org/entente/node/console");

    static Properties bundle(String language) throws IOException {
        Properties p = new Properties();
        try (InputStream in = ConsoleTextsTest.class.getResourceAsStream("/console/messages_" + language + ".properties")) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void theThreeLanguagesHaveTheSameWordsAndNoneIsEmpty() throws IOException {
        Set<String> en = bundle("en").stringPropertyNames();
        for (String language : List.of("ar", "fr")) {
            Properties other = bundle(language);
            assertThat(new TreeSet<>(other.stringPropertyNames())).as(language).isEqualTo(new TreeSet<>(en));
            for (String k : en) assertThat(other.getProperty(k)).as(language + " " + k).isNotBlank();
        }
        // Arabic words are Arabic: no English left untranslated in a sentence of the Arabic bundle.
        Properties ar = bundle("ar");
        List<String> untranslated = new ArrayList<>();
        for (String k : en) {
            String text = ar.getProperty(k);
            boolean sentence = text.split("\\s+").length > 2;
            if (sentence && !text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.ARABIC)) {
                untranslated.add(k);
            }
        }
        assertThat(untranslated).isEmpty();
    }

    @Test
    void everyKeyThePagesAskForExists() throws IOException {
        Properties en = bundle("en");
        Pattern literal = Pattern.compile("\\bt\\(\"([a-zA-Z0-9.+:-]*[a-zA-Z0-9+-])\"");
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.walk(TEMPLATES), Files.walk(CODE))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Matcher m = literal.matcher(Files.readString(f));
                while (m.find()) if (!en.containsKey(m.group(1))) missing.add(f.getFileName() + ": " + m.group(1));
            }
        }
        assertThat(missing).isEmpty();
        List<String> keys = new ArrayList<>();
        for (Agreement.Status s : Agreement.Status.values()) keys.add("status." + Agreement.wire(s));
        for (Agreement.Kind k : Agreement.Kind.values()) keys.add("agreement-kind." + Agreement.wire(k));
        for (Agreement.Onward o : Agreement.Onward.values()) keys.add("onward." + Agreement.wire(o));
        for (Role r : Role.values()) keys.add("role." + r.wire());
        for (Purpose p : Purpose.values()) keys.add("purpose." + p.wire());
        for (Sector s : Sector.values()) keys.add("sector." + s.wire());
        for (Category c : Category.values()) keys.add("category." + c.wire());
        for (Action a : Action.values()) keys.add("action." + a.wire());
        for (TlpLevel t : TlpLevel.values()) {
            keys.add("marking.tlp." + t.wire());
            keys.add("explain.tlp." + t.wire());
        }
        for (HandlingCode h : HandlingCode.values()) {
            keys.add("marking." + h.name());
            keys.add("explain.handling." + h.name());
        }
        for (String m : Intelligence.MARKINGS) keys.add("marking." + m.replace(':', '.'));
        for (Kind k : Kind.values()) keys.add("screening.kind." + k.label());
        for (String done : List.of("roles", "grant", "revoked")) keys.add("users.done." + done);
        for (org.entente.node.policy.AssistanceType t : org.entente.node.policy.AssistanceType.values()) {
            keys.add("request.type." + t.wire());
        }
        for (org.entente.node.policy.Urgency u : org.entente.node.policy.Urgency.values()) keys.add("request.urgency." + u.wire());
        for (org.entente.node.requests.RequestState st : org.entente.node.requests.RequestState.values()) {
            keys.add("request.state." + st.wire());
        }
        for (org.entente.node.requests.EventKind e : org.entente.node.requests.EventKind.values()) {
            keys.add("request.event." + e.wire());
        }
        for (String n : List.of("reminder", "escalation", "preservation-expiring", "preservation-expired")) {
            keys.add("request.notice." + n);
        }
        for (String a : List.of("send", "ack", "start", "answer", "refuse", "withdraw", "clarify")) {
            keys.add("requests.action." + a);
            keys.add("requests.done." + a);
        }
        keys.add("requests.done.created");
        for (int status : new int[] {400, 401, 403, 404, 405, 413, 422, 429, 500}) keys.add("error." + status);
        for (String rule : List.of("unknown-recipient", "tlp-red-not-named", "own-organisation", "returned-to-provider",
                "handling-h0-purpose", "handling-h1-judicial", "handling-h2-dissemination", "handling-h3-restrictions",
                "provenance-unknown", "purpose-limited-by-provider", "received-under-agreement", "tlp-amber-strict",
                "onward-forbidden", "onward-not-named", "onward-needs-consent", "no-agreement", "agreement",
                "agreement-not-in-force", "category-not-covered", "purpose-not-permitted", "tlp-above-ceiling",
                "handling-not-accepted", "personal-data-not-allowed", "granular-identity-property")) {
            keys.add("rule." + rule);
        }
        assertThat(keys).allSatisfy(k -> assertThat(en).containsKey(k));
    }

    @Test
    void theTemplatesHoldNoTextOfTheirOwn() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jte")).toList()) {
                String rest = markupRemoved(Files.readString(f));
                for (String line : rest.split("\n")) {
                    if (line.codePoints().anyMatch(Character::isLetter)) found.add(f.getFileName() + ": " + line.strip());
                }
            }
        }
        assertThat(found).isEmpty();
    }

    /** What a reader would see of a template if every expression, directive and tag were taken out. */
    static String markupRemoved(String t) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if ((c == '$' || c == '!') && i + 1 < t.length() && t.charAt(i + 1) == '{') {
                i = closing(t, i + 1, '{', '}') + 1;
            } else if (c == '@' && t.startsWith("@`", i)) {
                i += 2;
            } else if (c == '`' && t.startsWith("`)", i)) {
                i += 2;
            } else if (c == '@') {
                int j = i + 1;
                while (j < t.length() && (Character.isLetterOrDigit(t.charAt(j)) || t.charAt(j) == '.')) j++;
                String word = t.substring(i + 1, j);
                if (word.equals("param") || word.equals("import")) {
                    j = t.indexOf('\n', j);
                    i = j < 0 ? t.length() : j;
                } else if (j < t.length() && t.charAt(j) == '(') {
                    i = directiveEnd(t, j);
                } else {
                    i = j;
                }
            } else if (c == '<' && t.startsWith("<%--", i)) {
                i = t.indexOf("--%>", i) + 4;
            } else if (c == '<') {
                i = t.indexOf('>', i) + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The end of a directive's parentheses; a template call's content blocks (@`…`) are left to be read. */
    private static int directiveEnd(String t, int open) {
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"') {
                i = t.indexOf('"', i + 1);
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth == 0) return i + 1;
            } else if (c == '@' && i + 1 < t.length() && t.charAt(i + 1) == '`') {
                return i; // the content block is template text: scanned as such
            }
        }
        return t.length();
    }

    private static int closing(String t, int open, char a, char b) {
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"') {
                i = t.indexOf('"', i + 1);
            } else if (c == a) {
                depth++;
            } else if (c == b && --depth == 0) {
                return i;
            }
        }
        return t.length();
    }
}
