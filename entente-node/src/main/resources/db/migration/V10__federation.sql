-- Federation (docs/FEDERATION.md): nodes of different agencies sync with each other over mutual TLS.

-- The node's own Ed25519 signing keys for federation, kept apart from the audit checkpoint key so
-- that rotating one never touches the other. Every key ever used stays: an identity signed by the
-- previous key proves the next one, and objects signed before a rotation still verify.
CREATE TABLE federation_key (
    id          text PRIMARY KEY,            -- hex of the first 16 bytes of SHA-256 over the raw public key
    private_key bytea       NOT NULL,        -- PKCS#8
    public_key  bytea       NOT NULL,        -- raw 32 bytes (RFC 8032)
    created     timestamptz NOT NULL DEFAULT now(),
    retired     timestamptz
);
CREATE UNIQUE INDEX federation_key_current ON federation_key ((retired IS NULL)) WHERE retired IS NULL;

-- The node's generated TLS certificates for the federation listener (unless the operator gives
-- files). Kept in the database so that every process serving it presents the same identity.
CREATE TABLE federation_certificate (
    fingerprint text PRIMARY KEY,            -- SHA-256 of the DER certificate, lower-case hex
    certificate text        NOT NULL,        -- PEM
    private_key bytea       NOT NULL,        -- PKCS#8
    created     timestamptz NOT NULL DEFAULT now(),
    retired     timestamptz
);
CREATE UNIQUE INDEX federation_certificate_current ON federation_certificate ((retired IS NULL)) WHERE retired IS NULL;

