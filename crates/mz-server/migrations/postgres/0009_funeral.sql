-- The funeral homes' cases (kind funeral_case).

-- Every cremation certificate number on record, the current and the voided,
-- each with its case: a number is never on two cases.
CREATE TABLE funeral_certificates (
    number    TEXT PRIMARY KEY,
    record_id TEXT NOT NULL
);
CREATE INDEX funeral_certificates_record ON funeral_certificates (record_id);

-- What each case counts for in the figures (received, cremated, unidentified),
-- in which month, kept as the records arrive.
CREATE TABLE funeral_events (
    record_id TEXT NOT NULL,
    event     TEXT NOT NULL,
    month     TEXT NOT NULL,
    org_unit  TEXT NOT NULL,
    region    TEXT NOT NULL,
    PRIMARY KEY (record_id, event)
);

-- The counts per home, month and event, kept in step with funeral_events:
-- the province's figures read these rows, never the records.
CREATE TABLE funeral_counts (
    org_unit TEXT NOT NULL,
    month    TEXT NOT NULL,
    event    TEXT NOT NULL,
    region   TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (org_unit, month, event)
);
CREATE INDEX funeral_counts_month ON funeral_counts (month, region);
