package org.entente.pattern;

import org.entente.pattern.Ast.*;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Recursive-descent parser for the STIX 2.1 patterning grammar. Precedence, loosest first:
 * FOLLOWEDBY, observation OR, observation AND, qualifiers; inside brackets OR, then AND.
 */
final class Parser {
    /** Patterns longer than this are refused before any work is done on them. */
    static final int MAX_LENGTH = 1 << 20;
    /** Bound on parenthesis nesting and on the depth of the finished tree. */
    static final int MAX_DEPTH = 500;

    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES",
            "ISSUPERSET", "ISSUBSET", "EXISTS", "LAST", "IN", "START", "STOP", "SECONDS", "WITHIN", "REPEATS",
            "TIMES");

    private enum T {
        LBRACK, RBRACK, LPAREN, RPAREN, COLON, DOT, COMMA, STAR, EQ, NEQ, LT, LE, GT, GE, IDENT, KEYWORD, BOOL,
        STRING, BINARY, HEX, TIMESTAMP, INT, FLOAT, EOF
    }

    private record Token(T type, String text, int pos, Object value) {
        String describe() {
            return type == T.EOF ? "end of pattern" : "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
        }
    }

    private final String src;
    private final List<Token> tokens;
    private int at;
    private int depth;

    private final boolean stix20;

    private Parser(String src, boolean stix20) {
        this.src = src;
        this.stix20 = stix20;
        this.tokens = lex(src);
    }

    static ObservationExpression parse(String pattern, boolean stix20) {
        if (pattern.length() > MAX_LENGTH) {
            throw new PatternSyntaxException(MAX_LENGTH, "a pattern of at most " + MAX_LENGTH + " characters",
                    pattern.length() + " characters");
        }
        Parser p = new Parser(pattern, stix20);
        ObservationExpression e = p.followedBy();
        p.expect(T.EOF, "FOLLOWEDBY, AND, OR, a qualifier or the end of the pattern");
        checkDepth(e, MAX_DEPTH);
        return e;
    }

    // ---- observation expressions

    private ObservationExpression followedBy() {
        ObservationExpression left = obsOr();
        while (keyword("FOLLOWEDBY")) {
            left = new FollowedBy(left, obsOr());
        }
        return left;
    }

    private ObservationExpression obsOr() {
        return balanced(this::obsAnd, "OR", ObsOr::new);
    }

    private ObservationExpression obsAnd() {
        return balanced(this::qualified, "AND", ObsAnd::new);
    }

    private ObservationExpression qualified() {
        ObservationExpression e = obsPrimary();
        while (true) {
            if (keyword("WITHIN")) {
                Token n = next();
                if (n.type != T.INT && n.type != T.FLOAT || n.text.startsWith("-")) {
                    throw error(n, "a positive number of seconds");
                }
                expectKeyword("SECONDS");
                e = new Within(e, new BigDecimal(n.text.startsWith("+") ? n.text.substring(1) : n.text));
            } else if (keyword("REPEATS")) {
                Token n = next();
                if (n.type != T.INT || n.text.startsWith("-")) {
                    throw error(n, "a positive whole number of repetitions");
                }
                expectKeyword("TIMES");
                e = new Repeats(e, (BigInteger) n.value);
            } else if (keyword("START")) {
                Instant start = timestampToken();
                expectKeyword("STOP");
                e = new StartStop(e, start, timestampToken());
            } else {
                return e;
            }
        }
    }

    private Instant timestampToken() {
        Token t = next();
        if (stix20 && t.type == T.STRING && Literals.timestamp((String) t.value) != null) {
            return Literals.timestamp((String) t.value);
        }
        if (t.type != T.TIMESTAMP) {
            throw error(t, "a timestamp literal t'YYYY-MM-DDTHH:MM:SSZ'");
        }
        return (Instant) t.value;
    }

    private ObservationExpression obsPrimary() {
        Token t = next();
        if (t.type == T.LBRACK) {
            ComparisonExpression c = cmpOr();
            expect(T.RBRACK, "AND, OR or ']'");
            return new Observation(c);
        }
        if (t.type == T.LPAREN) {
            enter(t);
            ObservationExpression e = followedBy();
            expect(T.RPAREN, "FOLLOWEDBY, AND, OR, a qualifier or ')'");
            depth--;
            return e;
        }
        throw error(t, "'[' or '('");
    }

    // ---- comparison expressions

    private ComparisonExpression cmpOr() {
        return balanced(this::cmpAnd, "OR", Or::new);
    }

    private ComparisonExpression cmpAnd() {
        return balanced(this::propTest, "AND", And::new);
    }

    /**
     * AND and OR are associative, so long chains become balanced trees: a pattern with ten
     * thousand alternatives is then only fourteen levels deep.
     */
    private <N> N balanced(java.util.function.Supplier<N> operand, String keyword,
                           java.util.function.BinaryOperator<N> join) {
        List<N> items = new ArrayList<>();
        items.add(operand.get());
        while (keyword(keyword)) {
            items.add(operand.get());
        }
        while (items.size() > 1) {
            List<N> next = new ArrayList<>((items.size() + 1) / 2);
            for (int i = 0; i < items.size(); i += 2) {
                next.add(i + 1 < items.size() ? join.apply(items.get(i), items.get(i + 1)) : items.get(i));
            }
            items = next;
        }
        return items.getFirst();
    }

    private ComparisonExpression propTest() {
        Token t = peek();
        if (t.type == T.LPAREN) {
            next();
            enter(t);
            ComparisonExpression c = cmpOr();
            expect(T.RPAREN, "AND, OR or ')'");
            depth--;
            return c;
        }
        if (keyword("EXISTS")) {
            return new Comparison(objectPath(), Operator.EXISTS, false, null);
        }
        ObjectPath path = objectPath();
        boolean not = keyword("NOT");
        Token op = next();
        Operator operator = switch (op.type) {
            case EQ -> Operator.EQ;
            case NEQ -> Operator.NEQ;
            case LT -> Operator.LT;
            case LE -> Operator.LE;
            case GT -> Operator.GT;
            case GE -> Operator.GE;
            case KEYWORD -> switch (op.text) {
                case "IN" -> Operator.IN;
                case "LIKE" -> Operator.LIKE;
                case "MATCHES" -> Operator.MATCHES;
                case "ISSUBSET" -> Operator.ISSUBSET;
                case "ISSUPERSET" -> Operator.ISSUPERSET;
                default -> null;
            };
            default -> null;
        };
        if (operator == null) {
            throw error(op, not ? "a comparison operator after NOT"
                    : "a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)");
        }
        Literal value = switch (operator) {
            case EQ, NEQ -> literal(true, "a literal");
            case LT, LE, GT, GE -> literal(false, "a string, number, binary or timestamp literal");
            case IN -> set();
            default -> {
                Token s = next();
                if (s.type != T.STRING) {
                    throw error(s, "a string literal");
                }
                yield new StringLiteral((String) s.value);
            }
        };
        return new Comparison(path, operator, not, value);
    }

    private SetLiteral set() {
        expect(T.LPAREN, "'(' opening a set");
        List<Literal> items = new ArrayList<>();
        if (peek().type == T.RPAREN) {
            next();
            return new SetLiteral(items);
        }
        do {
            items.add(literal(true, "a literal"));
        } while (accept(T.COMMA));
        expect(T.RPAREN, "',' or ')'");
        return new SetLiteral(items);
    }

    private Literal literal(boolean boolAllowed, String expected) {
        Token t = next();
        return switch (t.type) {
            case STRING -> new StringLiteral((String) t.value);
            case INT -> new IntLiteral((BigInteger) t.value);
            case FLOAT -> new FloatLiteral((Double) t.value);
            case BINARY, HEX -> new BinaryLiteral((byte[]) t.value);
            case TIMESTAMP -> new TimestampLiteral((Instant) t.value);
            case BOOL -> {
                if (!boolAllowed) {
                    throw error(t, expected);
                }
                yield new BoolLiteral((Boolean) t.value);
            }
            default -> throw error(t, expected);
        };
    }

    private ObjectPath objectPath() {
        Token type = next();
        if (type.type != T.IDENT) {
            throw error(type, "an object type such as 'file' or 'ipv4-addr'");
        }
        expect(T.COLON, "':' after the object type");
        List<PathStep> steps = new ArrayList<>();
        steps.add(new Key(property()));
        while (true) {
            if (accept(T.DOT)) {
                steps.add(new Key(property()));
            } else if (peek().type == T.LBRACK) {
                next();
                Token i = next();
                if (i.type == T.STAR) {
                    steps.add(new AnyIndex());
                } else if (i.type == T.INT) {
                    BigInteger v = (BigInteger) i.value;
                    if (v.bitLength() > 31) {
                        throw error(i, "a list index that fits in 32 bits");
                    }
                    steps.add(new Index(v.intValue()));
                } else {
                    throw error(i, "a list index or '*'");
                }
                expect(T.RBRACK, "']'");
            } else {
                return new ObjectPath(type.text, steps);
            }
        }
    }

    private String property() {
        Token t = next();
        if (t.type == T.STRING) {
            return (String) t.value;
        }
        if (t.type == T.IDENT && t.text.indexOf('-') < 0) {
            return t.text;
        }
        throw error(t, t.type == T.IDENT ? "a property name without '-' (quote it: 'name-with-hyphen')"
                : "a property name");
    }

    // ---- token helpers

    private void enter(Token t) {
        if (++depth > MAX_DEPTH) {
            throw error(t, "parentheses nested at most " + MAX_DEPTH + " deep");
        }
    }

    private static void checkDepth(ObservationExpression e, int budget) {
        if (budget == 0) {
            throw new PatternSyntaxException(0, "a pattern nested at most " + MAX_DEPTH + " levels deep",
                    "deeper nesting");
        }
        switch (e) {
            case Observation o -> checkDepth(o.comparison(), budget - 1);
            case ObsAnd a -> {
                checkDepth(a.left(), budget - 1);
                checkDepth(a.right(), budget - 1);
            }
            case ObsOr a -> {
                checkDepth(a.left(), budget - 1);
                checkDepth(a.right(), budget - 1);
            }
            case FollowedBy a -> {
                checkDepth(a.left(), budget - 1);
                checkDepth(a.right(), budget - 1);
            }
            case Within w -> checkDepth(w.inner(), budget - 1);
            case Repeats r -> checkDepth(r.inner(), budget - 1);
            case StartStop s -> checkDepth(s.inner(), budget - 1);
        }
    }

    private static void checkDepth(ComparisonExpression e, int budget) {
        if (budget == 0) {
            throw new PatternSyntaxException(0, "a pattern nested at most " + MAX_DEPTH + " levels deep",
                    "deeper nesting");
        }
        switch (e) {
            case And a -> {
                checkDepth(a.left(), budget - 1);
                checkDepth(a.right(), budget - 1);
            }
            case Or a -> {
                checkDepth(a.left(), budget - 1);
                checkDepth(a.right(), budget - 1);
            }
            case Comparison c -> {
            }
        }
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        Token t = tokens.get(at);
        if (t.type != T.EOF) {
            at++;
        }
        return t;
    }

    private boolean accept(T type) {
        if (peek().type == type) {
            next();
            return true;
        }
        return false;
    }

    private boolean keyword(String kw) {
        Token t = peek();
        if (t.type == T.KEYWORD && t.text.equals(kw)) {
            next();
            return true;
        }
        return false;
    }

    private void expectKeyword(String kw) {
        if (!keyword(kw)) {
            throw error(peek(), kw);
        }
    }

    private void expect(T type, String expected) {
        Token t = next();
        if (t.type != type) {
            throw error(t, expected);
        }
    }

    private PatternSyntaxException error(Token t, String expected) {
        return new PatternSyntaxException(t.pos, expected, t.describe());
    }

    // ---- lexer

    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                out.add(new Token(T.EOF, "", n, null));
                return out;
            }
            int start = i;
            char c = s.charAt(i);
            T simple = switch (c) {
                case '[' -> T.LBRACK;
                case ']' -> T.RBRACK;
                case '(' -> T.LPAREN;
                case ')' -> T.RPAREN;
                case ':' -> T.COLON;
                case ',' -> T.COMMA;
                case '*' -> T.STAR;
                case '=' -> T.EQ;
                default -> null;
            };
            if (simple != null) {
                i++;
                if (c == '=' && i < n && s.charAt(i) == '=') {
                    i++;
                }
                out.add(new Token(simple, s.substring(start, i), start, null));
                continue;
            }
            if (c == '!' || c == '<' || c == '>') {
                i++;
                boolean eq = i < n && s.charAt(i) == '=';
                T type;
                if (c == '!') {
                    if (!eq) {
                        throw new PatternSyntaxException(start, "'!='", "'!'");
                    }
                    type = T.NEQ;
                } else if (c == '<' && i < n && s.charAt(i) == '>') {
                    type = T.NEQ;
                    eq = true;
                } else {
                    type = c == '<' ? (eq ? T.LE : T.LT) : (eq ? T.GE : T.GT);
                }
                if (eq) {
                    i++;
                }
                out.add(new Token(type, s.substring(start, i), start, null));
                continue;
            }
            if (c == '\'') {
                int[] end = new int[1];
                String v = string(s, i, end);
                i = end[0];
                out.add(new Token(T.STRING, s.substring(start, i), start, v));
                continue;
            }
            if ((c == 'b' || c == 'h' || c == 't') && i + 1 < n && s.charAt(i + 1) == '\'') {
                int[] end = new int[1];
                String v = string(s, i + 1, end);
                i = end[0];
                String text = s.substring(start, i);
                out.add(switch (c) {
                    case 'b' -> new Token(T.BINARY, text, start, decode(v, start, "base64 (b'AQID')",
                            x -> x.length() % 4 == 0 ? Base64.getDecoder().decode(x) : null));
                    case 'h' -> new Token(T.HEX, text, start, decode(v, start, "an even number of hex digits (h'0a1b')",
                            x -> x.length() % 2 == 0 ? HexFormat.of().parseHex(x) : null));
                    default -> {
                        Instant ts = Literals.timestamp(v);
                        if (ts == null) {
                            throw new PatternSyntaxException(start, "a timestamp t'YYYY-MM-DDTHH:MM:SS[.s]Z'", text);
                        }
                        yield new Token(T.TIMESTAMP, text, start, ts);
                    }
                });
                continue;
            }
            if (c == '.' && !(i + 1 < n && isDigit(s.charAt(i + 1)))) {
                out.add(new Token(T.DOT, ".", start, null));
                i++;
                continue;
            }
            if (isDigit(c) || c == '.' || c == '-' || c == '+') {
                i++;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                boolean isFloat = false;
                if (c != '.' && i < n && s.charAt(i) == '.') {
                    isFloat = true;
                    i++;
                    int digitsFrom = i;
                    while (i < n && isDigit(s.charAt(i))) {
                        i++;
                    }
                    if (i == digitsFrom) {
                        throw new PatternSyntaxException(i, "a digit after the decimal point", describeAt(s, i));
                    }
                } else if (c == '.') {
                    isFloat = true;
                }
                String text = s.substring(start, i);
                String digits = text.startsWith("+") ? text.substring(1) : text;
                if (digits.isEmpty() || digits.equals("-") || digits.equals(".")) {
                    throw new PatternSyntaxException(start, "a number", "'" + text + "'");
                }
                if (isFloat) {
                    double d = Double.parseDouble(digits);
                    if (Double.isInfinite(d)) {
                        throw new PatternSyntaxException(start, "a finite number", "'" + text + "'");
                    }
                    out.add(new Token(T.FLOAT, text, start, d));
                } else {
                    if (digits.length() > 40) {
                        throw new PatternSyntaxException(start, "an integer of at most 40 digits", "'" + text + "'");
                    }
                    out.add(new Token(T.INT, text, start, new BigInteger(digits)));
                }
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                i++;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) {
                    i++;
                }
                String text = s.substring(start, i);
                if (!ascii(text)) {
                    throw new PatternSyntaxException(start, "an ASCII identifier", "'" + text + "'");
                }
                if (KEYWORDS.contains(text)) {
                    out.add(new Token(T.KEYWORD, text, start, null));
                } else if (text.equals("true") || text.equals("false")) {
                    out.add(new Token(T.BOOL, text, start, text.equals("true")));
                } else {
                    out.add(new Token(T.IDENT, text, start, null));
                }
                continue;
            }
            throw new PatternSyntaxException(start, "a token", describeAt(s, start));
        }
    }

    private static Object decode(String v, int pos, String expected, Function<String, byte[]> f) {
        try {
            byte[] b = f.apply(v);
            if (b != null) {
                return b;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the syntax error
        }
        throw new PatternSyntaxException(pos, expected, "'" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'");
    }

    private static String string(String s, int open, int[] end) {
        StringBuilder b = new StringBuilder();
        int i = open + 1;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'') {
                end[0] = i + 1;
                return b.toString();
            }
            if (c == '\\') {
                if (i + 1 < n && (s.charAt(i + 1) == '\'' || s.charAt(i + 1) == '\\')) {
                    b.append(s.charAt(i + 1));
                    i += 2;
                    continue;
                }
                throw new PatternSyntaxException(i, "\\' or \\\\ (the only escapes in a string literal)",
                        describeAt(s, i));
            }
            b.append(c);
            i++;
        }
        throw new PatternSyntaxException(open, "a closing quote for the string opened here", "end of pattern");
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describeAt(String s, int i) {
        return i >= s.length() ? "end of pattern" : "'" + s.charAt(i) + "'";
    }
}
