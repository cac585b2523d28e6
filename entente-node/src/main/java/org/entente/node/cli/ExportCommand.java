package org.entente.node.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.entente.node.auth.Principal;
import org.entente.node.db.Database;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.partners.Role;
import org.entente.node.policy.Action;
import org.entente.node.policy.Policy;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.PolicyService;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A collection as one recipient may receive it, as a STIX bundle: for partners reached by file rather
 * than TAXII. Every object goes through the sharing policy (action export) and what was written and
 * what was withheld is audited, page by page.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes the latest version of every object of a collection that a recipient organisation may"
                + " receive, for a purpose, as a STIX 2.1 bundle. Withheld objects are counted by rule on stderr;"
                + " everything written and withheld is recorded in the audit log.",
                "Example: entente export --collection intel --recipient 'Partner Cybercrime Unit' --purpose detection --output out.json"})
final class ExportCommand implements Callable<Integer> {
    static final int PAGE = 1000;

    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DatabaseOptions db;
    @Option(names = "--collection", required = true, paramLabel = "ID|ALIAS", description = "The collection to export.")
    String collection;
    @Option(names = "--recipient", required = true, paramLabel = "ORG", description = "Organisation id or name that receives the file.")
    String recipient;
    @Option(names = "--purpose", required = true, paramLabel = "PURPOSE",
            description = "Why it is sent: prevention, detection, investigation, prosecution, border-control or intelligence-analysis.")
    String purposeText;
    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the bundle (default: standard output).")
    Path output;

    @Override
    public Integer call() throws IOException {
        var err = spec.commandLine().getErr();
        Purpose purpose = Purpose.parse(purposeText).orElse(null);
        if (purpose == null) {
            err.println("entente export: unknown purpose '" + purposeText + "'; use one of " + Purpose.choices());
            return 2;
        }
        try (Database database = db.open()) {
            Commands.Partners partners = new Commands.Partners(database);
            ObjectStore store = new ObjectStore(database.dataSource());
            Organisations orgs = partners.organisations;
            CollectionInfo c = store.collection(collection).orElse(null);
            if (c == null) {
                err.println("entente export: no collection '" + collection + "' (see entente collection list)");
                return 2;
            }
            Organisation to = orgs.find(recipient).orElse(null);
            if (to == null) {
                err.println("entente export: no organisation '" + recipient + "' (see entente org list)");
                return 2;
            }
            Organisation own = orgs.own().orElse(null);
            if (own == null) {
                err.println("entente export: this database has no own organisation yet; start the node once with entente serve");
                return 2;
            }
            PolicyService policies = partners.policies;
            PolicyGate gate = new PolicyGate(policies, partners.audit);
            Principal operator = new Principal(0, Commands.actor(), true, own.id(),
                    Set.of(Role.ADMINISTRATOR));
            Path tmp = output == null ? null : Files.createTempFile(output.toAbsolutePath().getParent(), ".export-", ".json");
            long written = 0;
            long read = 0;
            Map<String, Integer> withheld = new TreeMap<>();
            try (OutputStream os = tmp == null ? System.out : Files.newOutputStream(tmp);
                 Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8)) {
                w.write("{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[");
                Instant after = null;
                Release.Origin origin = new Release.Origin(c.providerId(), c.agreementId());
                while (true) {
                    Page page = store.list(c.id(), new ObjectQuery(after, PAGE, List.of(), List.of(), VersionMatch.LAST,
                            List.of()), true);
                    Policy policy = policies.current();
                    Release release = new Release(policy, Recipient.organisation(to.id()), purpose, Action.EXPORT, Instant.now());
                    for (Entry e : page.entries()) {
                        read++;
                        String json = release.release(e.id(), Timestamps.format(e.version()), e.facts(), e.json(), origin);
                        if (json == null) continue;
                        if (written++ > 0) w.write(',');
                        w.write(json);
                    }
                    release.withheld().forEach(x -> withheld.merge(x.get("rule"), 1, Integer::sum));
                    gate.record(release, operator, "export", Map.of("collection", c.id(),
                            "file", output == null ? "(standard output)" : output.toString()));
                    if (!page.more() || page.entries().isEmpty()) break;
                    after = page.entries().getLast().dateAdded();
                    if (read % 100_000 == 0) err.printf("entente export: %,d objects read, %,d written%n", read, written);
                }
                w.write("]}\n");
            } catch (IOException | RuntimeException e) {
                if (tmp != null) Files.deleteIfExists(tmp);
                throw e;
            }
            if (tmp != null) Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            err.printf("entente export: %,d of %,d objects of '%s' written for %s (%s)%s%n", written, read,
                    c.alias() != null ? c.alias() : c.id(), to.name(), purpose.wire(),
                    withheld.isEmpty() ? "" : "; withheld: " + withheld);
            return 0;
        }
    }
}
