"""kurt.semantic: passage embeddings, semantic and hybrid search, and their CLI.

A workspace of eight real railway pages is loaded, indexed and embedded once
per module (about 10 s on 2 cores); the tests that need the optional model skip
when it is not installed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import load_corpus

from kurt.errors import UsageError
from kurt.index import embeddings, encoders
from kurt.store.filters import DocumentFilter
from kurt.workspace import Workspace, init_workspace

PAGES = ["docs/databases/postgresql", "docs/databases/redis", "docs/integrations/stripe",
         "docs/deployments/healthchecks", "guides/roll-back-bad-deploy",
         "docs/networking/tcp-proxy", "docs/cron-jobs", "docs/volumes/backups"]
BASE = "https://docs.railway.com/"

MISSING = embeddings.semantic_available()  # None, or what to install (the skip reason)
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture(scope="module")
def model():
    return encoders.load_model()


def _small_corpus(railway_corpus: Path, target: Path) -> Path:
    for page in PAGES:
        source = railway_corpus / f"{page}.md"
        (target / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / f"{page}.md")
    return target


@pytest.fixture(scope="module")
def indexed_template(tmp_path_factory, railway_corpus):
    """The eight pages loaded and indexed, not embedded (do not modify)."""
    root = tmp_path_factory.mktemp("semantic")
    ws = init_workspace(root / "ws").workspace
    load_corpus(ws, _small_corpus(railway_corpus, root / "corpus"))
    return ws


@pytest.fixture(scope="module")
def embedded_template(tmp_path_factory, indexed_template, model):
    """The same workspace with every passage embedded (do not modify)."""
    from kurt.semantic import embed_sections

    target = tmp_path_factory.mktemp("embedded") / "ws"
    shutil.copytree(indexed_template.root, target)
    ws = Workspace(target)
    store = ws.open_store()
    embed_sections(store, model)
    store.close()
    return ws


def _copy(template: Workspace, tmp_path: Path) -> Workspace:
    shutil.copytree(template.root, tmp_path / "ws")
    return Workspace(tmp_path / "ws")


@pytest.fixture
def store(embedded_template):
    store = embedded_template.open_store()
    yield store
    store.close()


def test_embed_sections_embeds_every_passage_with_text_once(indexed_template, tmp_path, model):
    from kurt.semantic import embed_sections, embedding_status

    ws = _copy(indexed_template, tmp_path)
    store = ws.open_store()
    before = embedding_status(store, model.name)
    assert before.passages > 20 and before.embedded == 0
    first = embed_sections(store, model, DocumentFilter(url_contains=["/databases/"]))
    assert first.embedded == first.missing > 0
    everything = embed_sections(store, model)
    assert everything.embedded == before.passages - first.embedded
    assert embed_sections(store, model).embedded == 0
    assert embedding_status(store, model.name).embedded == before.passages
    row = store.query_one("SELECT model, dimensions, LENGTH(vector) FROM section_embeddings LIMIT 1")
    assert tuple(row) == (model.name, 384, 384 * 4)
    store.close()


def test_reindexing_a_document_drops_its_embeddings_until_embedded_again(embedded_template,
                                                                         tmp_path, model):
    from kurt.index.pipeline import index_documents
    from kurt.semantic import embed_sections, embedding_status

    ws = _copy(embedded_template, tmp_path)
    store = ws.open_store()
    redis = DocumentFilter(url_contains=["/databases/redis"])
    passages = embedding_status(store, model.name, redis).passages
    index_documents(ws, store, redis, force=True)
    assert embedding_status(store, model.name, redis).embedded == 0
    assert embed_sections(store, model).embedded == passages
    store.close()


def test_semantic_search_finds_a_page_by_meaning_without_its_words(store, model):
    from kurt.semantic import semantic_search

    hits = semantic_search(store, "undo a broken release", embedder=model, limit=3)
    assert hits[0].url == BASE + "guides/roll-back-bad-deploy"
    assert hits[0].line_start <= hits[0].line_end and hits[0].heading_path
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_semantic_search_follows_deletes_and_status_changes(embedded_template, tmp_path, model):
    from kurt.semantic import semantic_search
    from kurt.store.delete import delete_documents
    from kurt.store.documents import document_id, update_document

    ws = _copy(embedded_template, tmp_path)
    store = ws.open_store()
    query = "undo a broken release"
    assert semantic_search(store, query, embedder=model, limit=3)[0].url == BASE + "guides/roll-back-bad-deploy"
    delete_documents(store, ws.root, DocumentFilter(url_contains=["roll-back-bad-deploy"]))
    urls = {h.url for h in semantic_search(store, query, embedder=model, limit=20, per_document=None)}
    assert urls and BASE + "guides/roll-back-bad-deploy" not in urls
    update_document(store, document_id(BASE + "docs/cron-jobs"), status="ERROR")
    urls = {h.url for h in semantic_search(store, "schedule a job every night", embedder=model,
                                           limit=20, per_document=None)}
    assert urls and BASE + "docs/cron-jobs" not in urls
    store.close()


def test_semantic_search_honours_the_document_filter(store, model):
    from kurt.semantic import semantic_search

    hits = semantic_search(store, "undo a broken release", embedder=model, limit=10,
                           flt=DocumentFilter(url_contains=["/databases/"]))
    assert hits and {h.url for h in hits} <= {BASE + "docs/databases/postgresql",
                                              BASE + "docs/databases/redis"}


@pytest.mark.parametrize("per_document", [1, 2, 3])
def test_semantic_search_caps_passages_per_document(store, model, per_document):
    from collections import Counter

    from kurt.semantic import semantic_search

    hits = semantic_search(store, "postgres database", embedder=model, limit=10,
                           per_document=per_document)
    assert len(hits) == min(10, per_document * len(PAGES))
    assert max(Counter(h.document_id for h in hits).values()) == per_document


def test_semantic_snippet_is_the_passage_sentence_sharing_the_query_words(store, model):
    from kurt.semantic import semantic_search

    hit = semantic_search(store, "stripe marketplace", embedder=model, limit=1)[0]
    assert hit.url == BASE + "docs/integrations/stripe"
    assert "**Stripe**" in hit.snippet or "**marketplace**" in hit.snippet


def test_semantic_search_without_embeddings_finds_nothing(indexed_template, model):
    from kurt.semantic import semantic_search

    store = indexed_template.open_store()
    assert semantic_search(store, "redis", embedder=model) == []
    store.close()


@pytest.mark.parametrize("query", ["", "   ", '"" -redis', "?!"])
def test_semantic_search_refuses_a_query_without_words(store, model, query):
    from kurt.semantic import semantic_search

    with pytest.raises(UsageError):
        semantic_search(store, query, embedder=model)


def test_hybrid_search_puts_the_page_both_rankings_agree_on_first(store, model):
    from kurt.semantic import hybrid_search

    hits = hybrid_search(store, "redis", embedder=model, limit=5)
    assert hits[0].url == BASE + "docs/databases/redis"
    assert len({h.section_id for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hybrid_search_finds_what_bm25_alone_misses(store, model):
    from kurt.search import search
    from kurt.semantic import hybrid_search

    query = "undo a broken release"
    keyword = [h.url for h in search(store, query, limit=3)]
    hybrid = [h.url for h in hybrid_search(store, query, embedder=model, limit=3)]
    assert BASE + "guides/roll-back-bad-deploy" in hybrid
    assert hybrid != keyword


@pytest.mark.parametrize("body, words, expected", [
    ("First sentence. Redis keeps a cache in memory. Last one.", ["redis"],
     "**Redis** keeps a cache in memory."),
    ("Nothing shared here. Nor here.", ["redis"], "Nothing shared here. Nor here."),
    ("## Heading\n\nUse `railway connect` to open psql.", ["psql"],
     "Use railway connect to open **psql**."),
    ("", ["redis"], ""),
    ("Run a query. Queries and integrations are listed. It integrates.", ["query", "integration"],
     "**Queries** and **integrations** are listed."),  # the stems of search: queri, integr
    ("Deploy, deploying, deployed. A deploy with a service.", ["deploy", "service"],
     "A **deploy** with a **service**."),  # two query stems beat three forms of one
    ("Über die Bücher. Nothing.", ["bücher"], "Über die **Bücher**."),
])
def test_best_sentence(body, words, expected):
    from kurt.semantic import best_sentence

    assert best_sentence(body, words) == expected


@pytest.mark.parametrize("heading, body, expected", [
    ("Redis > Connect", "Use **the** `CLI`.", "Redis > Connect\nUse the CLI ."),
    (None, "- one\n- two", "one two"),
])
def test_passage_text(heading, body, expected):
    from kurt.semantic import passage_text

    assert passage_text(heading, body) == expected


# -- CLI ------------------------------------------------------------------------------------

def test_cli_search_mode_semantic_returns_cited_passages(kurt, embedded_template, tmp_path):
    ws = _copy(embedded_template, tmp_path)
    result = kurt("content", "search", "undo a broken release", "--mode", "semantic",
                  "--limit", "3", "--format", "json", cwd=ws.root)
    assert result.exit_code == 0, result.stderr
    hits = result.json()["passages"]
    assert result.json()["mode"] == "semantic"
    assert hits[0]["url"] == BASE + "guides/roll-back-bad-deploy"
    assert hits[0]["citation"].startswith("sources/docs.railway.com/guides/roll-back-bad-deploy.md:")


def test_cli_default_mode_is_bm25_until_semantic_is_configured(kurt, embedded_template, tmp_path):
    ws = _copy(embedded_template, tmp_path)
    args = ("content", "search", "undo a broken release", "--limit", "3", "--format", "json")
    bm25 = kurt(*args, cwd=ws.root)
    explicit = kurt(*args, "--mode", "bm25", cwd=ws.root)
    assert bm25.exit_code == 0 and bm25.json() == explicit.json()
    config = ws.config_path.read_text()
    ws.config_path.write_text(config.replace("semantic = false", "semantic = true"))
    hybrid = kurt(*args, cwd=ws.root)
    assert hybrid.exit_code == 0 and hybrid.json() == kurt(*args, "--mode", "hybrid",
                                                           cwd=ws.root).json()
    assert (bm25.json()["mode"], hybrid.json()["mode"]) == ("bm25", "hybrid")
    assert hybrid.json()["passages"] != bm25.json()["passages"]


def test_cli_index_embeddings_embeds_and_reports(kurt, indexed_template, tmp_path):
    ws = _copy(indexed_template, tmp_path)
    result = kurt("content", "index", "--embeddings", "--url-contains", "/integrations/",
                  "--format", "json", cwd=ws.root)
    assert result.exit_code == 0, result.stderr
    report = result.json()["embeddings"]
    assert report["embedded"] == report["missing"] > 0
    again = kurt("content", "index", "--embeddings", "--url-contains", "/integrations/",
                 cwd=ws.root)
    assert again.exit_code == 0
    assert "Every passage already has its embedding" in again.stdout


def test_cli_index_reports_embedding_time_apart_from_indexing(kurt, indexed_template, tmp_path):
    ws = _copy(indexed_template, tmp_path)
    result = kurt("content", "index", "--embeddings", "--force", cwd=ws.root)
    assert result.exit_code == 0, result.stderr
    indexed = re.search(r"Indexed 8 of 8 fetched documents .* in (\d+\.\d)s", result.stdout)
    embedded = re.search(r"Embedded (\d+) passages for semantic search in (\d+\.\d)s \((\d+)/s\)",
                         result.stdout)
    assert indexed and embedded, result.stdout
    passages = ws.open_store().query_one("SELECT COUNT(*) FROM section_embeddings")[0]
    assert int(embedded.group(1)) == passages > 0


def test_cli_index_shows_embedding_progress_on_a_terminal(indexed_template, tmp_path):
    from cli.test_content_index import run_in_terminal

    ws = _copy(indexed_template, tmp_path)
    ws.config_path.write_text(ws.config_path.read_text().replace("semantic = false",
                                                                 "semantic = true"))
    code, output = run_in_terminal(["content", "index", "--force"], ws.root)
    assert code == 0, output
    assert "Indexing" in output and "Embedding" in output and "left" in output
    assert re.search(r"Embedded \d+ passages for semantic search in \d+\.\ds", output), output


def test_cli_semantic_search_warns_about_passages_not_embedded(kurt, indexed_template, tmp_path):
    ws = _copy(indexed_template, tmp_path)
    result = kurt("content", "search", "redis", "--mode", "hybrid", cwd=ws.root)
    assert result.exit_code == 0
    assert "run 'kurt content index --embeddings'" in result.stderr


def test_index_embeds_new_passages_when_semantic_is_configured(indexed_template, tmp_path):
    from kurt.index.pipeline import index_documents

    ws = _copy(indexed_template, tmp_path)
    ws.config_path.write_text(ws.config_path.read_text().replace("semantic = false",
                                                                 "semantic = true"))
    store = ws.open_store()
    report = index_documents(ws, store, DocumentFilter(url_contains=["/cron-jobs"]), force=True)
    assert report.embedded > 0 and not report.warnings
    assert store.query_one("SELECT COUNT(*) FROM section_embeddings")[0] == report.embedded
    store.close()
