-- dialect: sqlite
-- Boilerplate (kurt.index.boilerplate): what a site repeats on many of its pages.
-- document_units: each indexed document's units (heading, line of text; code unhashed) as
--   one BLOB of int64 quadruples (passage position, 64-bit hash of the normalised text,
--   characters, kind), one row per document.
-- unit_counts: per site, how many documents hold each key (kept as documents are indexed,
--   re-indexed and deleted).
-- boilerplate_units: the site's keys held by two documents or more, with their status
--   (1 repeated, 2 common) when the flags were last computed.
-- sections.boilerplate: 1 for a passage that is boilerplate (kept in the file; search,
--   evidence, examples and source proposals skip it).
-- The sections update trigger is narrowed to the searched columns, so writing a flag does
-- not rewrite the passage's full-text entry.
-- PostgreSQL: the same tables (BIGINT hash); the trigger is SQLite's FTS5 bookkeeping.
CREATE TABLE document_units (
    document_id  TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    site         TEXT NOT NULL,              -- domain, or file:<mapped folder>
    units        BLOB NOT NULL
);
CREATE INDEX document_units_site ON document_units (site);

CREATE TABLE unit_counts (
    site       TEXT NOT NULL,
    hash       INTEGER NOT NULL,
    documents  INTEGER NOT NULL,
    PRIMARY KEY (site, hash)
) WITHOUT ROWID;

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
