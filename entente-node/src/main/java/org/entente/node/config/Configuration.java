package org.entente.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.entente.node.common.InvalidInput;
import org.entente.node.config.DatabaseLocation;

/**
 * The settings of a node, read once from (weakest first) the defaults, an optional configuration
 * file, the environment and the command line, and checked before anything starts: a wrong value is
 * refused with the key, where it came from and what would be right.
 */
public final class Configuration {

    /** Where a value came from, for `entente config show` and for error messages. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT, OPTION }

    public record Value(String text, Source source) {}

    private final Map<Key, Value> values;
    private final Path file;

    private Configuration(Map<Key, Value> values, Path file) {
        this.values = values;
        this.file = file;
    }

    /**
     * Resolves every key.
     *
     * @param environment the process environment (tests pass their own)
     * @param file the configuration file given with --config; when null, {@code ENTENTE_CONFIG} or
     *     {@code <data>/entente.conf} if that exists
     * @param options values given on the command line
     * @throws InvalidInput naming each key that is wrong
     */
    public static Configuration load(Map<String, String> environment, Path file, Map<Key, String> options) {
        return load(environment, file, options, true);
    }

    /** The operating system's environment: read here and nowhere else in the node. */
    public static Map<String, String> processEnvironment() {
        return System.getenv();
    }

    /** Defaults only, with the given values on top: what tests use, never the developer's shell or files. */
    public static Configuration of(Map<Key, String> values) {
        return load(Map.of(), null, values, false);
    }

    private static Configuration load(Map<String, String> environment, Path file, Map<Key, String> options,
            boolean findFile) {
        Map<Key, Value> v = new EnumMap<>(Key.class);
        for (Key k : Key.values()) k.defaultValue().ifPresent(d -> v.put(k, new Value(d, Source.DEFAULT)));
        Map<Key, String> env = new EnumMap<>(Key.class);
        for (Key k : Key.values()) {
            String s = environment.get(k.environmentVariable());
            if (s != null && !s.isBlank()) env.put(k, s.strip());
        }
        Path configFile = file;
        String namedBy = "--config";
        if (configFile == null && findFile) {
            String named = environment.get("ENTENTE_CONFIG");
            if (named != null && !named.isBlank()) {
                configFile = Path.of(named.strip());
                namedBy = "ENTENTE_CONFIG";
            } else {
                String data = options.getOrDefault(Key.DATA, env.getOrDefault(Key.DATA, Key.DATA.defaultValue().orElseThrow()));
                Path candidate = expandHome(data).resolve("entente.conf");
                if (Files.isRegularFile(candidate)) {
                    configFile = candidate;
                    namedBy = Key.DATA.fileName();
                }
            }
        }
        if (configFile != null) {
            readFile(configFile, namedBy).forEach((k, s) -> v.put(k, new Value(s, Source.FILE)));
        }
        env.forEach((k, s) -> v.put(k, new Value(s, Source.ENVIRONMENT)));
        options.forEach((k, s) -> {
            if (s != null) v.put(k, new Value(s, Source.OPTION));
        });
        Configuration c = new Configuration(v, configFile);
        c.check();
        return c;
    }

