package org.entente.screening;

import java.util.Objects;

/** One name of an entry as the list writes it, with the list's own judgement of its quality. */
public record ListedName(String text, Quality quality) {

    public enum Quality {
        /** The entry's main name. */
        PRIMARY,
        /** An alias the list calls good (a strong a.k.a.). */
        GOOD,
        /** An alias the list calls low quality (a weak a.k.a., a nickname, a kunya). */
        LOW,
        /** The name in its original script (Arabic, Cyrillic, ...). */
        ORIGINAL_SCRIPT
    }

    public ListedName {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(quality, "quality");
    }

    public static ListedName primary(String text) {
        return new ListedName(text, Quality.PRIMARY);
    }
}
