package org.entente.node.policy;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A provider's recorded permission for what its handling codes or its agreement otherwise forbid.
 *
 * @param objectId the one object it covers; null for everything the provider sent
 * @param reference where the permission was given (the provider's message, letter, case number)
 */
public record Consent(long id, String providerId, String recipientId, Covers covers, String objectId, String reference,
        String recordedBy, Instant recordedAt) {

    public enum Covers {
        /** Passing data on to the recipient: lifts H2, H3 and an onward rule "with-consent". */
        ONWARD_SHARING,
        /** Use in judicial proceedings (purpose prosecution) by the recipient: lifts H1. */
        JUDICIAL_USE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Optional<Covers> parse(String s) {
            if (s == null) return Optional.empty();
            String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Covers c : values()) if (c.name().equals(k)) return Optional.of(c);
            return Optional.empty();
        }
    }
}
