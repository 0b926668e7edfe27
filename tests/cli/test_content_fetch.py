"""``kurt content fetch`` and ``kurt content add`` run as a user would, against a real local site."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kurt.sample_site import load_markdown_site, serve
from kurt.store import Store
from kurt.store.documents import Discovered, add_discovered
from kurt.workspace import init_workspace

PAGE_DELAY = 0.05  # seconds per page, so that a run can be interrupted in the middle


@pytest.fixture(scope="module")
def served(railway_corpus):
    site = load_markdown_site(railway_corpus, misbehaving=True)
    respond = site.respond

    def slow_respond(method, target, headers, base_url, stop=None):
        if target.startswith("/guides/"):
            time.sleep(PAGE_DELAY)
        return respond(method, target, headers, base_url, stop)

    site.respond = slow_respond
    with serve(site) as running:
        yield running


def new_workspace(tmp_path: Path, urls: list[str]) -> Path:
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text("[ingest]\ntimeout = 2.0\nretries = 1\n[index]\nauto = false\n")
    store = Store.open(ws.db_path)
    add_discovered(store, [Discovered(url=u, domain="127.0.0.1") for u in urls])
    store.close()
    return ws.root


def statuses(root: Path) -> dict[str, int]:
    store = Store.open(root / ".kurt" / "kurt.db")
    try:
        rows = store.query("SELECT status, COUNT(*) AS n FROM documents GROUP BY status")
        return {r["status"]: r["n"] for r in rows}
    finally:
        store.close()


def fetched_files_exist(root: Path) -> bool:
    store = Store.open(root / ".kurt" / "kurt.db")
    try:
        rows = store.query("SELECT content_path FROM documents WHERE status = 'FETCHED'")
        return all(r["content_path"] and (root / r["content_path"]).is_file() for r in rows)
    finally:
        store.close()


def test_json_summary_counts_and_groups_failures(served, tmp_path, kurt):
    urls = [served.url("/docs/cli/postgres"), served.url("/bad/not-found"),
            served.url("/bad/binary"), served.url("/bad/latin1")]
    root = new_workspace(tmp_path, urls)
    result = kurt("content", "fetch", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["selected"], data["new"], data["failed"], data["skipped"]) == (4, 2, 1, 1)
    assert data["errors"]["HTTP 404 Not Found"]["urls"] == [served.url("/bad/not-found")]
    assert list(data["skip_reasons"]) == ["not text: image/png (463 bytes)"]
    assert result.stderr == ""  # quiet when piped


def test_table_summary_says_what_failed_and_what_to_do(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [served.url("/docs/cli/postgres"), served.url("/bad/gone")])
    result = kurt("content", "fetch", cwd=root)
    assert result.exit_code == 0
    assert "Fetched 1 of 2 documents" in result.stdout
    assert "HTTP 410 Gone" in result.stdout
    assert "kurt content fetch --status ERROR" in result.stdout


def test_table_summary_names_the_run_that_holds_documents_left_to_it(served, tmp_path, kurt):
    from kurt.store import leases
    from kurt.store.documents import document_id

    urls = [served.url("/docs/cli/postgres"), served.url("/docs/integrations/api")]
    root = new_workspace(tmp_path, urls)
    store = Store.open(root / ".kurt" / "kurt.db")
    leases.claim(store, [document_id(urls[1])], leases.new_owner(), since=leases.stamp())  # this test: alive
    store.close()
    result = kurt("content", "fetch", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "Fetched 1 of 2 documents" in result.stdout
    assert "Left to another fetch run: 1" in result.stdout
    assert f"being fetched by another fetch run (pid {os.getpid()})" in result.stdout
    assert urls[1] in result.stdout
    assert statuses(root) == {"FETCHED": 1, "NOT_FETCHED": 1}


def test_everything_failing_exits_1(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [served.url("/bad/not-found")])
    result = kurt("content", "fetch", cwd=root)
    assert result.exit_code == 1
    assert "Error: all 1 documents failed" in result.stderr
    assert "Traceback" not in result.stderr


def test_unsupported_url_is_a_usage_error(tmp_path, kurt):
    root = new_workspace(tmp_path, [])
    result = kurt("content", "fetch", "ftp://example.com/file", cwd=root)
    assert result.exit_code == 2
    assert "only http and https" in result.stderr


def test_unknown_url_argument_is_added_and_fetched(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [])
    result = kurt("content", "fetch", served.url("/docs/integrations/api"), "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert result.json()["new"] == 1
    assert (root / "sources/127.0.0.1/docs/integrations/api.md").is_file()


def test_dry_run_lists_and_fetches_nothing(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [served.url("/docs/cli/postgres")])
    result = kurt("content", "fetch", "--dry-run", cwd=root)
    assert "Would fetch 1 documents" in result.stdout
    assert statuses(root) == {"NOT_FETCHED": 1}


def _guides(served, n):
    return [served.url(p) for p in served.site.page_paths() if p.startswith("/guides/")][:n]


def kurt_command() -> list[str]:
    exe = shutil.which("kurt")
    return [exe] if exe else [sys.executable, "-m", "kurt"]


def _start_fetch(root: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}
    return subprocess.Popen([*kurt_command(), "content", "fetch", "--concurrency", "2"], cwd=root,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for_some_fetched(root: Path, proc: subprocess.Popen, at_least: int = 5) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if statuses(root).get("FETCHED", 0) >= at_least:
            return
        time.sleep(0.05)
    pytest.fail("the fetch did not make progress")


def _interrupted_fetch(served, tmp_path, signum: int):
    """(urls, workspace root, process) of a fetch of 80 pages sent ``signum`` mid-way."""
    urls = _guides(served, 80)
    root = new_workspace(tmp_path, urls)
    proc = _start_fetch(root)
    _wait_for_some_fetched(root, proc)
    os.killpg(proc.pid, signum)
    return urls, root, proc


def test_kill_9_mid_fetch_leaves_a_consistent_db_and_rerun_completes(served, tmp_path, kurt):
    urls, root, proc = _interrupted_fetch(served, tmp_path, signal.SIGKILL)
    proc.wait(timeout=10)
    middle = statuses(root)
    assert 0 < middle.get("FETCHED", 0) < len(urls)
    assert fetched_files_exist(root)
    result = kurt("content", "fetch", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert statuses(root) == {"FETCHED": len(urls)}
    assert fetched_files_exist(root)


def test_ctrl_c_stops_cleanly_and_rerun_finishes(served, tmp_path, kurt):
    urls, root, proc = _interrupted_fetch(served, tmp_path, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "run the same command again" in err
    assert fetched_files_exist(root)
    assert statuses(root).get("NOT_FETCHED", 0) > 0
    result = kurt("content", "fetch", cwd=root)
    assert result.exit_code == 0
    assert statuses(root) == {"FETCHED": len(urls)}


def test_add_maps_and_fetches_then_is_idempotent(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [])
    first = kurt("content", "add", served.url("/docs/integrations/"), "--format", "json", cwd=root)
    assert first.exit_code == 0, first.stderr
    data = first.json()
    found = data["mapped"][0]["report"]["found"]
    assert found > 5 and data["fetch"]["new"] == found
    again = kurt("content", "add", served.url("/docs/integrations/"), "--format", "json", cwd=root)
    data = again.json()
    assert data["fetch"]["selected"] == 0
    assert data["already_fetched"] == found


def test_add_local_folder(tmp_path, kurt):
    root = new_workspace(tmp_path, [])
    folder = tmp_path / "notes"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "intro.md").write_text("# Intro\n\nHello there.\n")
    (folder / "b").mkdir()
    (folder / "b" / "intro.md").write_text("# Other intro\n\nA different file.\n")
    result = kurt("content", "add", str(folder), cwd=root)
    assert result.exit_code == 0, result.stderr
    assert (root / "sources/local/notes/a/intro.md").read_text().endswith("Hello there.\n")
    assert (root / "sources/local/notes/b/intro.md").read_text().endswith("A different file.\n")


def test_dry_run_with_an_unknown_url_adds_nothing(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [])
    result = kurt("content", "fetch", "--dry-run", served.url("/docs/cli/postgres"), cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "Would fetch 1 documents" in result.stdout and "not known yet" in result.stdout
    assert statuses(root) == {}


def test_missing_file_argument_is_a_usage_error(tmp_path, kurt):
    root = new_workspace(tmp_path, [])
    result = kurt("content", "fetch", "./no-such-file.md", cwd=root)
    assert result.exit_code == 2
    assert "No such file: ./no-such-file.md" in result.stderr and "Traceback" not in result.stderr


def test_add_that_finds_nothing_exits_1_with_the_reason(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [])
    (root / "kurt.toml").write_text('[ingest]\nuser_agent = "BadBot/1.0"\n[index]\nauto = false\n')
    result = kurt("content", "add", served.url("/"), cwd=root)
    assert result.exit_code == 1
    assert "nothing found at" in result.stderr and "blocks user agent BadBot" in result.stderr
    assert "Nothing to fetch" not in result.stdout and "Traceback" not in result.stderr


def test_summary_names_timed_out_urls_and_how_to_retry_robots_skips(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [served.url("/docs/cli/postgres"), served.url("/private/secret"),
                                    served.url("/bad/stall")])
    (root / "kurt.toml").write_text("[ingest]\ntimeout = 0.5\nretries = 3\n[index]\nauto = false\n")
    result = kurt("content", "fetch", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "Timed out: 1 " in result.stdout and served.url("/bad/stall") in result.stdout
    assert "blocked by robots.txt for user agent KurtBot (rule 'Disallow: /private/'" in result.stdout
    assert ("change user_agent or respect_robots in kurt.toml, retry them with: "
            "kurt content fetch --status SKIPPED") in result.stdout
    assert statuses(root) == {"FETCHED": 1, "SKIPPED": 1, "ERROR": 1}


# -- indexing as pages are fetched: progress on a terminal, JSON alone on stdout ----------


def indexing_workspace(tmp_path: Path) -> Path:
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text("[ingest]\ntimeout = 5.0\nretries = 1\n[index]\nauto = true\n")
    return ws.root


def test_add_shows_fetching_and_indexing_progress_on_a_terminal(served, tmp_path):
    from tests.cli.test_content_index import run_in_terminal

    root = indexing_workspace(tmp_path)
    code, output = run_in_terminal(["content", "add", served.url("/guides/")], root)
    assert code == 0, output
    assert "Fetching and indexing" in output  # one bar: pages are indexed as they are fetched
    assert "/s" in output and "elapsed," in output and "left" in output  # rate, time left
    fetched = int(re.search(r"Fetched (\d+) of", output).group(1))
    assert fetched > 100 and f"Indexed {fetched} new or changed documents." in output


def test_fetch_shows_the_indexing_an_earlier_run_left_on_a_terminal(served, tmp_path, kurt):
    from tests.cli.test_content_index import run_in_terminal

    root = indexing_workspace(tmp_path)
    first = kurt("content", "add", served.url("/guides/"), "--no-index", "--format", "json", cwd=root)
    assert first.exit_code == 0, first.stderr
    fetched = first.json()["fetch"]["fetched"]
    code, output = run_in_terminal(["content", "fetch"], root)
    assert code == 0, output
    assert "Indexing" in output and f"{fetched}/{fetched}" in output and "left" in output
    assert f"Indexed {fetched} fetched documents whose index was out of date." in output


def test_add_in_json_mode_on_a_terminal_draws_nothing_but_the_json(served, tmp_path):
    from tests.cli.test_content_index import run_in_terminal

    root = indexing_workspace(tmp_path)
    code, output = run_in_terminal(["content", "add", served.url("/guides/"), "--format", "json"], root)
    assert code == 0, output
    data = json.loads(output)  # stdout and stderr share the terminal: no bar, no line besides
    assert data["fetch"]["indexed"] == data["fetch"]["fetched"] > 100
