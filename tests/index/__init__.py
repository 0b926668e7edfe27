"""Tests of kurt.index, and a helper other discovery tests share.

``build_sections(workspace)`` splits and stores the sections and links of
every FETCHED document that has none yet, with kurt.index.sections and
kurt.index.links: the railway fixture runs the full indexer when it exists,
and this fills the gap while it does not (or when a test bypasses it).
"""

from __future__ import annotations


def build_sections(workspace) -> int:
    """Index sections and links of FETCHED documents lacking sections; the number indexed."""
    from kurt.index.links import extract_links, replace_links, resolve_pending_links
    from kurt.index.sections import replace_sections, split_sections

    store = workspace.open_store()
    try:
        rows = store.query(
            "SELECT id, url, title, content_path FROM documents d WHERE status = 'FETCHED'"
            " AND content_path IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM sections s WHERE s.document_id = d.id)"
        )
        with store.transaction() as conn:
            for row in rows:
                text = (workspace.root / row["content_path"]).read_text(encoding="utf-8")
                replace_sections(conn, row["id"], split_sections(text, title=row["title"]))
                replace_links(conn, row["id"], extract_links(text, row["url"]))
            resolve_pending_links(conn)
        return len(rows)
    finally:
        store.close()
