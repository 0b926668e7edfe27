"""Faults around a fetch run, with the installed ``kurt`` against a slow loopback site.

Another command deleting documents mid-fetch, a bad 200 for a page fetched
before, ``kill -9`` of a command that runs worker processes, and two fetches
at once on one workspace.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest

from kurt.sample_site import Response, build_png, load_markdown_site, serve
from kurt.store import Store
from kurt.store.documents import Discovered, add_discovered, document_id
from kurt.workspace import init_workspace

DEADLINE = 60.0  # seconds any wait in this file may take before the test fails
GONE_DEADLINE = 10.0  # seconds orphaned workers may take to exit


@dataclass
class Control:
    """How the loopback site misbehaves in the current test."""

    delay: float = 0.0  # seconds before each page is answered
    overrides: dict[str, Response] = field(default_factory=dict)  # path -> response served instead
    conditional: bool = True  # False: ignore If-None-Match/If-Modified-Since (always a full 200)


@dataclass
class Loopback:
    served: object
    control: Control

    def url(self, path: str) -> str:
        return self.served.url(path)

    def pages(self, n: int) -> list[str]:
        return [p for p in self.served.site.page_paths() if p.startswith("/docs/")][:n]

    def count(self, path: str) -> int:
        return self.served.site.requests.count(path=path, method="GET")

    def page_requests(self) -> int:
        return len(self.served.site.requests.filter(prefix="/docs/"))


@pytest.fixture(scope="module")
def loopback_site(railway_corpus):
    site = load_markdown_site(railway_corpus)
    control = Control()
    respond = site.respond

    def controlled(method, target, headers, base_url, stop=None):
        path = urlsplit(target).path
        if path.startswith("/docs/") and control.delay:
            (stop or threading.Event()).wait(control.delay)
        override = control.overrides.get(path)
        if override is not None:
            return override
        if not control.conditional:
            headers = {k: v for k, v in headers.items() if not k.startswith("if-")}
        return respond(method, target, headers, base_url, stop)

    site.respond = controlled
    with serve(site) as running:
        yield Loopback(running, control)


@pytest.fixture
def loopback(loopback_site):
    loopback_site.control.delay = 0.0
    loopback_site.control.conditional = True
    loopback_site.control.overrides.clear()
    loopback_site.served.site.requests.clear()
    return loopback_site


# -- helpers ---------------------------------------------------------------------------


def new_workspace(tmp_path: Path, urls: list[str], *, auto_index: bool = False) -> Path:
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text("[ingest]\ntimeout = 10.0\nretries = 1\n"
                              f"[index]\nauto = {'true' if auto_index else 'false'}\n")
    store = Store.open(ws.db_path)
    add_discovered(store, [Discovered(url=u, domain="127.0.0.1") for u in urls])
    store.close()
    return ws.root


def kurt_command() -> list[str]:
    exe = shutil.which("kurt")
    return [exe] if exe else [sys.executable, "-m", "kurt"]


def start(root: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}
    env.update(NO_COLOR="1", COLUMNS="200")
    return subprocess.Popen([*kurt_command(), *args], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out, err


def rows(root: Path) -> dict[str, dict]:
    store = Store.open(root / ".kurt" / "kurt.db")
    try:
        return {r["url"]: dict(r) for r in store.query("SELECT * FROM documents")}
    finally:
        store.close()


def source_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "sources").rglob("*") if p.is_file()}


def wait_until(condition, proc: subprocess.Popen | None = None, what: str = "the condition") -> None:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if condition():
            return
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the command ended before {what}: {proc.stderr.read()}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def worker_pids(proc: subprocess.Popen) -> list[int]:
    """The worker processes of ``proc``, once it has started them."""
    parent = psutil.Process(proc.pid)
    found: list[int] = []

    def some() -> bool:
        found[:] = [child.pid for child in parent.children(recursive=True)]
        return bool(found)

    wait_until(some, proc, "its worker processes started")
    return found


def kill_and_count_survivors(proc: subprocess.Popen) -> list[int]:
    """kill -9 ``proc`` alone (not its group): the workers still alive after GONE_DEADLINE."""
    workers = worker_pids(proc)
    workers = sorted(set(workers) | {c.pid for c in psutil.Process(proc.pid).children(recursive=True)})
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    end = time.monotonic() + GONE_DEADLINE
    while time.monotonic() < end and any(alive(p) for p in workers):
        time.sleep(0.05)
    survivors = [p for p in workers if alive(p)]
    for pid in survivors:  # leave nothing behind, whatever the outcome
        os.kill(pid, signal.SIGKILL)
    return survivors


# -- content delete while a fetch runs --------------------------------------------------


def test_delete_all_during_a_fetch_leaves_no_rows_no_files_and_no_false_success(loopback, tmp_path, kurt):
    urls = [loopback.url(p) for p in loopback.pages(60)]
    root = new_workspace(tmp_path, urls)
    loopback.control.delay = 0.3
    fetch = start(root, "content", "fetch", "--concurrency", "4", "--format", "json")
    wait_until(lambda: loopback.page_requests() >= 6, fetch, "a few pages were requested")
    deleted = kurt("content", "delete", "--all", "--yes", cwd=root)
    assert deleted.exit_code == 0, deleted.stderr
    code, out, err = finish(fetch)
    assert code == 0, err
    report = json.loads(out)
    assert rows(root) == {}
    assert source_files(root) == set()  # nothing resurrected as an orphan file
    assert report["deleted"] > 0 and report["new"] < len(urls)
    assert report["new"] + report["deleted"] == report["selected"] == len(urls)
    assert {d["outcome"] for d in report["documents"]} <= {"new", "deleted"}
    fetched_before = {d["url"] for d in report["documents"] if d["outcome"] == "new"}
    assert fetched_before.isdisjoint(report["deleted_urls"])


def test_deleting_some_documents_during_a_fetch_keeps_the_rest_consistent(loopback, tmp_path, kurt):
    urls = [loopback.url(p) for p in loopback.pages(40)]
    root = new_workspace(tmp_path, urls)
    last = sorted(urls, key=document_id)[-15:]  # fetched last: the run streams documents by id
    loopback.control.delay = 0.3
    fetch = start(root, "content", "fetch", "--concurrency", "3", "--format", "json")
    wait_until(lambda: loopback.page_requests() >= 4, fetch, "a few pages were requested")
    deleted = kurt("content", "delete", *[document_id(u) for u in last], "--yes", cwd=root)
    assert deleted.exit_code == 0, deleted.stderr
    code, out, err = finish(fetch)
    assert code == 0, err
    report = json.loads(out)
    left = rows(root)
    assert set(left) == set(urls) - set(last)
    assert all(r["status"] == "FETCHED" for r in left.values())
    assert source_files(root) == {r["content_path"] for r in left.values()}  # no orphan, none missing
    assert set(report["deleted_urls"]) <= set(last) and report["deleted"] > 0
    assert report["new"] + report["deleted"] == len(urls)


# -- a bad 200 on refetch --------------------------------------------------------------


@pytest.mark.parametrize("bad", ["empty", "binary"])
def test_a_bad_200_on_refetch_keeps_the_page_fetched_and_searchable(loopback, tmp_path, kurt, bad):
    pages = loopback.pages(5)
    root = new_workspace(tmp_path, [loopback.url(p) for p in pages], auto_index=True)
    assert kurt("content", "fetch", cwd=root).exit_code == 0
    page = pages[0]
    before = rows(root)[loopback.url(page)]
    text = (root / before["content_path"]).read_text()
    title = before["title"]
    loopback.control.overrides[page] = (Response(200, b"") if bad == "empty"
                                        else Response(200, build_png(), "image/png"))
    result = kurt("content", "fetch", "--refetch", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    report = result.json()
    after = rows(root)[loopback.url(page)]
    assert (report["failed"], report["skipped"]) == (1, 0)
    assert after["status"] == "FETCHED" and after["fetch_outcome"] == "failed"
    assert "the last good copy is kept" in after["error"]
    assert after["content_hash"] == before["content_hash"]
    assert (root / after["content_path"]).read_text() == text
    found = kurt("content", "search", title, "--format", "json", cwd=root)
    assert found.exit_code == 0, found.stderr
    assert loopback.url(page) in found.stdout



def test_a_failure_that_kept_its_copy_is_retried_the_way_the_output_says(loopback, tmp_path, kurt):
    """A page fetched before that now fails stays FETCHED, so '--status ERROR' cannot select
    it: the advice printed must be one that retries it, and must work."""
    pages = loopback.pages(3)
    never_fetched = "/no-such-page"
    root = new_workspace(tmp_path, [loopback.url(p) for p in pages])
    assert kurt("content", "fetch", cwd=root).exit_code == 0
    store = Store.open(root / ".kurt" / "kurt.db")
    add_discovered(store, [Discovered(url=loopback.url(never_fetched), domain="127.0.0.1")])
    store.close()
    loopback.control.overrides[pages[0]] = Response(503, b"busy", "text/plain")
    loopback.control.overrides[never_fetched] = Response(500, b"oops", "text/plain")

    result = kurt("content", "fetch", "--refetch", cwd=root)
    assert result.exit_code == 0, result.output
    assert "1 of the failed pages were fetched before: they keep their last good copy" in result.stdout
    assert "kurt content fetch --refetch" in result.stdout
    assert "Retry the failures with: kurt content fetch --status ERROR" in result.stdout  # the other one
    assert rows(root)[loopback.url(pages[0])]["status"] == "FETCHED"
    assert rows(root)[loopback.url(never_fetched)]["status"] == "ERROR"

    as_json = kurt("content", "fetch", "--refetch", "--format", "json", cwd=root).json()
    assert as_json["kept_copies"] == [loopback.url(pages[0])]

    loopback.control.overrides.clear()  # the server is back: the advice retries the page
    before = loopback.count(pages[0])
    assert kurt("content", "fetch", "--refetch", cwd=root).exit_code == 0
    assert loopback.count(pages[0]) == before + 1
    assert rows(root)[loopback.url(pages[0])]["fetch_outcome"] in ("unchanged", "changed")


# -- kill -9 of a command with worker processes -----------------------------------------


def test_kill_9_of_fetch_leaves_no_worker_and_the_rerun_takes_over_at_once(loopback, tmp_path, kurt):
    urls = [loopback.url(p) for p in loopback.pages(40)]
    root = new_workspace(tmp_path, urls)
    loopback.control.delay = 0.2
    fetch = start(root, "content", "fetch", "--concurrency", "2")
    assert kill_and_count_survivors(fetch) == []
    loopback.control.delay = 0.0
    rerun = kurt("content", "fetch", "--format", "json", cwd=root)
    assert rerun.exit_code == 0, rerun.stderr
    report = rerun.json()
    assert report["other_run"] == 0  # the dead run's claims were taken over without waiting
    assert {r["status"] for r in rows(root).values()} == {"FETCHED"}


def test_kill_9_of_fetch_refetch_leaves_no_worker(loopback, tmp_path, kurt):
    urls = [loopback.url(p) for p in loopback.pages(30)]
    root = new_workspace(tmp_path, urls)
    assert kurt("content", "fetch", cwd=root).exit_code == 0
    loopback.control.delay = 0.2
    loopback.control.conditional = False  # every page comes back whole: extracted by the workers
    refetch = start(root, "content", "fetch", "--refetch", "--concurrency", "2")
    assert kill_and_count_survivors(refetch) == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="indexing uses worker processes on 2+ cores")
def test_kill_9_of_index_force_leaves_no_worker(railway_workspace):
    index = start(railway_workspace.root, "content", "index", "--force")
    assert kill_and_count_survivors(index) == []


# -- two fetches at once ---------------------------------------------------------------


def test_two_concurrent_fetches_share_the_work_and_fetch_each_page_once(loopback, tmp_path):
    pages = loopback.pages(60)
    urls = [loopback.url(p) for p in pages]
    root = new_workspace(tmp_path, urls)
    loopback.control.delay = 0.2
    first = start(root, "content", "fetch", "--concurrency", "2", "--format", "json")
    wait_until(lambda: loopback.page_requests() >= 1, first, "the first run began")
    second = start(root, "content", "fetch", "--concurrency", "2", "--format", "json")
    runs = [finish(first), finish(second)]
    assert [code for code, _, _ in runs] == [0, 0], [err for _, _, err in runs]
    counts = {page: loopback.count(page) for page in pages}
    assert set(counts.values()) == {1}, {p: n for p, n in counts.items() if n != 1}
    assert {r["status"] for r in rows(root).values()} == {"FETCHED"}
    a, b = (json.loads(out) for _, out, _ in runs)
    fetched = [{d["url"] for d in r["documents"] if d["outcome"] == "new"} for r in (a, b)]
    assert fetched[0].isdisjoint(fetched[1]) and fetched[0] | fetched[1] == set(urls)
    assert all(fetched), "both runs fetched a share"
    for mine, theirs, proc in ((a, b, second), (b, a, first)):
        assert mine["new"] + mine["other_run"] == mine["selected"]
        left = {url for group in mine["other_runs"].values() for url in group["urls"]}
        theirs_new = {d["url"] for d in theirs["documents"] if d["outcome"] == "new"}
        assert left <= theirs_new  # what one run left to the other, the other fetched
        assert all(f"pid {proc.pid}" in reason for reason in mine["other_runs"])


def test_two_concurrent_fetches_keep_each_host_pace_together(loopback, tmp_path):
    """Two runs on one SQLite workspace share the pages (above) and the host's pace: with
    min_delay 0.5 s, the site sees one request every half second from both together, not
    one from each (the pace file beside the database, kurt.ingest.host_budget)."""
    interval = 0.5
    pages = loopback.pages(12)
    root = new_workspace(tmp_path, [loopback.url(p) for p in pages])
    config = root / "kurt.toml"
    config.write_text(config.read_text().replace("[ingest]\n", f"[ingest]\nmin_delay = {interval}\n"))
    first = start(root, "content", "fetch", "--concurrency", "2", "--format", "json")
    wait_until(lambda: loopback.page_requests() >= 1, first, "the first run began")
    second = start(root, "content", "fetch", "--concurrency", "2", "--format", "json")
    runs = [finish(first), finish(second)]
    assert [code for code, _, _ in runs] == [0, 0], [err for _, _, err in runs]
    assert {r["status"] for r in rows(root).values()} == {"FETCHED"}
    both = [json.loads(out) for _, out, _ in runs]
    assert all(run["new"] for run in both), "both runs fetched a share"
    times = sorted(r.at for r in loopback.served.site.requests.filter(prefix="/docs/"))
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == len(pages) and min(gaps) > 0.8 * interval, gaps
