-- The figures count the cremations whose bill was waived (event 'waived').
-- 0 until the events of the cases from before it were derived again (once,
-- when the platform starts).
INSERT INTO counters (name, value, hash) VALUES ('funeral_waived', 0, NULL);
