"""Source files edited by hand after they were indexed.

Kurt writes ``sources/<domain>/<path>.md`` itself; a person (or an agent) may
still edit one. Search, outlines and citations must then follow the file on
disk, so the index notices: a file modified after its document was indexed
whose markdown no longer hashes to the stored ``content_hash`` is re-indexed,
and the run says so. The stored hash is left alone, so a ``kurt content fetch
--refetch`` still sees the fetched version and restores it when the page changes.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from kurt.ingest.files import stored_markdown
from kurt.store.db import Store
from kurt.store.filters import DocumentFilter

PAGE = 1000
SLACK_SECONDS = 2.0  # indexed_at has second precision; a file written just before is not "edited"


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
            if _edited(root / row["content_path"], row["content_hash"], row["indexed_at"]):
                edited.append(row["id"])
        last = rows[-1]["id"]


def _edited(path: Path, content_hash: str, indexed_at: str) -> bool:
    try:
        modified = os.stat(path).st_mtime
    except OSError:
        return False  # a missing file is the indexer's own error ("re-fetch it")
    if modified <= _timestamp(indexed_at) + SLACK_SECONDS:
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True
    return hashlib.sha256(stored_markdown(text).encode("utf-8")).hexdigest() != content_hash


def _timestamp(value: str) -> float:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0
