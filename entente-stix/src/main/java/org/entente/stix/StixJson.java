package org.entente.stix;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The one Jackson configuration used to read and write STIX, so that a round trip keeps every value as given. */
public final class StixJson {

    private static final ObjectMapper MAPPER = build();

    private StixJson() {}

    /** Shared and thread-safe; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * RFC 8785 canonical JSON (sorted keys, ECMAScript number and string forms): the bytes to sign or hash
     * when two parties must agree on an object's representation.
     */
    public static String canonical(JsonNode node) {
        return Jcs.canonicalize(node);
    }

    static JsonFactory factory() {
        return MAPPER.getFactory();
    }

    private static ObjectMapper build() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // Artifacts carry their payload_bin inline: allow strings up to 200 MB (Jackson's default is 20 MB);
                // the reader holds one object at a time, so this bounds its memory. Nesting is bounded too.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(200_000_000).maxNestingDepth(200).build())
                .build();
        return JsonMapper.builder(factory)
                // Floats are kept as BigDecimal so that 1.10 is written back as 1.10, not 1.1.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }
}
