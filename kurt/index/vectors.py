"""A memory-mapped copy of the passage embeddings, so semantic search does not read SQLite.

Reading 120,000 vectors out of ``section_embeddings`` costs about a second a
query; numpy scores a memory-mapped float32 matrix of the same vectors in tens
of milliseconds. ``load_matrix(store, model)`` returns the section ids (sorted)
and vectors of one model from two files in ``.kurt/``::

    embeddings-<model>-v<version>.npy       float32 (n, dimensions)
    embeddings-<model>-v<version>.ids.npy   int64 (n, 2): section id, row of its document
    embeddings-<model>-v<version>.docs.npy  str (m,): document ids, ascending

(knowing each passage's document lets a filter, resolved to document ids in
SQL, become a row mask, and lets the per-document cap run without queries)
when they are current, and otherwise rebuilds them from the database (lazily:
on the first search after a change, or at the end of ``embed_sections``).

Staleness is one read: migration 0007 keeps a counter ``embeddings_version``
in ``meta`` that triggers bump on every insert, update and delete of
``section_embeddings`` (deletes cascading from re-indexed passages and deleted
documents included). The version is in the file names, so ids and vectors on
disk always belong together; the database is read in one read transaction, so
they match the version they are labelled with. Each file is written to a
temporary name and renamed into place (atomic; ``write_atomic`` would hold a
second copy of the matrix in memory as bytes), and older versions are removed
afterwards (a process still reading one keeps its mapping). A store in memory,
or a ``.kurt/`` that cannot be written, gets the matrix built in memory.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from kurt.store.db import Store

READ_CHUNK = 20_000  # vectors read from the database at a time when rebuilding
VERSION_KEY = "embeddings_version"


@dataclass
class VectorMatrix:
    """The embeddings of one model: ``ids[i]`` is the section whose vector is ``vectors[i]``."""

    model: str
    version: int
    ids: object  # numpy int64 (n,), ascending
    vectors: object  # numpy float32 (n, dimensions), rows of norm 1
    docs: object  # numpy str (m,): the documents of these passages, ascending
    doc_rows: object  # numpy int64 (n,): the index in ``docs`` of each passage's document
    path: Path | None = None  # the vectors file, None when built in memory only
    rebuilt: bool = False

    def __len__(self) -> int:
        return len(self.ids)


def embeddings_version(store: Store) -> int:
    """The change counter of ``section_embeddings`` (0 before any embedding)."""
    row = store.query_one("SELECT value FROM meta WHERE key = ?", (VERSION_KEY,))
    return int(row[0]) if row and row[0] is not None else 0


def _slug(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-") or "model"


def cache_paths(folder: Path, model: str, version: int) -> tuple[Path, Path, Path]:
    """(ids file, docs file, vectors file) of ``model`` at ``version`` in ``folder``."""
    stem = f"embeddings-{_slug(model)}-v{version}"
    return folder / f"{stem}.ids.npy", folder / f"{stem}.docs.npy", folder / f"{stem}.npy"


def _folder(store: Store) -> Path | None:
    """Where the cache files go: beside the SQLite file, or the workspace folder a
    PostgreSQL store was given (``cache_dir``); None: in memory only."""
    return store.cache_dir


def load_matrix(store: Store, model: str) -> VectorMatrix:
    """The current vectors of ``model``: memory-mapped from ``.kurt/``, rebuilt when stale."""

    folder = _folder(store)
    version = embeddings_version(store)
    if folder is not None:
        try:
            matrix = _load(folder, model, version)
        except (OSError, ValueError):  # missing (stale) or unreadable: rebuild below
            pass
        else:
            if matrix is not None:
                return matrix
    return rebuild_matrix(store, model)


def _load(folder: Path, model: str, version: int) -> VectorMatrix | None:
    import numpy as np

    ids_path, docs_path, vectors_path = cache_paths(folder, model, version)
    index = np.load(ids_path)  # small: 16 bytes a passage
    docs = np.load(docs_path)
    vectors = np.load(vectors_path, mmap_mode="r")
    if vectors.ndim != 2 or index.ndim != 2 or len(index) != len(vectors):
        return None
    return VectorMatrix(model, version, index[:, 0], vectors, docs, index[:, 1], vectors_path)


def rebuild_matrix(store: Store, model: str) -> VectorMatrix:
    """Read every vector of ``model`` from the database and write the cache files."""
    matrix = _read(store, model)
    matrix.rebuilt = True
    folder = _folder(store)
    if folder is None:
        return matrix
    try:
        matrix.path = _write(folder, matrix)
    except OSError:  # a read-only workspace: search from memory this time
        return matrix
    _remove_older(folder, model, keep=matrix.version)
    import numpy as np

    matrix.vectors = np.load(matrix.path, mmap_mode="r")  # the page cache, not a private copy
    return matrix


def _read(store: Store, model: str) -> VectorMatrix:
    """Ids and vectors of ``model`` and the version they belong to, in one read transaction."""
    import numpy as np

    conn = store.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # deferred: a consistent snapshot without taking the write lock
    try:
        version = embeddings_version(store)
        cursor = conn.cursor()
        cursor.row_factory = None  # plain tuples: faster for hundreds of thousands of rows
        count, dims = cursor.execute(
            "SELECT COUNT(*), MAX(dimensions) FROM section_embeddings WHERE model = ?",
            (model,)).fetchone()
        ids = np.empty(count, dtype=np.int64)
        vectors = np.empty((count, dims or 0), dtype=np.float32)
        owners: list[str] = []
        filled, last = 0, -1
        while filled < count:
            rows = cursor.execute(
                "SELECT e.section_id, s.document_id, e.vector FROM section_embeddings e"
                " JOIN sections s ON s.id = e.section_id WHERE e.model = ? AND e.section_id > ?"
                " ORDER BY e.section_id LIMIT ?", (model, last, READ_CHUNK)).fetchall()
            if not rows:
                break
            section_ids, documents, blobs = zip(*rows, strict=True)
            end = filled + len(rows)
            ids[filled:end] = section_ids
            owners += documents
            vectors[filled:end] = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(rows), dims)
            filled, last = end, section_ids[-1]
    finally:
        if own:
            conn.execute("COMMIT")
    docs, doc_rows = np.unique(np.array(owners, dtype=str), return_inverse=True)
    return VectorMatrix(model, version, ids[:filled], vectors[:filled], docs,
                        doc_rows.astype(np.int64).reshape(-1))


def _save(folder: Path, target: Path, array) -> None:
    import numpy as np

    # Not mkstemp: it creates the file 0600; 0666 here lets the umask decide (0644 usually),
    # like every other file Kurt writes. O_EXCL with a random name keeps it private to us.
    tmp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, array)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write(folder: Path, matrix: VectorMatrix) -> Path:
    import numpy as np

    ids_path, docs_path, vectors_path = cache_paths(folder, matrix.model, matrix.version)
    folder.mkdir(parents=True, exist_ok=True)  # a PostgreSQL store's folder in .kurt/
    _save(folder, vectors_path, matrix.vectors)
    _save(folder, docs_path, matrix.docs)
    _save(folder, ids_path, np.stack([matrix.ids, matrix.doc_rows], axis=1))  # last: marks complete
    return vectors_path


def _remove_older(folder: Path, model: str, keep: int) -> None:
    pattern = re.compile(rf"embeddings-{re.escape(_slug(model))}-v(\d+)(\.ids|\.docs)?\.npy")
    for path in folder.glob(f"embeddings-{_slug(model)}-v*.npy"):
        match = pattern.fullmatch(path.name)
        if match and int(match.group(1)) != keep:
            path.unlink(missing_ok=True)


def rows_of_documents(matrix: VectorMatrix, document_ids, *, exclude: bool = False):
    """Row numbers (ascending) of the passages of ``document_ids``, or of all others."""
    import numpy as np

    wanted = np.asarray(list(document_ids), dtype=str)
    flags = np.zeros(len(matrix.docs), dtype=bool)
    if len(wanted) and len(matrix.docs):
        at = np.searchsorted(matrix.docs, wanted)
        at[at >= len(matrix.docs)] = 0
        flags[at[matrix.docs[at] == wanted]] = True
    if exclude:
        flags = ~flags
    return np.flatnonzero(flags[matrix.doc_rows])


def score(matrix: VectorMatrix, vector, rows=None):
    """Cosine scores of every row, or of the given row numbers (in their order)."""
    import numpy as np

    if rows is None:
        return np.asarray(matrix.vectors) @ vector
    if len(rows) * 3 < len(matrix):  # few rows: gather them
        return np.asarray(matrix.vectors[rows]) @ vector
    return (np.asarray(matrix.vectors) @ vector)[rows]
