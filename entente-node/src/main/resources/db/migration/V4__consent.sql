-- A provider's permission, given case by case, for what its handling codes or the agreement's
-- onward rule otherwise forbid: passing data on to a named recipient (H2, H3, onward "with-consent"),
-- or using it in judicial proceedings (H1). Recorded, never deleted: a withdrawal sets revoked_at.
CREATE TABLE consent (
    id           bigserial PRIMARY KEY,
    provider_id  text        NOT NULL REFERENCES organisation (id),
    recipient_id text        NOT NULL REFERENCES organisation (id),
    covers       text        NOT NULL CHECK (covers IN ('onward-sharing', 'judicial-use')),
    -- null: everything the provider sent
    object_id    text,
    reference    text        NOT NULL,
    recorded_by  text        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
CREATE INDEX consent_by_pair ON consent (provider_id, recipient_id) WHERE revoked_at IS NULL;

-- Organisation names are looked up without regard to case: they must be unique that way too.
CREATE UNIQUE INDEX organisation_name_folded ON organisation (lower(name));
