package org.entente.node.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.node.policy.Release;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.Stored;

/**
 * An object's neighbourhood drawn as a graph: the objects its relationships join it to and those
 * it refers to ({@code *_ref}, {@code *_refs}), each a node the reader can expand in turn. Only
 * objects the policy lets the reader see become nodes, through the page's {@link Release}; the
 * layout is rings around the object, one per step away, computed here and drawn as SVG.
 */
final class Graph {
    static final int MAX_EXPANDED = 12;
    static final int MAX_NODES = 40;
    static final double WIDTH = 880;
    static final double HEIGHT = 520;
    private static final Set<String> NOT_DRAWN = Set.of("object_marking_refs", "granular_markings");

    private final ObjectStore store;
    private final Release release;
    private final Map<String, CollectionInfo> readable;

    Graph(ObjectStore store, Release release, Map<String, CollectionInfo> readable) {
        this.store = store;
        this.release = release;
        this.readable = readable;
    }

    /** A node where it is drawn, with the links to expand (or fold) it and to open it. */
    public record Node(String id, String type, String label, double x, double y, boolean centre, boolean expanded,
            String expandHref, String openHref) {}

    /** A line between two nodes, with its label at the middle. */
    public record Edge(double x1, double y1, double x2, double y2, String label, double lx, double ly) {}

    public record Drawing(List<Node> nodes, List<Edge> edges, double width, double height, boolean truncated) {}

    private record Link(String from, String to, String label) {}

    private record Known(String type, String label, JsonNode tree) {}

    Drawing draw(String centre, JsonNode centreTree, Set<String> expandAsked, View v) {
        Map<String, Known> known = new LinkedHashMap<>();
        known.put(centre, new Known(centreTree.path("type").asText(""), Labels.name(centreTree), centreTree));
        Set<String> expanded = new LinkedHashSet<>();
        expanded.add(centre);
        List<Link> links = new ArrayList<>();
        // Expand in rounds: a node asked for is expanded only once it is itself reachable and visible.
        Set<String> pending = new LinkedHashSet<>(expandAsked);
        Set<String> round = new LinkedHashSet<>(expanded);
        while (!round.isEmpty()) {
            neighbours(round, known, links);
            Set<String> next = new LinkedHashSet<>();
            for (String id : pending) if (known.containsKey(id) && !expanded.contains(id)) next.add(id);
            pending.removeAll(next);
            expanded.addAll(next);
            round = next;
        }
        return layout(centre, known, links, expanded, v);
    }

    /** Adds the released neighbours of these nodes and the links to them. */
    private void neighbours(Set<String> of, Map<String, Known> known, List<Link> links) {
        List<String> collections = List.copyOf(readable.keySet());
        Set<String> wanted = new LinkedHashSet<>();
        List<Link> found = new ArrayList<>();
        for (Stored rel : store.relationships(of, collections, 200)) {
            String json = Intelligence.decide(release, rel);
            if (json == null) continue;
            JsonNode r = Intelligence.tree(json);
            String source = r.path("source_ref").asText(null);
            String target = r.path("target_ref").asText(null);
            if (source == null || target == null) continue;
            found.add(new Link(source, target, r.path("relationship_type").asText("")));
            wanted.add(source);
            wanted.add(target);
        }
        for (String id : of) {
            Known k = known.get(id);
            if (k == null) continue;
            for (Map.Entry<String, JsonNode> e : k.tree().properties()) {
                String name = e.getKey();
                if (NOT_DRAWN.contains(name) || !(name.endsWith("_ref") || name.endsWith("_refs"))) continue;
                List<String> refs = new ArrayList<>();
                if (e.getValue().isTextual()) refs.add(e.getValue().asText());
                else e.getValue().forEach(x -> { if (x.isTextual()) refs.add(x.asText()); });
                for (String ref : refs) {
                    found.add(new Link(id, ref, name));
                    wanted.add(ref);
                }
            }
        }
        wanted.removeAll(known.keySet());
        if (!wanted.isEmpty()) {
            for (Stored o : store.latest(wanted, List.copyOf(readable.keySet()))) {
                if (known.containsKey(o.id()) || known.size() >= MAX_NODES) continue;
                String json = Intelligence.decide(release, o);
                if (json == null) continue;
                JsonNode tree = Intelligence.tree(json);
                known.put(o.id(), new Known(o.type(), Labels.shorten(Labels.name(tree), 28), tree));
            }
        }
        for (Link l : found) {
            if (known.containsKey(l.from()) && known.containsKey(l.to()) && !l.from().equals(l.to())
                    && !links.contains(l)) {
                links.add(l);
            }
        }
    }

    /** Rings around the centre: each node on the ring of its distance, spread evenly. */
    private Drawing layout(String centre, Map<String, Known> known, List<Link> links, Set<String> expanded, View v) {
        Map<String, List<String>> adjacent = new HashMap<>();
        for (Link l : links) {
            adjacent.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l.to());
            adjacent.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l.from());
        }
        Map<String, Integer> depth = new LinkedHashMap<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        depth.put(centre, 0);
        queue.add(centre);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            for (String m : adjacent.getOrDefault(n, List.of())) {
                if (depth.containsKey(m)) continue;
                depth.put(m, depth.get(n) + 1);
                queue.add(m);
            }
        }
        Map<Integer, List<String>> rings = new LinkedHashMap<>();
        depth.forEach((id, d) -> rings.computeIfAbsent(d, k -> new ArrayList<>()).add(id));
        double cx = WIDTH / 2, cy = HEIGHT / 2;
        Map<String, double[]> at = new HashMap<>();
        for (Map.Entry<Integer, List<String>> ring : rings.entrySet()) {
            int d = ring.getKey();
            List<String> ids = ring.getValue();
            double rx = Math.min(WIDTH / 2 - 90, 170.0 * d), ry = Math.min(HEIGHT / 2 - 40, 120.0 * d);
            for (int i = 0; i < ids.size(); i++) {
                double angle = 2 * Math.PI * i / ids.size() - Math.PI / 2 + d * 0.35;
                at.put(ids.get(i), new double[] {cx + rx * Math.cos(angle), cy + ry * Math.sin(angle)});
            }
        }
        String base = "/console/objects/" + View.enc(centre) + "?expand=";
        List<Node> nodes = new ArrayList<>();
        for (String id : depth.keySet()) {
            Known k = known.get(id);
            double[] xy = at.get(id);
            boolean isCentre = id.equals(centre);
            Set<String> toggled = new LinkedHashSet<>(expanded);
            toggled.remove(centre);
            if (!toggled.remove(id)) toggled.add(id);
            String expandHref = isCentre ? null : base + View.enc(String.join(",", toggled)) + "#graph";
            nodes.add(new Node(id, k.type(), k.label(), round(xy[0]), round(xy[1]), isCentre, expanded.contains(id),
                    expandHref, "/console/objects/" + View.enc(id)));
        }
        List<Edge> edges = new ArrayList<>();
        for (Link l : links) {
            double[] a = at.get(l.from()), b = at.get(l.to());
            if (a == null || b == null) continue;
            edges.add(new Edge(round(a[0]), round(a[1]), round(b[0]), round(b[1]), l.label(),
                    round((a[0] + b[0]) / 2), round((a[1] + b[1]) / 2 - 4)));
        }
        return new Drawing(nodes, edges, WIDTH, HEIGHT, known.size() >= MAX_NODES);
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
