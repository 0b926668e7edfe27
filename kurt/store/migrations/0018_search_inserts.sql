-- dialect: sqlite
-- Passages reach the FTS5 index (0002) from one statement per document
-- (kurt.index.sections.replace_sections: INSERT ... SELECT over the ids it just
-- stored), which costs about a quarter of the trigger firing for every row. The ids
-- being stored that way are noted in search_pending for the length of the statement, and
-- the trigger skips them; a row stored any other way (another tool, an older Kurt)
-- still reaches the index through the trigger, so the FTS5 index never misses a row
-- that a later delete would take out of it. PostgreSQL keeps its trigger
-- (postgresql/0018_search_inserts.sql).
CREATE TABLE search_pending (
    first INTEGER NOT NULL,
    last  INTEGER NOT NULL
);

DROP TRIGGER sections_ai;
CREATE TRIGGER sections_ai AFTER INSERT ON sections
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE new.id BETWEEN first AND last)
BEGIN
    INSERT INTO sections_fts (rowid, heading_path, search_body) VALUES (new.id, new.heading_path, new.search_body);
END;
