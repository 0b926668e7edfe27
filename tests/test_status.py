"""kurt.status: the workspace at a glance, in a real workspace with real documents."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest

from kurt.status import workspace_status
from tests.conftest import RAILWAY_CORPUS, load_corpus

SUBSET = ["docs/integrations.md", "docs/ai/agent-integrations/slack.md",
          "docs/ai/agent-integrations/discord.md"]


@pytest.fixture
def loaded(workspace, tmp_path):
    folder = tmp_path / "subset"
    for rel in SUBSET:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(RAILWAY_CORPUS / rel, folder / rel)
    load_corpus(workspace, folder)
    store = workspace.open_store()
    yield workspace, store
    store.close()


def test_empty_workspace_says_to_set_the_profile_and_add_sources(workspace, store):
    status = workspace_status(workspace, store)
    assert status.documents == 0 and status.projects == []
    assert status.next[:2] == [
        'kurt profile --company NAME --product NAME --audience "..." --voice "..."',
        "kurt content add https://docs.example.com"]


def test_counts_documents_by_status_and_domain(loaded):
    ws, store = loaded
    with store.transaction() as conn:
        conn.execute("INSERT INTO documents (id, url, source_kind, domain, status, discovered_at,"
                     " error) VALUES ('e1', 'https://docs.railway.com/gone', 'web',"
                     " 'docs.railway.com', 'ERROR', '2026-01-01T00:00:00Z', 'HTTP 404 Not Found')")
    status = workspace_status(ws, store)
    assert status.documents == 4
    assert status.by_status == {"FETCHED": 3, "ERROR": 1}
    assert status.by_domain == {"docs.railway.com": 4}
    assert status.stale.failed == 1
    assert status.stale.failure_reasons[0].reason == "HTTP 404 Not Found"
    assert "kurt content fetch --status ERROR" in status.next


def test_documents_fetched_long_ago_are_stale(loaded):
    ws, store = loaded
    with store.transaction() as conn:
        conn.execute("UPDATE documents SET fetched_at = '2020-05-01T00:00:00Z' WHERE url LIKE '%slack'")
    status = workspace_status(ws, store, stale_days=30)
    assert status.stale.not_fetched_for == 1 and status.stale.oldest_fetch.startswith("2020-05-01")
    assert "kurt content fetch --refetch" in status.next
    later = datetime.now(UTC) + timedelta(days=400)
    assert workspace_status(ws, store, stale_days=30, now=later).stale.not_fetched_for == 3


def test_hand_edited_source_is_found_with_check_files(loaded):
    ws, store = loaded
    doc = store.query_one("SELECT id, content_path FROM documents WHERE url LIKE '%discord'")
    path = ws.root / doc["content_path"]
    path.write_text(path.read_text(encoding="utf-8") + "\nA line nobody published.\n",
                    encoding="utf-8")
    assert workspace_status(ws, store).stale.hand_edited == []  # not indexed since: not known yet
    status = workspace_status(ws, store, check_files=True)
    assert status.stale.hand_edited == [doc["id"]] and status.stale.files_checked
    assert f"kurt content fetch --refetch {doc['id']}" in status.next


def test_a_failed_refetch_is_stale_though_the_old_copy_is_kept(kurt, loaded):
    ws, store = loaded
    with store.transaction() as conn:  # what kurt.ingest.fetch records when a refetch fails
        conn.execute("UPDATE documents SET error = 'connection refused by 127.0.0.1:9'"
                     " WHERE url LIKE '%slack'")
    status = workspace_status(ws, store)
    assert status.stale.refetch_failed == 1 and status.by_status == {"FETCHED": 3}
    stale = next(line for line in kurt("status", cwd=ws.root).stdout.splitlines()
                 if line.startswith("Stale:"))
    assert "1 could not be refetched (the old copy is kept)" in stale


def test_an_edit_the_index_read_is_known_without_reading_files(loaded):
    ws, store = loaded
    with store.transaction() as conn:
        conn.execute("UPDATE documents SET indexed_file_hash = 'other' WHERE url LIKE '%slack'")
    assert len(workspace_status(ws, store).stale.hand_edited) == 1


def test_index_state_and_vocabulary_change(loaded):
    ws, store = loaded
    status = workspace_status(ws, store)
    assert status.index.indexed == 3 and status.index.sections > 0
    from kurt.writing.profile import save_profile

    save_profile(ws, company="Railway", products=["Railway", "Nixpacks"])
    status = workspace_status(ws, store)
    assert status.index.vocabulary_changed and status.index.stale == 3
    assert "kurt content index" in status.next


def test_projects_with_drafts_by_status_and_next_steps(loaded):
    ws, store = loaded
    from kurt.writing.drafts import new_draft
    from kurt.writing.projects import create_project
    from kurt.writing.status import set_status

    create_project(ws, "launch", "Integration pages")
    create_project(ws, "empty", "Nothing yet")
    first = new_draft(ws, store, "launch", "integration-page", "slack", {"partner": "Slack"})
    new_draft(ws, store, "launch", "integration-page", "discord", {"partner": "Discord"})
    set_status(ws, first.path, "draft", force=True, store=store)
    status = workspace_status(ws, store)
    launch = next(p for p in status.projects if p.name == "launch")
    assert launch.drafts_by_status == {"draft": 1, "outline": 1}
    assert "kurt draft new empty --template TEMPLATE --name NAME" in status.next
    assert "kurt draft check projects/launch/drafts/integration-page-slack.md" in status.next
    assert "kurt draft evidence projects/launch/drafts/integration-page-discord.md" in status.next


def test_cli_status_json(kurt, loaded):
    ws, _ = loaded
    result = kurt("status", "--format", "json", cwd=ws.root)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["documents"] == 3 and data["by_status"] == {"FETCHED": 3}
    assert set(data) >= {"stale", "index", "projects", "next", "by_domain", "profile"}


def test_cli_status_text(kurt, loaded):
    ws, _ = loaded
    result = kurt("status", cwd=ws.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Documents: 3 (3 fetched)")
    assert "Next:" in result.stdout


def test_cli_status_text_says_when_source_files_were_not_read(kurt, loaded):
    ws, store = loaded
    doc = store.query_one("SELECT content_path FROM documents WHERE url LIKE '%discord'")
    path = ws.root / doc["content_path"]
    path.write_text(path.read_text(encoding="utf-8") + "\nA hand edit.\n", encoding="utf-8")
    quick = kurt("status", cwd=ws.root).stdout
    stale = next(line for line in quick.splitlines() if line.startswith("Stale:"))
    assert "not read for hand edits (add --check-files)" in stale  # not a bare "nothing"
    full = kurt("status", "--check-files", cwd=ws.root).stdout
    assert "1 source file edited by hand" in full and "--check-files)" not in full


def test_cli_status_outside_a_workspace_is_one_line(kurt, tmp_path):
    result = kurt("status", cwd=tmp_path)
    assert result.exit_code != 0 and len(result.stderr.strip().splitlines()) == 1


def test_a_project_folder_kurt_would_not_name_is_shown_with_why(workspace, store):
    folder = workspace.projects_dir / "My Project"
    folder.mkdir()
    (folder / "plan.md").write_text("# Project: My Project\n\n## Goal\n\nThings\n", encoding="utf-8")
    status = workspace_status(workspace, store)
    [project] = status.projects
    assert project.name == "My Project" and "project name" in project.error
    assert not any("My Project" in step for step in status.next)


def test_the_last_check_of_an_unchanged_draft_is_shown(kurt, loaded):
    ws, store = loaded
    from kurt.writing.drafts import new_draft
    from kurt.writing.projects import create_project
    from kurt.writing.status import set_status

    create_project(ws, "launch", "Integration pages")
    draft = new_draft(ws, store, "launch", "integration-page", "slack", {"partner": "Slack"})
    set_status(ws, draft.path, "draft", force=True, store=store)
    assert workspace_status(ws, store).projects[0].drafts[0].check is None
    checked = kurt("draft", "check", draft.path, cwd=ws.root)
    assert checked.exit_code == 1  # the outline still has the template's placeholders
    result = workspace_status(ws, store).projects[0].drafts[0].check
    assert result is not None and result.errors > 0
    assert f"kurt draft check {draft.path}" in workspace_status(ws, store).next
    path = ws.root / draft.path
    path.write_text(path.read_text(encoding="utf-8") + "\nMore prose.\n", encoding="utf-8")
    assert workspace_status(ws, store).projects[0].drafts[0].check is None  # edited since
    kurt("draft", "check", draft.path, "--rule", "style", cwd=ws.root)
    assert workspace_status(ws, store).projects[0].drafts[0].check is None  # a partial run


def test_failure_reasons_past_the_five_shown_are_counted_and_said(kurt, loaded):
    ws, store = loaded
    codes = ["401 Unauthorized", "403 Forbidden", "404 Not Found", "410 Gone",
             "500 Internal Server Error", "502 Bad Gateway", "503 Service Unavailable"]
    with store.transaction() as conn:
        for i, code in enumerate(codes):
            conn.execute("INSERT INTO documents (id, url, source_kind, domain, status,"
                         " discovered_at, error) VALUES (?, ?, 'web', 'docs.railway.com', 'ERROR',"
                         " '2026-01-01T00:00:00Z', ?)",
                         (f"e{i}", f"https://docs.railway.com/e{i}", f"HTTP {code}"))
    status = workspace_status(ws, store)
    assert len(status.stale.failure_reasons) == 5 and status.stale.failure_reasons_total == 7
    data = kurt("status", "--format", "json", cwd=ws.root).json()
    assert data["stale"]["failure_reasons_total"] == 7
    text = kurt("status", cwd=ws.root).stdout
    assert "and 2 more reasons: kurt content list --status ERROR" in text
