-- Requests for mutual assistance between organisations, node to node (docs/REQUESTS.md). Both ends
-- keep the same request (same id) and the same events; each end's row says which side it is on.

CREATE TABLE assistance_request (
    id              text PRIMARY KEY,        -- request--UUID, the same at both ends
    outgoing        boolean     NOT NULL,    -- true: this node's organisation asks; false: it is asked
    requester       text        NOT NULL,    -- organisation ids
    requested       text        NOT NULL,
    partner         text        NOT NULL,    -- the other one, for listing by partner
    agreement_id    text        NOT NULL,
    article         text        NOT NULL,
    type            text        NOT NULL,
    urgency         text        NOT NULL,
    urgency_rank    smallint    NOT NULL,    -- threat-to-life 2, urgent 1, routine 0: the desk sorts on it
    state           text        NOT NULL,
    open            boolean     NOT NULL,    -- not answered, refused or withdrawn (a partial answer stays open)
    deadline        timestamptz,             -- the answer deadline; null while a draft
    preserved_until timestamptz,             -- a preservation: until when the data is kept
    extends_id      text,                    -- a preservation extending an earlier one
    document        jsonb       NOT NULL,    -- the request as sent: subject, measures, language, attachments' hashes
    created         timestamptz NOT NULL,
    created_by      text        NOT NULL,
    sent            timestamptz,
    acknowledged    timestamptz,
    answered        timestamptz,             -- the first answer, partial or whole, or the refusal
    updated         timestamptz NOT NULL,
    events          integer     NOT NULL DEFAULT 0
);
-- The 24/7 desk: open requests by urgency then deadline, one index scan per page.
-- (-urgency_rank) and coalesce(deadline) make the order one ascending row, so that a page after a
-- given request is one row comparison on this index (drafts, without a deadline, come last).
CREATE INDEX assistance_request_desk ON assistance_request
    (outgoing, (-urgency_rank), (coalesce(deadline, 'infinity'::timestamptz)), id) WHERE open;
CREATE INDEX assistance_request_all ON assistance_request (outgoing, updated DESC, id DESC);
CREATE INDEX assistance_request_partner ON assistance_request (partner, outgoing);
CREATE INDEX assistance_request_deadline ON assistance_request (deadline) WHERE open;
CREATE INDEX assistance_request_preserved ON assistance_request (preserved_until) WHERE preserved_until IS NOT NULL;

-- Every transition and clarification, in the order this node recorded them, with the message that
-- carried it as signed by the node that made it.
CREATE TABLE assistance_event (
    request_id  text        NOT NULL REFERENCES assistance_request (id),
    seq         integer     NOT NULL,
    id          text        NOT NULL UNIQUE, -- the same at both ends
    kind        text        NOT NULL,        -- sent, received, acknowledged, in-progress, answered, partially-answered,
                                             -- refused, withdrawn, withdrawal-declined, clarification
    state       text        NOT NULL,        -- the request's state after it, at this node
    by_org      text        NOT NULL,        -- the organisation whose node made it
    actor       text,                        -- who at that node
    at          timestamptz NOT NULL,        -- when the node that made it made it
    recorded    timestamptz NOT NULL,        -- when this node recorded it
    detail      jsonb       NOT NULL,
    message_id  text,                        -- the federation message that carried it (null for a draft)
    signed      jsonb,                       -- that message as signed
    PRIMARY KEY (request_id, seq)
);

CREATE TABLE assistance_attachment (
    request_id  text        NOT NULL REFERENCES assistance_request (id),
    event_id    text        NOT NULL,        -- the event (sent, answered, clarification) it came with
    sha256      text        NOT NULL,
    name        text        NOT NULL,
    media_type  text        NOT NULL,
    size        integer     NOT NULL,
    content     bytea       NOT NULL,
    PRIMARY KEY (request_id, sha256)
);

-- Reminders before a deadline, escalations after it, preservations about to expire or expired: each
-- once per request, kind and due time, whichever process sees it first.
CREATE TABLE assistance_notice (
    request_id  text        NOT NULL REFERENCES assistance_request (id),
    kind        text        NOT NULL,        -- reminder, escalation, preservation-expiring, preservation-expired
    due         timestamptz NOT NULL,        -- the deadline or expiry it is about
    at          timestamptz NOT NULL,
    addressed_to text       NOT NULL,        -- the contact point it is for
    text        text        NOT NULL,
    PRIMARY KEY (request_id, kind, due)
);
CREATE INDEX assistance_notice_at ON assistance_notice (at DESC);
