package org.entente.node.users;

import java.util.Optional;
import org.entente.node.common.Vocabulary;

/**
 * What a user does at the agency: an officer at the border screens, an analyst analyses, an
 * auditor reads the audit trail. The sharing policy derives a request's default purpose from it.
 */
public enum Role {
    ANALYST, BORDER_OFFICER, LIAISON_OFFICER, SUPERVISOR, ADMINISTRATOR, AUDITOR;

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<Role> parse(String s) {
        return Vocabulary.parse(Role.class, s);
    }

    public static String choices() {
        return Vocabulary.choices(values());
    }
}
