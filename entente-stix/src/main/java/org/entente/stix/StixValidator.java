package org.entente.stix;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks STIX 2.1 objects and bundles against the rules of the specification that a JSON schema cannot
 * express as well as those it can, driven by the type {@link Registry}. Every problem is reported, each
 * with a JSON pointer relative to the validated document.
 *
 * <p>Severity follows the specification's wording: a broken MUST is an {@link Severity#ERROR}, a SHOULD
 * or a value outside an open vocabulary a {@link Severity#WARNING}. Custom object types and custom
 * properties are accepted (checked only for the forms STIX imposes on them).
 *
 * <p>Deterministic SCO identifiers: an SCO whose id is a UUIDv5 that differs from the one computed from
 * its ID-contributing properties gets a WARNING, because section 2.9 says SCOs SHOULD (not MUST) use
 * that UUIDv5; UUIDv4 ids on SCOs are accepted silently.
 *
 * <p>Thread-safe and stateless.
 */
public final class StixValidator {

    private static final StixValidator STANDARD = new StixValidator(null);
    private static final Set<String> HASH_LENGTH_ALGORITHMS = Set.of("MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512");
    private static final Set<String> TLP_V1_LEVELS = Set.of("white", "green", "amber", "red");
    private static final Set<String> TLP_V2_LEVELS = Set.of("clear", "green", "amber", "amber+strict", "red");

    /**
     * Checks the syntax of a STIX pattern. This library does not parse patterns itself (that is the
     * patterning module's job, and it must not depend on it), so a parser can be plugged in.
     */
    @FunctionalInterface
    public interface PatternSyntax {
        /** Empty when {@code pattern} is a valid STIX pattern, else the reason. */
        Optional<String> error(String pattern);
    }

    private final PatternSyntax patterns;

    private StixValidator(PatternSyntax patterns) {
        this.patterns = patterns;
    }

    /** All checks except the syntax of indicator patterns. */
    public static StixValidator standard() {
        return STANDARD;
    }

    /** The same checks, plus {@code syntax} on the pattern of every indicator whose pattern_type is "stix". */
    public StixValidator withStixPatterns(PatternSyntax syntax) {
        return new StixValidator(Objects.requireNonNull(syntax, "syntax"));
    }

    /**
     * Validates one STIX object, or a bundle together with every object in it.
     *
     * @return every problem found, errors and warnings, in document order; empty when the object is clean
     */
    public List<Problem> validate(JsonNode document) {
        Run run = new Run();
        if (document == null || !document.isObject()) {
            run.error("", "is not a JSON object");
        } else if ("bundle".equals(document.path("type").textValue())) {
            bundle(document, run);
        } else {
            object(document, "", run);
        }
        return run.problems == null ? List.of() : run.problems;
    }

    /** True when {@link #validate} would report no ERROR. */
    public boolean isValid(JsonNode document) {
        for (Problem p : validate(document)) if (p.isError()) return false;
        return true;
    }

    /** Collects problems; pointers are only built when a problem is found. */
    static final class Run {
        List<Problem> problems;

        void error(String pointer, String message) {
            add(new Problem(Severity.ERROR, pointer, message));
        }

        void warning(String pointer, String message) {
            add(new Problem(Severity.WARNING, pointer, message));
        }

        private void add(Problem p) {
            if (problems == null) problems = new ArrayList<>(4);
            problems.add(p);
        }
    }

    private static String at(String base, String name) {
        return base + "/" + Syntax.escapePointer(name);
    }

    private static String at(String base, int index) {
        return base + "/" + index;
    }

    private void bundle(JsonNode b, Run run) {
        Iterator<Map.Entry<String, JsonNode>> it = b.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            switch (name) {
                case "type" -> { }
                case "id" -> identifier(v, "/id", run, "bundle");
                case "spec_version" -> run.warning("/spec_version",
                        "a STIX 2.1 bundle has no spec_version (this looks like a STIX 2.0 bundle); each object carries its own");
                case "objects" -> {
                    if (!v.isArray()) {
                        run.error("/objects", "must be an array of STIX objects");
                    } else {
                        for (int i = 0; i < v.size(); i++) {
                            JsonNode o = v.get(i);
                            String p = at("/objects", i);
                            if (!o.isObject()) run.error(p, "is not a JSON object");
                            else if ("bundle".equals(o.path("type").textValue())) run.error(p + "/type", "a bundle cannot contain a bundle");
                            else object(o, p, run);
                        }
                    }
                }
                default -> customProperty(name, v, "", "bundle", run);
            }
        }
        if (!b.has("id")) run.error("/id", "required property id is missing");
    }

    private void object(JsonNode o, String base, Run run) {
        JsonNode typeNode = o.get("type");
        String type = typeNode == null ? null : typeNode.textValue();
        if (typeNode == null) {
            run.error(at(base, "type"), "required property type is missing");
        } else if (type == null) {
            run.error(at(base, "type"), "must be a string");
        } else {
            String reason = Syntax.typeNameError(type, 0, type.length());
            if (reason != null) {
                run.error(at(base, "type"), "'" + type + "' is not a valid type name: it " + reason);
                type = null;
            }
        }
        TypeDef def = type == null ? null : Registry.type(type);
        if (def == null) {
            if (type != null) {
                run.warning(at(base, "type"), "'" + type + "' is not a STIX 2.1 type (custom object): only its common properties are checked");
            }
            customObject(o, base, type, run);
            return;
        }

        for (String r : def.required()) {
            if (!o.has(r)) run.error(at(base, r), "required property " + r + " is missing");
        }
        Iterator<Map.Entry<String, JsonNode>> it = o.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            Kind kind = def.properties().get(name);
            if (kind == null) {
                customProperty(name, v, base, type, run);
            } else if (v.isNull()) {
                run.error(at(base, name), "is null; STIX does not allow null values, omit the property instead");
            } else if (name.equals("id")) {
                identifier(v, at(base, "id"), run, type);
            } else {
                value(kind, v, base, name, o, run);
            }
        }
        common(o, base, run);
        constraints(o, base, def, run);
    }

    /** A custom object type: its own properties are its business, the common ones must still be right. */
    private void customObject(JsonNode o, String base, String type, Run run) {
        if (!o.has("id")) run.error(at(base, "id"), "required property id is missing");
        Iterator<Map.Entry<String, JsonNode>> it = o.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            Kind common = Registry.COMMON.get(name);
            if (name.equals("type")) {
                continue;
            } else if (name.equals("id")) {
                if (type != null) identifier(v, at(base, "id"), run, type);
            } else if (common != null && v.isNull()) {
                run.error(at(base, name), "is null; STIX does not allow null values, omit the property instead");
            } else if (common != null) {
                value(common, v, base, name, o, run);
            } else if (!Syntax.validPropertyName(name)) {
                run.error(at(base, name), "'" + name + "' is not a valid property name (3 to 250 of a-z, 0-9 and _)");
            }
        }
        common(o, base, run);
    }

    private void customProperty(String name, JsonNode v, String base, String type, Run run) {
        if (!Syntax.validPropertyName(name)) {
            run.error(at(base, name), "'" + name + "' is not a valid property name (3 to 250 of a-z, 0-9 and _)");
        } else if (!name.startsWith("x_")) {
            run.warning(at(base, name), "property " + name + " is not defined for " + type
                    + "; custom properties should start with x_ (or be defined by an extension)");
        }
        // A custom property's type is its producer's business; null is still a poor way to say "absent".
        if (v.isNull()) run.warning(at(base, name), "is null; omit the property instead");
    }

    private void identifier(JsonNode v, String pointer, Run run, String type) {
        String id = v.textValue();
        if (id == null) {
            run.error(pointer, "must be a string identifier type--UUID");
            return;
        }
        String reason = Syntax.identifierError(id);
        if (reason != null) {
            run.error(pointer, "'" + id + "' " + reason);
        } else if (type != null && !Syntax.typeName(id).equals(type)) {
            run.error(pointer, "'" + id + "' must start with the object's type '" + type + "--'");
        }
    }

    /** Common-property rules that involve more than one value. */
    private void common(JsonNode o, String base, Run run) {
        JsonNode sv = o.get("spec_version");
        if (sv != null && sv.isTextual() && !"2.1".equals(sv.textValue())) {
            run.error(at(base, "spec_version"), "must be \"2.1\", found " + sv);
        }
        String created = validTimestamp(o, "created");
        String modified = validTimestamp(o, "modified");
        if (created != null && modified != null && Syntax.compareTimestamps(modified, created) < 0) {
            run.error(at(base, "modified"), "modified (" + modified + ") is earlier than created (" + created + ")");
        }
        JsonNode lang = o.get("lang");
        if (lang != null && lang.isTextual() && !Syntax.validLanguageTag(lang.textValue())) {
            run.error(at(base, "lang"), "'" + lang.textValue() + "' is not an RFC 5646 language tag");
        }
    }

    private static String validTimestamp(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual()) return null;
        String s = v.textValue();
        return Syntax.timestampError(s) == null ? s : null;
    }

    private void order(JsonNode o, String base, String earlier, String later, boolean strict, Run run) {
        String a = validTimestamp(o, earlier), b = validTimestamp(o, later);
        if (a == null || b == null) return;
        int c = Syntax.compareTimestamps(b, a);
        if (strict ? c <= 0 : c < 0) {
            run.error(at(base, later), later + " (" + b + ") must be " + (strict ? "later than " : "no earlier than ")
                    + earlier + " (" + a + ")");
        }
    }

    private void value(Kind kind, JsonNode v, String base, String name, JsonNode root, Run run) {
        switch (kind) {
            case Kind.Str s -> {
                if (!v.isTextual()) run.error(at(base, name), "must be a string");
            }
            // Cases are tried in order: the most frequent kinds come first.
            case Kind.Vocab voc -> {
                if (!v.isTextual()) {
                    run.error(at(base, name), "must be a string from " + voc.name());
                } else if (!voc.values().contains(v.textValue())) {
                    if (voc.open()) {
                        run.warning(at(base, name), "'" + v.textValue() + "' is not in the open vocabulary " + voc.name());
                    } else {
                        run.error(at(base, name), "'" + v.textValue() + "' is not one of " + voc.name() + ": "
                                + String.join(", ", new java.util.TreeSet<>(voc.values())));
                    }
                }
            }
            case Kind.Timestamp t -> {
                if (!v.isTextual()) {
                    run.error(at(base, name), "must be a timestamp string");
                    return;
                }
                String reason = Syntax.timestampError(v.textValue());
                if (reason != null) {
                    run.error(at(base, name), "'" + v.textValue() + "' " + reason);
                } else if (t.millis() && Syntax.fractionDigits(v.textValue()) < 3) {
                    run.warning(at(base, name), "should be precise to at least the millisecond (three fractional digits)");
                }
            }
            case Kind.Ref r -> {
                String problem = referenceProblem(r, v);
                if (problem != null) run.error(at(base, name), problem);
            }
            case Kind.ListOf l -> {
                if (!v.isArray()) {
                    run.error(at(base, name), "must be a list");
                    return;
                }
                if (v.isEmpty()) {
                    run.error(at(base, name), "is an empty list; STIX forbids empty lists, omit the property instead");
                    return;
                }
                boolean clean = true;
                for (int i = 0; i < v.size() && clean; i++) clean = plainlyValid(l.item(), v.get(i));
                if (clean) return;
                String p = at(base, name);
                for (int i = 0; i < v.size(); i++) value(l.item(), v.get(i), p, Integer.toString(i), root, run);
            }
            case Kind.Int i -> {
                if (!v.isIntegralNumber()) {
                    run.error(at(base, name), "must be an integer");
                } else if (!v.canConvertToLong() || v.longValue() < i.min() || v.longValue() > i.max()) {
                    run.error(at(base, name), v + " is out of range " + range(i.min(), i.max()));
                }
            }
            case Kind.Num n -> {
                if (!v.isNumber()) run.error(at(base, name), "must be a number");
                else if (v.doubleValue() < n.min() || v.doubleValue() > n.max()) {
                    run.error(at(base, name), v + " is out of range " + n.min() + ".." + n.max());
                }
            }
            case Kind.Bool b -> {
                if (!v.isBoolean()) run.error(at(base, name), "must be true or false");
            }
            case Kind.Hashes h -> hashes(v, at(base, name), run);
            case Kind.KillChainPhases k -> killChainPhases(v, at(base, name), run);
            case Kind.ExternalReferences e -> externalReferences(v, at(base, name), run);
            case Kind.GranularMarkings g -> granularMarkings(v, at(base, name), root, run);
            case Kind.Dict d -> {
                if (!v.isObject()) run.error(at(base, name), "must be a JSON object (dictionary)");
            }
            case Kind.Extensions x -> extensions(v, at(base, name), root, run);
            case Kind.Binary b -> {
                if (!v.isTextual() || !Syntax.isBase64(v.textValue())) run.error(at(base, name), "must be base64-encoded binary");
            }
            case Kind.Hex h -> {
                if (!v.isTextual() || !Syntax.isHexString(v.textValue())) {
                    run.error(at(base, name), "must be a hexadecimal string with an even number of digits");
                }
            }
            case Kind.Nested n -> nested(n, v, at(base, name), root, run);
            case Kind.Any a -> { }
        }
    }

    private static String range(long min, long max) {
        return (min == Long.MIN_VALUE ? "" : Long.toString(min)) + ".." + (max == Long.MAX_VALUE ? "" : Long.toString(max));
    }

    private void nested(Kind.Nested n, JsonNode v, String pointer, JsonNode root, Run run) {
        if (!v.isObject()) {
            run.error(pointer, "must be a JSON object (" + n.name() + ")");
            return;
        }
        for (String r : n.required()) if (!v.has(r)) run.error(at(pointer, r), "required property " + r + " is missing");
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            Kind k = n.properties().get(f.getKey());
            if (k == null) customProperty(f.getKey(), f.getValue(), pointer, n.name(), run);
            else if (f.getValue().isNull()) run.error(at(pointer, f.getKey()), "is null; STIX does not allow null values, omit the property instead");
            else value(k, f.getValue(), pointer, f.getKey(), root, run);
        }
    }

    private void reference(Kind.Ref r, JsonNode v, String pointer, Run run) {
        String problem = referenceProblem(r, v);
        if (problem != null) run.error(pointer, problem);
    }

    /** Null when {@code v} is an identifier of an allowed target type, else the reason. */
    private static String referenceProblem(Kind.Ref r, JsonNode v) {
        String id = v.textValue();
        if (id == null) return "must be an identifier string";
        String reason = Syntax.identifierError(id);
        if (reason != null) return "'" + id + "' " + reason;
        if (r.types().isEmpty() && r.categories().isEmpty()) return null;
        String target = Syntax.typeName(id);
        if (r.types().contains(target)) return null;
        if (!r.categories().isEmpty()) {
            TypeDef def = Registry.type(target);
            // Custom object types cannot be classified; they are accepted where a category is asked for.
            if (def == null || r.categories().contains(def.category())) return null;
        }
        return "'" + id + "' must reference " + describeTargets(r);
    }

    /** A problem-free check for list items, so that pointers are only built for lists that have problems. */
    private static boolean plainlyValid(Kind kind, JsonNode v) {
        return switch (kind) {
            case Kind.Str s -> v.isTextual();
            case Kind.Ref r -> referenceProblem(r, v) == null;
            case Kind.Vocab voc -> v.isTextual() && voc.values().contains(v.textValue());
            default -> false;
        };
    }

    private static String describeTargets(Kind.Ref r) {
        List<String> names = new ArrayList<>(new java.util.TreeSet<>(r.types()));
        for (Category c : r.categories()) names.add("an " + c);
        return names.size() == 1 ? names.get(0) : "one of " + String.join(", ", names);
    }

    private void hashes(JsonNode v, String pointer, Run run) {
        if (!v.isObject() || v.isEmpty()) {
            run.error(pointer, "must be a non-empty dictionary of hash algorithm to hash value");
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String alg = f.getKey();
            String value = f.getValue().textValue();
            String p = at(pointer, alg);
            if (value == null) {
                run.error(p, "hash value must be a string");
                continue;
            }
            if (HASH_LENGTH_ALGORITHMS.contains(alg)) {
                int expected = switch (alg) {
                    case "MD5" -> 32;
                    case "SHA-1" -> 40;
                    case "SHA-256", "SHA3-256" -> 64;
                    default -> 128;
                };
                if (value.length() != expected || !Syntax.isHexString(value)) {
                    run.error(p, alg + " value must be " + expected + " hexadecimal digits");
                }
            } else if (!Vocabularies.HASH_ALGORITHM.values().contains(alg)) {
                if (alg.length() > 250) run.error(p, "hash algorithm names are at most 250 characters");
                else run.warning(p, "'" + alg + "' is not in the open vocabulary hash-algorithm-ov");
            }
        }
    }

    private void killChainPhases(JsonNode v, String pointer, Run run) {
        if (!v.isArray() || v.isEmpty()) {
            run.error(pointer, "must be a non-empty list of kill-chain phases");
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode k = v.get(i);
            String p = at(pointer, i);
            if (!k.isObject()) {
                run.error(p, "must be a kill-chain phase object");
                continue;
            }
            for (String req : new String[] {"kill_chain_name", "phase_name"}) {
                JsonNode s = k.get(req);
                if (s == null) run.error(at(p, req), "required property " + req + " is missing");
                else if (!s.isTextual()) run.error(at(p, req), "must be a string");
                else if (!lowerHyphenated(s.textValue())) {
                    run.warning(at(p, req), "should be all lower case, with hyphens between words");
                }
            }
        }
    }

    private static boolean lowerHyphenated(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c) || c == ' ' || c == '_') return false;
        }
        return true;
    }

    private void externalReferences(JsonNode v, String pointer, Run run) {
        if (!v.isArray() || v.isEmpty()) {
            run.error(pointer, "must be a non-empty list of external references");
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String p = at(pointer, i);
            if (!e.isObject()) {
                run.error(p, "must be an external-reference object");
                continue;
            }
            JsonNode source = e.get("source_name");
            if (source == null) run.error(at(p, "source_name"), "required property source_name is missing");
            else if (!source.isTextual()) run.error(at(p, "source_name"), "must be a string");
            for (String s : new String[] {"description", "url", "external_id"}) {
                JsonNode x = e.get(s);
                if (x != null && !x.isTextual()) run.error(at(p, s), "must be a string");
            }
            if (!e.has("description") && !e.has("url") && !e.has("external_id")) {
                run.error(p, "an external reference needs description, url or external_id besides source_name");
            }
            JsonNode h = e.get("hashes");
            if (h != null) hashes(h, at(p, "hashes"), run);
            String src = source == null ? null : source.textValue();
            if ("cve".equals(src) || "capec".equals(src)) {
                JsonNode ext = e.get("external_id");
                boolean cve = src.equals("cve");
                if (ext == null) {
                    run.error(at(p, "external_id"), src + " references must give the identifier in external_id");
                } else if (ext.isTextual() && !(cve ? Syntax.isCveId(ext.textValue()) : Syntax.isCapecId(ext.textValue()))) {
                    run.error(at(p, "external_id"), "'" + ext.textValue() + "' is not " + (cve ? "a CVE identifier (CVE-2016-1234)"
                            : "a CAPEC identifier (CAPEC-163)"));
                }
            }
        }
    }

    private void granularMarkings(JsonNode v, String pointer, JsonNode root, Run run) {
        if (!v.isArray() || v.isEmpty()) {
            run.error(pointer, "must be a non-empty list of granular markings");
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode g = v.get(i);
            String p = at(pointer, i);
            if (!g.isObject()) {
                run.error(p, "must be a granular-marking object");
                continue;
            }
            JsonNode lang = g.get("lang"), ref = g.get("marking_ref");
            if ((lang == null) == (ref == null)) {
                run.error(p, "a granular marking needs exactly one of lang and marking_ref");
            }
            if (ref != null) reference((Kind.Ref) Registry.ref("marking-definition"), ref, at(p, "marking_ref"), run);
            if (lang != null && (!lang.isTextual() || !Syntax.validLanguageTag(lang.textValue()))) {
                run.error(at(p, "lang"), lang + " is not an RFC 5646 language tag");
            }
            JsonNode selectors = g.get("selectors");
            if (selectors == null) {
                run.error(at(p, "selectors"), "required property selectors is missing");
            } else if (!selectors.isArray() || selectors.isEmpty()) {
                run.error(at(p, "selectors"), "must be a non-empty list of selectors");
            } else {
                for (int j = 0; j < selectors.size(); j++) {
                    JsonNode s = selectors.get(j);
                    String sp = at(at(p, "selectors"), j);
                    if (!s.isTextual()) run.error(sp, "must be a string");
                    else if (!selectorResolves(root, s.textValue())) {
                        run.error(sp, "selector '" + s.textValue() + "' does not select a property of this object");
                    }
                }
            }
            Iterator<String> names = g.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!n.equals("lang") && !n.equals("marking_ref") && !n.equals("selectors")) {
                    customProperty(n, g.get(n), p, "granular-marking", run);
                }
            }
        }
    }

    /** STIX 2.1 section 7.2.3.1: dot-separated property names, [n] for list positions. */
    static boolean selectorResolves(JsonNode root, String selector) {
        if (selector.isEmpty()) return false;
        JsonNode cur = root;
        for (String step : selector.split("\\.", -1)) {
            if (step.isEmpty()) return false;
            if (step.charAt(0) == '[' && step.charAt(step.length() - 1) == ']') {
                if (!cur.isArray()) return false;
                int index;
                try {
                    index = Integer.parseInt(step.substring(1, step.length() - 1));
                } catch (NumberFormatException e) {
                    return false;
                }
                if (index < 0 || index >= cur.size()) return false;
                cur = cur.get(index);
            } else {
                if (!cur.isObject() || !cur.has(step)) return false;
                cur = cur.get(step);
            }
        }
        return true;
    }

    private void extensions(JsonNode v, String pointer, JsonNode root, Run run) {
        if (!v.isObject() || v.isEmpty()) {
            run.error(pointer, "must be a non-empty dictionary of extensions");
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode ext = f.getValue();
            String p = at(pointer, key);
            if (!ext.isObject()) {
                run.error(p, "an extension must be a JSON object");
                continue;
            }
            if (key.startsWith("extension-definition--")) {
                String reason = Syntax.identifierError(key);
                if (reason != null) run.error(p, "'" + key + "' " + reason);
                JsonNode type = ext.get("extension_type");
                if (type != null) value(Vocabularies.EXTENSION_TYPE, type, p, "extension_type", root, run);
            } else {
                Kind.Nested predefined = Registry.SCO_EXTENSIONS.get(key);
                if (predefined != null) {
                    nested(predefined, ext, p, root, run);
                } else if (!key.endsWith("-ext")) {
                    run.error(p, "'" + key + "' is neither an extension-definition identifier nor a predefined extension name");
                } else {
                    run.warning(p, "'" + key + "' is a custom extension without an extension definition (deprecated in STIX 2.1)");
                }
            }
        }
    }

    /** Rules that tie properties of one type together. */
    private void constraints(JsonNode o, String base, TypeDef def, Run run) {
        switch (def.name()) {
            case "indicator" -> {
                order(o, base, "valid_from", "valid_until", true, run);
                JsonNode pattern = o.get("pattern");
                if (patterns != null && pattern != null && pattern.isTextual() && "stix".equals(o.path("pattern_type").textValue())) {
                    patterns.error(pattern.textValue()).ifPresent(reason ->
                            run.error(at(base, "pattern"), "is not a valid STIX pattern: " + reason));
                }
            }
            case "campaign", "intrusion-set", "threat-actor", "infrastructure", "sighting" ->
                    order(o, base, "first_seen", "last_seen", false, run);
            case "malware" -> {
                order(o, base, "first_seen", "last_seen", false, run);
                if (o.path("is_family").asBoolean(false) && !o.has("name")) {
                    run.error(at(base, "name"), "a malware family (is_family true) must have a name");
                }
            }
            case "malware-analysis" -> {
                if (!o.has("result") && !o.has("analysis_sco_refs")) {
                    run.error(at(base, "result"), "malware-analysis needs result or analysis_sco_refs");
                }
                order(o, base, "analysis_started", "analysis_ended", false, run);
            }
            case "observed-data" -> {
                order(o, base, "first_observed", "last_observed", false, run);
                if (o.has("objects") == o.has("object_refs")) {
                    run.error(at(base, "object_refs"), "observed-data needs exactly one of object_refs and the deprecated objects");
                } else if (o.has("objects")) {
                    run.warning(at(base, "objects"), "objects is deprecated in STIX 2.1; use object_refs");
                }
            }
            case "relationship" -> order(o, base, "start_time", "stop_time", true, run);
            case "location" -> {
                boolean lat = o.has("latitude"), lon = o.has("longitude");
                if (lat != lon) run.error(at(base, lat ? "longitude" : "latitude"), "latitude and longitude must be given together");
                if (!o.has("region") && !o.has("country") && !(lat && lon)) {
                    run.error(base, "a location needs region, country, or latitude and longitude");
                }
                if (o.has("precision") && !(lat && lon)) {
                    run.error(at(base, "precision"), "precision needs latitude and longitude");
                }
                String country = o.path("country").textValue();
                if (country != null && !(country.length() == 2 && Character.isUpperCase(country.charAt(0))
                        && Character.isUpperCase(country.charAt(1)) && country.chars().allMatch(c -> c < 128))) {
                    run.warning(at(base, "country"), "'" + country + "' should be an ISO 3166-1 alpha-2 code (e.g. DE)");
                }
            }
            case "marking-definition" -> markingDefinition(o, base, run);
            case "extension-definition" -> {
                JsonNode types = o.get("extension_types");
                if (types != null && types.isArray()) {
                    for (JsonNode t : types) {
                        if ("toplevel-property-extension".equals(t.textValue()) && !o.has("extension_properties")) {
                            run.error(at(base, "extension_properties"),
                                    "required when extension_types contains toplevel-property-extension");
                        }
                    }
                }
            }
            case "language-content" -> {
                JsonNode contents = o.get("contents");
                if (contents != null && contents.isObject() && contents.isEmpty()) {
                    run.error(at(base, "contents"), "must hold the content of at least one language");
                } else if (contents != null && contents.isObject()) {
                    Iterator<Map.Entry<String, JsonNode>> it = contents.fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> f = it.next();
                        String p = at(at(base, "contents"), f.getKey());
                        if (!Syntax.validLanguageTag(f.getKey())) run.error(p, "'" + f.getKey() + "' is not an RFC 5646 language tag");
                        if (!f.getValue().isObject()) run.error(p, "must map property names to translated content");
                    }
                }
            }
            case "ipv4-addr" -> address(o, base, Syntax::isIpv4, "an IPv4 address or CIDR block", run);
            case "ipv6-addr" -> address(o, base, Syntax::isIpv6, "an IPv6 address or CIDR block", run);
            case "mac-addr" -> address(o, base, Syntax::isMac, "a lower-case, colon-separated MAC-48 address (00:00:5e:00:53:af)", run);
            case "url" -> address(o, base, Syntax::looksLikeUrl, "a URL (RFC 3986: scheme:rest)", run);
            case "email-addr" -> address(o, base, v -> v.indexOf('@') > 0 && v.indexOf('@') < v.length() - 1 && v.indexOf(' ') < 0,
                    "an e-mail address (local@domain, no display name)", run);
            case "artifact" -> {
                mediaType(o, base, run);
                boolean payload = o.has("payload_bin"), url = o.has("url");
                if (payload == url) run.error(at(base, "payload_bin"), "an artifact needs exactly one of payload_bin and url");
                if (url && !o.has("hashes")) run.error(at(base, "hashes"), "an artifact given by url must have hashes");
                if (o.has("decryption_key") && !o.has("encryption_algorithm")) {
                    run.error(at(base, "decryption_key"), "decryption_key needs encryption_algorithm");
                }
            }
            case "file" -> {
                mediaType(o, base, run);
                if (!o.has("hashes") && !o.has("name")) run.error(at(base, "name"), "a file needs hashes or name");
            }
            case "email-message" -> {
                JsonNode multipart = o.get("is_multipart");
                if (multipart != null && multipart.isBoolean()) {
                    if (multipart.booleanValue() && o.has("body")) {
                        run.error(at(base, "body"), "a multipart message carries its body in body_multipart");
                    }
                    if (!multipart.booleanValue() && o.has("body_multipart")) {
                        run.error(at(base, "body_multipart"), "body_multipart needs is_multipart true");
                    }
                }
            }
            case "network-traffic" -> {
                if (!o.has("src_ref") && !o.has("dst_ref")) run.error(at(base, "src_ref"), "network traffic needs src_ref or dst_ref");
                JsonNode protocols = o.get("protocols");
                if (protocols != null && protocols.isArray()) {
                    for (int i = 0; i < protocols.size(); i++) {
                        String proto = protocols.get(i).textValue();
                        if (proto != null && !proto.equals(proto.toLowerCase(java.util.Locale.ROOT))) {
                            run.warning(at(at(base, "protocols"), i), "protocol names should be lower case (IANA service names)");
                        }
                    }
                }
                order(o, base, "start", "end", false, run);
                if (o.has("end") && o.path("is_active").asBoolean(false)) {
                    run.error(at(base, "end"), "traffic that is still active (is_active true) has no end");
                }
            }
            case "process", "user-account", "windows-registry-key", "x509-certificate" -> {
                if (!hasOwnProperty(o, def)) {
                    run.error(base, "a " + def.name() + " must have at least one property besides the common ones");
                }
                if (def.name().equals("x509-certificate")) {
                    order(o, base, "validity_not_before", "validity_not_after", false, run);
                }
            }
            default -> { }
        }
        if (def.category() == Category.SCO) scoIdentifier(o, base, run);
    }

    private void address(JsonNode o, String base, java.util.function.Predicate<String> form, String what, Run run) {
        JsonNode v = o.get("value");
        if (v != null && v.isTextual() && !form.test(v.textValue())) {
            run.error(at(base, "value"), "'" + v.textValue() + "' is not " + what);
        }
    }

    /** The spec says SHOULD for IANA media types: a malformed one is only a warning. */
    private void mediaType(JsonNode o, String base, Run run) {
        JsonNode v = o.get("mime_type");
        if (v != null && v.isTextual() && !Syntax.isMediaType(v.textValue())) {
            run.warning(at(base, "mime_type"), "'" + v.textValue() + "' is not a media type of the form type/subtype");
        }
    }

    private static boolean hasOwnProperty(JsonNode o, TypeDef def) {
        Iterator<String> names = o.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (n.equals("extensions") || def.properties().containsKey(n) && !Registry.COMMON.containsKey(n)) {
                return true;
            }
        }
        return false;
    }

    private void scoIdentifier(JsonNode o, String base, Run run) {
        JsonNode idNode = o.get("id");
        String id = idNode == null ? null : idNode.textValue();
        if (id == null || Syntax.identifierError(id) != null || Syntax.uuidVersion(id) != '5') return;
        String expected;
        try {
            expected = ScoIds.deterministic(o).orElse(null);
        } catch (RuntimeException e) {
            return; // the property checks above already report what makes the object unusable
        }
        if (expected != null && !expected.equalsIgnoreCase(id)) {
            run.warning(at(base, "id"), "is a UUIDv5 but not the deterministic identifier " + expected
                    + " computed from the ID-contributing properties");
        }
    }

    /** A marking definition may be marked, but not by itself. */
    private void selfMarking(JsonNode o, String base, String id, Run run) {
        JsonNode refs = o.get("object_marking_refs");
        if (refs != null && refs.isArray()) {
            for (int i = 0; i < refs.size(); i++) {
                if (id.equals(refs.get(i).textValue())) {
                    run.error(at(at(base, "object_marking_refs"), i), "a marking definition cannot mark itself");
                }
            }
        }
        JsonNode granular = o.get("granular_markings");
        if (granular != null && granular.isArray()) {
            for (int i = 0; i < granular.size(); i++) {
                if (id.equals(granular.get(i).path("marking_ref").textValue())) {
                    run.error(at(at(at(base, "granular_markings"), i), "marking_ref"), "a marking definition cannot mark itself");
                }
            }
        }
    }

    private void markingDefinition(JsonNode o, String base, Run run) {
        JsonNode extensions = o.get("extensions");
        JsonNode tlp2 = extensions == null ? null : extensions.get(Tlp.EXTENSION_DEFINITION);
        JsonNode definitionType = o.get("definition_type");
        JsonNode definition = o.get("definition");
        if (extensions == null) {
            if (definitionType == null) run.error(at(base, "definition_type"), "required property definition_type is missing");
            if (definition == null) run.error(at(base, "definition"), "required property definition is missing");
        }
        String dt = definitionType == null ? null : definitionType.textValue();
        if (extensions != null && definition == null && ("statement".equals(dt) || "tlp".equals(dt))) {
            run.error(at(base, "definition"), "a " + dt + " marking needs its definition");
        }
        if (dt != null && definition != null && definition.isObject()) {
            switch (dt) {
                case "tlp" -> {
                    JsonNode level = definition.get("tlp");
                    if (level == null || !TLP_V1_LEVELS.contains(level.textValue())) {
                        run.error(at(at(base, "definition"), "tlp"), "must be one of white, green, amber, red");
                    }
                }
                case "statement" -> {
                    JsonNode statement = definition.get("statement");
                    if (statement == null || !statement.isTextual()) {
                        run.error(at(at(base, "definition"), "statement"), "a statement marking needs a statement string");
                    }
                }
                default -> run.warning(at(base, "definition_type"), "'" + dt + "' is not a definition type of STIX 2.1 (statement, tlp)");
            }
        }

        String id = o.path("id").textValue();
        if (id != null) selfMarking(o, base, id, run);
        Tlp.Standard standard = id == null ? null : Tlp.STANDARD.get(id);
        if (standard == null) {
            if (tlp2 != null) {
                run.error(at(base, "id"), "a TLP 2.0 marking must use its standard identifier, not " + id);
            } else if ("tlp".equals(dt)) {
                run.error(at(base, "id"), "a TLP 1.0 marking must use its standard identifier, not " + id);
            }
            return;
        }
        String what = "the standard " + standard.name() + " marking definition";
        if (standard.v2()) {
            String ext = at(at(base, "extensions"), Tlp.EXTENSION_DEFINITION);
            if (tlp2 == null) {
                run.error(ext, what + " must carry the TLP 2.0 extension");
            } else {
                if (!standard.level().equals(tlp2.path("tlp_2_0").textValue())) {
                    run.error(at(ext, "tlp_2_0"), what + " must have tlp_2_0 \"" + standard.level() + "\"");
                }
                if (!"property-extension".equals(tlp2.path("extension_type").textValue())) {
                    run.error(at(ext, "extension_type"), what + " must have extension_type \"property-extension\"");
                }
            }
            // Some producers add a definition_type to the TLP 2.0 objects; it is not part of them, but harmless.
            if (dt != null) run.warning(at(base, "definition_type"), what + " has no definition_type");
        } else {
            if (!"tlp".equals(dt)) run.error(at(base, "definition_type"), what + " must have definition_type \"tlp\"");
            else if (definition != null && !standard.level().equals(definition.path("tlp").textValue())) {
                run.error(at(at(base, "definition"), "tlp"), what + " must have tlp \"" + standard.level() + "\"");
            }
        }
        JsonNode name = o.get("name");
        if (name != null && !standard.name().equals(name.textValue())) {
            run.error(at(base, "name"), what + " is named \"" + standard.name() + "\", not " + name);
        }
        JsonNode created = o.get("created");
        if (created != null && !standard.created().equals(created.textValue())) {
            run.error(at(base, "created"), what + " was created " + standard.created() + ", not " + created);
        }
    }
}
