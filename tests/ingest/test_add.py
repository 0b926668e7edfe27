"""kurt.ingest.add: map and fetch in one idempotent step."""

from __future__ import annotations

import pytest

from kurt.errors import UsageError
from kurt.ingest.add import add_sources
from kurt.sample_site import load_markdown_site, serve
from kurt.workspace import Workspace, init_workspace


@pytest.fixture
def ws(tmp_path):
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text("[index]\nauto = false\n")
    return Workspace(ws.root)


@pytest.fixture(scope="module")
def site(railway_corpus):
    with serve(load_markdown_site(railway_corpus)) as served:
        yield served


def test_add_url_fetches_what_the_map_found(ws, site):
    store = ws.open_store()
    report = add_sources(ws, store, [site.url("/docs/integrations/oauth/")], index=False)
    found = report.mapped[0].report.found
    assert found >= 8
    assert report.fetch.new == found and report.fetch.failed == 0
    assert (ws.root / "sources/127.0.0.1/docs/integrations/oauth/quickstart.md").is_file()


def test_add_twice_fetches_nothing_and_counts_what_is_there(ws, site):
    store = ws.open_store()
    first = add_sources(ws, store, [site.url("/docs/integrations/oauth/")], index=False)
    again = add_sources(ws, store, [site.url("/docs/integrations/oauth/")], index=False)
    assert again.fetch.selected == 0
    assert again.already_fetched == first.fetch.new


def test_add_respects_limit(ws, site):
    store = ws.open_store()
    report = add_sources(ws, store, [site.url("/docs/integrations/api/")], limit=3, index=False)
    assert report.fetch.new == 3


def test_add_folder_keeps_structure(ws, tmp_path):
    folder = tmp_path / "docs"
    (folder / "x").mkdir(parents=True)
    (folder / "x" / "page.md").write_text("---\ntitle: X page\n---\n\nBody of x.\n")
    (folder / "y.txt").write_text("Why\n\nplain text body\n")
    store = ws.open_store()
    report = add_sources(ws, store, [str(folder)], index=False)
    assert report.fetch.new == 2
    assert (ws.root / "sources/local/docs/x/page.md").read_text().endswith("Body of x.\n")
    assert (ws.root / "sources/local/docs/y.md").is_file()


def test_add_missing_path_is_a_usage_error(ws):
    store = ws.open_store()
    with pytest.raises(UsageError):
        add_sources(ws, store, ["./no/such/folder"], index=False)


@pytest.mark.parametrize("source", ["dcos", "./dcos", "dcos/guides", "my docs", "my_docs",
                                    "~/no-such-kurt-folder", "notes.md"])
def test_a_mistyped_folder_is_no_such_folder_not_a_bad_url(ws, tmp_path, monkeypatch, source):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()  # the folder the user meant
    store = ws.open_store()
    with pytest.raises(UsageError, match="No such file or folder") as info:
        add_sources(ws, store, [source], index=False)
    assert "not a URL" not in str(info.value)
    assert store.query_one("SELECT COUNT(*) FROM documents")[0] == 0


def test_a_mistyped_folder_on_the_command_line_is_one_line(tmp_path, kurt):
    assert kurt("init", "ws", cwd=tmp_path).exit_code == 0
    result = kurt("content", "add", "dcos", cwd=tmp_path / "ws")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: No such file or folder: dcos (a website is given by its URL, "
        "e.g. https://docs.example.com)"]


def test_a_source_where_nothing_is_found_is_named(ws, site):
    store = ws.open_store()
    report = add_sources(ws, store, [site.url("/docs/integrations/oauth/"), "http://127.0.0.1:9/"],
                         index=False)
    assert [m.source for m in report.empty_sources] == ["http://127.0.0.1:9/"]
    assert report.fetch.new >= 8
