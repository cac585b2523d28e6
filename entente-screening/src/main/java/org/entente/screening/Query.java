package org.entente.screening;

import java.util.Optional;
import org.entente.screening.documents.Mrz;

/**
 * What an officer screens: a name, and whatever else is known. Every field may be absent;
 * an MRZ fills the fields it carries that are not given otherwise.
 *
 * @param kind        restricts the search to persons or entities; null for any
 * @param nationality ISO 3166 alpha-2
 */
public record Query(String name, Kind kind, BirthDate birthDate, String nationality, Gender gender, String document,
                    Mrz mrz, String vehicle) {

    public Query {
        gender = gender == null ? Gender.UNKNOWN : gender;
        if (nationality != null && !nationality.isBlank() && !Countries.isCode(nationality.strip().toUpperCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("unknown country code '" + nationality + "' (expected ISO 3166 alpha-2, e.g. IQ)");
        }
        nationality = nationality == null || nationality.isBlank() ? null : nationality.strip().toUpperCase(java.util.Locale.ROOT);
        if (mrz != null) {
            if (name == null || name.isBlank()) {
                name = mrz.fullName();
            }
            if (birthDate == null && mrz.birthDate() != null) {
                birthDate = new BirthDate.Full(mrz.birthDate());
            }
            if (nationality == null) {
                nationality = mrz.nationalityCode().orElse(null);
            }
            if (gender == Gender.UNKNOWN) {
                gender = mrz.sex();
            }
            if (document == null || document.isBlank()) {
                document = mrz.documentNumber();
            }
        }
    }

    public static Query name(String name) {
        return new Query(name, null, null, null, Gender.UNKNOWN, null, null, null);
    }

    public Query withKind(Kind k) {
        return new Query(name, k, birthDate, nationality, gender, document, mrz, vehicle);
    }

    public Query withBirthDate(BirthDate d) {
        return new Query(name, kind, d, nationality, gender, document, mrz, vehicle);
    }

    public Query withNationality(String cc) {
        return new Query(name, kind, birthDate, cc, gender, document, mrz, vehicle);
    }

    public Query withGender(Gender g) {
        return new Query(name, kind, birthDate, nationality, g, document, mrz, vehicle);
    }

    public Query withDocument(String number) {
        return new Query(name, kind, birthDate, nationality, gender, number, mrz, vehicle);
    }

    public Query withMrz(Mrz m) {
        return new Query(name, kind, birthDate, nationality, gender, document, m, vehicle);
    }

    public Query withVehicle(String plateOrVin) {
        return new Query(name, kind, birthDate, nationality, gender, document, mrz, plateOrVin);
    }

    Optional<String> nameText() {
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(name);
    }

    boolean isEmpty() {
        return nameText().isEmpty() && (document == null || document.isBlank()) && (vehicle == null || vehicle.isBlank());
    }
}
