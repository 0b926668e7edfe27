-- dialect: postgresql (the variant of ../0013_boilerplate.sql)
-- The same tables (see the SQLite file); the sections trigger of 0002 already fires only
-- for the searched columns, so writing a boilerplate flag does not rewrite the tsvector.
CREATE TABLE document_units (
    document_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    site         TEXT COLLATE "C" NOT NULL,
    units        BYTEA NOT NULL
);
CREATE INDEX document_units_site ON document_units (site);

CREATE TABLE unit_counts (
    site       TEXT COLLATE "C" NOT NULL,
    hash       BIGINT NOT NULL,
    documents  BIGINT NOT NULL,
    PRIMARY KEY (site, hash)
);

CREATE TABLE boilerplate_units (
    site    TEXT COLLATE "C" NOT NULL,
    hash    BIGINT NOT NULL,
    status  BIGINT NOT NULL,
    PRIMARY KEY (site, hash)
);

ALTER TABLE sections ADD COLUMN boilerplate BIGINT NOT NULL DEFAULT 0;

UPDATE documents SET indexed_hash = NULL WHERE indexed_hash IS NOT NULL;

ALTER TABLE documents ADD COLUMN duplicate_key BIGINT;
CREATE INDEX documents_duplicate_key ON documents (duplicate_key);
