-- dialect: sqlite
-- Boilerplate (kurt.index.boilerplate): what a site repeats on many of its pages.
-- passage_units: one row per unit (heading, paragraph, list item; code unhashed) of every
--   indexed passage, keyed by a 64-bit hash of its normalised text; `first` is 1 on the
--   first row of a hash in its document, so SUM(first) counts documents.
-- boilerplate_units: the site's keys held by two documents or more, with their status
--   (1 repeated, 2 common) when the flags were last computed.
-- sections.boilerplate: 1 for a passage that is boilerplate (kept in the file; search,
--   evidence, examples and source proposals skip it).
-- The sections update trigger is narrowed to the searched columns, so writing a flag does
-- not rewrite the passage's full-text entry.
-- PostgreSQL: the same tables (BIGINT hash); the trigger is SQLite's FTS5 bookkeeping.
CREATE TABLE passage_units (
    site         TEXT NOT NULL,              -- domain, or file:<mapped folder>
    hash         INTEGER,                    -- NULL for code (counted in the size only)
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,           -- the passage (sections.position)
    chars        INTEGER NOT NULL,
    kind         INTEGER NOT NULL,           -- 0 text, 1 heading, 2 code
    first        INTEGER NOT NULL
);
CREATE INDEX passage_units_hash ON passage_units (site, hash, first);
CREATE INDEX passage_units_document ON passage_units (document_id);

CREATE TABLE boilerplate_units (
    site    TEXT NOT NULL,
    hash    INTEGER NOT NULL,
    status  INTEGER NOT NULL,
    PRIMARY KEY (site, hash)
);

ALTER TABLE sections ADD COLUMN boilerplate INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER sections_au;
CREATE TRIGGER sections_au AFTER UPDATE OF heading_path, search_body ON sections BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading_path, search_body)
    VALUES ('delete', old.id, old.heading_path, old.search_body);
    INSERT INTO sections_fts (rowid, heading_path, search_body) VALUES (new.id, new.heading_path, new.search_body);
END;

-- Passages indexed before this migration have no units: the next index run redoes them.
UPDATE documents SET indexed_hash = NULL WHERE indexed_hash IS NOT NULL;

-- Copies of one page (kurt.index.duplicates): the smallest key of the document's own text.
ALTER TABLE documents ADD COLUMN duplicate_key INTEGER;
CREATE INDEX documents_duplicate_key ON documents (duplicate_key);
