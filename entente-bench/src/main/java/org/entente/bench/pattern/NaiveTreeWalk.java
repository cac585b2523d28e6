package org.entente.bench.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.entente.pattern.Ast.*;
import org.entente.pattern.Cidr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline for the per-pair benchmark: a direct walk of the syntax tree with nothing
 * prepared in advance (regular expressions compiled and paths resolved on every evaluation) and
 * every binding of observations enumerated before the answer is known, which is how a first
 * implementation of the specification looks. It covers the common subset of the semantics;
 * the benchmark keeps only the cases where it agrees with the real evaluator.
 */
final class NaiveTreeWalk {
    private static final int MAX_BINDINGS = 200_000;

    record Obs(String id, Instant first, Instant last, List<JsonNode> roots, Map<String, JsonNode> scope) {
    }

    static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    static List<Obs> observations(List<JsonNode> bundles) {
        List<Obs> out = new ArrayList<>();
        for (JsonNode b : bundles) {
            Map<String, JsonNode> byId = new HashMap<>();
            b.path("objects").forEach(o -> byId.put(o.path("id").asText(), o));
            for (JsonNode o : b.path("objects")) {
                if (o.path("type").asText().equals("observed-data")) {
                    List<JsonNode> roots = new ArrayList<>();
                    Map<String, JsonNode> scope = new HashMap<>();
                    o.path("object_refs").forEach(r -> {
                        JsonNode x = byId.get(r.asText());
                        if (x != null) {
                            roots.add(x);
                            scope.put(r.asText(), x);
                        }
                    });
                    Instant first = Instant.parse(o.get("first_observed").asText());
                    Instant last = o.has("last_observed") ? Instant.parse(o.get("last_observed").asText()) : first;
                    for (int k = 0; k < o.path("number_observed").asInt(1); k++) {
                        out.add(new Obs(o.path("id").asText(), first, last, roots, scope));
                    }
                }
            }
        }
        return out;
    }

    static boolean matches(ObservationExpression e, List<Obs> obs) {
        return !bindings(e, obs).isEmpty();
    }

    private static List<List<Integer>> bindings(ObservationExpression e, List<Obs> obs) {
        List<List<Integer>> out = new ArrayList<>();
        switch (e) {
            case Observation o -> {
                for (int i = 0; i < obs.size(); i++) {
                    for (JsonNode root : obs.get(i).roots()) {
                        if (test(o.comparison(), root, obs.get(i).scope())) {
                            out.add(List.of(i));
                            break;
                        }
                    }
                }
            }
            case ObsOr x -> {
                out.addAll(bindings(x.left(), obs));
                out.addAll(bindings(x.right(), obs));
            }
            case ObsAnd x -> join(bindings(x.left(), obs), bindings(x.right(), obs), obs, false, out);
            case FollowedBy x -> join(bindings(x.left(), obs), bindings(x.right(), obs), obs, true, out);
            case Within w -> {
                long nanos = w.seconds().movePointRight(9).longValue();
                for (List<Integer> b : bindings(w.inner(), obs)) {
                    Instant earliestLast = Instant.MAX;
                    Instant latestFirst = Instant.MIN;
                    for (int i : b) {
                        earliestLast = obs.get(i).last().isBefore(earliestLast) ? obs.get(i).last() : earliestLast;
                        latestFirst = obs.get(i).first().isAfter(latestFirst) ? obs.get(i).first() : latestFirst;
                    }
                    if (!latestFirst.isAfter(earliestLast.plusNanos(nanos))) {
                        out.add(b);
                    }
                }
            }
            case StartStop s -> {
                for (List<Integer> b : bindings(s.inner(), obs)) {
                    boolean ok = s.start().isBefore(s.stop());
                    for (int i : b) {
                        ok &= obs.get(i).first().isBefore(s.stop()) && !obs.get(i).last().isBefore(s.start());
                    }
                    if (ok) {
                        out.add(b);
                    }
                }
            }
            case Repeats r -> {
                List<List<Integer>> inner = bindings(r.inner(), obs);
                List<List<Integer>> acc = List.of(List.of());
                for (int k = 0; k < r.times().intValueExact(); k++) {
                    List<List<Integer>> next = new ArrayList<>();
                    join(acc, inner, obs, false, next);
                    acc = next;
                }
                out.addAll(acc);
            }
        }
        if (out.size() > MAX_BINDINGS) {
            throw new Unsupported("too many bindings");
        }
        return out;
    }

