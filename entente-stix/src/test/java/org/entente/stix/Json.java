package org.entente.stix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Test objects written as JSON text with single quotes, for readability. */
final class Json {
    private Json() {}

    static ObjectNode obj(String singleQuoted) {
        try {
            return (ObjectNode) StixJson.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }
}
