-- dialect: postgresql (the variant of ../0007_embeddings_version.sql)
-- A counter of changes to section_embeddings (see the SQLite file): one
-- statement-level trigger bumps it after every insert, update or delete.
CREATE FUNCTION kurt_embeddings_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO meta (key, value) VALUES ('embeddings_version', '1')
    ON CONFLICT (key) DO UPDATE SET value = (CAST(meta.value AS BIGINT) + 1)::text;
    RETURN NULL;
END
$$;

CREATE TRIGGER section_embeddings_version AFTER INSERT OR UPDATE OR DELETE
    ON section_embeddings FOR EACH STATEMENT EXECUTE FUNCTION kurt_embeddings_version();
