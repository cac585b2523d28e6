package org.entente.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.util.Map;
import org.entente.node.common.InvalidInput;

/**
 * Request bodies of the JSON APIs: one JSON object and nothing after it, with no NUL character
 * anywhere (PostgreSQL cannot store one; no field of ours needs one).
 */
public final class JsonBody {
    private JsonBody() {}

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    public static JsonNode object(Context ctx) {
        JsonNode n;
        try {
            n = STRICT.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw InvalidInput.of("Invalid body", "", "the body is not one valid JSON object: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (n == null || !n.isObject()) throw InvalidInput.of("Invalid body", "", "the body must be a JSON object");
        String nul = nulAt(n, "");
        if (nul != null) throw InvalidInput.of("Invalid body", nul, "holds a NUL character (\\u0000)");
        return n;
    }

    /** The JSON pointer of the first string or name holding a NUL character, or null. */
    static String nulAt(JsonNode n, String at) {
        if (n.isTextual()) return n.asText().indexOf('\0') >= 0 ? at : null;
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String p = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                if (e.getKey().indexOf('\0') >= 0) return p;
                String inner = nulAt(e.getValue(), p);
                if (inner != null) return inner;
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String inner = nulAt(n.get(i), at + "/" + i);
                if (inner != null) return inner;
            }
        }
        return null;
    }
}
