-- What the security review asked of the platform.

-- A device is bound to the installation that first signed in with its id:
-- the platform gives it a secret (kept in the OS credential store) and only
-- its SHA-256 is kept here. A device from before has none until its next
-- sign-in binds it.
ALTER TABLE devices ADD COLUMN secret_hash TEXT;

-- The SHA-256 of the entry an outcome answers (kind, id, op, base version,
-- data): a replayed (device, sequence) must carry the same entry. Outcomes
-- from before have none and are answered as before.
ALTER TABLE push_outcomes ADD COLUMN entry_hash TEXT;

-- Refresh tokens already exchanged: one presented again means a copy is in
-- other hands, and its session is ended.
CREATE TABLE spent_refresh_tokens (
    hash       TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    spent_at   BIGINT NOT NULL
);
-- Pruned once no session they could name is alive (30 days).
CREATE INDEX spent_refresh_tokens_at ON spent_refresh_tokens (spent_at);

-- Failed sign-ins by address and by account, for throttling with backoff.
CREATE TABLE login_throttle (
    key           TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    last_failure  BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
);

-- The feed's epoch: a new one when the database is made, and on
-- `mz admin feed new-epoch` after a restore from a backup; a client that
-- sees another epoch pulls afresh.
INSERT INTO counters (name, value, hash) VALUES ('epoch', 0, md5(random()::text || clock_timestamp()::text));

-- The audit log is append-only for TRUNCATE too.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