    /** @param namedBy what named the file: the option or the variable, for the error when it is missing */
    private static Map<Key, String> readFile(Path path, String namedBy) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw InvalidInput.of("Invalid configuration", namedBy, "no configuration file " + path);
        } catch (IOException e) {
            throw InvalidInput.of("Invalid configuration", namedBy, "cannot read " + path + ": " + e.getMessage());
        }
        Map<Key, String> out = new LinkedHashMap<>();
        List<InvalidInput.Problem> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String where = path + " line " + (i + 1);
            if (eq <= 0) {
                problems.add(new InvalidInput.Problem(where, "expected 'key = value', not '" + line + "'"));
                continue;
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            Optional<Key> key = Key.byFileName(name);
            if (key.isEmpty()) {
                problems.add(new InvalidInput.Problem(where, "unknown key '" + name + "'; known keys: " + knownKeys()));
                continue;
            }
            out.put(key.get(), value);
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid configuration", problems);
        return out;
    }

    private static String knownKeys() {
        return String.join(", ", java.util.Arrays.stream(Key.values()).map(Key::fileName).toList());
    }

    // ---------------------------------------------------------------- checks

    private void check() {
        List<InvalidInput.Problem> problems = new ArrayList<>();
        checkInt(Key.PORT, 0, 65535, problems);
        checkInt(Key.FEDERATION_PORT, 0, 65535, problems);
        if (optional(Key.FEDERATION_CERT).isPresent() != optional(Key.FEDERATION_KEY).isPresent()) {
            Key missing = optional(Key.FEDERATION_CERT).isPresent() ? Key.FEDERATION_KEY : Key.FEDERATION_CERT;
            problems.add(problem(missing, "federation.cert and federation.key go together: give both or neither"));
        }
        for (Key k : new Key[] {Key.FEDERATION_CERT, Key.FEDERATION_KEY}) {
            optional(k).ifPresent(p -> {
                if (!Files.isReadable(Path.of(p))) problems.add(problem(k, "cannot read " + p));
            });
        }
        optional(Key.FEDERATION_URL).ifPresent(u -> {
            try {
                java.net.URI uri = new java.net.URI(u);
                if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    problems.add(problem(Key.FEDERATION_URL, "'" + u + "' is not an https:// URL with a host"));
                }
            } catch (java.net.URISyntaxException e) {
                problems.add(problem(Key.FEDERATION_URL, "'" + u + "' is not a URL: " + e.getReason()));
            }
        });
        for (Key k : new Key[] {Key.SYNC_EVERY, Key.FEDERATION_TIMEOUT, Key.REQUESTS_CHECK_EVERY}) {
            try {
                Duration d = parseDuration(text(k));
                if (d.toMillis() < 100) problems.add(problem(k, "must be at least 100ms"));
            } catch (IllegalArgumentException e) {
                problems.add(problem(k, e.getMessage()));
            }
        }
        checkLong(Key.MAX_CONTENT_LENGTH, 1024, 1L << 31, problems);
        checkLong(Key.REQUESTS_ATTACHMENT_LIMIT, 1, 1L << 30, problems);
        optional(Key.DATABASE_URL).ifPresent(u -> {
            try {
                DatabaseLocation.parseUrl(u);
            } catch (IllegalArgumentException e) {
                problems.add(problem(Key.DATABASE_URL, e.getMessage()));
            }
        });
        if (optional(Key.TLS_CERT).isPresent() != optional(Key.TLS_KEY).isPresent()) {
            Key missing = optional(Key.TLS_CERT).isPresent() ? Key.TLS_KEY : Key.TLS_CERT;
            problems.add(problem(missing, "tls.cert and tls.key go together: give both or neither"));
        }
        for (Key k : new Key[] {Key.TLS_CERT, Key.TLS_KEY}) {
            optional(k).ifPresent(p -> {
                if (!Files.isReadable(Path.of(p))) problems.add(problem(k, "cannot read " + p));
            });
        }
        String nation = text(Key.ORG_NATION);
        if (!nation.toUpperCase(Locale.ROOT).matches("[A-Z]{2}")) {
            problems.add(problem(Key.ORG_NATION, "'" + nation + "' is not an ISO 3166-1 alpha-2 code (e.g. DE, JO, EE)"));
        }
        try {
            Duration d = parseDuration(text(Key.RETENTION_EVERY));
            if (d.toSeconds() < 1) problems.add(problem(Key.RETENTION_EVERY, "must be at least one second"));
        } catch (IllegalArgumentException e) {
            problems.add(problem(Key.RETENTION_EVERY, e.getMessage()));
        }
        try {
            Duration d = parseDuration(text(Key.CONSOLE_SESSION_IDLE));
            if (d.toMinutes() < 1 || d.toHours() > 14) {
                problems.add(problem(Key.CONSOLE_SESSION_IDLE, "must be between one minute and 14 hours"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(problem(Key.CONSOLE_SESSION_IDLE, e.getMessage()));
        }
        checkLong(Key.SCREENING_LIMIT_USER, 0, 100_000_000, problems);
        checkLong(Key.SCREENING_LIMIT_ORGANISATION, 0, 1_000_000_000, problems);
        checkInt(Key.SCREENING_SWEEP_DOCUMENTS, 0, 1_000_000, problems);
        checkInt(Key.SCREENING_SWEEP_NAMES, 0, 1_000_000, problems);
        checkInt(Key.EVENTS_MAX_CLIENTS, 1, 100_000, problems);
        for (Key k : new Key[] {Key.SCREENING_SWEEP_WINDOW, Key.SCREENING_SWEEP_BLOCK}) {
            try {
                if (parseDuration(text(k)).toSeconds() < 1) problems.add(problem(k, "must be at least one second"));
            } catch (IllegalArgumentException e) {
                problems.add(problem(k, e.getMessage()));
            }
        }
        String format = text(Key.LOG_FORMAT);
        if (!format.equals("json") && !format.equals("text")) {
            problems.add(problem(Key.LOG_FORMAT, "'" + format + "' is not 'json' or 'text'"));
        }
        for (Key k : new Key[] {Key.METRICS_OPEN_ON_LOOPBACK, Key.SCREENING_SYNCHRONOUS_COMMIT}) {
            String b = text(k);
            if (!b.equals("true") && !b.equals("false")) problems.add(problem(k, "'" + b + "' is not 'true' or 'false'"));
        }
        for (Key k : Key.values()) {
            optional(k).ifPresent(s -> {
                if (s.indexOf('\0') >= 0) problems.add(problem(k, "contains a NUL character"));
            });
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid configuration", problems);
    }

    private void checkInt(Key k, int min, int max, List<InvalidInput.Problem> problems) {
        checkLong(k, min, max, problems);
    }

    private void checkLong(Key k, long min, long max, List<InvalidInput.Problem> problems) {
        String s = text(k);
        try {
            long n = Long.parseLong(s);
            if (n < min || n > max) problems.add(problem(k, n + " is not between " + min + " and " + max));
        } catch (NumberFormatException e) {
            problems.add(problem(k, "'" + s + "' is not a whole number between " + min + " and " + max));
        }
    }

    /** A problem named by the key's file name, the variable, and where the wrong value came from. */
    private InvalidInput.Problem problem(Key k, String message) {
        Value v = values.get(k);
        String from = v == null ? "" : switch (v.source()) {
            case DEFAULT -> " (default)";
            case FILE -> " (from " + file + ")";
            case ENVIRONMENT -> " (from " + k.environmentVariable() + ")";
            case OPTION -> " (from the command line)";
        };
        return new InvalidInput.Problem(k.fileName() + from, message);
    }

    /** Durations as operators write them: 90s, 30m, 1h, 2d, or ISO 8601 (PT1H). */
    public static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
            if (t.matches("\\d+(ms|s|m|h|d)")) {
                int unitAt = t.endsWith("ms") ? t.length() - 2 : t.length() - 1;
                long n = Long.parseLong(t.substring(0, unitAt));
                return switch (t.substring(unitAt)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("'" + s + "' is not a duration such as 90s, 30m, 1h, 2d or PT1H");
    }

    private static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            String home = System.getProperty("user.home");
            return Path.of(home + path.substring(1));
        }
        return Path.of(path);
    }

    // ---------------------------------------------------------------- reading

    public String text(Key k) {
        Value v = values.get(k);
        if (v == null) throw new IllegalStateException("no value for " + k.fileName());
        return v.text();
    }

    public Optional<String> optional(Key k) {
        Value v = values.get(k);
        return v == null || v.text().isBlank() ? Optional.empty() : Optional.of(v.text());
    }

    public Source source(Key k) {
        Value v = values.get(k);
        return v == null ? Source.DEFAULT : v.source();
    }

    /** The configuration file read, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public Path dataFolder() {
        return expandHome(text(Key.DATA)).toAbsolutePath();
    }

    public DatabaseLocation database() {
        return optional(Key.DATABASE_URL).<DatabaseLocation>map(DatabaseLocation::parseUrl)
                .orElseGet(() -> new DatabaseLocation.Embedded(dataFolder()));
    }

    /** Every key with its value as `entente config show` prints it: secrets masked. */
    public Map<Key, Value> shown() {
        Map<Key, Value> out = new EnumMap<>(Key.class);
        for (Key k : Key.values()) {
            Value v = values.get(k);
            if (v == null) {
                out.put(k, new Value("(unset)", Source.DEFAULT));
            } else if (k.secret()) {
                out.put(k, new Value(k == Key.DATABASE_URL ? maskUrl(v.text()) : "********", v.source()));
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    /** Keeps host, port and database of a URL, hides its password. */
    static String maskUrl(String url) {
        return url.replaceAll("(//[^:/@]+:)[^@]*@", "$1********@").replaceAll("(?i)(password=)[^&]*", "$1********");
    }
}
