package org.entente.node.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.node.common.InvalidInput;
import org.entente.node.http.HttpProblem;
import org.entente.node.http.Routes;
import org.entente.node.partners.Organisation;
import org.entente.node.store.CollectionInfo;
import org.entente.node.users.Accounts;
import org.entente.node.users.ApiKeys;
import org.entente.node.users.Permissions;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * Users and API keys, for administrators: creating people and tools of the own organisation or a
 * partner, their roles, what collections they may read and write, their API keys (a new key's
 * secret is shown once, on the page that created it) and revoking keys. Every change is audited
 * by the services that make it, as from the command line.
 */
final class UserScreens {
    private final Pages pages;
    private final Console.Services s;

    UserScreens(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
    }

    void register(Routes routes) {
        routes.page("/console/users", this::list);
        routes.action("/console/users", this::create);
        routes.page("/console/users/{name}", this::user);
        routes.action("/console/users/{name}/roles", this::setRoles);
        routes.action("/console/users/{name}/grant", this::grant);
        routes.action("/console/users/{name}/keys", this::newKey);
        routes.action("/console/users/{name}/keys/{key}/revoke", this::revoke);
    }

    public record UserRow(String name, String organisation, String roles, boolean admin, String created, String keys,
            String href) {}

    public record ListModel(List<UserRow> users, List<Intelligence.Option> organisations, List<Intelligence.Option> roles,
            Pages.Notice notice) {}

    private void list(Context ctx) {
        pages.access().requireAdministrator(Pages.principal(ctx));
        View v = pages.view(ctx);
        renderList(ctx, v, "created".equals(Pages.param(ctx, "done")) ? Pages.Notice.done(v.t("users.created")) : null);
    }

    private void renderList(Context ctx, View v, Pages.Notice notice) {
        List<UserRow> rows = s.accounts().list().stream().map(u -> new UserRow(u.username(), u.organisation(),
                String.join(", ", u.roles().stream().map(r -> v.word("role.", r)).toList()), u.admin(),
                v.dateTime(u.created()), v.number(u.liveKeys()), "/console/users/" + View.enc(u.username()))).toList();
        List<Intelligence.Option> orgs = new ArrayList<>();
        for (Organisation o : s.organisations().all()) orgs.add(new Intelligence.Option(o.id(), o.name()));
        pages.render(ctx, "users.jte", v, new ListModel(rows, orgs, roleOptions(v), notice));
    }

    static List<Intelligence.Option> roleOptions(View v) {
        List<Intelligence.Option> out = new ArrayList<>();
        for (Role r : Role.values()) out.add(new Intelligence.Option(r.wire(), v.t("role." + r.wire())));
        return out;
    }

    private void create(Context ctx) {
        Principal p = Pages.principal(ctx);
        pages.access().requireAdministrator(p);
        try {
            s.accounts().create(Pages.form(ctx, "username"), ctx.formParam("password"), false,
                    Pages.form(ctx, "organisation"), roles(ctx), p.username());
        } catch (InvalidInput e) {
            View v = pages.view(ctx);
            ctx.status(400);
            renderList(ctx, v, Pages.refused(v, e));
            return;
        }
        ctx.redirect("/console/users?done=created", HttpStatus.SEE_OTHER);
    }

