package org.entente.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.entente.node.audit.AuditEvent;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.store.Agreements;
import org.entente.node.screening.ListImport;
import org.entente.node.screening.ScreeningService;
import org.entente.node.screening.Watchlist;
import org.entente.node.screening.WatchlistDraft;
import org.entente.node.store.CollectionInfo;
import org.entente.node.users.Accounts;
import org.entente.node.users.Role;
import org.entente.screening.io.Progress;

/**
 * The partners of the demo: a cybercrime unit abroad bound by an active memorandum of
 * understanding, a border police with whom only a draft exists, and a user of the first, so that
 * `--demo` shows the policy at work (the partner user reads the demo collection through it).
 */
final class Demo {
    private Demo() {}

    static void partners(NodeServices node, Organisation own, CollectionInfo demo, List<String> notices) {
        Organisations organisations = node.organisations();
        Agreements agreements = node.agreements();
        Accounts users = node.accounts();
        Organisation unit = organisations.find("Partner Cybercrime Unit").orElseGet(() -> organisations.create(
                new Organisations.Draft("Partner Cybercrime Unit", "DE", "cybercrime", "24/7 contact point, +49 30 0000 0000"),
                false, AuditEvent.SYSTEM));
        Organisation border = organisations.find("Partner Border Police").orElseGet(() -> organisations.create(
                new Organisations.Draft("Partner Border Police", "JO", "border", "duty officer"), false, AuditEvent.SYSTEM));
        if (agreements.all().isEmpty()) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode mou = m.createObjectNode();
            mou.put("title", "Memorandum of understanding on cybercrime cooperation");
            mou.put("kind", "bilateral");
            mou.putArray("parties").add(own.id()).add(unit.id());
            mou.putObject("legal_basis").put("text", "Budapest Convention on Cybercrime, Art. 26 (spontaneous information)")
                    .put("reference", "ETS No. 185");
            mou.put("valid_from", "2026-01-01");
            mou.put("valid_until", "2030-01-01");
            mou.put("status", "active");
            ObjectNode rules = mou.putObject("rules");
            rules.putArray("categories").add("cyber-indicators").add("malware-and-tooling")
                    .add("threat-actors-and-campaigns").add("reports-and-context");
            rules.putArray("purposes").add("prevention").add("detection").add("investigation").add("intelligence-analysis");
            rules.put("max_tlp", "amber");
            rules.putArray("handling_codes").add("H0").add("H1");
            rules.putObject("personal_data").put("allowed", false);
            rules.put("retention_days", 730);
            rules.putObject("onward_sharing").put("rule", "forbidden");
            Agreement a = agreements.create(mou, AuditEvent.SYSTEM);
            ObjectNode draft = mou.deepCopy();
            draft.put("title", "Border security accord (in negotiation)");
            draft.putArray("parties").add(own.id()).add(border.id());
            draft.put("status", "draft");
            ((ObjectNode) draft.get("rules")).putArray("categories").add("travel-documents").add("persons-of-interest");
            ((ObjectNode) draft.get("rules")).putArray("purposes").add("border-control");
            ((ObjectNode) draft.get("rules")).putObject("personal_data").put("allowed", true)
                    .put("legal_basis", "bilateral accord, art. 4 (to be ratified)");
            agreements.create(draft, AuditEvent.SYSTEM);
            notices.add("demo agreements: " + a.id() + " (active, with " + unit.name() + ") and a draft with " + border.name());
        }
        String password = Accounts.generatePassword();
        if (users.find("partner-de").isPresent()) users.setPassword("partner-de", password);
        else users.create("partner-de", password, false, unit.id(), Set.of(Role.ANALYST));
        node.permissions().grant(demo.id(), "partner-de", true, false);
        notices.add("demo partner user: partner-de / " + password + "   (" + unit.name()
                + ": reads 'demo' only as the agreement allows)");
    }

    static final String WATCHLIST = "demo";
    private static final String WATCHLIST_FILE = "/demo/watchlist.jsonl";

    /**
     * A watchlist the screening service serves, so that a newcomer's first check has something to
     * meet: the demo persons, TLP:AMBER and personal data, which the memorandum (no personal data)
     * withholds from the partner. Each start imports the edition again, as a difference: nothing
     * changes when nothing did.
     */
    static void watchlist(NodeServices node, Organisation own, List<String> notices) {
        // A hit names whom to call: the demo's own organisation needs a contact point for that.
        if (own.contactPoint() == null) {
            node.organisations().update(own.id(), new Organisations.Draft(own.name(), own.nation(), own.sector().wire(),
                    "24/7 desk of the demo, +372 600 0000"), AuditEvent.SYSTEM);
        }
        ScreeningService screening = node.screening();
        ScreeningService.Caller operator = screening.operator(AuditEvent.SYSTEM, null);
        Watchlist list = screening.store().find(WATCHLIST).filter(Watchlist::live).orElse(null);
        if (list == null) {
            try {
                list = screening.create(operator, WatchlistDraft.parse(new ObjectMapper().createObjectNode()
                        .put("name", WATCHLIST).put("kind", "wanted-persons").put("tlp", "amber")
                        .put("description", "Invented persons for the demo, loaded by --demo.")));
            } catch (RuntimeException e) {
                // Another process starting on the same database created it first.
                list = screening.store().find(WATCHLIST).filter(Watchlist::live).orElseThrow(() -> e);
            }
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("entente-demo");
            Path file = dir.resolve("watchlist.jsonl");
            try (InputStream in = Demo.class.getResourceAsStream(WATCHLIST_FILE)) {
                if (in == null) throw new IllegalStateException(WATCHLIST_FILE + " missing from the build");
                Files.copy(in, file);
            }
            ListImport.Report r = screening.importFile(operator, list.id(), file, true, "demo", Progress.NONE);
            notices.add("demo watchlist: '" + WATCHLIST + "' (" + list.id() + "), " + r.entries() + " entries served by the"
                    + " screening service (screen the demo MRZ of Karim Haddad Nasser to meet a hit)");
        } catch (IOException e) {
            throw new UncheckedIOException("could not import the demo watchlist", e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) Files.deleteIfExists(f);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // A temporary copy of the demo list (invented persons) left in tmp.
                }
            }
        }
    }
}
