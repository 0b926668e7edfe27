-- The folder a local file was mapped from, so its content path keeps the
-- folder structure: sources/local/<folder name>/<path inside the folder>.md
ALTER TABLE documents ADD COLUMN source_root TEXT;
