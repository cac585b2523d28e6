package org.entente.node.console;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Every word the console shows, in one of its languages: the message bundles
 * {@code console/messages_en|ar|fr.properties}, and numbers and dates formatted as that language
 * writes them. Times are shown in UTC, said so, because partners in several time zones read the
 * same records.
 */
public final class Texts {
    /** The console's languages, the first being the default. */
    public static final List<String> LANGUAGES = List.of("en", "ar", "fr");

    private final String language;
    private final Locale locale;
    private final ResourceBundle bundle;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter date;
    private final DateTimeFormatter day;

    private Texts(String language) {
        this.language = language;
        this.locale = Locale.forLanguageTag(language);
        // No fallback to the JVM's default locale: a missing key must show, not a Dutch word.
        this.bundle = ResourceBundle.getBundle("console.messages", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        this.dateTime = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale).withZone(ZoneOffset.UTC);
        this.date = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
        this.day = DateTimeFormatter.ofPattern("d MMM", locale);
    }

    private static final java.util.Map<String, Texts> ALL = java.util.Map.of("en", new Texts("en"), "ar", new Texts("ar"),
            "fr", new Texts("fr"));

    public static Texts of(String language) {
        Texts t = language == null ? null : ALL.get(language);
        return t == null ? ALL.get("en") : t;
    }

    public static boolean known(String language) {
        return language != null && ALL.containsKey(language);
    }

    /** The message of a key, its {0}… filled in; the key itself, bracketed, when the bundle lacks it. */
    public String t(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return "[" + key + "]";
        }
        if (args.length == 0) return pattern;
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i] instanceof Number n && !(args[i] instanceof Double) ? number(n.longValue()) : args[i];
            // In a right-to-left sentence a Latin name, file or identifier is isolated (FSI…PDI), so that it
            // keeps its own direction and does not drag the punctuation around it.
            shown[i] = rightToLeft() && a instanceof String text ? "\u2068" + text + "\u2069" : a;
        }
        return new MessageFormat(pattern.replace("'", "''"), locale).format(shown);
    }

    /** Items of a list as the language separates them (the Arabic comma in Arabic). */
    public String join(java.util.Collection<String> items) {
        return String.join(t("list.separator") + " ", items);
    }

    public boolean has(String key) {
        return bundle.containsKey(key);
    }

    public String number(long n) {
        return NumberFormat.getIntegerInstance(locale).format(n);
    }

    /** A score in [0, 1] with three decimals, as the language writes decimals. */
    public String decimal(double d) {
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMinimumFractionDigits(3);
        f.setMaximumFractionDigits(3);
        return f.format(d);
    }

    public String dateTime(Instant t) {
        return t == null ? "" : dateTime.format(t) + " " + t("time.utc");
    }

    public String date(LocalDate d) {
        return d == null ? "" : date.format(d);
    }

    public String date(Instant t) {
        return t == null ? "" : date.format(t.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    /** A day as the short label of a chart's axis. */
    public String day(LocalDate d) {
        return day.format(d);
    }

    public String language() {
        return language;
    }

    public String direction() {
        return language.equals("ar") ? "rtl" : "ltr";
    }

    public boolean rightToLeft() {
        return language.equals("ar");
    }
}
