-- dialect: sqlite
-- A counter of changes to section_embeddings, so the memory-mapped copy of the
-- vectors that semantic search keeps in .kurt/ (kurt.index.vectors) knows
-- cheaply when it is stale. Triggers bump it on every insert, update and
-- delete, including deletes cascading from re-indexed passages and deleted
-- documents (the row appears with the first change).
-- PostgreSQL: the same triggers in PL/pgSQL, or one statement-level trigger.
CREATE TRIGGER section_embeddings_version_insert AFTER INSERT ON section_embeddings BEGIN
    INSERT INTO meta (key, value) VALUES ('embeddings_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(meta.value AS INTEGER) + 1;
END;

CREATE TRIGGER section_embeddings_version_update AFTER UPDATE ON section_embeddings BEGIN
    INSERT INTO meta (key, value) VALUES ('embeddings_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(meta.value AS INTEGER) + 1;
END;

CREATE TRIGGER section_embeddings_version_delete AFTER DELETE ON section_embeddings BEGIN
    INSERT INTO meta (key, value) VALUES ('embeddings_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(meta.value AS INTEGER) + 1;
END;
