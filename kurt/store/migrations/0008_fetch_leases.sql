-- Fetch leases (kurt.store.leases): which fetch run is working on a document, so
-- that concurrent runs on one workspace share the work instead of each fetching
-- every page. Portable SQL (TEXT timestamps: ISO-8601 UTC with microseconds).
ALTER TABLE documents ADD COLUMN lease_owner TEXT;    -- host:pid:start:run holding it, or that last finished it
ALTER TABLE documents ADD COLUMN lease_until TEXT;    -- when the hold expires; NULL when nobody holds it
ALTER TABLE documents ADD COLUMN lease_done_at TEXT;  -- when lease_owner finished it
CREATE INDEX documents_lease_owner ON documents (lease_owner);
