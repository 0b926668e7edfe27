-- Source files' state, so that a hand edit is told from Kurt's own copy by content,
-- not by a time window (see kurt.ingest.files.copy_state).
-- file_signature: "<size>:<mtime_ns>" of the file at content_path when it last held the
--   markdown of content_hash; NULL when unknown or too recent to trust (the file is hashed).
-- indexed_file_hash: sha256 of the markdown the index was built from (content_hash unless
--   the file was edited by hand); NULL: built before this column, taken as content_hash.
ALTER TABLE documents ADD COLUMN file_signature TEXT;
ALTER TABLE documents ADD COLUMN indexed_file_hash TEXT;
