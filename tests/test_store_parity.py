"""The same corpus in a SQLite and a PostgreSQL workspace gives the same output (issue 12).

Both workspaces load the railway docs the same way (every page stored as fetched, then
indexed and clustered on its own store), and the installed ``kurt`` runs the same commands
in each. Listings, documents, entities, clusters, gaps and draft checks must print the
same bytes. Search ranks with another engine on each store (FTS5's BM25, PostgreSQL's
ts_rank_cd; docs/teams.md), so for search and for what depends on its order (the passages
evidence picks) what must match is compared: the passages a query matches, with their
citations, and the shape of the evidence.

The loads run at different moments, so the fixture gives both the same clock readings
(discovered, fetched, indexed) and indexes with one process (a pool stores documents in
the order its workers finish, which numbers passages differently from run to run, on
either store).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import load_corpus, make_workspace, run_kurt

NOW = "2026-01-15T09:30:00Z"
STRIPE = "https://docs.railway.com/docs/integrations/stripe"
DJANGO = "https://docs.railway.com/guides/django"


def _load(ws, corpus: Path) -> None:
    from kurt.index.pipeline import index_documents

    load_corpus(ws, corpus, index=False, now=NOW)
    store = ws.open_store()
    try:
        index_documents(ws, store, workers=1)
        with store.transaction() as conn:  # the clock and the files' stat: this run's, not the store's
            conn.execute("UPDATE documents SET discovered_at = ?, indexed_at = ?,"
                         " file_signature = NULL", (NOW, NOW))
    finally:
        store.close()
    clustered = run_kurt("content", "cluster", cwd=ws.root)
    assert clustered.exit_code == 0, clustered.stderr


@pytest.fixture(scope="module")
def twins(tmp_path_factory, railway_corpus):
    """(SQLite workspace, PostgreSQL workspace) holding the same corpus."""
    root = tmp_path_factory.mktemp("parity")
    lite, _ = make_workspace(root / "sqlite")
    pg, database = make_workspace(root / "postgresql", "postgresql")
    try:
        for ws in (lite, pg):
            _load(ws, railway_corpus)
        yield lite.root, pg.root
    finally:
        database.__exit__(None, None, None)


def both(twins, *args: str):
    return [run_kurt(*args, cwd=root) for root in twins]


SAME_OUTPUT = [
    ("content", "list", "--format", "json"),
    ("content", "list"),
    ("content", "list", "--sort", "title", "--format", "csv"),
    ("content", "list", "--sort=-words", "--limit", "30", "--offset", "10", "--format", "json"),
    ("content", "list", "--sort", "fetched", "--limit", "40", "--format", "paths"),  # all tied
    ("content", "list", "--url-contains", "/integrations/", "--format", "json"),
    ("content", "list", "--url-prefix", "https://docs.railway.com/guides/", "--sort", "-title"),
    ("content", "list", "--include", "*/docs/*", "--exclude", "*/cli/*", "--format", "paths"),
    ("content", "list", "--with-content-type", "tutorial", "--format", "json"),
    ("content", "list", "--with-entity", "Technology:Post*", "--format", "json"),
    ("content", "list", "--with-entity", "Topic:integration", "--with-content-type", "guide",
     "--format", "json"),
    ("content", "list", "--in-cluster", "billing-pricing-stripe", "--format", "json"),
    ("content", "list", "--changed-since", "2026-01-01", "--domain", "docs.railway.com",
     "--status", "FETCHED", "--limit", "5", "--format", "json"),
    ("content", "list", "--changed-since", "2026-02-01", "--format", "json"),  # none
    ("content", "get", STRIPE, "--format", "json"),
    ("content", "get", DJANGO),
    ("content", "get", STRIPE, "--content"),
    ("content", "links", DJANGO, "--format", "json"),
    ("content", "stats", "--format", "json"),
    ("content", "list-entities", "--format", "json"),
    ("content", "list-entities", "--min-docs", "3", "--limit", "20", "--offset", "10"),
    ("content", "list-entities", "--with-content-type", "tutorial", "--format", "json"),
    ("content", "list-clusters", "--format", "json"),
    ("content", "list-clusters"),
    ("content", "gaps", "--ours", "/docs/", "--theirs", "/guides/", "--all", "--format", "json"),
    ("content", "gaps", "--ours", "/docs/", "--theirs", "/guides/", "--type", "Technology",
     "--min-docs", "2"),
]


@pytest.mark.parametrize("args", SAME_OUTPUT, ids=" ".join)
def test_the_same_command_prints_the_same_output(twins, args):
    lite, pg = both(twins, *args)
    assert lite.exit_code == 0, lite.stderr
    assert lite.stdout  # something to compare
    assert (pg.exit_code, pg.stdout, pg.stderr) == (lite.exit_code, lite.stdout, lite.stderr)


MATCHED = ("url", "title", "content_path", "document_id", "section_id", "heading_path",
           "line_start", "line_end", "partial", "citation")


@pytest.mark.parametrize("query", [
    ["stripe"], ["postgres", "backup"], ["redis OR mongodb"], ["node.js"], ['"custom domain"'],
    ["domain", "NOT", "wildcard"], ["postgre*"], ["docker", "--url-contains", "/guides/"],
    ["database", "--with-content-type", "integration"], ["C++"],
    ['"connect to a database"'], ["about"], ["scale", "up"],  # English stop words
], ids=" ".join)
def test_search_matches_the_same_passages_on_both_stores(twins, query):
    runs = [both(twins, "content", "search", *query, "--limit", "1000", "--per-document", per,
                 "--format", "json") for per in ("0", "2")]
    for lite, pg in runs:
        assert lite.exit_code == 0 and pg.exit_code == 0, lite.stderr + pg.stderr
        a, b = lite.json(), pg.json()
        assert a["total"] is not None and a["total"] <= 1000  # every match is in the page
        assert b["total"] == a["total"] and (a["query"], a["mode"]) == (b["query"], b["mode"])
    every, capped = ([run.json()["passages"] for run in pair] for pair in runs)
    # every passage that matches, with its citation (the order is each engine's ranking)
    assert sorted(tuple(p[k] for k in MATCHED) for p in every[1]) == \
        sorted(tuple(p[k] for k in MATCHED) for p in every[0])
    assert bool(every[0]) == (query != ["C++"])
    # two per document: which two is the ranking's choice; every matching document is there
    documents = {p["document_id"] for p in every[0]}
    assert {p["document_id"] for p in capped[0]} == {p["document_id"] for p in capped[1]} == documents


def test_drafts_check_the_same_and_quote_from_the_same_sections(twins):
    lite, pg = twins
    assert run_kurt("project", "new", "launch", "--goal", "Stripe launch", cwd=lite).exit_code == 0
    made = run_kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
                    "--var", "partner=Stripe", "--format", "json", cwd=lite)
    assert made.exit_code == 0, made.stderr
    shutil.copytree(lite / "projects", pg / "projects", dirs_exist_ok=True)  # the same draft
    draft = made.json()["path"]
    checked = both(twins, "draft", "check", draft, "--format", "json")
    assert checked[0].json()["findings"]
    assert (checked[1].exit_code, checked[1].stdout) == (checked[0].exit_code, checked[0].stdout)
    for args in (("project", "list", "--format", "json"), ("project", "show", "launch"),
                 ("draft", "list", "--format", "json"), ("draft", "sources", draft), ("status",)):
        lite_run, pg_run = both(twins, *args)
        assert lite_run.exit_code == 0 and lite_run.stdout + lite_run.stderr, args
        assert (pg_run.exit_code, pg_run.stdout, pg_run.stderr) == \
            (lite_run.exit_code, lite_run.stdout, lite_run.stderr), args

    runs = both(twins, "draft", "evidence", draft, "--format", "json")
    shapes = []
    for root, run in zip(twins, runs, strict=True):
        assert run.exit_code == 0, run.stderr
        sections = run.json()["sections"]
        shapes.append([(s["key"], s["query"], s["sources"], s["method"], s["missing_sources"],
                        len(s["passages"])) for s in sections])
        for passage in (p for s in sections for p in s["passages"]):  # quoted verbatim
            lines = (root / passage["path"]).read_text(encoding="utf-8").split("\n")
            assert passage["text"] == "\n".join(
                lines[passage["line_start"] - 1:passage["line_end"]])
    assert shapes[1] == shapes[0] and any(n for *_, n in shapes[0])


def test_the_stores_hold_the_same_index(twins):
    """Below the commands: the same passages, entities and clusters, row for row."""
    from kurt.workspace import Workspace

    tables = {
        "sections": "SELECT id, document_id, position, heading_path, line_start, line_end, body"
                    " FROM sections ORDER BY id",
        "entities": "SELECT id, type, name FROM entities ORDER BY id",
        "document_entities": "SELECT document_id, entity_id, mentions FROM document_entities"
                             " ORDER BY document_id, entity_id",
        "clusters": "SELECT c.name, dc.document_id, dc.score FROM clusters c"
                    " JOIN document_clusters dc ON dc.cluster_id = c.id"
                    " ORDER BY c.name, dc.document_id",
    }
    found = []
    for root in twins:
        store = Workspace(root).open_store()
        try:
            found.append({name: json.dumps([list(r) for r in store.query(sql)])
                          for name, sql in tables.items()})
        finally:
            store.close()
    for name in tables:
        assert found[1][name] == found[0][name], name
