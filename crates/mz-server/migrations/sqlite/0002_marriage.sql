-- The marriage counter: the marital-status checks the platform made, and
-- which registration each identity document appears in (the registry that
-- the check and the push consult).

CREATE TABLE status_checks (
    id         TEXT PRIMARY KEY,
    org_unit   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    checked_at BIGINT NOT NULL,
    -- The checked document numbers, sorted and joined by a space.
    documents  TEXT NOT NULL,
    clear      BIGINT NOT NULL
);

CREATE TABLE marriage_parties (
    doc_number TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    PRIMARY KEY (doc_number, record_id)
);
CREATE INDEX marriage_parties_record ON marriage_parties (record_id);
