"""Keeping research: the markdown file, plan.md, and the ingested pages (a real local site)."""

from __future__ import annotations

import pytest
import yaml

from kurt.integrations.research.results import Reference, ResearchResult, render_markdown
from kurt.integrations.research.save import keep, tick_research
from kurt.sample_site import load_markdown_site, serve
from kurt.writing.projects import RESEARCH, create_project, plan_sources, section_body


def result(**kw) -> ResearchResult:
    refs = kw.pop("references", [
        Reference("https://docs.example.com/pooling", "Connection pooling", "2025-02-01",
                  "docs.example.com", excerpt="Use a pooler."),
        Reference("https://news.ycombinator.com/item?id=1", "Ask HN: pooling?", "2025-03-01T12:00:00Z",
                  "Hacker News", author="pg", points=12, comments=3, is_discussion=True),
    ])
    base = dict(provider="perplexity", query="How to pool Postgres connections?",
                searched_at="2025-06-01T09:30:00Z", references=refs,
                answer="Use PgBouncer [1].", model="sonar")
    base.update(kw)
    return ResearchResult(**base)


@pytest.fixture(scope="module")
def site(railway_corpus):
    with serve(load_markdown_site(railway_corpus)) as served:
        yield served


def test_the_markdown_has_query_date_provider_answer_and_numbered_sources():
    text = render_markdown(result())
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {"query": "How to pool Postgres connections?", "provider": "perplexity",
                     "date": "2025-06-01T09:30:00Z", "model": "sonar", "references": 2}
    assert "# Research: How to pool Postgres connections?" in text
    assert "- Provider: Perplexity (sonar)" in text
    assert "## Answer\n\nUse PgBouncer [1].\n" in text
    assert ("1. [Connection pooling](<https://docs.example.com/pooling>) — 2025-02-01 — "
            "docs.example.com\n   > Use a pooler.") in text
    assert ("2. [Ask HN: pooling?](<https://news.ycombinator.com/item?id=1>) — 2025-03-01 — "
            "Hacker News — 12 points, 3 comments, by pg") in text


def test_a_result_without_sources_says_so():
    assert "## Sources\n\nNo sources found.\n" in render_markdown(result(references=[], answer=None))


def test_saved_in_the_workspace_research_folder_with_a_dated_name(workspace):
    first = keep(workspace, result())
    second = keep(workspace, result())
    assert first.path == "research/2025-06-01-perplexity-how-to-pool-postgres-connections.md"
    assert second.path == "research/2025-06-01-perplexity-how-to-pool-postgres-connections-2.md"
    assert (workspace.root / first.path).read_text().startswith("---\nquery:")


def test_no_save_writes_nothing(workspace):
    kept = keep(workspace, result(), save=False)
    assert kept.path is None and not (workspace.root / "research").exists()


def test_a_project_gets_the_file_and_a_ticked_line_in_its_plan(workspace):
    project = create_project(workspace, "pooling", "A guide to pooling")
    kept = keep(workspace, result(), project=project)
    assert kept.path.startswith("projects/pooling/research/2025-06-01-perplexity-")
    assert kept.recorded_in == "projects/pooling/plan.md"
    body = section_body(project.plan_path.read_text(), RESEARCH)
    assert "- [ ] List what must be researched beyond the ingested sources" in body
    assert ("- [x] How to pool Postgres connections? (Perplexity (sonar), 2025-06-01: "
            "research/2025-06-01-perplexity-how-to-pool-postgres-connections.md)") in body


@pytest.mark.parametrize("item, ticked", [
    ("- [ ] How to pool Postgres connections?", True),
    ("- [ ] how to pool postgres connections", True),
    ("* [ ] pool Postgres connections", True),
    ("- [ ] Pricing of PgBouncer hosting", False),
    ("- [x] How to pool Postgres connections?", False),  # done already: a new line instead
])
def test_an_open_item_matching_the_query_is_ticked(item, ticked):
    text = f"# P\n\n## {RESEARCH}\n\n{item}\n\n## Tracking\n\n- [ ] Publish\n"
    new = tick_research(text, result(), "research/f.md")
    lines = section_body(new, RESEARCH).strip().splitlines()
    if ticked:
        assert lines == [item.replace("[ ]", "[x]") + " (Perplexity (sonar), 2025-06-01: research/f.md)"]
    else:
        assert len(lines) == 2 and lines[0] == item and lines[1].startswith("- [x] How to pool")
    assert new.endswith("## Tracking\n\n- [ ] Publish\n")


def test_cited_pages_on_a_private_address_are_refused_unless_allowed(workspace, site):
    store = workspace.open_store()
    page = site.url(site.site.page_paths()[0])
    kept = keep(workspace, result(references=[Reference(page, "Local")]), store=store, ingest=True)
    assert kept.ingested[page].startswith("not ingested: refused: 127.0.0.1 is a loopback address")
    assert store.query_one("SELECT COUNT(*) FROM documents")[0] == 0
    store.close()


def test_ingest_adds_cited_pages_and_records_them_as_sources(workspace, site):
    workspace.config.ingest.allow_private_addresses = True  # the local site stands for the web
    store = workspace.open_store()
    project = create_project(workspace, "railway", "Railway guide")
    pages = site.site.page_paths()[:2]
    refs = [Reference(site.url(pages[0]), "First"), Reference(site.url(pages[1]), "Second"),
            Reference(site.url("/no/such/page"), "Missing"),
            Reference("https://news.ycombinator.com/item?id=9", "Thread", is_discussion=True)]
    kept = keep(workspace, result(references=refs), store=store, project=project, ingest=True)
    first, second, missing, thread = kept.references
    assert first.document_id and second.document_id and not missing.document_id
    assert thread.url not in kept.ingested  # forum threads are not ingested
    assert kept.ingested[missing.url].startswith("not ingested: HTTP 404")
    row = store.query_one("SELECT status, discovered_via, content_path FROM documents WHERE id = ?",
                          (first.document_id,))
    assert (row["status"], row["discovered_via"]) == ("FETCHED", "research")
    assert (workspace.root / row["content_path"]).is_file()
    sources = plan_sources(project.plan_path.read_text())
    assert [s.document_id for s in sources] == [first.document_id, second.document_id]
    assert sources[0].purpose == "research: How to pool Postgres connections?"
    saved = (workspace.root / kept.path).read_text()
    assert f"document `{first.document_id}`" in saved
    again = keep(workspace, result(references=refs[:1]), store=store, project=project, ingest=True)
    assert again.references[0].document_id == first.document_id  # already there: not refetched
    assert len(plan_sources(project.plan_path.read_text())) == 2
    store.close()
