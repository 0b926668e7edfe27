-- dialect: postgresql (the variant of ../0005_discovery.sql)
CREATE INDEX documents_canonical_url ON documents (canonical_url);
CREATE INDEX links_target_url ON links (target_url);

-- Titles (weight A) and URLs (weight C) of documents, for ranking documents before
-- their passages when a query matches very many (SQLite keeps a separate FTS5 table):
-- an expression index on documents; kurt/search_postgres.py TITLE_TSV is the same
-- expression, so the planner uses it.
CREATE INDEX documents_title_tsv ON documents USING GIN (
    (setweight(to_tsvector('english', regexp_replace(coalesce(title, ''), '[^[:alnum:]]+', ' ', 'g')), 'A')
     || setweight(to_tsvector('english', regexp_replace(url, '[^[:alnum:]]+', ' ', 'g')), 'C')));
