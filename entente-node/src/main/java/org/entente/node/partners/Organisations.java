package org.entente.node.partners;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.InvalidInput;
import org.entente.node.policy.PolicyService;
import org.entente.node.store.StoreException;
import org.entente.screening.Countries;

/** The organisations this node knows, its own among them; every change is audited and moves the policy epoch. */
public final class Organisations {
    private final DataSource db;
    private final AuditLog audit;

    public Organisations(DataSource db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    public record Draft(String name, String nation, String sector, String contactPoint) {}

    public Organisation create(Draft d, boolean own, String actor) {
        Checked c = check(d);
        String id = "identity--" + UUID.randomUUID();
        try (Connection conn = db.getConnection()) {
            conn.setAutoCommit(false);
            try {
                try (PreparedStatement s = conn.prepareStatement("INSERT INTO organisation (id, name, nation, sector,"
                        + " contact_point, is_own) VALUES (?, ?, ?, ?, ?, ?) RETURNING created")) {
                    s.setString(1, id);
                    s.setString(2, c.name);
                    s.setString(3, c.nation);
                    s.setString(4, c.sector.wire());
                    s.setString(5, d.contactPoint());
                    s.setBoolean(6, own);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        Organisation o = new Organisation(id, c.name, c.nation, c.sector, d.contactPoint(), own,
                                rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
                        PolicyService.bumpEpoch(conn);
                        audit.append(conn, new AuditEvent(AuditEvent.ORGANISATION_CHANGE, actor, null,
                                AuditEvent.detail("change", "created", "organisation", id, "name", c.name,
                                        "nation", c.nation, "sector", c.sector.wire(), "own", own)));
                        conn.commit();
                        return o;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw InvalidInput.of("Invalid organisation", "name", own && e.getMessage().contains("only_one_own")
                        ? "this node already has its own organisation" : "an organisation named '" + c.name + "' already exists");
            }
            throw new StoreException("could not create organisation " + c.name, e);
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
        try (Connection conn = db.getConnection()) {
            conn.setAutoCommit(false);
            try (PreparedStatement s = conn.prepareStatement("UPDATE organisation SET name = ?, nation = ?, sector = ?,"
                    + " contact_point = ?, updated = now() WHERE id = ?")) {
                s.setString(1, c.name);
                s.setString(2, c.nation);
                s.setString(3, c.sector.wire());
                s.setString(4, merged.contactPoint());
                s.setString(5, old.id());
                s.executeUpdate();
                PolicyService.bumpEpoch(conn);
                audit.append(conn, new AuditEvent(AuditEvent.ORGANISATION_CHANGE, actor, null,
                        AuditEvent.detail("change", "updated", "organisation", old.id(), "name", c.name,
                                "nation", c.nation, "sector", c.sector.wire(), "contact_point", merged.contactPoint())));
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw InvalidInput.of("Invalid organisation", "name", "an organisation named '" + c.name + "' already exists");
            }
            throw new StoreException("could not update organisation " + idOrName, e);
        }
        return find(old.id()).orElseThrow();
    }

    private record Checked(String name, String nation, Sector sector) {}

    private static Checked check(Draft d) {
        List<InvalidInput.Problem> problems = new ArrayList<>();
        String name = d.name() == null ? "" : d.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            problems.add(new InvalidInput.Problem("name", "give the organisation's name (1 to 200 characters)"));
        }
        String nation = d.nation() == null ? "" : d.nation().strip().toUpperCase(Locale.ROOT);
        if (!nation.matches("[A-Z]{2}") || !(Countries.isCode(nation) || nation.equals("XK") || nation.equals("ZZ"))) {
            problems.add(new InvalidInput.Problem("nation", "'" + d.nation()
                    + "' is not an ISO 3166-1 alpha-2 country code (e.g. DE, JO, EE)"));
        }
        Sector sector = Sector.parse(d.sector()).orElse(null);
        if (sector == null) {
            problems.add(new InvalidInput.Problem("sector", "unknown sector '" + d.sector() + "'; known: " + Sector.choices()));
        }
        if (d.contactPoint() != null && d.contactPoint().length() > 500) {
            problems.add(new InvalidInput.Problem("contact_point", "the contact point is longer than 500 characters"));
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid organisation", problems);
        return new Checked(name, nation, sector);
    }

    public Optional<Organisation> find(String idOrName) {
        if (idOrName == null) return Optional.empty();
        List<Organisation> r = query("WHERE id = ? OR lower(name) = lower(?)", idOrName, idOrName);
        return r.stream().filter(o -> o.id().equals(idOrName)).findFirst().or(() -> r.stream().findFirst());
    }

    public List<Organisation> all() {
        return query("ORDER BY is_own DESC, name");
    }

    public Optional<Organisation> own() {
        return query("WHERE is_own").stream().findFirst();
    }

    /** Whether an agreement may name {@code party}: a known organisation or {@code nation:CC}. */
    public boolean partyExists(String party) {
        if (party == null) return false;
        if (party.startsWith(Agreement.NATION_PREFIX)) {
            String cc = party.substring(Agreement.NATION_PREFIX.length());
            return cc.matches("[A-Z]{2}") && (Countries.isCode(cc) || cc.equals("XK") || cc.equals("ZZ"));
        }
        return exists(party);
    }

    /** Whether {@code id} is the id of a known organisation. */
    public boolean exists(String id) {
        return id != null && query("WHERE id = ?", id).size() == 1;
    }

    /** Whether parties of an agreement include this node's own organisation, by id or by its nation. */
    public boolean includeOwn(List<String> parties) {
        return own().map(o -> parties.contains(o.id()) || parties.contains(Agreement.NATION_PREFIX + o.nation()))
                .orElse(false);
    }

    private List<Organisation> query(String where, String... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, name, nation, sector, contact_point, is_own, created FROM organisation " + where)) {
            for (int i = 0; i < args.length; i++) s.setString(i + 1, args[i]);
            try (ResultSet rs = s.executeQuery()) {
                List<Organisation> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Organisation(rs.getString(1), rs.getString(2), rs.getString(3),
                            Sector.parse(rs.getString(4)).orElse(Sector.OTHER), rs.getString(5), rs.getBoolean(6),
                            rs.getObject(7, java.time.OffsetDateTime.class).toInstant()));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("could not read organisations", e);
        }
    }
}
