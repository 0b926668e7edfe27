"""Source files edited by hand after they were indexed.

Kurt writes ``sources/<domain>/<path>.md`` itself; a person (or an agent) may
still edit one. Search, outlines and citations must then follow the file on
disk, so the index notices: a file whose markdown no longer hashes to what the
index was built from (``indexed_file_hash``, else ``content_hash``) is
re-indexed, and the run says so. Whether a file changed is decided by content,
never by a time window: a file whose stat signature is the one recorded when it
last held ``content_hash``'s markdown is unchanged without being read; any other
is hashed (``kurt.ingest.files.copy_state``), and a hashed file found intact
gets its signature recorded, so the next run does not read it again.

The stored hash is left alone: ``kurt content fetch --refetch`` sees the copy is
no longer intact, fetches the page without a conditional request and restores
the published version.
"""

from __future__ import annotations

import os
from pathlib import Path

from kurt.ingest.files import copy_state
from kurt.store.db import Store
from kurt.store.filters import DocumentFilter

BATCH = 1000  # rows read at a time from the one query that walks the selection


def edited_documents(root: Path, store: Store, flt: DocumentFilter) -> list[str]:
    """Ids of indexed FETCHED documents whose file changed by hand since they were indexed.

    Documents already stale (``indexed_hash <> content_hash``) are left out:
    the index redoes them anyway. One query walks the selection (paging it by
    id would sort it again for every page), and a file costs one ``stat``
    unless it has to be hashed.
    """
    where, params = flt.where("d")
    cursor = store.conn.execute(
        "SELECT d.id, d.content_path, d.content_hash, d.file_signature, d.indexed_file_hash"
        f" FROM documents d WHERE {where} AND d.status = 'FETCHED' AND d.indexed_at IS NOT NULL"
        " AND d.content_path IS NOT NULL AND d.content_hash IS NOT NULL"
        " AND d.indexed_hash = d.content_hash",
        params,
    )
    folder = os.fspath(root)
    edited: list[str] = []
    verified: list[tuple[str, str, str]] = []  # (signature, id, content_hash) of files hashed intact
    try:
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                copy = copy_state(os.path.join(folder, row["content_path"]), row["content_hash"],
                                  row["file_signature"])
                if copy.state == "missing":
                    continue  # the index reports it when it next reads the file
                if copy.intact and copy.read and copy.signature:
                    verified.append((copy.signature, row["id"], row["content_hash"]))
                if copy.markdown_hash != (row["indexed_file_hash"] or row["content_hash"]):
                    edited.append(row["id"])
    finally:
        cursor.close()
    # The next run trusts them by their signature instead of reading them again; a read-only
    # store (kurt status on a read-only workspace) just reads them again next time.
    if verified and not store.read_only:
        with store.transaction() as conn:
            conn.executemany("UPDATE documents SET file_signature = ? WHERE id = ? AND content_hash = ?",
                             verified)
    return edited
