-- What the figures of document handling keep of each official document and
-- 督办 matter, written with the record: its way (NULL for a matter), whom
-- its step waits on, the days it was opened and finished and its deadline.
-- The figures count these rows in SQL: no title, no number, no body.
CREATE TABLE office_figures (
    record_id TEXT PRIMARY KEY,
    org_unit  TEXT NOT NULL,
    region    TEXT NOT NULL,
    direction TEXT,
    waits_on  TEXT,
    opened    TEXT NOT NULL,
    finished  TEXT,
    deadline  TEXT
);
CREATE INDEX office_figures_unit ON office_figures (org_unit, finished);
CREATE INDEX office_figures_region ON office_figures (region);

-- 0 until the rows of the records from before this table were derived
-- (once, when the platform starts).
INSERT INTO counters (name, value, hash) VALUES ('office_figures', 0, NULL);
