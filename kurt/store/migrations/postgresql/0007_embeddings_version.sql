-- dialect: postgresql (the variant of ../0007_embeddings_version.sql)
-- A counter of changes to section_embeddings (see the SQLite file): a trigger
-- bumps it after every row inserted, updated or deleted, as SQLite's do (a
-- statement-level one would also fire for deletes that cascade to no row).
CREATE FUNCTION kurt_embeddings_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO meta (key, value) VALUES ('embeddings_version', '1')
    ON CONFLICT (key) DO UPDATE SET value = (CAST(meta.value AS BIGINT) + 1)::text;
    RETURN NULL;
END
$$;

CREATE TRIGGER section_embeddings_version AFTER INSERT OR UPDATE OR DELETE
    ON section_embeddings FOR EACH ROW EXECUTE FUNCTION kurt_embeddings_version();
