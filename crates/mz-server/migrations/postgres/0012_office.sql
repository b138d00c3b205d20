-- Official documents sent (核发) to other units: one delivery per recipient
-- unit, with the document as it was sent, until that unit's office receives
-- it (签收) into an incoming document of its own.
CREATE TABLE office_deliveries (
    id              TEXT PRIMARY KEY,
    document_id     TEXT NOT NULL,
    from_unit       TEXT NOT NULL,
    from_name       TEXT NOT NULL,
    to_unit         TEXT NOT NULL,
    -- The sent document's content (kind, title, number, classification,
    -- urgency, body) as JSON.
    data            TEXT NOT NULL,
    delivered_at    BIGINT NOT NULL,
    received_record TEXT,
    received_at     BIGINT,
    UNIQUE (document_id, to_unit)
);
CREATE INDEX office_deliveries_to ON office_deliveries (to_unit, received_record);
