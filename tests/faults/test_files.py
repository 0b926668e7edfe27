"""Faults around source files, run as a user would: the installed ``kurt`` against a real
local site, on real filesystem conditions (a full tmpfs, a kernel file size limit).

- a hand edit made right after a fetch is seen by index, search and refetch;
- a page declared UTF-8 with one bad byte sequence keeps its accents;
- binary bytes served as text/html are reported as binary;
- a write cut short by a full disk leaves no temporary file, and the next run
  sweeps the ones a killed process left;
- ``/q.md/`` and ``/q`` get two files, whichever comes first.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KurtResult, kurt_command

from kurt.ingest.files import stored_markdown
from kurt.sample_site import Response, load_markdown_site, serve
from kurt.store import Store
from kurt.store.documents import document_id
from kurt.workspace import init_workspace

WIDGETS = """---
title: Widgets
---

# Widgets

Connect every widget to the gateway before you deploy it. The gateway keeps a
list of widgets and forwards their events; a widget without a gateway is idle.

## Troubleshooting

If a widget stays idle, check that the gateway is running and reachable.
"""

CAFE = "Café au lait, déjà vu, crème brûlée"
BIG_PAGE_BYTES = 1_500_000  # more than the full disk below can take


def html_page(title: str, text: str, meta: str = "") -> bytes:
    return (f"<!doctype html><html><head>{meta}<title>{title}</title></head><body><main><article>"
            f"<h1>{title}</h1><p>{text}</p><p>Enough words around it to make this paragraph the "
            "main content of the page for the extractor.</p></article></main></body></html>").encode()


RAW = {
    # one bad byte sequence (\xff\xfe) in pages declared UTF-8, in the header or in <meta>
    "/cafe-header": Response(200, html_page("Cafe header", f"{CAFE}. Bad bytes: ").replace(
        b"Bad bytes: ", b"Bad bytes: \xff\xfe!"), "text/html; charset=utf-8"),
    "/cafe-meta": Response(200, html_page("Cafe meta", f"{CAFE}. Bad bytes: ", '<meta charset="utf-8">')
                           .replace(b"Bad bytes: ", b"Bad bytes: \xff\xfe!"), "text/html"),
    # no charset anywhere: UTF-8 with one bad byte is still UTF-8; cp1252 is still cp1252
    "/cafe-undeclared": Response(200, html_page("Cafe undeclared", f"{CAFE}. Bad bytes: ").replace(
        b"Bad bytes: ", b"Bad bytes: \xff\xfe!"), "text/html"),
    "/cafe-cp1252": Response(200, html_page("Cafe cp1252", f"{CAFE}. Bad bytes: ").decode()
                             .encode("cp1252"), "text/html"),
    "/blob": Response(200, bytes(range(256)) * 64, "text/html; charset=utf-8"),
    "/q": Response(200, html_page("Page q", "The page at slash q, without a trailing slash.")),
    "/q.md/": Response(200, html_page("Folder q.md", "The page at q.md with a trailing slash.")),
    "/big": Response(200, ("# Big\n\n" + "A long paragraph of plain words for the disk. " * 40 + "\n\n")
                     .encode() * (BIG_PAGE_BYTES // 1900), "text/markdown; charset=utf-8"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    (folder / "guides").mkdir()
    (folder / "guides" / "widgets.md").write_text(WIDGETS)
    site = load_markdown_site(folder)
    respond = site.respond

    def raw_respond(method, target, headers, base_url, stop=None):
        return RAW.get(target.split("?")[0]) or respond(method, target, headers, base_url, stop)

    site.respond = raw_respond
    with serve(site) as served:
        yield served


def new_workspace(tmp_path: Path, *, auto_index: bool = True) -> Path:
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text("[ingest]\ntimeout = 5.0\nretries = 1\nmax_bytes = 5000000\n"
                              f"[index]\nauto = {'true' if auto_index else 'false'}\n")
    return ws.root


def document(root: Path, url: str) -> dict:
    store = Store.open(root / ".kurt" / "kurt.db")
    try:
        return dict(store.query_one("SELECT * FROM documents WHERE id = ?", (document_id(url),)))
    finally:
        store.close()


def temporary_files(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in (root / "sources").rglob(".*.tmp")]


# -- hand edits ------------------------------------------------------------------------------


def test_a_hand_edit_right_after_a_fetch_is_seen_by_index_search_and_refetch(site, tmp_path, kurt):
    root = new_workspace(tmp_path)
    url = site.url("/guides/widgets")
    assert kurt("content", "fetch", url, cwd=root).exit_code == 0
    path = root / document(root, url)["content_path"]
    published = stored_markdown(path.read_text())
    # Within a second or two of Kurt's write, and the same size: what a time window cannot see.
    path.write_text(path.read_text().replace("gateway", "gangway"))

    indexed = kurt("content", "index", cwd=root)
    assert indexed.exit_code == 0, indexed.stderr
    assert "1 source file changed on disk since indexed" in indexed.stderr
    assert kurt("content", "search", "gangway", "--format", "json", cwd=root).json()["passages"]
    assert kurt("content", "search", "gateway", "--format", "json", cwd=root).json()["passages"] == []
    again = kurt("content", "index", cwd=root)
    assert "changed on disk" not in again.stderr  # indexed as it now is: nothing more to do

    refetched = kurt("content", "fetch", "--refetch", url, "--format", "json", cwd=root)
    assert refetched.exit_code == 0, refetched.stderr
    report = refetched.json()
    # said as what it is: the hand edit was replaced, the page is neither new nor unchanged
    assert (report["restored"], report["new"], report["unchanged"]) == (1, 0, 0)
    assert [d["outcome"] for d in report["documents"]] == ["restored"]
    assert stored_markdown(path.read_text()) == published
    assert kurt("content", "search", "gateway", "--format", "json", cwd=root).json()["passages"]


def test_a_copy_deleted_by_hand_is_restored_by_refetch_and_said_so(site, tmp_path, kurt):
    root = new_workspace(tmp_path)
    url = site.url("/guides/widgets")
    assert kurt("content", "fetch", url, cwd=root).exit_code == 0
    path = root / document(root, url)["content_path"]
    published = path.read_text()
    path.unlink()
    refetched = kurt("content", "fetch", "--refetch", url, cwd=root)
    assert refetched.exit_code == 0, refetched.stderr
    assert "0 new" in refetched.stdout
    assert "Restored: 1 source files edited or deleted by hand" in refetched.stdout
    assert stored_markdown(path.read_text()) == stored_markdown(published)
    assert document(root, url)["fetch_outcome"] == "restored"


def test_an_untouched_copy_stays_unchanged_on_refetch(site, tmp_path, kurt):
    root = new_workspace(tmp_path)
    url = site.url("/guides/widgets")
    assert kurt("content", "fetch", url, cwd=root).exit_code == 0
    refetched = kurt("content", "fetch", "--refetch", url, "--format", "json", cwd=root)
    assert refetched.json()["unchanged"] == 1
    assert "changed on disk" not in kurt("content", "index", cwd=root).stderr


# -- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/cafe-header", "/cafe-meta", "/cafe-undeclared"])
def test_a_bad_byte_in_a_utf8_page_keeps_its_accents(site, tmp_path, kurt, route):
    root = new_workspace(tmp_path, auto_index=False)
    url = site.url(route)
    result = kurt("content", "fetch", url, cwd=root)
    assert result.exit_code == 0, result.output
    text = (root / document(root, url)["content_path"]).read_text(encoding="utf-8")
    assert CAFE in text
    assert "Bad bytes: \ufffd\ufffd!" in text
    assert "Ã" not in text


def test_an_undeclared_cp1252_page_is_still_read_as_cp1252(site, tmp_path, kurt):
    root = new_workspace(tmp_path, auto_index=False)
    url = site.url("/cafe-cp1252")
    assert kurt("content", "fetch", url, cwd=root).exit_code == 0
    text = (root / document(root, url)["content_path"]).read_text(encoding="utf-8")
    assert CAFE in text and "\ufffd" not in text


def test_binary_served_as_html_is_skipped_as_binary(site, tmp_path, kurt):
    root = new_workspace(tmp_path, auto_index=False)
    url = site.url("/blob")
    result = kurt("content", "fetch", url, "--format", "json", cwd=root)
    assert result.exit_code == 0, result.output
    [reason] = result.json()["skip_reasons"]
    assert reason.startswith("binary content served as text/html (NUL bytes: not text")
    assert "javascript" not in reason
    row = document(root, url)
    assert row["status"] == "SKIPPED" and row["error"] == reason


# -- a full disk ---------------------------------------------------------------------------------


def mount_tmpfs(folder: Path, size: str) -> bool:
    """Mount a small tmpfs on ``folder`` (root only); False when this machine does not allow it."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    return proc.returncode == 0


