"""The memory-mapped vector cache: built from section_embeddings, rebuilt when they change."""

from __future__ import annotations

import os
import stat

import pytest

from kurt.index.vectors import (
    cache_paths,
    embeddings_version,
    load_matrix,
    rows_of_documents,
    score,
)
from kurt.store.db import Store

np = pytest.importorskip("numpy")

MODEL = "test-model"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_kind(request) -> str:
    """The cache works the same for a PostgreSQL store (its files in .kurt/postgresql/)."""
    return request.param

DIMS = 8


def _vector(seed: int):
    vec = np.random.default_rng(seed).standard_normal(DIMS).astype(np.float32)
    return vec / np.linalg.norm(vec)


def _add(store, doc: str, sections: dict[int, int]) -> None:
    """A fetched document with passages {section id: vector seed}, embedded."""
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO documents (id, url, source_kind, domain, status, discovered_at)"
                     " VALUES (?, ?, 'web', 'x.test', 'FETCHED', 'now')", (doc, f"https://x.test/{doc}"))
        for position, (section_id, seed) in enumerate(sections.items()):
            conn.execute("INSERT INTO sections (id, document_id, position, line_start, line_end, body,"
                         " search_body) VALUES (?, ?, ?, 1, 2, 'text', 'text')", (section_id, doc, position))
            conn.execute("INSERT INTO section_embeddings (section_id, model, dimensions, vector, created_at)"
                         " VALUES (?, ?, ?, ?, 'now')", (section_id, MODEL, DIMS, _vector(seed).tobytes()))


def _in_db(store) -> dict[int, list[float]]:
    return {row[0]: np.frombuffer(row[1], dtype="<f4").tolist() for row in store.query(
        "SELECT section_id, vector FROM section_embeddings WHERE model = ?", (MODEL,))}


def _in_matrix(matrix) -> dict[int, list[float]]:
    return {int(i): np.asarray(v).tolist() for i, v in zip(matrix.ids, matrix.vectors, strict=True)}


def test_first_load_builds_the_files_and_the_next_maps_them(store):
    _add(store, "a", {3: 1, 1: 2, 2: 3})
    first = load_matrix(store, MODEL)
    assert first.rebuilt and first.path.exists()
    assert list(first.ids) == [1, 2, 3] and _in_matrix(first) == _in_db(store)
    again = load_matrix(store, MODEL)
    assert not again.rebuilt and isinstance(again.vectors, np.memmap)
    assert _in_matrix(again) == _in_db(store)


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_cache_files_are_created_like_other_workspace_files_under_the_umask(store, umask, mode):
    _add(store, "a", {1: 1})
    previous = os.umask(umask)
    try:
        matrix = load_matrix(store, MODEL)
    finally:
        os.umask(previous)
    files = cache_paths(matrix.path.parent, MODEL, matrix.version)
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {mode}
    assert not list(matrix.path.parent.glob(".*.tmp"))


def test_every_change_to_the_embeddings_bumps_the_version(store):
    start = embeddings_version(store)
    _add(store, "a", {1: 1, 2: 2})
    after_insert = embeddings_version(store)
    with store.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE id = 'a'")  # cascades to sections and embeddings
    assert start < after_insert < embeddings_version(store)


def test_a_deleted_document_leaves_the_cache_at_the_next_load(store):
    _add(store, "a", {1: 1, 2: 2})
    _add(store, "b", {3: 3})
    old = load_matrix(store, MODEL)
    with store.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE id = 'a'")
    new = load_matrix(store, MODEL)
    assert new.rebuilt and list(new.ids) == [3]
    assert not old.path.exists()  # the stale version's files are removed
    assert not cache_paths(old.path.parent, MODEL, old.version)[0].exists()


def test_a_reused_section_id_gets_its_new_vector(store):
    """Passages replaced on re-index may get the same ids back: the count and max id do not change."""
    _add(store, "a", {1: 1, 2: 2})
    load_matrix(store, MODEL)
    with store.transaction() as conn:
        conn.execute("DELETE FROM sections WHERE document_id = 'a'")
    _add(store, "a", {1: 7, 2: 8})
    matrix = load_matrix(store, MODEL)
    assert matrix.rebuilt and _in_matrix(matrix) == _in_db(store)
    assert np.allclose(matrix.vectors[0], _vector(7))


def test_other_models_are_not_in_the_matrix(store):
    _add(store, "a", {1: 1})
    with store.transaction() as conn:
        conn.execute("INSERT INTO sections (id, document_id, position, line_start, line_end, body)"
                     " VALUES (9, 'a', 5, 1, 2, 'x')")
        conn.execute("INSERT INTO section_embeddings VALUES (9, 'other', ?, ?, 'now')",
                     (DIMS, _vector(9).tobytes()))
    assert list(load_matrix(store, MODEL).ids) == [1]
    assert list(load_matrix(store, "other").ids) == [9]


def test_no_embeddings_gives_an_empty_matrix(store):
    assert len(load_matrix(store, MODEL)) == 0


def test_a_store_in_memory_builds_the_matrix_in_memory():
    store = Store.open(":memory:")
    _add(store, "a", {1: 1, 2: 2})
    matrix = load_matrix(store, MODEL)
    assert matrix.path is None and list(matrix.ids) == [1, 2]
    store.close()


def test_each_passage_knows_its_document(store):
    _add(store, "b", {1: 1, 4: 4})
    _add(store, "a", {2: 2, 3: 3})
    load_matrix(store, MODEL)
    matrix = load_matrix(store, MODEL)  # from the files
    assert list(matrix.docs) == ["a", "b"]
    assert [matrix.docs[r] for r in matrix.doc_rows] == ["b", "a", "a", "b"]


def test_rows_of_documents_and_their_scores(store):
    _add(store, "a", {1: 1, 2: 2})
    _add(store, "b", {5: 5, 7: 7})
    matrix = load_matrix(store, MODEL)
    query = _vector(5)
    rows = rows_of_documents(matrix, ["b", "zzz"])  # zzz has no passages
    assert [int(matrix.ids[r]) for r in rows] == [5, 7]
    scores = score(matrix, query, rows)
    assert scores[0] == pytest.approx(1.0, abs=1e-5)
    assert scores[1] == pytest.approx(float(_vector(7) @ query), abs=1e-5)
    assert [int(matrix.ids[r]) for r in rows_of_documents(matrix, ["b"], exclude=True)] == [1, 2]
    assert score(matrix, query)[2] == pytest.approx(1.0, abs=1e-5)
