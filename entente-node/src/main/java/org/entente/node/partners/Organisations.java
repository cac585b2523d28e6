package org.entente.node.partners;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.mapper.RowMapper;

/** The organisations this node knows, its own among them; every change is audited and moves the policy epoch. */
public final class Organisations {
    private static final String COLUMNS = "SELECT id, name, nation, sector, contact_point, is_own, created FROM organisation ";
    private static final RowMapper<Organisation> ROW = (rs, ctx) -> new Organisation(rs.getString(1), rs.getString(2),
            rs.getString(3), Sector.parse(rs.getString(4)).orElse(Sector.OTHER), rs.getString(5), rs.getBoolean(6),
            rs.getObject(7, OffsetDateTime.class).toInstant());

    private final Database db;
    private final AuditLog audit;

    public Organisations(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    public record Draft(String name, String nation, String sector, String contactPoint) {}

    public Organisation create(Draft d, boolean own, String actor) {
        return create("identity--" + UUID.randomUUID(), d, own, actor);
    }

    /**
     * A partner organisation under the id it has everywhere (its node's identity says it): objects it
     * produces name it in created_by_ref, and agreements name it by it at both nodes.
     */
    public Organisation createPartner(String id, Draft d, String actor) {
        return create(id, d, false, actor);
    }

    private Organisation create(String id, Draft d, boolean own, String actor) {
        Checked c = check(d);
        try {
            return db.jdbi().inTransaction(h -> {
                OffsetDateTime created = h.createQuery("INSERT INTO organisation (id, name, nation, sector, contact_point,"
                                + " is_own) VALUES (:id, :name, :nation, :sector, :contact, :own) RETURNING created")
                        .bind("id", id).bind("name", c.name).bind("nation", c.nation).bind("sector", c.sector.wire())
                        .bind("contact", d.contactPoint()).bind("own", own).mapTo(OffsetDateTime.class).one();
                PolicyEpoch.bump(h);
                audit.append(h, new AuditEvent(AuditEvent.ORGANISATION_CHANGE, actor, null,
                        AuditEvent.detail("change", "created", "organisation", id, "name", c.name,
                                "nation", c.nation, "sector", c.sector.wire(), "own", own)));
                return new Organisation(id, c.name, c.nation, c.sector, d.contactPoint(), own, created.toInstant());
            });
        } catch (UnableToExecuteStatementException e) {
            if (uniqueViolation(e)) {
                throw InvalidInput.of("Invalid organisation", "name", own && String.valueOf(e.getMessage()).contains("only_one_own")
                        ? "this node already has its own organisation" : "an organisation named '" + c.name + "' already exists");
            }
            throw e;
        }
    }

    /** Changes name, nation, sector or contact point (null fields stay as they are). */
    public Organisation update(String idOrName, Draft d, String actor) {
        Organisation old = find(idOrName).orElseThrow(() -> InvalidInput.of("Unknown organisation", "organisation",
                "no organisation '" + idOrName + "'"));
        Draft merged = new Draft(d.name() != null ? d.name() : old.name(), d.nation() != null ? d.nation() : old.nation(),
                d.sector() != null ? d.sector() : old.sector().wire(),
                d.contactPoint() != null ? d.contactPoint() : old.contactPoint());
        Checked c = check(merged);
        try {
            db.jdbi().useTransaction(h -> {
                h.createUpdate("UPDATE organisation SET name = :name, nation = :nation, sector = :sector,"
                                + " contact_point = :contact, updated = now() WHERE id = :id")
                        .bind("name", c.name).bind("nation", c.nation).bind("sector", c.sector.wire())
                        .bind("contact", merged.contactPoint()).bind("id", old.id()).execute();
                PolicyEpoch.bump(h);
                audit.append(h, new AuditEvent(AuditEvent.ORGANISATION_CHANGE, actor, null,
                        AuditEvent.detail("change", "updated", "organisation", old.id(), "name", c.name,
                                "nation", c.nation, "sector", c.sector.wire(), "contact_point", merged.contactPoint())));
            });
        } catch (UnableToExecuteStatementException e) {
            if (uniqueViolation(e)) {
                throw InvalidInput.of("Invalid organisation", "name", "an organisation named '" + c.name + "' already exists");
            }
            throw e;
        }
        return find(old.id()).orElseThrow();
    }

    static boolean uniqueViolation(UnableToExecuteStatementException e) {
        return e.getCause() instanceof java.sql.SQLException s && "23505".equals(s.getSQLState());
    }

    private record Checked(String name, String nation, Sector sector) {}

    private static Checked check(Draft d) {
        List<InvalidInput.Problem> problems = new ArrayList<>();
        String name = d.name() == null ? "" : d.name().strip();
        if (name.isEmpty() || name.length() > 200 || hasControl(name)) {
            problems.add(new InvalidInput.Problem("name", "give the organisation's name (1 to 200 characters, no control characters)"));
        }
        String nation = d.nation() == null ? "" : d.nation().strip().toUpperCase(Locale.ROOT);
        if (!Party.isNationCode(nation)) {
            problems.add(new InvalidInput.Problem("nation", "'" + printable(d.nation())
                    + "' is not an ISO 3166-1 alpha-2 country code (e.g. DE, JO, EE)"));
        }
        Sector sector = Sector.parse(d.sector()).orElse(null);
        if (sector == null) {
            problems.add(new InvalidInput.Problem("sector", "unknown sector '" + printable(d.sector()) + "'; known: " + Sector.choices()));
        }
        if (d.contactPoint() != null && (d.contactPoint().length() > 500 || d.contactPoint().indexOf('\0') >= 0)) {
            problems.add(new InvalidInput.Problem("contact_point", "the contact point is longer than 500 characters or holds a NUL character"));
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid organisation", problems);
        return new Checked(name, nation, sector);
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f);
    }

    private static String printable(String s) {
        return s == null ? "" : s.replace("\0", "\\0");
    }

    public Optional<Organisation> find(String idOrName) {
        // PostgreSQL text cannot hold NUL: such a name is simply not one we know.
        if (idOrName == null || idOrName.indexOf('\0') >= 0) return Optional.empty();
        List<Organisation> r = query("WHERE id = :k OR lower(name) = lower(:k)", idOrName);
        return r.stream().filter(o -> o.id().equals(idOrName)).findFirst().or(() -> r.stream().findFirst());
    }

    public List<Organisation> all() {
        return query("ORDER BY is_own DESC, name", null);
    }

    public Optional<Organisation> own() {
        return query("WHERE is_own", null).stream().findFirst();
    }

    /** Whether an agreement may name {@code party}: a known organisation or {@code nation:CC}. */
    public boolean partyExists(String party) {
        if (party == null) return false;
        if (Party.isNation(party)) return Party.isNationCode(party.substring(Party.NATION_PREFIX.length()));
        return exists(party);
    }

    /** Whether {@code id} is the id of a known organisation. */
    public boolean exists(String id) {
        return id != null && id.indexOf('\0') < 0 && query("WHERE id = :k", id).size() == 1;
    }

    /** Whether parties of an agreement include this node's own organisation, by id or by its nation. */
    public boolean includeOwn(List<String> parties) {
        return own().map(o -> parties.contains(o.id()) || parties.contains(Party.nation(o.nation()))).orElse(false);
    }

    private List<Organisation> query(String where, String key) {
        return db.jdbi().withHandle(h -> query(h, where, key));
    }

    private static List<Organisation> query(Handle h, String where, String key) {
        var q = h.createQuery(COLUMNS + where);
        if (key != null) q.bind("k", key);
        return q.map(ROW).list();
    }
}
