-- The platform's tables on SQLite. Times are Unix milliseconds (UTC).

-- Chain heads: the last number given out in the change feed and in the audit
-- log, and the audit log's last hash. Updating a row here is what serialises
-- writers of that chain.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL,
    hash  TEXT
);
INSERT INTO counters (name, value, hash) VALUES
    ('feed', 0, NULL),
    ('audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT
);

CREATE TABLE org_units (
    code   TEXT PRIMARY KEY,
    region TEXT NOT NULL REFERENCES regions (code),
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL
);
CREATE INDEX org_units_region ON org_units (region);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    org_unit      TEXT NOT NULL REFERENCES org_units (code),
    roles         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until  BIGINT,
    created_at    BIGINT NOT NULL
);

CREATE TABLE devices (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    last_user  TEXT,
    first_seen BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    device_id       TEXT NOT NULL REFERENCES devices (id),
    access_hash     TEXT NOT NULL UNIQUE,
    access_expires  BIGINT NOT NULL,
    refresh_hash    TEXT NOT NULL UNIQUE,
    refresh_expires BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_device ON sessions (device_id);

-- The current state of every synced record.
CREATE TABLE records (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    org_unit    TEXT NOT NULL,
    region      TEXT NOT NULL,
    natural_key TEXT,
    version     BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    deleted     BIGINT NOT NULL,
    data        TEXT,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX records_natural_key ON records (kind, natural_key);

-- The change feed: one row per applied change, numbered by the 'feed' counter.
CREATE TABLE changes (
    seq        BIGINT PRIMARY KEY,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    version    BIGINT NOT NULL,
    deleted    BIGINT NOT NULL,
    org_unit   TEXT NOT NULL,
    region     TEXT NOT NULL,
    data       TEXT,
    changed_at BIGINT NOT NULL,
    user_id    TEXT NOT NULL,
    device_id  TEXT NOT NULL
);

-- The outcome of every pushed entry, so that a replay is answered, not re-applied.
CREATE TABLE push_outcomes (
    device_id  TEXT NOT NULL,
    device_seq BIGINT NOT NULL,
    outcome    TEXT NOT NULL,
    PRIMARY KEY (device_id, device_seq)
);

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    device_id TEXT,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE number_sequences (
    key         TEXT PRIMARY KEY,
    region      TEXT NOT NULL,
    next_serial BIGINT NOT NULL
);

CREATE TABLE number_blocks (
    key          TEXT NOT NULL REFERENCES number_sequences (key),
    first        BIGINT NOT NULL,
    last         BIGINT NOT NULL,
    device_id    TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    org_unit     TEXT NOT NULL,
    allocated_at BIGINT NOT NULL,
    PRIMARY KEY (key, first)
);

CREATE TABLE voided_numbers (
    key       TEXT NOT NULL REFERENCES number_sequences (key),
    serial    BIGINT NOT NULL,
    reason    TEXT NOT NULL,
    device_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    voided_at BIGINT NOT NULL,
    PRIMARY KEY (key, serial)
);
