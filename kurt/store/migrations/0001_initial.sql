-- Kurt's schema, version 1.
-- Portable SQL: TEXT/INTEGER/REAL types, ISO-8601 UTC timestamps in TEXT,
-- no SQLite-only column features, so the same tables run on PostgreSQL.
-- (The full-text index lives in 0002 and is SQLite-specific by nature.)

CREATE TABLE documents (
    id              TEXT PRIMARY KEY,          -- short stable id: sha256(url)[:12]
    url             TEXT NOT NULL UNIQUE,      -- source URL, or file:// URI of a local file
    source_kind     TEXT NOT NULL,             -- 'web' or 'file'
    source_path     TEXT,                      -- original local path for files
    domain          TEXT NOT NULL,             -- host, or 'local' for files
    status          TEXT NOT NULL DEFAULT 'NOT_FETCHED',
                                               -- NOT_FETCHED, FETCHED, ERROR, SKIPPED, GONE
    error           TEXT,                      -- reason for ERROR, SKIPPED or GONE
    http_status     INTEGER,
    discovered_via  TEXT,                      -- sitemap, feed, crawl, folder, manual
    discovered_at   TEXT NOT NULL,
    delisted_at     TEXT,                      -- when the URL left its sitemap/folder; NULL while listed
    sitemap_lastmod TEXT,
    title           TEXT,
    description     TEXT,
    author          TEXT,
    published_date  TEXT,
    language        TEXT,
    canonical_url   TEXT,
    mime_type       TEXT,
    content_path    TEXT,                      -- relative to the workspace: sources/<domain>/<path>.md
    content_hash    TEXT,                      -- sha256 of the extracted markdown
    etag            TEXT,
    last_modified   TEXT,
    fetched_at      TEXT,
    changed_at      TEXT,                      -- last time the extracted content changed
    fetch_outcome   TEXT,                      -- new, unchanged, changed, gone (last fetch)
    word_count      INTEGER,
    -- local index (kurt.index)
    content_type    TEXT,                      -- tutorial, guide, reference, api-reference, ...
    has_code        INTEGER,
    has_steps       INTEGER,
    has_troubleshooting INTEGER,
    has_prerequisites   INTEGER,
    indexed_at      TEXT,
    indexed_hash    TEXT                       -- content_hash the index was built from
);
CREATE INDEX documents_status ON documents (status);
CREATE INDEX documents_domain ON documents (domain);
CREATE INDEX documents_content_type ON documents (content_type);
CREATE INDEX documents_content_path ON documents (content_path);

-- Passages: a document split at its headings. Search ranks these.
CREATE TABLE sections (
    id            INTEGER PRIMARY KEY,
    document_id   TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    heading       TEXT,
    heading_path  TEXT,                        -- "Guide > Setup > Step 2"
    level         INTEGER NOT NULL DEFAULT 0,
    line_start    INTEGER NOT NULL,            -- 1-based, inclusive, in the markdown file
    line_end      INTEGER NOT NULL,
    body          TEXT NOT NULL,               -- the markdown of the passage, verbatim
    search_body   TEXT NOT NULL DEFAULT ''     -- what search indexes: link targets and tags removed
);
CREATE INDEX sections_document ON sections (document_id, position);

CREATE TABLE entities (
    id    INTEGER PRIMARY KEY,
    type  TEXT NOT NULL,                       -- Topic, Technology, Product, Company, Feature, ...
    name  TEXT NOT NULL,                       -- display name: "PostgreSQL"
    key   TEXT NOT NULL,                       -- normalized: "postgresql"
    UNIQUE (type, key)
);

CREATE TABLE entity_aliases (
    alias_key  TEXT NOT NULL,
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (alias_key, entity_id)
);

CREATE TABLE document_entities (
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    entity_id    INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    mentions     INTEGER NOT NULL DEFAULT 1,
    origin       TEXT NOT NULL DEFAULT 'local', -- local or llm
    PRIMARY KEY (document_id, entity_id)
);
CREATE INDEX document_entities_entity ON document_entities (entity_id, document_id);

CREATE TABLE entity_sections (
    entity_id   INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    section_id  INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    mentions    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (entity_id, section_id)
);
CREATE INDEX entity_sections_section ON entity_sections (section_id);

CREATE TABLE links (
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    target_url   TEXT NOT NULL,
    target_id    TEXT,                         -- resolved document id, when the target is ingested
    anchor       TEXT,
    PRIMARY KEY (document_id, target_url)
);
CREATE INDEX links_target ON links (target_id);

CREATE TABLE clusters (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    description  TEXT,
    created_at   TEXT NOT NULL
);

CREATE TABLE document_clusters (
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    cluster_id   INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    score        REAL,
    PRIMARY KEY (document_id, cluster_id)
);
CREATE INDEX document_clusters_cluster ON document_clusters (cluster_id);

-- Small key/value facts about the workspace (last map run per source, ...).
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT
);
