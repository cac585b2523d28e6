package org.entente.node.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading the JSON inputs of the detection commands: a file or {@code -} for standard input. */
final class PatternInputs {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PatternInputs() {
    }

    static InputStream open(String file) throws IOException {
        if (file.equals("-")) {
            return new BufferedInputStream(System.in, 1 << 16);
        }
        return new BufferedInputStream(Files.newInputStream(Path.of(file)), 1 << 16);
    }

    /** Every JSON document of the input: one bundle, or JSON Lines (any whitespace-separated sequence). */
    static List<JsonNode> documents(String file) throws IOException {
        try (InputStream in = open(file);
             MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(in)) {
            List<JsonNode> out = new ArrayList<>();
            while (it.hasNextValue()) {
                out.add(it.nextValue());
            }
            return out;
        }
    }
}
