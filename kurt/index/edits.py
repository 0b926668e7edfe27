"""Source files edited by hand after they were indexed.

Kurt writes ``sources/<domain>/<path>.md`` itself; a person (or an agent) may
still edit one. Search, outlines and citations must then follow the file on
disk, so the index notices: a file modified after its document was indexed
whose markdown no longer hashes to the stored ``content_hash`` is re-indexed,
and the run says so. The stored hash is left alone: ``kurt content fetch --refetch``
sees the copy is no longer intact (``kurt.ingest.files.copy_state``), fetches the page
without a conditional request and restores the published version.
"""

from __future__ import annotations

from pathlib import Path

from kurt.ingest.files import copy_state
from kurt.store.db import Store
from kurt.store.filters import DocumentFilter

PAGE = 1000


def edited_documents(root: Path, store: Store, flt: DocumentFilter) -> list[str]:
    """Ids of indexed FETCHED documents whose file changed by hand since they were indexed."""
    where, params = flt.where("d")
    edited: list[str] = []
    last = ""
    while True:
        rows = store.query(
            "SELECT d.id, d.content_path, d.content_hash, d.indexed_at FROM documents d"
            f" WHERE {where} AND d.status = 'FETCHED' AND d.indexed_at IS NOT NULL"
            " AND d.content_path IS NOT NULL AND d.content_hash IS NOT NULL AND d.id > ?"
            f" ORDER BY d.id LIMIT {PAGE}",
            [*params, last],
        )
        if not rows:
            return edited
        for row in rows:
            if copy_state(root / row["content_path"], row["content_hash"], row["indexed_at"]) == "edited":
                edited.append(row["id"])
        last = rows[-1]["id"]
