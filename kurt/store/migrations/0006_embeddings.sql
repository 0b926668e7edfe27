-- Semantic search (optional, kurt[semantic]): one embedding per passage.
-- Portable: the vector is float32 little-endian bytes in a BLOB (BYTEA on
-- PostgreSQL; pgvector could replace it there). A passage replaced on
-- re-index takes its embedding with it (ON DELETE CASCADE), so a missing row
-- means "to embed". `model` names the model that made the vector; a row made
-- by another model counts as missing too.
CREATE TABLE section_embeddings (
    section_id  INTEGER PRIMARY KEY REFERENCES sections (id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    dimensions  INTEGER NOT NULL,
    vector      BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX section_embeddings_model ON section_embeddings (model);
