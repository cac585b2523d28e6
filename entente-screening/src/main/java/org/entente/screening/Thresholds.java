package org.entente.screening;

import java.util.HashMap;
import java.util.Map;

/**
 * The score from which a hit is reported, per list and kind. The defaults are those measured by
 * {@code entente screen evaluate} (see docs/BENCHMARKS.md): about the lowest value that keeps false
 * hits on made-up person and entity names at or below 1 in 1,000 on both the UN and OFAC lists.
 */
public final class Thresholds {

    public static final double PERSON = 0.89;
    public static final double ENTITY = 0.88;
    /** Documents and vehicles: an exact number, or one with an O/0 or I/1 confusion. */
    public static final double IDENTIFIER = 0.80;

    private final Map<String, Double> perList = new HashMap<>();
    private final double person;
    private final double entity;

    public Thresholds(double person, double entity) {
        this.person = person;
        this.entity = entity;
    }

    public static Thresholds defaults() {
        return new Thresholds(PERSON, ENTITY);
    }

    /** A threshold for every kind of one list. */
    public Thresholds set(String list, double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        perList.put(list, threshold);
        return this;
    }

    public double of(String list, Kind kind) {
        Double t = perList.get(list);
        if (t != null) {
            return t;
        }
        return switch (kind) {
            case PERSON -> person;
            case ENTITY -> entity;
            case DOCUMENT, VEHICLE -> IDENTIFIER;
        };
    }

    public static double defaultFor(Kind kind) {
        return defaults().of("", kind);
    }
}
