-- The web console: signed-in sessions shared by every node process, the language each user
-- reads the console in, the watchlists uploaded for one session's screening, and the indexes its
-- screens read by.

-- en, ar or fr; null until the user picks one (the browser's language decides meanwhile).
ALTER TABLE app_user ADD COLUMN language text CHECK (language IN ('en', 'ar', 'fr'));

-- A signed-in browser. Only a SHA-256 of the cookie's secret is kept, so a copy of the table
-- signs nobody in. The CSRF token is per session and goes into every form.
CREATE TABLE console_session (
    token_hash bytea       PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token text        NOT NULL,
    client     text,
    created    timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_session_last_seen ON console_session (last_seen);

-- A watchlist a user uploaded to screen against during one session (until the node serves its
-- own watchlists): the file as uploaded, so that any node process can build the same index.
CREATE TABLE console_watchlist (
    token_hash bytea       PRIMARY KEY REFERENCES console_session (token_hash) ON DELETE CASCADE,
    file_name  text        NOT NULL,
    content    bytea       NOT NULL,
    uploaded   timestamptz NOT NULL DEFAULT now()
);

-- The audit screen filters by kind (newest first), and the dashboard looks for failed imports.
CREATE INDEX audit_record_kind ON audit_record (kind, seq);

-- An object's relationships, for the graph of the object view: one probe per object and side.
CREATE INDEX stix_object_relationship_source ON stix_object (((json::jsonb) ->> 'source_ref'))
    WHERE type = 'relationship' AND is_latest;
CREATE INDEX stix_object_relationship_target ON stix_object (((json::jsonb) ->> 'target_ref'))
    WHERE type = 'relationship' AND is_latest;
