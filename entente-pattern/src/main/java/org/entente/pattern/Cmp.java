package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.entente.pattern.Ast.*;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

/**
 * A comparison expression compiled for evaluation against one root cyber-observable object:
 * literals are decoded, regular expressions compiled and sets checked once.
 */
sealed interface Cmp {

    /** True when {@code root} satisfies the expression; {@code scope} resolves its references. */
    boolean test(JsonNode root, Map<String, JsonNode> scope);

    record AndC(Cmp left, Cmp right) implements Cmp {
        public boolean test(JsonNode root, Map<String, JsonNode> scope) {
            return left.test(root, scope) && right.test(root, scope);
        }
    }

    record OrC(Cmp left, Cmp right) implements Cmp {
        public boolean test(JsonNode root, Map<String, JsonNode> scope) {
            return left.test(root, scope) || right.test(root, scope);
        }
    }

    /** One property test: resolve the path, then any resolved value passing the predicate passes. */
    record TestC(Comparison source, String type, PathStep[] steps, Predicate<JsonNode> predicate, boolean negated,
                 boolean exists) implements Cmp {
        public boolean test(JsonNode root, Map<String, JsonNode> scope) {
            if (!type.equals(root.path("type").asText())) {
                return false;
            }
            List<JsonNode> values = resolve(root, steps, scope);
            if (exists) {
                return !values.isEmpty();
            }
            for (JsonNode v : values) {
                if (predicate.test(v) != negated) {
                    return true;
                }
            }
            return false;
        }
    }

    static Cmp compile(ComparisonExpression e) {
        return switch (e) {
            case And a -> new AndC(compile(a.left()), compile(a.right()));
            case Or o -> new OrC(compile(o.left()), compile(o.right()));
            case Comparison c -> new TestC(c, c.path().objectType(), c.path().steps().toArray(PathStep[]::new),
                    predicate(c), c.negated(), c.operator() == Operator.EXISTS);
        };
    }

