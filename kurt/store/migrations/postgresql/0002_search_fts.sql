-- dialect: postgresql (the variant of ../0002_search_fts.sql)
-- Full-text index over sections: a tsvector per passage, the heading path weighted A
-- and the body B, in a GIN index; kept by a trigger as SQLite's FTS5 table is.
-- The 'english' configuration stems with Snowball's English stemmer (the porter
-- family SQLite's tokenizer uses). Every run of characters that are not letters or
-- digits separates words first, as in SQLite's unicode61 tokenizer: PostgreSQL's own
-- parser would keep "node.js", URLs and paths as single tokens.
CREATE TABLE sections_fts (
    section_id  BIGINT PRIMARY KEY REFERENCES sections (id) ON DELETE CASCADE,
    tsv         tsvector NOT NULL
);
CREATE INDEX sections_fts_tsv ON sections_fts USING GIN (tsv);

CREATE FUNCTION kurt_sections_fts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sections_fts (section_id, tsv)
    VALUES (NEW.id,
            setweight(to_tsvector('english', regexp_replace(coalesce(NEW.heading_path, ''), '[^[:alnum:]]+', ' ', 'g')), 'A')
            || setweight(to_tsvector('english', regexp_replace(coalesce(NEW.search_body, ''), '[^[:alnum:]]+', ' ', 'g')), 'B'))
    ON CONFLICT (section_id) DO UPDATE SET tsv = excluded.tsv;
    RETURN NULL;
END
$$;

CREATE TRIGGER sections_fts_write AFTER INSERT OR UPDATE OF heading_path, search_body
    ON sections FOR EACH ROW EXECUTE FUNCTION kurt_sections_fts();
