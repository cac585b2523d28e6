-- Watchlists and screening (issue 13; docs/ARCHITECTURE.md, screening).
--
-- Two counters give the order in which other processes learn of changes. A writer takes the next
-- numbers with UPDATE … RETURNING, which locks the counter's row until it commits: numbers
-- therefore become visible in increasing order, and a follower that has applied everything up to
-- n never sees a change below n appear later. 'watchlist' numbers changes of lists and entries,
-- 'event' numbers hits and sweeps (the ids of the event stream).
CREATE TABLE screening_counter (
    name  text   PRIMARY KEY CHECK (name IN ('watchlist', 'event')),
    value bigint NOT NULL
);
INSERT INTO screening_counter (name, value) VALUES ('watchlist', 0), ('event', 0);

-- A watchlist is a unit of sharing, decided by the policy as a whole (markings and category).
-- Lists of the own organisation have no provider; a list received from a partner node carries the
-- provider and the agreement it came under (federation), and remote_id is the provider's own id.
CREATE TABLE watchlist (
    id             text        PRIMARY KEY,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    owner_id       text        NOT NULL REFERENCES organisation (id),
    kind           text        NOT NULL,
    category       text        NOT NULL,
    tlp            text        NOT NULL,
    handling_codes text[]      NOT NULL DEFAULT '{}',
    red_recipients text[]      NOT NULL DEFAULT '{}',
    personal_data  boolean     NOT NULL,
    description    text,
    threshold      double precision CHECK (threshold IS NULL OR (threshold > 0 AND threshold <= 1)),
    provider_id    text        REFERENCES organisation (id),
    agreement_id   text,
    remote_id      text,
    edition        text,
    seq            bigint      NOT NULL,
    created        timestamptz NOT NULL DEFAULT now(),
    modified       timestamptz NOT NULL DEFAULT now(),
    removed        timestamptz,
    CHECK ((provider_id IS NULL) = (agreement_id IS NULL))
);
-- Names are the owner's: one live list per owner and name; a removed list's name can be taken again.
CREATE UNIQUE INDEX watchlist_owner_name ON watchlist (owner_id, name) WHERE removed IS NULL;
CREATE INDEX watchlist_seq ON watchlist (seq);

-- The current version of each entry, in the JSON Lines form of entente-screening (canonical: the
-- same entry is always the same text, so a re-import compares texts).
CREATE TABLE watchlist_entry (
    list_id  text        NOT NULL REFERENCES watchlist (id) ON DELETE CASCADE,
    entry_id text        NOT NULL,
    version  int         NOT NULL,
    data     text        NOT NULL,
    modified timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (list_id, entry_id)
);

-- Every version of every entry, and its removal; seq orders them for the followers.
CREATE TABLE watchlist_entry_version (
    list_id  text        NOT NULL REFERENCES watchlist (id) ON DELETE CASCADE,
    entry_id text        NOT NULL,
    version  int         NOT NULL,
    change   text        NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
    data     text,
    seq      bigint      NOT NULL,
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text        NOT NULL,
    source   text        NOT NULL,
    PRIMARY KEY (list_id, entry_id, version),
    CHECK ((change = 'removed') = (data IS NULL))
);
CREATE INDEX watchlist_entry_version_seq ON watchlist_entry_version (seq);

-- A hit at or above threshold: who asked, for what, the query as sent, the entry as it was, and
-- whom to tell. notify_organisation is the list's owner; for a list received from a partner that
-- is the partner, and delivery stays 'pending' until federation has told it.
CREATE TABLE screening_hit (
    seq                 bigint           PRIMARY KEY,
    at                  timestamptz      NOT NULL,
    actor               text             NOT NULL,
    organisation        text             NOT NULL,
    purpose             text             NOT NULL,
    request_id          text,
    -- JSON as written by the node (text: read back whole, never searched inside; no jsonb parsing
    -- for the ten namesakes a common name meets).
    query               text             NOT NULL,
    list_id             text             NOT NULL,
    entry_id            text             NOT NULL,
    entry_version       int,
    entry               text             NOT NULL,
    score               double precision NOT NULL,
    notify_organisation text             NOT NULL,
    provider_id         text,
    agreement_id        text,
    delivery            text             NOT NULL CHECK (delivery IN ('local', 'pending', 'delivered')),
    delivered           timestamptz
);
CREATE INDEX screening_hit_owner ON screening_hit (notify_organisation, seq);
CREATE INDEX screening_hit_list ON screening_hit (list_id, seq);
CREATE INDEX screening_hit_pending ON screening_hit (seq) WHERE delivery = 'pending';

-- A pattern that sweeps a list, refused and reported to the administrators; the user is refused
-- until blocked_until.
CREATE TABLE screening_sweep (
    seq           bigint      PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor         text        NOT NULL,
    organisation  text,
    pattern       text        NOT NULL,
    detail        jsonb       NOT NULL,
    blocked_until timestamptz NOT NULL
);
CREATE INDEX screening_sweep_blocked ON screening_sweep (blocked_until);

-- Checks counted per user and per organisation in windows of a minute, shared by every process.
CREATE TABLE screening_usage (
    subject      text        NOT NULL,
    window_start timestamptz NOT NULL,
    checks       bigint      NOT NULL,
    PRIMARY KEY (subject, window_start)
);

-- Limits an agreement sets on its partners' screening (checks per minute); the node's settings
-- apply where none is set, and the lower of the two binds.
CREATE TABLE screening_agreement_limit (
    agreement_id     text   PRIMARY KEY,
    per_user         int    CHECK (per_user IS NULL OR per_user > 0),
    per_organisation int    CHECK (per_organisation IS NULL OR per_organisation > 0)
);
