package org.entente.stix;

import java.util.Map;
import java.util.Set;

/** What a property's value must look like. The validator interprets these; the registry is built from them. */
sealed interface Kind {

    record Str() implements Kind {}

    /** An RFC 3339 timestamp in UTC ({@code Z}); {@code millis}: the spec asks for millisecond precision. */
    record Timestamp(boolean millis) implements Kind {}

    /**
     * An identifier. {@code types} are the allowed target types; {@code categories} allowed target categories
     * (either match suffices); both empty: any type.
     */
    record Ref(Set<String> types, Set<Category> categories) implements Kind {}

    record ListOf(Kind item) implements Kind {}

    record Int(long min, long max) implements Kind {}

    record Num(double min, double max) implements Kind {}

    record Bool() implements Kind {}

    record Hashes() implements Kind {}

    record KillChainPhases() implements Kind {}

    record ExternalReferences() implements Kind {}

    record GranularMarkings() implements Kind {}

    /** A JSON object with arbitrary keys. */
    record Dict() implements Kind {}

    /** The {@code extensions} property. */
    record Extensions() implements Kind {}

    /** A vocabulary value: open ones warn on an unknown value, closed ones (enumerations) are errors. */
    record Vocab(String name, Set<String> values, boolean open) implements Kind {}

    record Binary() implements Kind {}

    record Hex() implements Kind {}

    /** A nested object with its own property table. */
    record Nested(String name, Map<String, Kind> properties, Set<String> required) implements Kind {}

    /** A value the validator only checks to be present (any JSON). */
    record Any() implements Kind {}
}
