-- Teams (docs/teams.md). The source files in the store (kurt.store.content): a PostgreSQL store shared by a team
-- keeps the text of each fetched document's file in sources/, so a teammate's workspace
-- writes the files from it ('kurt content sync') without fetching anything again.
-- A SQLite store leaves the table empty: sources/ beside it holds the files.
-- Portable SQL: file_hash is the sha256 of the file's text (frontmatter and markdown).
CREATE TABLE document_content (
    document_id   TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    content_path  TEXT NOT NULL,             -- where the file goes: sources/<domain>/<path>.md
    file_hash     TEXT NOT NULL,
    file_text     TEXT NOT NULL,
    stored_at     TEXT NOT NULL
);

-- The shared per-host politeness budget (kurt.ingest.host_budget): fetch workers on
-- several machines pointed at one PostgreSQL store space their requests to a host by
-- the host's interval (min_delay, Crawl-delay) between them all, not each on its own.
-- next_start: when the next request to the host may start, in seconds since the epoch.
CREATE TABLE host_budget (
    host        TEXT PRIMARY KEY,                -- host[:port], lowercased
    next_start  REAL NOT NULL
);
