-- Certificates issued again (补领 BJ / BL), by number: each number names one
-- record, never two; a divorce can find the marriage by the reissued
-- certificate the couple hands in.

CREATE TABLE reissued_numbers (
    number    TEXT PRIMARY KEY,
    record_id TEXT NOT NULL
);
CREATE INDEX reissued_numbers_record ON reissued_numbers (record_id);
