-- Node-wide secrets and settings shared by every process serving this database
-- (e.g. the key that signs TAXII paging tokens): nothing shared may live in one process's memory.
CREATE TABLE node_setting (
    name  text PRIMARY KEY,
    value bytea NOT NULL
);

CREATE TABLE collection (
    id          text PRIMARY KEY,
    -- A short key for the object rows: a UUID text in every row and index entry of stix_object
    -- would make them half as large again.
    num         integer GENERATED ALWAYS AS IDENTITY UNIQUE,
    alias       text UNIQUE,
    title       text        NOT NULL,
    description text,
    created     timestamptz NOT NULL DEFAULT now(),
    -- The highest date_added handed out in this collection; writers lock the row and count up
    -- from it, which orders each collection strictly even with several node processes.
    last_added  timestamptz NOT NULL DEFAULT '-infinity'
);

-- Every version of every STIX object in every collection. An object shared by two collections is
-- stored twice: that is rare, and one row per version keeps an import to one random index insert
-- per object (the identity key) besides appends at the right edge of the other indexes.
--
-- version_key: modified, else created; objects with neither (most SCOs) have exactly one version,
-- stored as -infinity so that (collection_id, id, version_key) stays a plain unique key. Their
-- TAXII version is their date_added.
CREATE TABLE stix_object (
    pk            bigserial PRIMARY KEY,
    -- No foreign keys on this table or on observable: a per-row referential check would cost as
    -- much as the row itself in bulk imports. The store deletes dependent rows itself.
    collection_no integer     NOT NULL,
    id            text        NOT NULL,
    version_key   timestamptz NOT NULL,
    date_added    timestamptz NOT NULL,
    type          text        NOT NULL,
    spec_version  text        NOT NULL,
    revoked       boolean     NOT NULL DEFAULT false,
    is_first      boolean     NOT NULL,
    is_latest     boolean     NOT NULL,
    json          text        NOT NULL
);
CREATE UNIQUE INDEX stix_object_identity ON stix_object (collection_no, id, version_key);
-- Pages are read in date_added order from this index; the default match[version]=last filters
-- is_latest on the way, which costs little because most objects have one version.
CREATE UNIQUE INDEX stix_object_added ON stix_object (collection_no, date_added);

-- What was deleted from which collection and when, so that deletions can be propagated.
CREATE TABLE deleted_object (
    collection_id text        NOT NULL,
    object_id     text        NOT NULL,
    version       timestamptz NOT NULL,
    date_deleted  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deleted_object_by_collection ON deleted_object (collection_id, date_deleted);

-- Observable values mentioned by objects: SCO values and the values of simple indicator patterns.
-- net holds addresses and CIDR blocks so that containment is one GiST probe.
CREATE TABLE observable (
    object_pk bigint NOT NULL,
    kind      text   NOT NULL,
    value     text   NOT NULL,
    net       inet
);
CREATE INDEX observable_value ON observable (value);
CREATE INDEX observable_net ON observable USING gist (net inet_ops) WHERE net IS NOT NULL;
CREATE INDEX observable_object ON observable (object_pk);

-- TAXII status resources of POSTed envelopes.
CREATE TABLE taxii_status (
    id                text PRIMARY KEY,
    collection_id     text        NOT NULL,
    user_id           bigint      NOT NULL,
    status            text        NOT NULL,
    request_timestamp timestamptz NOT NULL,
    total_count       integer     NOT NULL,
    success_count     integer     NOT NULL,
    failure_count     integer     NOT NULL,
    pending_count     integer     NOT NULL,
    successes         jsonb       NOT NULL,
    failures          jsonb       NOT NULL,
    pendings          jsonb       NOT NULL
);

-- People and tools. Secrets are stored only as Argon2id hashes (PHC string format).
CREATE TABLE app_user (
    id            bigserial PRIMARY KEY,
    username      text UNIQUE NOT NULL,
    password_hash text,
    is_admin      boolean     NOT NULL DEFAULT false,
    created       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_key (
    id       bigserial PRIMARY KEY,
    user_id  bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    key_id   text UNIQUE NOT NULL,
    key_hash text        NOT NULL,
    label    text,
    created  timestamptz NOT NULL DEFAULT now(),
    revoked  boolean     NOT NULL DEFAULT false
);

-- Failed logins per account name, shared by every node process, to slow down guessing.
CREATE TABLE login_failure (
    username     text PRIMARY KEY,
    failures     integer     NOT NULL,
    last_failure timestamptz NOT NULL
);

CREATE TABLE collection_permission (
    collection_id text    NOT NULL REFERENCES collection (id) ON DELETE CASCADE,
    user_id       bigint  NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    can_read      boolean NOT NULL,
    can_write     boolean NOT NULL,
    PRIMARY KEY (collection_id, user_id)
);
