-- What each marriage and divorce record counts for in the figures, on which
-- day (a registration, a refusal, an application received, a withdrawal, a
-- divorce), kept as the records arrive: the figures are counted here in SQL
-- instead of reading every record of the province.
CREATE TABLE marriage_events (
    record_id TEXT NOT NULL,
    event     TEXT NOT NULL,
    day       TEXT NOT NULL,
    org_unit  TEXT NOT NULL,
    region    TEXT NOT NULL,
    PRIMARY KEY (record_id, event)
);
CREATE INDEX marriage_events_day ON marriage_events (day, org_unit);

-- 0 until the events of the records from before this table were derived
-- (once, when the platform starts).
INSERT INTO counters (name, value, hash) VALUES ('marriage_events', 0, NULL);
