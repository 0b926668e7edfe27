-- dialect: sqlite
-- Passages reach the FTS5 indexes (0002 sections_fts, 0005 document_titles_fts) in one
-- statement per write transaction rather than from triggers firing for every row: FTS5
-- writes a segment for every statement that changes it, so a trigger per row cost a
-- segment (and its merges) per document. kurt.index.sections.replace_sections stores a
-- document's passages with ids it picks under the write lock and notes the range in
-- search_pending; kurt.index.sections.flush_search, at the end of the transaction, puts
-- every noted range into both indexes and empties the table. The triggers skip the rows
-- of a noted range (so a passage stored and replaced within one transaction never
-- reaches the index) and still serve every row stored any other way (another tool, an
-- older Kurt), so the FTS5 index never misses a row that a later delete takes out of it.
-- PostgreSQL keeps its trigger (postgresql/0018_search_inserts.sql).
CREATE TABLE search_pending (
    first INTEGER PRIMARY KEY,
    last  INTEGER NOT NULL
);

DROP TRIGGER sections_ai;
CREATE TRIGGER sections_ai AFTER INSERT ON sections
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE new.id BETWEEN first AND last)
BEGIN
    INSERT INTO sections_fts (rowid, heading_path, search_body) VALUES (new.id, new.heading_path, new.search_body);
END;

DROP TRIGGER sections_ad;
CREATE TRIGGER sections_ad AFTER DELETE ON sections
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE old.id BETWEEN first AND last)
BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading_path, search_body)
    VALUES ('delete', old.id, old.heading_path, old.search_body);
END;

DROP TRIGGER sections_au;
CREATE TRIGGER sections_au AFTER UPDATE OF heading_path, search_body ON sections
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE old.id BETWEEN first AND last)
BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading_path, search_body)
    VALUES ('delete', old.id, old.heading_path, old.search_body);
    INSERT INTO sections_fts (rowid, heading_path, search_body) VALUES (new.id, new.heading_path, new.search_body);
END;

DROP TRIGGER document_titles_ai;
CREATE TRIGGER document_titles_ai AFTER INSERT ON sections
WHEN new.position = 0 AND NOT EXISTS (SELECT 1 FROM search_pending WHERE new.id BETWEEN first AND last)
BEGIN
    INSERT INTO document_titles_fts (rowid, title, url)
    SELECT new.id, d.title, d.url FROM documents d WHERE d.id = new.document_id;
END;
