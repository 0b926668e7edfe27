"""Interrupted and concurrent runs that hold today: ``kill -9`` of ``content add``, ``fetch``
and ``index`` in the middle of their work, Ctrl-C, and two processes on one workspace.

A run is stopped only once the database shows it half done, the process group gets the
signal (as a terminal or ``kill -9 -PGID`` would send it), and then the same command is
run again: it must finish the job (every page FETCHED with its file, the index complete,
search answering) on a sound database with no half-written file left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from kurt.sample_site import load_markdown_site, serve
from tests.conftest import kurt_command, load_corpus
from tests.faults.conftest import (
    assert_consistent,
    assert_sound,
    db_rows,
    make_workspace,
    statuses,
    tiny_corpus,
    wait_until,
)

PAGE_DELAY = 0.05  # seconds per page, so that a run can be caught in the middle
FOLDER = "/docs/platform/"  # 24 pages of the railway docs
HALF = 5  # pages fetched before a run is stopped
TINY_DOCS = 800  # an index run commits every 200 documents: 800 leave a middle to stop in


@pytest.fixture(scope="module")
def slow_site(railway_corpus):
    """The railway docs on 127.0.0.1, each page a little slow to answer."""
    site = load_markdown_site(railway_corpus)
    respond = site.respond

    def slow_respond(method, target, headers, base_url, stop=None):
        if target.startswith(FOLDER):
            time.sleep(PAGE_DELAY)
        return respond(method, target, headers, base_url, stop)

    site.respond = slow_respond
    with serve(site) as running:
        yield running


def start(root: Path, *args: str) -> subprocess.Popen:
    """``kurt ARGS`` in its own process group, as a shell would start it."""
    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}
    env.update({"NO_COLOR": "1", "COLUMNS": "200"})
    return subprocess.Popen([*kurt_command(), *args], cwd=root, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def interrupt(proc: subprocess.Popen, signum: int, ready) -> tuple[str, str]:
    """Send ``signum`` to the run's process group once ``ready()``; its (stdout, stderr)."""
    wait_until(lambda: ready() or proc.poll() is not None, what="the run to be half done")
    assert proc.poll() is None, "the run finished before it could be interrupted"
    os.killpg(proc.pid, signum)
    return proc.communicate(timeout=60)


def fetched(root: Path) -> int:
    return statuses(root).get("FETCHED", 0)


def indexed(root: Path) -> int:
    return db_rows(root, "SELECT COUNT(*) FROM documents WHERE status = 'FETCHED' "
                         "AND indexed_hash = content_hash")[0][0]


def assert_finished(kurt, root: Path, pages: int) -> None:
    """Every page FETCHED with its file, every one indexed, and search finds them; no
    ``.tmp`` file left behind (the re-run sweeps what the killed run was writing)."""
    assert statuses(root) == {"FETCHED": pages}
    assert_consistent(root)
    stats = kurt("content", "stats", "--format", "json", cwd=root).json()["index"]
    assert (stats["indexed"], stats["stale"], stats["not_indexed"]) == (pages, 0, 0)
    search = kurt("content", "search", "deploy", "--format", "json", cwd=root)
    assert search.exit_code == 0 and search.json()["passages"], search.output


def test_kill_9_during_content_add_then_add_again_finishes(kurt, tmp_path, slow_site):
    root = make_workspace(tmp_path, "concurrency = 2", index=True)
    start_url = slow_site.url(FOLDER)
    proc = start(root, "content", "add", start_url)
    interrupt(proc, signal.SIGKILL, lambda: fetched(root) >= HALF)
    assert proc.returncode == -signal.SIGKILL
    assert_sound(root)  # what was committed before the kill is whole
    half = fetched(root)
    again = kurt("content", "add", start_url, cwd=root)
    assert again.exit_code == 0, again.output
    pages = sum(statuses(root).values())
    assert HALF <= half < pages and pages >= 24
    assert_finished(kurt, root, pages)


def test_kill_9_during_fetch_then_fetch_again_finishes(kurt, tmp_path, slow_site):
    root = make_workspace(tmp_path, "concurrency = 2", index=True)
    mapped = kurt("content", "map", "url", slow_site.url(FOLDER), cwd=root)
    assert mapped.exit_code == 0, mapped.output
    pages = statuses(root)["NOT_FETCHED"]
    proc = start(root, "content", "fetch")
    interrupt(proc, signal.SIGKILL, lambda: fetched(root) >= HALF)
    assert HALF <= fetched(root) < pages
    assert_sound(root)
    again = kurt("content", "fetch", cwd=root)
    assert again.exit_code == 0, again.output
    assert_finished(kurt, root, pages)


def test_kill_9_during_index_then_index_again_finishes(kurt, tmp_path):
    from kurt.workspace import Workspace

    root = make_workspace(tmp_path)
    corpus = tiny_corpus(tmp_path / "corpus", TINY_DOCS)
    pages = load_corpus(Workspace(root), corpus, "https://docs.example.com", index=False)
    proc = start(root, "content", "index")
    interrupt(proc, signal.SIGKILL, lambda: 0 < indexed(root) <= pages - 400)
    assert 0 < indexed(root) < pages
    assert_sound(root)
    again = kurt("content", "index", cwd=root)
    assert again.exit_code == 0 and "Traceback" not in again.output, again.output
    assert_finished(kurt, root, pages)


def test_ctrl_c_during_fetch_exits_130_and_the_same_command_finishes(kurt, tmp_path, slow_site):
    root = make_workspace(tmp_path, "concurrency = 2", index=True)
    assert kurt("content", "map", "url", slow_site.url(FOLDER), cwd=root).exit_code == 0
    pages = statuses(root)["NOT_FETCHED"]
    proc = start(root, "content", "fetch")
    _, err = interrupt(proc, signal.SIGINT, lambda: fetched(root) >= HALF)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "run the same command again" in err
    assert HALF <= fetched(root) < pages
    assert_sound(root)
    again = kurt("content", "fetch", cwd=root)
    assert again.exit_code == 0, again.output
    assert_finished(kurt, root, pages)


def test_two_fetches_at_once_both_succeed_on_one_sound_database(kurt, tmp_path, slow_site):
    """Two processes writing one workspace wait for each other: no "database is locked", no
    duplicate row, no file without its row. (That each downloads every page is a known
    defect, fixed and tested elsewhere: this checks only that the result is sound.)"""
    root = make_workspace(tmp_path, "concurrency = 2")
    assert kurt("content", "map", "url", slow_site.url(FOLDER), cwd=root).exit_code == 0
    pages = statuses(root)["NOT_FETCHED"]
    first, second = start(root, "content", "fetch"), start(root, "content", "fetch")
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    for proc, (out, err) in zip((first, second), outputs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "locked" not in out + err
    assert statuses(root) == {"FETCHED": pages}
    assert db_rows(root, "SELECT COUNT(DISTINCT url), COUNT(*) FROM documents")[0] == (pages, pages)
    assert_consistent(root)


def test_search_answers_while_index_rewrites_everything(kurt, railway_workspace):
    root = railway_workspace.root
    proc = start(root, "content", "index", "--force")
    answers = []
    while proc.poll() is None:
        result = kurt("content", "search", "deploy", "--format", "json", cwd=root)
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
        answers.append(len(result.json()["passages"]))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert answers and all(answers), "search came back empty while the index was rebuilt"
    assert_consistent(root)
