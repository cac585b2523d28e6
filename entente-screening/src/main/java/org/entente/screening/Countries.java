package org.entente.screening;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** ISO 3166-1 alpha-2 codes, and the country names lists write instead of them. */
public final class Countries {

    private static final Set<String> CODES = Set.of(Locale.getISOCountries());
    private static final Map<String, String> BY_NAME = new HashMap<>();

    static {
        for (String code : CODES) {
            BY_NAME.put(key(Locale.of("", code).getDisplayCountry(Locale.ENGLISH)), code);
        }
        // The names the UN and OFAC lists use where they differ from the JDK's English names.
        String[][] extra = {
                {"Democratic Republic of the Congo", "CD"}, {"Congo, Democratic Republic of the", "CD"},
                {"Republic of the Congo", "CG"}, {"Congo", "CG"},
                {"Democratic People's Republic of Korea", "KP"}, {"Korea, North", "KP"}, {"North Korea", "KP"},
                {"Republic of Korea", "KR"}, {"Korea, South", "KR"}, {"South Korea", "KR"},
                {"Iran (Islamic Republic of)", "IR"}, {"Iran", "IR"}, {"Syrian Arab Republic", "SY"}, {"Syria", "SY"},
                {"Russian Federation", "RU"}, {"Russia", "RU"}, {"United Republic of Tanzania", "TZ"},
                {"Viet Nam", "VN"}, {"Vietnam", "VN"}, {"Bolivia (Plurinational State of)", "BO"},
                {"Venezuela (Bolivarian Republic of)", "VE"}, {"Libyan Arab Jamahiriya", "LY"}, {"Libya", "LY"},
                {"State of Palestine", "PS"}, {"Palestinian", "PS"}, {"West Bank", "PS"}, {"Gaza", "PS"},
                {"Lao People's Democratic Republic", "LA"}, {"Laos", "LA"}, {"Burma", "MM"}, {"Myanmar", "MM"},
                {"United Kingdom of Great Britain and Northern Ireland", "GB"}, {"United Kingdom", "GB"},
                {"United States of America", "US"}, {"United States", "US"}, {"USA", "US"},
                {"Republic of Moldova", "MD"}, {"Moldova", "MD"}, {"Turkey", "TR"}, {"Turkiye", "TR"},
                {"Cote d'Ivoire", "CI"}, {"Ivory Coast", "CI"}, {"Cabo Verde", "CV"}, {"Czech Republic", "CZ"},
                {"Czechia", "CZ"}, {"Macedonia", "MK"}, {"North Macedonia", "MK"}, {"Swaziland", "SZ"},
                {"Eswatini", "SZ"}, {"Bosnia and Herzegovina", "BA"}, {"Bosnia-Herzegovina", "BA"},
                {"Kosovo", "XK"}, {"Hong Kong", "HK"}, {"Macau", "MO"}, {"Taiwan", "TW"}, {"Brunei", "BN"},
                {"Brunei Darussalam", "BN"}, {"Timor-Leste", "TL"}, {"East Timor", "TL"},
                {"The Bahamas", "BS"}, {"The Gambia", "GM"}, {"Gambia", "GM"}, {"Holy See", "VA"},
                {"Sudan", "SD"}, {"South Sudan", "SS"}, {"Saint Kitts and Nevis", "KN"}, {"Micronesia", "FM"},
                {"Yemen", "YE"}, {"Netherlands Antilles", "AN"}, {"Curacao", "CW"}, {"Sint Maarten", "SX"},
                {"Trinidad and Tobago", "TT"}, {"Antigua and Barbuda", "AG"}, {"Saint Vincent and the Grenadines", "VC"},
                {"Sao Tome and Principe", "ST"}, {"Region: Crimea", "UA"}, {"Crimea", "UA"}, {"Saudi Arabia", "SA"}, {"United Arab Emirates", "AE"},
        };
        for (String[] e : extra) {
            BY_NAME.put(key(e[0]), e[1]);
        }
    }

    private Countries() {
    }

    /** Whether {@code code} is an assigned ISO 3166-1 alpha-2 code (or XK, used for Kosovo). */
    public static boolean isCode(String code) {
        return code != null && code.length() == 2 && (CODES.contains(code) || code.equals("XK"));
    }

    /** The alpha-2 code of a code or an English country name, if known. */
    public static Optional<String> code(String nameOrCode) {
        if (nameOrCode == null || nameOrCode.isBlank()) {
            return Optional.empty();
        }
        String s = nameOrCode.strip();
        if (s.length() == 2 && isCode(s.toUpperCase(Locale.ROOT))) {
            return Optional.of(s.toUpperCase(Locale.ROOT));
        }
        return Optional.ofNullable(BY_NAME.get(key(s)));
    }

    /** ICAO 9303 writes alpha-3 codes in the MRZ (with D for Germany); maps them to alpha-2. */
    public static Optional<String> fromAlpha3(String alpha3) {
        String a3 = alpha3.replace("<", "").toUpperCase(Locale.ROOT);
        if (a3.equals("D")) {
            return Optional.of("DE");
        }
        for (String code : CODES) {
            try {
                if (Locale.of("", code).getISO3Country().equals(a3)) {
                    return Optional.of(code);
                }
            } catch (java.util.MissingResourceException ignored) {
                // no alpha-3 for this code
            }
        }
        return Optional.empty();
    }

    private static String key(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", " ").strip();
    }
}
