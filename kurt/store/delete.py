"""Deleting documents: the rows, every dependent row, and the content files.

Foreign keys cascade from ``documents`` to sections (and through the FTS
triggers to the search index), entity mentions and passages, outgoing links
and cluster membership. What does not cascade is handled here: links from
other documents keep their URL but lose their resolved ``target_id``, entities
and clusters left with no documents are removed, and the content files go
(unless ``keep_files``), with folders they leave empty under ``sources/``.
A local file's original (``source_path``) is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kurt.store.db import Store
from kurt.store.documents import Document
from kurt.store.filters import DocumentFilter, count_documents, select_documents

BATCH = 500


@dataclass
class DeleteResult:
    deleted: int = 0
    files_removed: int = 0
    files_missing: int = 0
    entities_removed: int = 0
    clusters_removed: int = 0
    links_unresolved: int = 0  # links from remaining documents that pointed at deleted ones
    errors: list[str] = field(default_factory=list)  # files that could not be removed


def documents_to_delete(store: Store, flt: DocumentFilter, *, sample: int = 5) -> tuple[int, list[Document]]:
    """How many documents ``flt`` selects, and the first few (for a confirmation prompt)."""
    return count_documents(store, flt), select_documents(store, flt, sort="url", limit=sample)


def delete_documents(store: Store, workspace_root: Path, flt: DocumentFilter, *,
                     keep_files: bool = False) -> DeleteResult:
    """Delete every document ``flt`` selects, with all that depends on it."""
    result = DeleteResult()
    where, params = flt.where("d")
    ids = [row[0] for row in store.query(f"SELECT d.id FROM documents d WHERE {where}", params)]
    paths: list[str] = []
    sites: set[str] = set()
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        paths += _delete_batch(store, batch, result, sites)
    if sites:  # what the deleted pages held is less common now: recount their sites
        from kurt.index.boilerplate import refresh_site

        with store.transaction() as conn:
            for site in sorted(sites):
                refresh_site(conn, site)
    if ids:
        from kurt.index.corpus import apply_corpus
        from kurt.index.pipeline import remove_orphan_entities

        with store.transaction() as conn:  # their directories may stop being directories of similar pages
            apply_corpus(conn)
            result.entities_removed += remove_orphan_entities(conn)
    if not keep_files:
        remove_files(Path(workspace_root), paths, result)
    return result


def _delete_batch(store: Store, ids: list[str], result: DeleteResult, sites: set[str]) -> list[str]:
    from kurt.index.boilerplate import forget_documents

    marks = ", ".join("?" * len(ids))
    with store.transaction() as conn:
        sites.update(forget_documents(conn, ids))  # out of their sites' boilerplate counts
        paths = [row[0] for row in conn.execute(
            f"SELECT content_path FROM documents WHERE id IN ({marks}) AND content_path IS NOT NULL",
            ids)]
        entities = [row[0] for row in conn.execute(
            f"SELECT DISTINCT entity_id FROM document_entities WHERE document_id IN ({marks})", ids)]
        clusters = [row[0] for row in conn.execute(
            f"SELECT DISTINCT cluster_id FROM document_clusters WHERE document_id IN ({marks})", ids)]
        result.links_unresolved += conn.execute(
            f"UPDATE links SET target_id = NULL WHERE target_id IN ({marks})"
            f" AND document_id NOT IN ({marks})", (*ids, *ids)).rowcount
        conn.execute("INSERT INTO corpus_dirty (directory) SELECT DISTINCT directory FROM document_shapes"
                     f" WHERE document_id IN ({marks}) ON CONFLICT DO NOTHING", ids)
        conn.execute("INSERT INTO names_dirty (key) SELECT DISTINCT key FROM document_names"
                     f" WHERE document_id IN ({marks}) ON CONFLICT DO NOTHING", ids)
        result.deleted += conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", ids).rowcount
        for start in range(0, len(entities), BATCH):
            chunk = entities[start:start + BATCH]
            result.entities_removed += conn.execute(
                f"DELETE FROM entities WHERE id IN ({', '.join('?' * len(chunk))}) AND NOT EXISTS"
                " (SELECT 1 FROM document_entities de WHERE de.entity_id = entities.id)",
                chunk).rowcount
        if clusters:
            result.clusters_removed += conn.execute(
                f"DELETE FROM clusters WHERE id IN ({', '.join('?' * len(clusters))}) AND NOT EXISTS"
                " (SELECT 1 FROM document_clusters dc WHERE dc.cluster_id = clusters.id)",
                clusters).rowcount
    return paths


def remove_files(root: Path, paths: list[str], result: DeleteResult) -> None:
    """Remove content files inside ``sources/`` and prune the folders they leave empty."""
    sources = (root / "sources").resolve()
    folders: set[Path] = set()
    for rel in paths:
        path = (root / rel).resolve()
        if not path.is_relative_to(sources) or path == sources:
            result.errors.append(f"{rel}: outside sources/, left in place")
            continue
        try:
            path.unlink()
            result.files_removed += 1
        except FileNotFoundError:
            result.files_missing += 1
        except OSError as exc:
            result.errors.append(f"{rel}: {exc.strerror or exc}")
        folders.add(path.parent)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != sources and folder.is_relative_to(sources):
            try:
                folder.rmdir()  # only succeeds when empty
            except OSError:
                break
            folder = folder.parent