    private static Predicate<JsonNode> predicate(Comparison c) {
        Literal lit = c.value();
        return switch (c.operator()) {
            case EXISTS -> v -> true;
            case EQ -> v -> Value.eq(v, lit);
            case NEQ -> v -> !Value.eq(v, lit);
            case LT -> v -> {
                Integer o = Value.order(v, lit);
                return o != null && o < 0;
            };
            case LE -> v -> {
                Integer o = Value.order(v, lit);
                return o != null && o <= 0;
            };
            case GT -> v -> {
                Integer o = Value.order(v, lit);
                return o != null && o > 0;
            };
            case GE -> v -> {
                Integer o = Value.order(v, lit);
                return o != null && o >= 0;
            };
            case IN -> {
                List<Literal> elements = checkedSet((SetLiteral) lit);
                yield v -> {
                    for (Literal e : elements) {
                        if (Value.eq(v, e)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            case LIKE -> like(((StringLiteral) lit).value());
            case MATCHES -> matches(((StringLiteral) lit).value());
            case ISSUBSET -> {
                Cidr net = cidrLiteral(lit);
                yield v -> {
                    Cidr x = v.isTextual() ? Cidr.parse(v.textValue()) : null;
                    return x != null && net.contains(x);
                };
            }
            case ISSUPERSET -> {
                Cidr inner = cidrLiteral(lit);
                yield v -> {
                    Cidr x = v.isTextual() ? Cidr.parse(v.textValue()) : null;
                    return x != null && x.contains(inner);
                };
            }
        };
    }

    /** A set must hold values of one type; integers and floats may mix. */
    private static List<Literal> checkedSet(SetLiteral s) {
        Class<?> kind = null;
        for (Literal e : s.elements()) {
            Class<?> k = e instanceof IntLiteral || e instanceof FloatLiteral ? Number.class : e.getClass();
            if (kind != null && kind != k) {
                throw new PatternEvaluationException("a set literal must hold values of one type: " + s.elements());
            }
            kind = k;
        }
        return s.elements();
    }

    private static Cidr cidrLiteral(Literal lit) {
        String s = ((StringLiteral) lit).value();
        Cidr c = Cidr.parse(s);
        if (c == null) {
            throw new PatternEvaluationException("not an IPv4 or IPv6 address or CIDR network: " + Literals.quote(s));
        }
        return c;
    }

    /** SQL LIKE: {@code %} any run, {@code _} one character, everything else literal; the whole value must match. */
    static java.util.regex.Pattern likeRegex(String like) {
        String norm = Normalizer.normalize(like, Normalizer.Form.NFC);
        StringBuilder re = new StringBuilder();
        int lit = -1;
        for (int i = 0; i < norm.length(); i++) {
            char ch = norm.charAt(i);
            if (ch == '%' || ch == '_') {
                if (lit >= 0) {
                    re.append(java.util.regex.Pattern.quote(norm.substring(lit, i)));
                    lit = -1;
                }
                re.append(ch == '%' ? ".*" : ".");
            } else if (lit < 0) {
                lit = i;
            }
        }
        if (lit >= 0) {
            re.append(java.util.regex.Pattern.quote(norm.substring(lit)));
        }
        return java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.DOTALL);
    }

    private static Predicate<JsonNode> like(String like) {
        java.util.regex.Pattern re = likeRegex(like);
        return v -> {
            String s = text(v);
            return s != null && re.matcher(Bounded.of(nfc(s))).matches();
        };
    }

    private static Predicate<JsonNode> matches(String regex) {
        String norm = Normalizer.normalize(regex, Normalizer.Form.NFC);
        java.util.regex.Pattern re;
        try {
            re = java.util.regex.Pattern.compile(norm);
        } catch (PatternSyntaxException e) {
            throw new PatternEvaluationException("invalid regular expression " + Literals.quote(regex) + ": "
                    + e.getDescription());
        }
        boolean binaryUsable = norm.chars().allMatch(ch -> ch < 256);
        return v -> {
            if (v.isTextual()) {
                return re.matcher(Bounded.of(nfc(v.textValue()))).find();
            }
            if (v.isBinary() && binaryUsable) {
                return re.matcher(Bounded.of(new String(((BinaryNode) v).binaryValue(), StandardCharsets.ISO_8859_1)))
                        .find();
            }
            return false;
        };
    }

    /** Text of a string, or of a binary value that is valid UTF-8; null otherwise. */
    private static String text(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBinary()) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(((BinaryNode) v).binaryValue()))
                        .toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
        return null;
    }

    private static String nfc(String s) {
        return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    /**
     * Follows an object path from a root object. Keys ending in {@code _ref}/{@code _refs} are
     * dereferenced within the observation; keys ending in {@code _hex}/{@code _bin} yield binary.
     */
    static List<JsonNode> resolve(JsonNode root, PathStep[] steps, Map<String, JsonNode> scope) {
        List<JsonNode> current = List.of(root);
        for (PathStep step : steps) {
            List<JsonNode> next = new ArrayList<>(current.size());
            switch (step) {
                case Key k -> {
                    String name = k.name();
                    for (JsonNode v : current) {
                        JsonNode x = v.isObject() ? v.get(name) : null;
                        if (x != null) {
                            stepKey(name, x, scope, next);
                        }
                    }
                }
                case Index ix -> {
                    for (JsonNode v : current) {
                        if (v.isArray() && ix.index() >= 0 && ix.index() < v.size()) {
                            next.add(v.get(ix.index()));
                        }
                    }
                }
                case AnyIndex any -> {
                    for (JsonNode v : current) {
                        if (v.isArray()) {
                            v.forEach(next::add);
                        }
                    }
                }
            }
            if (next.isEmpty()) {
                return next;
            }
            current = next;
        }
        return current;
    }

    private static void stepKey(String name, JsonNode x, Map<String, JsonNode> scope, List<JsonNode> out) {
        if (name.endsWith("_ref")) {
            if (!x.isTextual()) {
                throw new PatternEvaluationException("reference property '" + name + "' is not a string");
            }
            JsonNode target = scope.get(x.textValue());
            if (target != null) {
                out.add(target);
            }
        } else if (name.endsWith("_refs")) {
            if (!x.isArray()) {
                throw new PatternEvaluationException("reference list property '" + name + "' is not a list");
            }
            var list = JsonNodeFactory.instance.arrayNode(x.size());
            for (JsonNode r : x) {
                if (!r.isTextual()) {
                    throw new PatternEvaluationException("a value of reference list '" + name + "' is not a string");
                }
                JsonNode target = scope.get(r.textValue());
                if (target != null) {
                    list.add(target);
                }
            }
            if (!list.isEmpty()) {
                out.add(list);
            }
        } else if (x.isTextual() && (name.endsWith("_hex") || name.endsWith("_bin"))) {
            try {
                byte[] b = name.endsWith("_hex") ? HexFormat.of().parseHex(x.textValue())
                        : Base64.getDecoder().decode(x.textValue());
                out.add(BinaryNode.valueOf(b));
            } catch (IllegalArgumentException e) {
                throw new PatternEvaluationException("property '" + name + "' is not valid "
                        + (name.endsWith("_hex") ? "hex" : "base64") + ": " + Literals.quote(Value.abbreviate(x.textValue())));
            }
        } else {
            out.add(x);
        }
    }
}
