-- dialect: postgresql (the variant of ../0017_search_words.sql)
-- The 'english' configuration drops English stop words (the, to, a, about, only, ...)
-- from the tsvector and from queries: the phrase "connect to a database" then matched
-- "connect" and "database" three words apart whatever the words between them, and a
-- query of stop words ("about") matched nothing, where SQLite's FTS5 index keeps every
-- word. kurt_english is 'english' with the same Snowball stemmer and no stop list;
-- kurt/search_postgres.py CONFIG names it. The passages' tsvectors are computed again.
CREATE TEXT SEARCH DICTIONARY kurt_english_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION kurt_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION kurt_english ALTER MAPPING REPLACE english_stem WITH kurt_english_stem;

CREATE OR REPLACE FUNCTION kurt_sections_fts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sections_fts (section_id, tsv)
    VALUES (NEW.id,
            setweight(to_tsvector('kurt_english', regexp_replace(coalesce(NEW.heading_path, ''), '[^[:alnum:]]+', ' ', 'g')), 'A')
            || setweight(to_tsvector('kurt_english', regexp_replace(coalesce(NEW.search_body, ''), '[^[:alnum:]]+', ' ', 'g')), 'B'))
    ON CONFLICT (section_id) DO UPDATE SET tsv = excluded.tsv;
    RETURN NULL;
END
$$;

UPDATE sections_fts f
SET tsv = setweight(to_tsvector('kurt_english', regexp_replace(coalesce(s.heading_path, ''), '[^[:alnum:]]+', ' ', 'g')), 'A')
          || setweight(to_tsvector('kurt_english', regexp_replace(coalesce(s.search_body, ''), '[^[:alnum:]]+', ' ', 'g')), 'B')
FROM sections s
WHERE s.id = f.section_id;
