-- The tamper-evident audit log (docs/AUDIT.md). Each record commits to the one before it:
--   digest = SHA-256(RFC 8785 JSON of {seq, at, kind, actor, organisation, detail})
--   hash   = SHA-256(previous hash || digest), the previous hash of record 1 being 32 zero bytes.
-- seq is not drawn from a sequence: sequences leave gaps when a transaction rolls back, and here
-- a gap must mean that a record was removed. Appenders lock audit_head and take head + 1.
CREATE TABLE audit_record (
    seq          bigint      PRIMARY KEY,
    -- Never earlier than the record before (appenders take max(clock, head.at)), so that a time
    -- range of records is a contiguous range of seq.
    at           timestamptz NOT NULL,
    kind         text        NOT NULL,
    actor        text        NOT NULL,
    organisation text,
    detail       jsonb       NOT NULL,
    digest       bytea       NOT NULL,
    hash         bytea       NOT NULL
);
CREATE INDEX audit_record_at ON audit_record (at);

-- The end of the chain, one row. Every append locks it FOR UPDATE, which serialises appends of
-- all node processes sharing this database; the verifier also checks it against the last record,
-- so removing the newest records shows.
CREATE TABLE audit_head (
    single boolean     PRIMARY KEY DEFAULT true CHECK (single),
    seq    bigint      NOT NULL,
    hash   bytea       NOT NULL,
    at     timestamptz
);
INSERT INTO audit_head (single, seq, hash, at) VALUES (true, 0, decode(repeat('00', 32), 'hex'), NULL);

-- Signed statements "the chain reached seq with this hash". signature is Ed25519 by the node key
-- over the UTF-8 bytes of: "entente-audit-checkpoint\n" || seq || "\n" || hex(hash) || "\n" || at,
-- at as RFC 3339 UTC with six fraction digits.
CREATE TABLE audit_checkpoint (
    seq       bigint      PRIMARY KEY,
    hash      bytea       NOT NULL,
    at        timestamptz NOT NULL,
    signature bytea       NOT NULL
);
