package org.entente.node.screening;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/** Bulk rows into PostgreSQL with COPY (CSV), on the connection of the caller's open transaction. */
final class Copy {
    private Copy() {}

    /** Copies the rows; a null field is SQL NULL (an unquoted empty field), every other field is quoted. */
    static void rows(Connection c, String copySql, List<String[]> rows) {
        try {
            var in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            try {
                StringBuilder sb = new StringBuilder(1 << 16);
                for (String[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) sb.append(',');
                        if (row[i] != null) quoted(sb, row[i]);
                    }
                    sb.append('\n');
                    if (sb.length() > (1 << 20)) {
                        write(in, sb);
                    }
                }
                write(in, sb);
                in.endCopy();
            } finally {
                if (in.isActive()) in.cancelCopy();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("COPY into PostgreSQL failed: " + e.getMessage(), e);
        }
    }

    private static void write(org.postgresql.copy.CopyIn in, StringBuilder sb) throws SQLException {
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(b, 0, b.length);
        sb.setLength(0);
    }

    private static void quoted(StringBuilder sb, String v) {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '"') sb.append('"');
            sb.append(ch);
        }
        sb.append('"');
    }
}
