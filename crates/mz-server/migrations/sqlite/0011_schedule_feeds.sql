-- The leaders' phone feeds: a read-only iCalendar URL per leader, behind a
-- random token kept only as its hash, revocable at once.
CREATE TABLE schedule_feeds (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    leader      TEXT NOT NULL,
    org_unit    TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX schedule_feeds_leader ON schedule_feeds (org_unit, leader);
-- Each fetch of a feed, as the phone made it (never who the phone is beyond
-- what it says of itself).
CREATE TABLE schedule_feed_fetches (
    feed_id     TEXT NOT NULL,
    at          BIGINT NOT NULL,
    user_agent  TEXT,
    events      BIGINT NOT NULL
);
CREATE INDEX schedule_feed_fetches_feed ON schedule_feed_fetches (feed_id, at);
