-- The document library's search index, kept in step with the live
-- `library_item` records by the library module at push: each item's kind and
-- category (`/法规/婚姻登记/`, matched by prefix), the distinct terms of its
-- title and of its whole searched text (mz_domain::fulltext: the pairs of its
-- characters as ASCII words; no positions, so a long text fits a tsvector)
-- with a GIN index, and the text folded, where the index's candidates are
-- confirmed to hold each word whole.
CREATE TABLE library_search (
    record_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    title_terms tsvector NOT NULL,
    terms tsvector NOT NULL,
    folded TEXT NOT NULL
);
CREATE INDEX library_search_terms ON library_search USING GIN (terms);
CREATE INDEX library_search_category ON library_search (category text_pattern_ops);
