-- Discovery: indexes for resolving links, and a small full-text index of titles.

-- Resolving links to ingested documents (by URL or canonical URL), and finding
-- the links that name a target URL.
CREATE INDEX documents_canonical_url ON documents (canonical_url);
CREATE INDEX links_target_url ON links (target_url);

-- dialect: sqlite
-- Titles and URLs of indexed documents (SQLite FTS5; a PostgreSQL store would use a
-- tsvector column on documents). Search uses it when a query matches so many
-- passages that ranking them all is slow: it ranks the documents whose titles
-- match first, then the passages of those. One row per document that has sections,
-- keyed by the id of its first section, so the row comes and goes with them.
CREATE VIRTUAL TABLE document_titles_fts USING fts5 (
    title,
    url,
    tokenize='porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER document_titles_ai AFTER INSERT ON sections WHEN new.position = 0 BEGIN
    INSERT INTO document_titles_fts (rowid, title, url)
    SELECT new.id, d.title, d.url FROM documents d WHERE d.id = new.document_id;
END;
CREATE TRIGGER document_titles_ad AFTER DELETE ON sections WHEN old.position = 0 BEGIN
    DELETE FROM document_titles_fts WHERE rowid = old.id;
END;
CREATE TRIGGER document_titles_au AFTER UPDATE OF title, url ON documents BEGIN
    UPDATE document_titles_fts SET title = new.title, url = new.url
    WHERE rowid = (SELECT s.id FROM sections s WHERE s.document_id = new.id AND s.position = 0);
END;

INSERT INTO document_titles_fts (rowid, title, url)
SELECT s.id, d.title, d.url FROM sections s JOIN documents d ON d.id = s.document_id
WHERE s.position = 0;
