package org.entente.screening;

import java.util.Objects;

/** A document a person or entity holds: passport, national identity card, registration number. */
public record IdDocument(String type, String number, String country) {
    public IdDocument {
        type = type == null ? "" : type.strip();
        Objects.requireNonNull(number, "number");
        country = country == null ? "" : country;
    }
}
