package org.entente.node.common;

import java.util.List;

/**
 * Input that cannot be accepted, with every problem found in it, each naming the field (a JSON
 * pointer or an option name). The HTTP API answers 400 with the list; the CLI prints it and exits 2.
 */
public final class InvalidInput extends RuntimeException {
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field.isEmpty() ? message : field + ": " + message;
        }
    }

    private final String title;
    private final List<Problem> problems;

    public InvalidInput(String title, List<Problem> problems) {
        super(title + ": " + String.join("; ", problems.stream().map(Problem::toString).toList()));
        this.title = title;
        this.problems = List.copyOf(problems);
    }

    public static InvalidInput of(String title, String field, String message) {
        return new InvalidInput(title, List.of(new Problem(field, message)));
    }

    public String title() {
        return title;
    }

    public List<Problem> problems() {
        return problems;
    }
}
