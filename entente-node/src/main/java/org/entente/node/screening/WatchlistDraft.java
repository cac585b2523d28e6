package org.entente.node.screening;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.entente.node.common.InvalidInput;
import org.entente.node.policy.Category;
import org.entente.node.policy.HandlingCode;
import org.entente.node.policy.TlpLevel;

/**
 * What the owner says of a list: its name, kind, markings and category. Every field is checked and
 * every problem named by its JSON pointer (the CLI names its options the same way).
 */
public record WatchlistDraft(String name, WatchlistKind kind, Category category, TlpLevel tlp,
        Set<HandlingCode> handlingCodes, List<String> redRecipients, String description, Double threshold) {

    private static final Set<String> FIELDS = Set.of("name", "kind", "category", "tlp", "handling_codes",
            "red_recipients", "description", "threshold");

    public WatchlistDraft {
        handlingCodes = handlingCodes.isEmpty() ? Set.of() : Set.copyOf(handlingCodes);
        redRecipients = List.copyOf(redRecipients);
    }

    /** Lists of persons, documents and vehicles hold personal data; a list of entities alone does not. */
    boolean personalData() {
        return kind != WatchlistKind.ENTITIES || category != Category.SANCTIONS_ENTITIES;
    }

    /** Reads a draft from the API's JSON (or the CLI's options gathered into one). */
    public static WatchlistDraft parse(JsonNode o) {
        List<InvalidInput.Problem> problems = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) problems.add(new InvalidInput.Problem("/" + EntryJson.pointerEscape(f), "unknown field"));
        }
        String name = o.path("name").isTextual() ? o.path("name").asText().strip() : "";
        if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            problems.add(new InvalidInput.Problem("/name", "required: 1 to 200 printable characters"));
        }
        WatchlistKind kind = WatchlistKind.parse(o.path("kind").asText(null)).orElse(null);
        if (kind == null) {
            problems.add(new InvalidInput.Problem("/kind", (o.has("kind") ? "'" + o.path("kind").asText() + "' is unknown"
                    : "required") + ": one of " + WatchlistKind.choices()));
        }
        Category category = kind == null ? null : kind.defaultCategory();
        if (o.hasNonNull("category")) {
            category = Category.parse(o.path("category").asText()).filter(Watchlist.CATEGORIES::contains).orElse(null);
            if (category == null) {
                problems.add(new InvalidInput.Problem("/category", "'" + o.path("category").asText()
                        + "' is not a category of watchlists: " + String.join(", ",
                        Watchlist.CATEGORIES.stream().map(Category::wire).sorted().toList())));
            }
        }
        TlpLevel tlp = TlpLevel.UNMARKED;
        if (o.hasNonNull("tlp")) {
            tlp = TlpLevel.parse(o.path("tlp").asText()).orElse(null);
            if (tlp == null) {
                problems.add(new InvalidInput.Problem("/tlp", "'" + o.path("tlp").asText()
                        + "' is not a TLP level: clear, green, amber, amber+strict or red"));
                tlp = TlpLevel.UNMARKED;
            }
        }
        Set<HandlingCode> codes = EnumSet.noneOf(HandlingCode.class);
        JsonNode h = o.path("handling_codes");
        if (!h.isMissingNode() && !h.isNull()) {
            if (!h.isArray()) {
                problems.add(new InvalidInput.Problem("/handling_codes", "an array such as [\"H0\", \"H2\"]"));
            } else {
                for (int i = 0; i < h.size(); i++) {
                    int at = i;
                    HandlingCode.parse(h.get(i).asText(null)).ifPresentOrElse(codes::add, () -> problems.add(
                            new InvalidInput.Problem("/handling_codes/" + at, "not a handling code (H0, H1, H2 or H3)")));
                }
            }
        }
        List<String> red = new ArrayList<>();
        JsonNode r = o.path("red_recipients");
        if (!r.isMissingNode() && !r.isNull()) {
            if (!r.isArray()) {
                problems.add(new InvalidInput.Problem("/red_recipients", "an array of organisation ids and user:NAME"));
            } else {
                for (int i = 0; i < r.size(); i++) {
                    String v = r.get(i).asText("");
                    if (!v.startsWith("identity--") && !v.matches("user:[^\\s]{1,100}")) {
                        problems.add(new InvalidInput.Problem("/red_recipients/" + i,
                                "an organisation id (identity--…) or user:NAME"));
                    } else {
                        red.add(v);
                    }
                }
            }
        }
        if (tlp != TlpLevel.RED && !red.isEmpty()) {
            problems.add(new InvalidInput.Problem("/red_recipients", "only a TLP:RED list names its recipients"));
        }
        String description = o.hasNonNull("description") ? o.path("description").asText() : null;
        if (description != null && description.length() > 4000) {
            problems.add(new InvalidInput.Problem("/description", "longer than 4,000 characters"));
        }
        Double threshold = null;
        if (o.hasNonNull("threshold")) {
            JsonNode t = o.path("threshold");
            if (!t.isNumber() || !(t.asDouble() > 0 && t.asDouble() <= 1)) {
                problems.add(new InvalidInput.Problem("/threshold", "a score in (0, 1], e.g. 0.9"));
            } else {
                threshold = t.asDouble();
            }
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid watchlist", problems);
        return new WatchlistDraft(name, kind, category, tlp, codes, red, description, threshold);
    }
}
