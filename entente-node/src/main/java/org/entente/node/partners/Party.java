package org.entente.node.partners;

import java.util.Locale;
import org.entente.screening.Countries;

/**
 * A party to an agreement: an organisation (its id) or a whole nation ({@code nation:CC}), for
 * agreements that bind every agency of a country.
 */
public final class Party {
    private Party() {}

    public static final String NATION_PREFIX = "nation:";

    public static boolean isNation(String party) {
        return party != null && party.startsWith(NATION_PREFIX);
    }

    public static String nation(String code) {
        return NATION_PREFIX + code.toUpperCase(Locale.ROOT);
    }

    /** ISO 3166-1 alpha-2, plus XK (Kosovo, user-assigned) and ZZ (unknown, for a node not yet configured). */
    public static boolean isNationCode(String cc) {
        return cc != null && cc.matches("[A-Z]{2}") && (Countries.isCode(cc) || cc.equals("XK") || cc.equals("ZZ"));
    }
}
