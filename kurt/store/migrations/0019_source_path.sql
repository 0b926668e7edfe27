-- Documents are looked up by their stored file or their source file
-- (kurt.store.documents.get_document: content_path = ? OR source_path = ?): without an
-- index on source_path, SQLite scans the whole table for every lookup (every source a
-- draft cites, each time it is checked), which grows with the workspace.
CREATE INDEX documents_source_path ON documents (source_path);
