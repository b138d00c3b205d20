-- The marital-status check is no longer an open lookup: each check names
-- the registration being prepared (or the appointment) it was made for, is
-- counted against a daily cap per user and per device, and keeps the
-- documents only as a digest.

-- What the check was made for: a record kind and id of the caller's office.
ALTER TABLE status_checks ADD COLUMN purpose_kind TEXT;
ALTER TABLE status_checks ADD COLUMN purpose_id TEXT;
-- 1 for an attempt past the daily cap: refused, kept for the office head.
ALTER TABLE status_checks ADD COLUMN refused BIGINT NOT NULL DEFAULT 0;
CREATE INDEX status_checks_day ON status_checks (org_unit, checked_at);

-- `documents` now holds SHA-256(check id, newline, the sorted document
-- numbers), never the numbers: the checks made before hold none, and can
-- no longer be cited (a clerk checks again).
UPDATE status_checks SET documents = '';