def run_kurt_limited(*args: str, cwd: Path, file_size_limit: int | None) -> KurtResult:
    """The installed ``kurt``; with ``file_size_limit``, no file it writes may grow past it (EFBIG)."""
    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}
    env.update({"NO_COLOR": "1", "COLUMNS": "200"})

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    proc = subprocess.run([*kurt_command(), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=180, preexec_fn=limit if file_size_limit else None)
    return KurtResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(params=["tmpfs", "file-size-limit"])
def full_disk(request, tmp_path):
    """A workspace whose sources/ cannot take the big page: (root, file size limit for kurt)."""
    root = new_workspace(tmp_path, auto_index=False)
    sources = root / "sources"
    if request.param == "tmpfs":
        if not mount_tmpfs(sources, "256k"):
            pytest.skip("cannot mount a tmpfs here (needs root on Linux); "
                        "the file-size-limit case covers a write cut short")
        yield root, None
        subprocess.run(["umount", str(sources)], check=False)
    else:
        yield root, 1_000_000  # the database stays far below it; the big page does not


def test_a_write_on_a_full_disk_leaves_no_temporary_file(site, full_disk):
    root, limit = full_disk
    url = site.url("/big")
    result = run_kurt_limited("content", "fetch", url, "--format", "json", cwd=root, file_size_limit=limit)
    assert result.exit_code == 1, result.output  # every selected document failed
    [reason] = result.json()["errors"]
    assert reason.startswith("cannot write sources/") and ("No space left" in reason or "too large" in reason)
    assert document(root, url)["status"] == "ERROR"
    assert temporary_files(root) == []


def test_the_next_fetch_sweeps_what_a_killed_writer_left(site, full_disk):
    root, limit = full_disk
    folder = root / "sources" / "127.0.0.1"
    folder.mkdir(parents=True, exist_ok=True)
    # A writer that died half-way: its temporary file is named after a PID that is gone.
    subprocess.run([sys.executable, "-c", "import os, sys; open(os.path.join(sys.argv[1], "
                    "f'.page.md.{os.getpid()}.tmp'), 'w').write('half a page')", str(folder)], check=True)
    assert len(temporary_files(root)) == 1
    run_kurt_limited("content", "fetch", site.url("/big"), cwd=root, file_size_limit=limit)
    assert temporary_files(root) == []


# -- a file and a folder of one name -------------------------------------------------------------


@pytest.mark.parametrize("first", ["/q.md/", "/q"])
def test_a_file_and_a_folder_of_one_name_are_both_stored(site, tmp_path, kurt, first):
    root = new_workspace(tmp_path, auto_index=False)
    second = "/q" if first == "/q.md/" else "/q.md/"
    for route in (first, second):  # two runs: the first one's file is on disk when the second maps
        result = kurt("content", "fetch", site.url(route), cwd=root)
        assert result.exit_code == 0, result.output
    rows = {route: document(root, site.url(route)) for route in (first, second)}
    assert all(row["status"] == "FETCHED" for row in rows.values())
    assert rows["/q"]["content_path"] != rows["/q.md/"]["content_path"]
    assert "without a trailing slash" in (root / rows["/q"]["content_path"]).read_text()
    assert "with a trailing slash" in (root / rows["/q.md/"]["content_path"]).read_text()
    assert temporary_files(root) == []
