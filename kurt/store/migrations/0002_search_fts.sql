-- dialect: sqlite
-- Full-text index over sections (SQLite FTS5, BM25 ranking).
-- A PostgreSQL store would use a tsvector column with a GIN index instead.
CREATE VIRTUAL TABLE sections_fts USING fts5 (
    heading_path,
    search_body,
    content='sections',
    content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER sections_ai AFTER INSERT ON sections BEGIN
    INSERT INTO sections_fts (rowid, heading_path, search_body) VALUES (new.id, new.heading_path, new.search_body);
END;
CREATE TRIGGER sections_ad AFTER DELETE ON sections BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading_path, search_body)
    VALUES ('delete', old.id, old.heading_path, old.search_body);
END;
CREATE TRIGGER sections_au AFTER UPDATE ON sections BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading_path, search_body)
    VALUES ('delete', old.id, old.heading_path, old.search_body);
    INSERT INTO sections_fts (rowid, heading_path, search_body) VALUES (new.id, new.heading_path, new.search_body);
END;
