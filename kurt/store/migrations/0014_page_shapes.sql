-- Page shapes and candidate names: what the corpus pass of the index (kurt.index.corpus)
-- weighs across documents: directories of similar pages (partner directories) and names
-- the vocabulary lacks (partners, products, technologies). Portable SQL.

-- One row per indexed document: its shape (kurt.index.shapes.PageShape).
CREATE TABLE document_shapes (
    document_id        TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    directory          TEXT NOT NULL,              -- host + parent of the URL path: "example.com/ecosystem/"
    words              INTEGER NOT NULL,
    outline            TEXT NOT NULL,              -- heading levels: "1,2"
    title_name         TEXT,                       -- the title, when it is a name
    integration_words  INTEGER NOT NULL DEFAULT 0, -- "integrat...", "connector" in the text
    plus_title         INTEGER NOT NULL DEFAULT 0, -- a "<title> + <Product>" heading
    anchor_title       INTEGER NOT NULL DEFAULT 0, -- a link to a host that spells the title
    local_type         TEXT,                       -- the content type the page alone gets
    item               INTEGER NOT NULL DEFAULT 0  -- 1: a page of a directory of integrations
);
CREATE INDEX document_shapes_directory ON document_shapes (directory);

-- Candidate names of a document (kurt.index.names.NameHit): evidence, not yet entities.
CREATE TABLE document_names (
    document_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,                  -- entity_key of the name
    name           TEXT NOT NULL,
    mid            INTEGER NOT NULL DEFAULT 0,     -- mentions inside a sentence
    initial        INTEGER NOT NULL DEFAULT 0,     -- mentions opening a sentence or line
    title          INTEGER NOT NULL DEFAULT 0,
    heading        INTEGER NOT NULL DEFAULT 0,
    plus_left      INTEGER NOT NULL DEFAULT 0,
    plus_right     INTEGER NOT NULL DEFAULT 0,
    anchor_domain  INTEGER NOT NULL DEFAULT 0,
    company_cue    INTEGER NOT NULL DEFAULT 0,
    tech_cue       INTEGER NOT NULL DEFAULT 0,
    lower          INTEGER NOT NULL DEFAULT 0,     -- times written in lowercase ("image" beside "Image")
    PRIMARY KEY (document_id, key)
);
CREATE INDEX document_names_key ON document_names (key);

-- Directories whose documents were (re)indexed since the corpus pass last judged them.
CREATE TABLE corpus_dirty (
    directory  TEXT PRIMARY KEY
);

-- Names whose documents changed since the corpus pass last decided them.
CREATE TABLE names_dirty (
    key  TEXT PRIMARY KEY
);

-- The names the corpus pass made entities, and why.
CREATE TABLE discovered_names (
    key        TEXT PRIMARY KEY,
    type       TEXT NOT NULL,
    name       TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    evidence   TEXT
);

-- Directories judged to be directories of similar pages (kept for 'why' and for tests).
CREATE TABLE directory_shapes (
    directory    TEXT PRIMARY KEY,
    pages        INTEGER NOT NULL,
    items        INTEGER NOT NULL,
    integration  INTEGER NOT NULL DEFAULT 0,
    evidence     TEXT
);

-- Documents indexed before shapes existed have none: forget the vocabulary fingerprint of the
-- last full index, so the index counts as stale and the next 'kurt content index' redoes it.
DELETE FROM meta WHERE key = 'index_vocabulary';
