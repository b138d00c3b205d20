-- Divorce: which registered marriages a registered divorce dissolved. The
-- marital-status check and the push count a marriage in force only while
-- it has no row here.

CREATE TABLE marriage_dissolutions (
    marriage_id TEXT PRIMARY KEY,
    divorce_id  TEXT NOT NULL
);
CREATE INDEX marriage_dissolutions_divorce ON marriage_dissolutions (divorce_id);