-- Partner nodes: one per partner organisation.
CREATE TABLE peer (
    organisation_id text PRIMARY KEY REFERENCES organisation (id),
    num             integer GENERATED ALWAYS AS IDENTITY UNIQUE,
    url             text        NOT NULL,
    identity        jsonb       NOT NULL,    -- the latest identity document accepted from it
    issued          timestamptz NOT NULL,    -- that document's issue time: older ones are refused
    added           timestamptz NOT NULL DEFAULT now(),
    added_by        text        NOT NULL,
    -- A cycle asked for (by a push notification, the command line or the API): one that began
    -- after it (cycle_started, by whichever process holds the peer's lock) serves it.
    sync_requested  timestamptz,
    cycle_started   timestamptz,
    -- The last cycle as a whole (reaching the peer, its offers); per collection in peer_collection.
    last_success    timestamptz,
    last_error      text,
    last_error_at   timestamptz
);

-- Every signing key an organisation's node has used, learnt from identities: those of peers, and
-- those of producers whose objects reach this node through a peer (vouched by that peer).
CREATE TABLE peer_key (
    id              text PRIMARY KEY,
    organisation_id text        NOT NULL,
    public_key      bytea       NOT NULL,
    source          text        NOT NULL,    -- 'peer' or 'via:<organisation id of the peer that vouched>'
    first_seen      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX peer_key_by_organisation ON peer_key (organisation_id);

-- Pinned TLS certificates of peers: the fingerprint identifies the peer in the handshake.
CREATE TABLE peer_certificate (
    fingerprint     text PRIMARY KEY,
    organisation_id text        NOT NULL REFERENCES organisation (id),
    certificate     text        NOT NULL,
    not_after       timestamptz NOT NULL,
    added           timestamptz NOT NULL DEFAULT now(),
    revoked         timestamptz
);

-- Which collections this node offers a peer, and under which agreement: nothing by default.
CREATE TABLE peer_offer (
    organisation_id text        NOT NULL REFERENCES peer (organisation_id) ON DELETE CASCADE,
    collection_id   text        NOT NULL REFERENCES collection (id) ON DELETE CASCADE,
    agreement_id    text        NOT NULL REFERENCES agreement (id),
    offered_by      text        NOT NULL,
    offered_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, collection_id)
);

-- What this node pulls from a peer: one row per (peer, source collection), the cursor stored in
-- the same transaction as the objects of the page it brought.
CREATE TABLE peer_collection (
    organisation_id   text        NOT NULL REFERENCES peer (organisation_id) ON DELETE CASCADE,
    remote_collection text        NOT NULL,
    local_collection  text        NOT NULL REFERENCES collection (id),
    agreement_id      text        NOT NULL,
    title             text,
    added_after       text,                  -- the peer's date_added of the last object received
    next_token        text,                  -- the peer's paging token when the last page said more
    tombstones_after  bigint      NOT NULL DEFAULT 0,
    received          bigint      NOT NULL DEFAULT 0,
    rejected          bigint      NOT NULL DEFAULT 0,
    retracted         bigint      NOT NULL DEFAULT 0,
    last_attempt      timestamptz,
    last_success      timestamptz,
    last_error        text,
    last_error_at     timestamptz,
    offered           boolean     NOT NULL DEFAULT true,
    PRIMARY KEY (organisation_id, remote_collection)
);

-- Which objects of which collection went to which peer, so that a retraction reaches exactly the
-- peers that received the object, and no peer learns of objects it never received. One row per page
-- served (its object ids as an array): a page costs one insert, not one index entry per object; the
-- rare look-ups (a tombstone page, a consent withdrawn) scan the pages of one peer and collection.
CREATE TABLE federation_delivery (
    peer_num      integer     NOT NULL,
    collection_id text        NOT NULL,
    object_ids    text[]      NOT NULL,
    delivered     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX federation_delivery_by_peer ON federation_delivery (peer_num, collection_id);

-- Tombstones: deleted_object already logs deletions and purges. A monotonic sequence per
-- collection (taken under the collection's row lock, so that a reader never sees seq n+1 before n)
-- pages them; the reason, the producer of the object and the signed statement travel with them.
ALTER TABLE collection ADD COLUMN last_tombstone bigint NOT NULL DEFAULT 0;
ALTER TABLE deleted_object ADD COLUMN seq bigint;
ALTER TABLE deleted_object ADD COLUMN reason text NOT NULL DEFAULT 'deleted';
ALTER TABLE deleted_object ADD COLUMN producer text;
-- null: every peer that received the object; otherwise only this organisation (a withdrawal)
ALTER TABLE deleted_object ADD COLUMN recipient text;
-- the signed tombstone as issued (by this node when first served, or as received from a peer)
ALTER TABLE deleted_object ADD COLUMN signed jsonb;
CREATE INDEX deleted_object_by_seq ON deleted_object (collection_id, seq);
CREATE INDEX deleted_object_by_object ON deleted_object (collection_id, object_id);

-- Signatures of agreement versions by the parties' nodes: a version is in effect only when every
-- party that is a peer has signed it (suspension and termination take effect at once).
CREATE TABLE agreement_signature (
    agreement_id    text        NOT NULL REFERENCES agreement (id),
    version         integer     NOT NULL,
    organisation_id text        NOT NULL,
    key_id          text        NOT NULL,
    document        jsonb       NOT NULL,    -- the version as signed
    signature       bytea       NOT NULL,
    signed_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agreement_id, version, organisation_id)
);

-- Signed messages between nodes (agreement proposals and signatures, identities, and what later
-- features send): delivered at once and retried every cycle until the peer acknowledges them.
CREATE TABLE federation_outbox (
    id              text PRIMARY KEY,        -- message id: the receiver ignores a repeat
    organisation_id text        NOT NULL,
    kind            text        NOT NULL,
    body            jsonb       NOT NULL,
    created         timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    delivered       timestamptz,
    last_error      text
);
CREATE INDEX federation_outbox_pending ON federation_outbox (organisation_id, created) WHERE delivered IS NULL;

CREATE TABLE federation_inbox (
    id              text PRIMARY KEY,
    organisation_id text        NOT NULL,
    kind            text        NOT NULL,
    body            jsonb       NOT NULL,
    received        timestamptz NOT NULL DEFAULT now()
);

-- Serving processes with a federation listener, so that `entente peer sync` knows whether one runs.
CREATE TABLE federation_process (
    id        text PRIMARY KEY,
    heartbeat timestamptz NOT NULL
);
