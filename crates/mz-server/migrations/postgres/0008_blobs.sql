-- Files kept beside records (a couple's photo; later scans and
-- attachments) are blobs, stored once by the SHA-256 of their bytes and
-- fetched on their own: a record's body names them by hash, so a body stays
-- small and a page of the change feed never carries a photo.
CREATE TABLE blobs (
    sha256      TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    size        BIGINT NOT NULL,
    data        BYTEA NOT NULL,
    -- Who sent it first: until a record names it, only they may read it.
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX blobs_uploader ON blobs (uploaded_by, uploaded_at);

-- Which records (in any of their versions) name which blob: a blob is read
-- by whoever may read one of them.
CREATE TABLE record_blobs (
    sha256    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (sha256, kind, record_id)
);
CREATE INDEX record_blobs_record ON record_blobs (kind, record_id);

-- 1 once the photos that bodies written before held inline (base64) are
-- lifted out into blobs (done once, at start-up: see blobs.rs).
INSERT INTO counters (name, value, hash) VALUES ('inline_blobs', 0, NULL);
