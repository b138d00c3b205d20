-- The document library's search index, kept in step with the live
-- `library_item` records by the library module at push: each item's kind and
-- category (`/法规/婚姻登记/`, matched by prefix) and, in FTS5, the terms of
-- its title and of its whole searched text (mz_domain::fulltext: the pairs
-- of its characters as ASCII words). Contentless: the text is the record's.
CREATE TABLE library_search (
    doc INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    category TEXT NOT NULL
);
CREATE INDEX library_search_category ON library_search (category);

CREATE VIRTUAL TABLE library_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61'
);
-- Its rank: bm25 with the title weighed ten times the text.
INSERT INTO library_fts (library_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