    private static void join(List<List<Integer>> left, List<List<Integer>> right, List<Obs> obs, boolean ordered,
                             List<List<Integer>> out) {
        for (List<Integer> l : left) {
            for (List<Integer> r : right) {
                if (l.stream().anyMatch(r::contains)) {
                    continue;
                }
                if (ordered) {
                    Instant latestFirst = l.stream().map(i -> obs.get(i).first()).max(Instant::compareTo).orElseThrow();
                    Instant earliestLast = r.stream().map(i -> obs.get(i).last()).min(Instant::compareTo).orElseThrow();
                    if (latestFirst.isAfter(earliestLast)) {
                        continue;
                    }
                }
                List<Integer> both = new ArrayList<>(l);
                both.addAll(r);
                out.add(both);
                if (out.size() > MAX_BINDINGS) {
                    throw new Unsupported("too many bindings");
                }
            }
        }
    }

    private static boolean test(ComparisonExpression c, JsonNode root, Map<String, JsonNode> scope) {
        return switch (c) {
            case And a -> test(a.left(), root, scope) && test(a.right(), root, scope);
            case Or o -> test(o.left(), root, scope) || test(o.right(), root, scope);
            case Comparison cmp -> {
                if (!root.path("type").asText().equals(cmp.path().objectType())) {
                    yield false;
                }
                List<JsonNode> values = List.of(root);
                for (PathStep s : cmp.path().steps()) {
                    List<JsonNode> next = new ArrayList<>();
                    for (JsonNode v : values) {
                        switch (s) {
                            case Key k -> {
                                if (k.name().endsWith("_hex") || k.name().endsWith("_bin")) {
                                    throw new Unsupported("binary");
                                }
                                JsonNode x = v.get(k.name());
                                if (x != null && k.name().endsWith("_ref")) {
                                    x = scope.get(x.asText());
                                } else if (x != null && k.name().endsWith("_refs")) {
                                    var arr = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
                                    x.forEach(r -> {
                                        if (scope.get(r.asText()) != null) {
                                            arr.add(scope.get(r.asText()));
                                        }
                                    });
                                    x = arr;
                                }
                                if (x != null) {
                                    next.add(x);
                                }
                            }
                            case Index i -> {
                                if (v.isArray() && i.index() >= 0 && i.index() < v.size()) {
                                    next.add(v.get(i.index()));
                                }
                            }
                            case AnyIndex any -> v.forEach(next::add);
                        }
                    }
                    values = next;
                }
                if (cmp.operator() == Operator.EXISTS) {
                    yield !values.isEmpty();
                }
                for (JsonNode v : values) {
                    if (compare(v, cmp.operator(), cmp.value()) != cmp.negated()) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private static boolean compare(JsonNode v, Operator op, Literal lit) {
        return switch (op) {
            case EQ -> eq(v, lit);
            case NEQ -> !eq(v, lit);
            case LT, LE, GT, GE -> {
                Integer c = order(v, lit);
                yield c != null && switch (op) {
                    case LT -> c < 0;
                    case LE -> c <= 0;
                    case GT -> c > 0;
                    default -> c >= 0;
                };
            }
            case IN -> ((SetLiteral) lit).elements().stream().anyMatch(e -> eq(v, e));
            case LIKE -> v.isTextual() && java.util.regex.Pattern.compile(
                    ((StringLiteral) lit).value().replace(".", "\\.").replace("%", ".*").replace("_", "."),
                    java.util.regex.Pattern.DOTALL).matcher(v.textValue()).matches();
            case MATCHES -> v.isTextual() && java.util.regex.Pattern.compile(((StringLiteral) lit).value())
                    .matcher(v.textValue()).find();
            case ISSUBSET, ISSUPERSET -> {
                Cidr x = v.isTextual() ? Cidr.parse(v.textValue()) : null;
                Cidr l = Cidr.parse(((StringLiteral) lit).value());
                yield x != null && (op == Operator.ISSUBSET ? l.contains(x) : x.contains(l));
            }
            case EXISTS -> true;
        };
    }

    private static boolean eq(JsonNode v, Literal lit) {
        Integer c = order(v, lit);
        if (lit instanceof BoolLiteral b) {
            return v.isBoolean() && v.booleanValue() == b.value();
        }
        return c != null && c == 0;
    }

    private static Integer order(JsonNode v, Literal lit) {
        return switch (lit) {
            case StringLiteral s -> v.isTextual() ? Integer.signum(v.textValue().compareTo(s.value())) : null;
            case IntLiteral i -> v.isNumber() ? Double.compare(v.doubleValue(), i.value().doubleValue()) : null;
            case FloatLiteral f -> v.isNumber() ? Double.compare(v.doubleValue(), f.value()) : null;
            case TimestampLiteral t -> v.isTextual() ? Instant.parse(v.textValue()).compareTo(t.value()) : null;
            case BoolLiteral b -> null;
            default -> throw new Unsupported(lit.getClass().getSimpleName());
        };
    }
}
