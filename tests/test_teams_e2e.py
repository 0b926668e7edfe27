"""End to end, a team on one PostgreSQL store: one workspace fetches pages from a site on
127.0.0.1; a teammate's workspace, its sources/ empty and the site gone, reads them through
the store (get --content, search, draft evidence, draft check) and gets what the fetching
workspace gets, the files written into its sources/ on demand (kurt.store.content)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kurt.sample_site import load_markdown_site, serve

PAGES = ("/docs/integrations/stripe", "/guides/django", "/docs/integrations/api",
         "/docs/cli/postgres")
STRIPE = "sources/127.0.0.1/docs/integrations/stripe.md"
POSTGRES = "sources/127.0.0.1/docs/cli/postgres.md"  # linked from the draft, not one of its sources
DRAFT = "projects/launch/drafts/integration-page-stripe.md"


def new_workspace(kurt, root: Path, url: str) -> Path:
    root.mkdir()
    assert kurt("init", ".", cwd=root).exit_code == 0
    with (root / "kurt.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[store]\nurl = "{url}"\n')
    return root


def source_files(root: Path) -> dict[str, str]:
    """Every file under sources/ (temporary files included), by path, with its text."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((root / "sources").rglob("*")) if p.is_file()}


def empty_sources(root: Path) -> None:
    shutil.rmtree(root / "sources")
    (root / "sources").mkdir()


@pytest.fixture
def team(kurt, railway_corpus, pg_url, tmp_path):
    """(fetcher, teammate): the fetcher fetched PAGES from a site that is gone since; the
    teammate, on the same store, holds a project with a Stripe draft and no source file."""
    fetcher = new_workspace(kurt, tmp_path / "fetcher", pg_url)
    teammate = new_workspace(kurt, tmp_path / "teammate", pg_url)
    with serve(load_markdown_site(railway_corpus)) as site:
        fetched = kurt("content", "fetch", *(site.url(p) for p in PAGES), cwd=fetcher)
        assert fetched.exit_code == 0, fetched.stderr
    assert sorted(source_files(fetcher)) == sorted(
        f"sources/127.0.0.1{p}.md" for p in PAGES)
    assert kurt("project", "new", "launch", "--goal", "Stripe launch", cwd=teammate).exit_code == 0
    made = kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
                "--var", "partner=Stripe", "--format", "json", cwd=teammate)
    assert made.exit_code == 0, made.stderr
    assert STRIPE in (teammate / DRAFT).read_text(encoding="utf-8")  # proposed from the store
    empty_sources(teammate)  # (the draft's facts were read through the store too)
    return fetcher, teammate


def test_get_content_reads_the_file_through_the_store(team, kurt):
    fetcher, teammate = team
    content = kurt("content", "get", STRIPE, "--content", cwd=teammate)
    assert content.exit_code == 0, content.stderr
    assert content.stdout == (fetcher / STRIPE).read_text(encoding="utf-8")
    # written on demand, atomically: the file, and no temporary file beside it
    assert source_files(teammate) == {STRIPE: content.stdout}


def test_search_cites_files_the_teammate_can_open(team, kurt):
    fetcher, teammate = team
    theirs = kurt("content", "search", "stripe projects", "--format", "json", cwd=teammate)
    ours = kurt("content", "search", "stripe projects", "--format", "json", cwd=fetcher)
    assert theirs.exit_code == 0, theirs.stderr
    assert theirs.json() == ours.json() and theirs.json()["passages"]
    cited = theirs.json()["passages"][0]["citation"]
    assert cited.startswith(STRIPE + ":")
    assert kurt("content", "get", cited.split(":")[0], "--content", cwd=teammate).exit_code == 0
    assert (teammate / STRIPE).is_file()


def test_evidence_quotes_the_same_passages_in_both_workspaces(team, kurt):
    fetcher, teammate = team
    shutil.copytree(teammate / "projects", fetcher / "projects", dirs_exist_ok=True)
    theirs = kurt("draft", "evidence", DRAFT, "--format", "json", cwd=teammate)
    ours = kurt("draft", "evidence", DRAFT, "--format", "json", cwd=fetcher)
    assert theirs.exit_code == 0, theirs.stderr
    assert theirs.json() == ours.json()
    quoted = [p for s in theirs.json()["sections"] for p in s["passages"]]
    assert any(p["path"] == STRIPE for p in quoted)
    for passage in quoted:  # verbatim from the file the teammate now holds
        lines = (teammate / passage["path"]).read_text(encoding="utf-8").split("\n")
        assert passage["text"] == "\n".join(lines[passage["line_start"] - 1:passage["line_end"]])
    assert source_files(teammate) == {path: text for path, text in source_files(fetcher).items()
                                      if path in {p["path"] for p in quoted}}


def test_draft_check_finds_the_sources_in_the_store(team, kurt):
    fetcher, teammate = team
    draft = teammate / DRAFT
    listed = f"  overview:\n    sources:\n      - {STRIPE}\n"
    assert listed in draft.read_text(encoding="utf-8")
    draft.write_text(draft.read_text(encoding="utf-8").replace(  # a folder of sources too
        listed, listed + "      - sources/127.0.0.1/guides\n"), encoding="utf-8")
    with draft.open("a", encoding="utf-8") as text:
        text.write("\nStripe provisions Railway services from its CLI."
                   f" <!-- Source: {STRIPE}:12-39 -->\n\nSee [point-in-time recovery]"
                   f"(../../../{POSTGRES}#manage-point-in-time-recovery).\n")
    shutil.copytree(teammate / "projects", fetcher / "projects", dirs_exist_ok=True)
    theirs = kurt("draft", "check", DRAFT, "--format", "json", cwd=teammate)
    assert "Traceback" not in theirs.output
    found = theirs.json()
    rules = {f["rule"] for f in found["findings"]}
    assert not rules & {"sources/deleted", "sources/not-ingested", "sources/line-range",
                        "links/broken-file", "links/anchor"}, rules
    ours = kurt("draft", "check", DRAFT, "--format", "json", cwd=fetcher)
    assert (theirs.exit_code, found) == (ours.exit_code, ours.json())
    assert STRIPE in source_files(teammate) and POSTGRES in source_files(teammate)


def test_a_teammate_that_cannot_write_sources_still_reads_them(team, kurt):
    from tests.readonly import read_only

    fetcher, teammate = team
    with read_only(teammate / "sources"):
        content = kurt("content", "get", STRIPE, "--content", cwd=teammate)
    assert content.exit_code == 0, content.stderr
    assert content.stdout == (fetcher / STRIPE).read_text(encoding="utf-8")
    assert source_files(teammate) == {}


def test_a_document_the_store_holds_no_text_of_says_to_refetch(team, kurt, pg_url):
    import psycopg

    fetcher, teammate = team
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DELETE FROM document_content")
    result = kurt("content", "get", STRIPE, "--content", cwd=teammate)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "missing here and the store holds no copy" in result.stderr
    assert "kurt content fetch --refetch" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_teammate_reindexes_from_the_store(team, kurt):
    fetcher, teammate = team
    reindexed = kurt("content", "index", "--force", "--format", "json", cwd=teammate)
    assert reindexed.exit_code == 0, reindexed.stderr
    report = json.loads(reindexed.stdout)
    assert report["indexed"] == len(PAGES) and report["failed"] == 0, report
    assert source_files(teammate) == source_files(fetcher)  # every file written from the store
