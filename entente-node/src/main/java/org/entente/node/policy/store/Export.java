package org.entente.node.policy.store;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.entente.node.common.InvalidInput;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Action;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Purpose;
import org.entente.node.policy.Recipient;
import org.entente.node.policy.Release;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.Entry;
import org.entente.node.store.ObjectQuery;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.Page;
import org.entente.node.store.Timestamps;
import org.entente.node.store.VersionMatch;

/**
 * A collection as one recipient organisation may receive it, written as a STIX bundle, for
 * partners reached by file rather than by a node: every object passes the policy (action export),
 * and what was written and withheld is audited page by page.
 */
public final class Export {
    static final int PAGE = 1000;

    private final ObjectStore store;
    private final Organisations organisations;
    private final PolicyGate gate;

    public Export(ObjectStore store, Organisations organisations, PolicyGate gate) {
        this.store = store;
        this.organisations = organisations;
        this.gate = gate;
    }

    /** What an export did: objects read and written, and the withheld ones counted by rule. */
    public record Summary(CollectionInfo collection, Organisation recipient, long read, long written,
            Map<String, Integer> withheld) {}

    /** Something that wants to hear how far a long export has got. */
    public interface Progress {
        void read(long read, long written);
    }

    /**
     * @param actor who asked (recorded with the release)
     * @param where where the bundle goes, for the audit record (a file name)
     * @throws InvalidInput naming the collection or recipient that is unknown
     */
    public Summary write(String collection, String recipient, Purpose purpose, Writer out, String actor, String where,
            Progress progress) throws IOException {
        CollectionInfo c = store.collection(collection).orElseThrow(() -> InvalidInput.of("Unknown collection",
                "--collection", "no collection '" + collection + "' (see entente collection list)"));
        Organisation to = organisations.find(recipient).orElseThrow(() -> InvalidInput.of("Unknown organisation",
                "--recipient", "no organisation '" + recipient + "' (see entente org list)"));
        Organisation own = organisations.own().orElseThrow(() -> new IllegalStateException(
                "this database has no own organisation yet; start the node once with entente serve"));
        long written = 0;
        long read = 0;
        Map<String, Integer> withheld = new TreeMap<>();
        out.write("{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[");
        Instant after = null;
        Release.Origin origin = new Release.Origin(c.providerId(), c.agreementId());
        while (true) {
            Page page = store.list(c.id(), new ObjectQuery(after, PAGE, List.of(), List.of(), VersionMatch.LAST, List.of()),
                    true);
            Release release = gate.open(Recipient.organisation(to.id()), purpose, Action.EXPORT);
            for (Entry e : page.entries()) {
                read++;
                String json = release.release(e.id(), Timestamps.format(e.version()), e.facts(), e.latestFacts(), e.json(),
                        origin);
                if (json == null) continue;
                if (written++ > 0) out.write(',');
                out.write(json);
            }
            release.withheld().forEach(x -> withheld.merge(x.get("rule"), 1, Integer::sum));
            gate.record(release, actor, own.id(), "export", Map.of("collection", c.id(), "file", where));
            if (!page.more() || page.entries().isEmpty()) break;
            after = page.entries().getLast().dateAdded();
            progress.read(read, written);
        }
        out.write("]}\n");
        return new Summary(c, to, read, written, withheld);
    }
}
