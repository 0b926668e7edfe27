-- dialect: postgresql (the variant of ../0005_discovery.sql)
CREATE INDEX documents_canonical_url ON documents (canonical_url);
CREATE INDEX links_target_url ON links (target_url);

-- Titles and URLs of documents, for ranking documents before their passages
-- (SQLite keeps a separate FTS5 table): an expression index on documents.
CREATE INDEX documents_title_tsv ON documents
    USING GIN (to_tsvector('english', coalesce(title, '') || ' ' || url));
