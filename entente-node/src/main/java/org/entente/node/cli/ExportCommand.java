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
import org.entente.node.NodeServices;
import org.entente.node.common.InvalidInput;
import org.entente.node.policy.Purpose;
import org.entente.node.policy.store.Export;
import org.entente.node.store.CollectionInfo;
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
    @Mixin NodeOptions node;
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
        try (NodeServices services = node.open()) {
            Export export = services.export();
            Path tmp = output == null ? null : Files.createTempFile(output.toAbsolutePath().getParent(), ".export-", ".json");
            Export.Summary s;
            try (OutputStream os = tmp == null ? System.out : Files.newOutputStream(tmp);
                 Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8)) {
                s = export.write(collection, recipient, purpose, w, Commands.actor(),
                        output == null ? "(standard output)" : output.toString(), (read, written) -> {
                            if (read % 100_000 == 0) err.printf("entente export: %,d objects read, %,d written%n", read, written);
                        });
            } catch (IOException | RuntimeException e) {
                if (tmp != null) Files.deleteIfExists(tmp);
                throw e;
            }
            if (tmp != null) Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            CollectionInfo c = s.collection();
            err.printf("entente export: %,d of %,d objects of '%s' written for %s (%s)%s%n", s.written(), s.read(),
                    c.alias() != null ? c.alias() : c.id(), s.recipient().name(), purpose.wire(),
                    s.withheld().isEmpty() ? "" : "; withheld: " + s.withheld());
            return 0;
        } catch (InvalidInput e) {
            err.println("entente export: " + e.problems().getFirst());
            return 2;
        } catch (IllegalStateException e) {
            err.println("entente export: " + e.getMessage());
            return 2;
        }
    }
}
