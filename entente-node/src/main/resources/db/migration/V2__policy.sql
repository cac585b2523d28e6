-- Partners and agreements: who this node shares with, and on what terms.

-- Organisations: the node's own (exactly one, is_own) and its partners. The id is a STIX identity
-- id, so that created_by_ref and the organisation are the same thing.
CREATE TABLE organisation (
    id            text PRIMARY KEY,
    name          text UNIQUE NOT NULL,
    nation        text        NOT NULL CHECK (nation ~ '^[A-Z]{2}$'),
    sector        text        NOT NULL,
    contact_point text,
    is_own        boolean     NOT NULL DEFAULT false,
    created       timestamptz NOT NULL DEFAULT now(),
    updated       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisation_only_one_own ON organisation (is_own) WHERE is_own;

-- Every user belongs to one organisation and holds roles; users from before this migration are
-- given the node's own organisation when the node next starts.
ALTER TABLE app_user ADD COLUMN organisation_id text REFERENCES organisation (id);
ALTER TABLE app_user ADD COLUMN roles text[] NOT NULL DEFAULT '{analyst}';

-- The current text of every agreement; every version ever in force is in agreement_version.
CREATE TABLE agreement (
    id       text PRIMARY KEY,
    version  integer     NOT NULL,
    status   text        NOT NULL,
    document jsonb       NOT NULL,
    updated  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agreement_version (
    agreement_id text        NOT NULL REFERENCES agreement (id),
    version      integer     NOT NULL,
    document     jsonb       NOT NULL,
    changed_by   text        NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agreement_id, version)
);

-- Counts changes of organisations and agreements. Each process keeps the policy in memory and
-- reloads it when this moves, so a terminated agreement stops the flow in every process at once.
CREATE TABLE policy_epoch (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch     bigint  NOT NULL
);
INSERT INTO policy_epoch VALUES (true, 0);

-- Where a collection's content came from: null for the node's own intelligence; otherwise the
-- providing organisation and the agreement it was received under (onward sharing, purpose
-- limitation and retention follow from that agreement).
ALTER TABLE collection ADD COLUMN provider_id text REFERENCES organisation (id);
ALTER TABLE collection ADD COLUMN agreement_id text REFERENCES agreement (id);

-- What the policy needs to know of an object, derived once when it is stored (see
-- org.entente.node.policy.ObjectFacts): TLP, handling codes, category, personal data, granular
-- markings. Null for rows stored before this column existed: computed from the JSON when read.
ALTER TABLE stix_object ADD COLUMN policy_facts integer;
