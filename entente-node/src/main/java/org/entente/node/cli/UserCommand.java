package org.entente.node.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.entente.node.partners.Organisation;
import org.entente.node.users.Role;
import org.entente.node.users.Accounts;
import org.entente.node.users.ApiKeys;
import org.entente.node.store.CollectionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manages the node's users, their API keys and their access to collections.",
        subcommands = {UserCommand.ListUsers.class, UserCommand.Add.class, UserCommand.Key.class, UserCommand.Revoke.class, UserCommand.Grant.class})
final class UserCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Runs an administrative action that prints one message; bad input is exit 2 with the reason. */
    static int run(picocli.CommandLine.Model.CommandSpec spec, NodeOptions node, String what,
            java.util.function.Function<org.entente.node.NodeServices, String> action) {
        return Commands.execute(spec, node, what, (d, out) -> {
            out.println(action.apply(d));
            return Commands.OK;
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists users, their role and live API keys.")
    static final class ListUsers implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return run(spec, node, "user list", d -> {
                List<String[]> rows = new java.util.ArrayList<>();
                rows.add(new String[] {"NAME", "ROLE", "CREATED", "KEYS", "ORGANISATION", "ROLES"});
                for (Accounts.Listed u : d.accounts().list()) {
                    rows.add(new String[] {u.username(), u.admin() ? "admin" : "user", u.created().toString(),
                            Long.toString(u.liveKeys()), u.organisation(), String.join(",", u.roles())});
                }
                return Commands.table(rows).stripTrailing();
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Creates a user. The password is read from standard input (one line) with --password-stdin,"
                    + " otherwise generated and printed once.",
                    "A user reads as their organisation: the own one by default, or a partner's (its staff with"
                    + " accounts on this node). Roles: " + "analyst, border-officer, liaison-officer, supervisor,"
                    + " administrator, auditor."})
    static final class Add implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--admin", description = "Administrator: every collection, every user, partners and agreements"
                + " (adds the administrator role).") boolean admin;
        @Option(names = "--password-stdin", description = "Read the password from standard input.") boolean stdin;
        @Option(names = "--org", paramLabel = "ORG",
                description = "The user's organisation, by id or name (default: the node's own).") String org;
        @Option(names = "--role", paramLabel = "ROLE", split = ",",
                description = "Roles, comma-separated (default: analyst; administrator with --admin).")
        List<String> roleNames;

        @Override
        public Integer call() throws IOException {
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String r : roleNames == null ? List.<String>of() : roleNames) {
                Optional<Role> role = Role.parse(r);
                if (role.isEmpty()) {
                    return Commands.usage(spec, "user add", "--role: unknown role '" + r + "'; known: " + Role.choices());
                }
                roles.add(role.get());
            }
            // is_admin (every collection) and the administrator role (partners, agreements) mean one thing to an
            // operator: either implies the other, so that no account holds half of it.
            boolean administrator = admin || roles.contains(Role.ADMINISTRATOR);
            if (administrator) roles.add(Role.ADMINISTRATOR);
            if (roles.isEmpty()) roles.add(Role.ANALYST);
            String password = stdin
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
                    : Accounts.generatePassword();
            return run(spec, node, "user add", d -> {
                Commands.Partners p = new Commands.Partners(d);
                Optional<Organisation> own = p.organisations.own();
                Organisation o = org != null ? p.organisation(org, "--org") : own.orElse(null);
                if (administrator && o != null && !o.own()) {
                    throw new IllegalArgumentException("--admin: administrators belong to the node's own organisation,"
                            + " not to " + o.name() + " (a partner's staff change no partners or agreements here)");
                }
                d.accounts().create(name, password == null ? "" : password, administrator, o == null ? null : o.id(), roles,
                        Commands.actor());
                String roleList = roles.stream().map(Role::wire).sorted().collect(Collectors.joining(","));
                // Before the first start there is no own organisation; the node gives it such accounts when it starts.
                return "created user " + name + (stdin ? "" : " with password " + password + "   (shown only this once)")
                        + System.lineSeparator() + "  organisation: "
                        + (o != null ? o.name() : "the own one, assigned when the node first starts")
                        + System.lineSeparator() + "  roles: " + roleList + (administrator ? " (administrator)" : "");
            });
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Creates an API key for a user; the key is printed once and stored only as a hash."
                    + " Send it as 'Authorization: Bearer KEY'.")
    static final class Key implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--label", description = "What the key is for (e.g. the tool that uses it).") String label;

        @Override
        public Integer call() {
            return run(spec, node, "user key", d -> {
                ApiKeys.NewApiKey k = d.apiKeys().create(name, label, Commands.actor());
                return k.secret() + "\n(key id " + k.keyId() + "; shown only this once)";
            });
        }
    }

    @Command(name = "revoke-key", mixinStandardHelpOptions = true, description = "Revokes an API key by its id.")
    static final class Revoke implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "KEY-ID") String keyId;

        @Override
        public Integer call() {
            return run(spec, node, "user revoke-key", d -> {
                d.apiKeys().revoke(keyId, Commands.actor());
                return "revoked key " + keyId;
            });
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Sets a user's access to a collection (replacing what it had).")
    static final class Grant implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "COLLECTION", description = "Collection id or alias.") String collection;
        @Option(names = "--read", description = "May read.") boolean read;
        @Option(names = "--write", description = "May add and delete.") boolean write;

        @Override
        public Integer call() {
            return run(spec, node, "user grant", d -> {
                CollectionInfo c = d.store().collection(collection)
                        .orElseThrow(() -> new IllegalArgumentException("no collection '" + collection + "'"));
                d.permissions().grant(c.id(), name, read, write, Commands.actor());
                return name + " on " + c.id() + ": read=" + read + ", write=" + write;
            });
        }
    }
}
