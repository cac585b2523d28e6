package org.entente.screening;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** One watchlist entry. The kinds form a closed set; each carries where it is listed. */
public sealed interface Entry permits Entry.Person, Entry.Entity, Entry.TravelDocument, Entry.Vehicle {

    Listing listing();

    Kind kind();

    /** The names to match, empty for documents and vehicles. */
    default List<ListedName> names() {
        return List.of();
    }

    /** The first name, or a short description for kinds without names. */
    String label();

    /** A person: names and aliases, dates and places of birth, nationalities (ISO 3166 alpha-2), gender, documents. */
    record Person(Listing listing, List<ListedName> names, List<BirthDate> birthDates, List<String> birthPlaces,
                  List<String> nationalities, Gender gender, List<IdDocument> documents) implements Entry {
        public Person {
            Objects.requireNonNull(listing, "listing");
            names = List.copyOf(names);
            birthDates = List.copyOf(birthDates);
            birthPlaces = List.copyOf(birthPlaces);
            nationalities = List.copyOf(nationalities);
            gender = gender == null ? Gender.UNKNOWN : gender;
            documents = List.copyOf(documents);
        }

        public Kind kind() {
            return Kind.PERSON;
        }

        public String label() {
            return names.isEmpty() ? listing.id() : names.getFirst().text();
        }
    }

    /** An entity (company, organisation, vessel, aircraft): names, aliases, countries, registration numbers. */
    record Entity(Listing listing, List<ListedName> names, List<String> countries, List<IdDocument> registrations)
            implements Entry {
        public Entity {
            Objects.requireNonNull(listing, "listing");
            names = List.copyOf(names);
            countries = List.copyOf(countries);
            registrations = List.copyOf(registrations);
        }

        public Kind kind() {
            return Kind.ENTITY;
        }

        public String label() {
            return names.isEmpty() ? listing.id() : names.getFirst().text();
        }
    }

    /** A travel document reported stolen, lost, revoked or invalidated. */
    record TravelDocument(Listing listing, String number, String type, String country, Status status,
                          LocalDate reported) implements Entry {
        public enum Status { STOLEN, LOST, REVOKED, INVALIDATED }

        public TravelDocument {
            Objects.requireNonNull(listing, "listing");
            Objects.requireNonNull(number, "number");
            type = type == null ? "" : type;
            country = country == null ? "" : country;
            Objects.requireNonNull(status, "status");
        }

        public Kind kind() {
            return Kind.DOCUMENT;
        }

        public String label() {
            return (type.isEmpty() ? "document" : type) + " " + number + (country.isEmpty() ? "" : " (" + country + ")")
                    + " " + status.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A vehicle: number plate with its country, and vehicle identification number. */
    record Vehicle(Listing listing, String plate, String country, String vin) implements Entry {
        public Vehicle {
            Objects.requireNonNull(listing, "listing");
            plate = plate == null ? "" : plate;
            country = country == null ? "" : country;
            vin = vin == null ? "" : vin;
            if (plate.isBlank() && vin.isBlank()) {
                throw new IllegalArgumentException("a vehicle needs a plate or a VIN");
            }
        }

        public Kind kind() {
            return Kind.VEHICLE;
        }

        public String label() {
            return "vehicle " + (plate.isEmpty() ? "" : plate + (country.isEmpty() ? "" : " (" + country + ")") + " ")
                    + (vin.isEmpty() ? "" : "VIN " + vin);
        }
    }
}