    private static Set<Role> roles(Context ctx) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (String r : ctx.formParams("roles")) {
            out.add(Role.parse(r).orElseThrow(() -> InvalidInput.of("Invalid user", "roles", "unknown role '" + r + "'")));
        }
        return out;
    }

    /** A collection and what the user may do with it. */
    public record GrantRow(String collectionId, String title, boolean read, boolean write) {}

    public record KeyRow(String keyId, String label, String created, boolean revoked) {}

    public record UserModel(String name, String organisation, List<Intelligence.Option> roles, List<String> held,
            List<GrantRow> grants, List<Intelligence.Option> collections, List<KeyRow> keys, ApiKeys.NewApiKey newKey,
            Pages.Notice notice) {}

    private void user(Context ctx) {
        pages.access().requireAdministrator(Pages.principal(ctx));
        View v = pages.view(ctx);
        String done = Pages.param(ctx, "done");
        renderUser(ctx, v, null, done == null ? null : Pages.Notice.done(v.t("users.done." + done)));
    }

    private void renderUser(Context ctx, View v, ApiKeys.NewApiKey newKey, Pages.Notice notice) {
        String name = ctx.pathParam("name");
        Accounts.Listed u = s.accounts().list().stream().filter(x -> x.username().equals(name)).findFirst()
                .orElseThrow(() -> HttpProblem.notFound("no user " + name));
        Map<String, String> titles = new HashMap<>();
        List<Intelligence.Option> collections = new ArrayList<>();
        for (CollectionInfo c : s.store().collections()) {
            titles.put(c.id(), c.title());
            collections.add(new Intelligence.Option(c.id(), c.title()));
        }
        List<GrantRow> grants = new ArrayList<>();
        for (Permissions.Grant g : s.permissions().grants(name)) {
            grants.add(new GrantRow(g.collectionId(), titles.getOrDefault(g.collectionId(), g.collectionId()), g.read(), g.write()));
        }
        List<KeyRow> keys = s.apiKeys().list(name).stream().map(k -> new KeyRow(k.keyId(), k.label() == null ? "" : k.label(),
                v.dateTime(k.created()), k.revoked())).toList();
        pages.render(ctx, "user.jte", v, new UserModel(name, u.organisation(), roleOptions(v), u.roles(), grants,
                collections, keys, newKey, notice));
    }

    /** A change of one user by an administrator; refused input is shown on the user's page. */
    private interface Change {
        void apply(Principal p, String name);
    }

    private void change(Context ctx, String done, Change c) {
        Principal p = Pages.principal(ctx);
        pages.access().requireAdministrator(p);
        String name = ctx.pathParam("name");
        try {
            c.apply(p, name);
        } catch (InvalidInput e) {
            refusedOnUser(ctx, e);
            return;
        }
        ctx.redirect("/console/users/" + View.enc(name) + "?done=" + done, HttpStatus.SEE_OTHER);
    }

    private void setRoles(Context ctx) {
        change(ctx, "roles", (p, name) -> s.accounts().setRoles(name, roles(ctx), p.username()));
    }

    private void grant(Context ctx) {
        change(ctx, "grant", (p, name) -> {
            String collection = Pages.form(ctx, "collection");
            if (collection == null) throw InvalidInput.of("Invalid grant", "collection", "choose a collection");
            s.permissions().grant(collection, name, ctx.formParam("read") != null, ctx.formParam("write") != null,
                    p.username());
        });
    }

    /** A new key: its secret is on this answer and nowhere else, ever. */
    private void newKey(Context ctx) {
        Principal p = Pages.principal(ctx);
        pages.access().requireAdministrator(p);
        View v = pages.view(ctx);
        ApiKeys.NewApiKey key;
        try {
            key = s.apiKeys().create(ctx.pathParam("name"), Pages.form(ctx, "label"), p.username());
        } catch (InvalidInput e) {
            refusedOnUser(ctx, e);
            return;
        }
        renderUser(ctx, v, key, Pages.Notice.done(v.t("users.key-created")));
    }

    private void revoke(Context ctx) {
        change(ctx, "revoked", (p, name) -> {
            String key = ctx.pathParam("key");
            if (s.apiKeys().list(name).stream().noneMatch(k -> k.keyId().equals(key))) {
                throw InvalidInput.of("Unknown API key", "key", "user " + name + " has no API key '" + key + "'");
            }
            s.apiKeys().revoke(key, p.username());
        });
    }

    private void refusedOnUser(Context ctx, InvalidInput e) {
        View v = pages.view(ctx);
        ctx.status(400);
        renderUser(ctx, v, null, Pages.refused(v, e));
    }
}
