"""kurt.ingest.fetch against a real HTTP server on 127.0.0.1 (kurt.sample_site)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kurt.ingest.fetch import fetch_documents, fetch_filter, iter_selected
from kurt.ingest.files import stored_markdown
from kurt.sample_site import build_png, build_text_pdf, load_markdown_site, serve
from kurt.store.documents import Discovered, add_discovered, document_id, get_document
from kurt.store.filters import DocumentFilter
from kurt.workspace import Workspace, init_workspace

PAGES = ["/docs/cli/postgres", "/docs/integrations/api", "/docs/integrations/oauth",
         "/docs/access/accounts", "/guides/django", "/"]
BAD = ["latin1", "malformed", "js-shell", "pdf", "binary", "not-found", "gone", "redirect-loop",
       "huge", "flaky", "rate-limited", "stall"]


def make_workspace(root: Path, **ingest) -> Workspace:
    ws = init_workspace(root).workspace
    settings = {"timeout": 1.0, "retries": 1, "max_bytes": 2_000_000, **ingest}
    lines = ["[ingest]"] + [f"{k} = {v!r}".replace("'", '"') for k, v in settings.items()]
    lines += ["[index]", "auto = false"]
    ws.config_path.write_text("\n".join(lines) + "\n")
    return Workspace(ws.root)


def discover(store, urls, domain="127.0.0.1"):
    add_discovered(store, [Discovered(url=u, domain=domain) for u in urls])


def fetch_all(ws, store, **kw):
    return fetch_documents(ws, store, DocumentFilter(statuses=["NOT_FETCHED"]), **kw)


@pytest.fixture(scope="module")
def site(railway_corpus):
    site = load_markdown_site(railway_corpus, misbehaving=True, stall_seconds=5)
    with serve(site) as served:
        yield served


@pytest.fixture(scope="module")
def bad_run(site, tmp_path_factory):
    """One fetch over good pages, every misbehaving route and unreachable hosts."""
    ws = make_workspace(tmp_path_factory.mktemp("bad") / "ws")
    store = ws.open_store()
    urls = [site.url(p) for p in PAGES] + [site.url("/bad/" + r) for r in BAD]
    urls += ["http://no-such-host.invalid/page", "http://127.0.0.1:9/closed"]
    urls += [site.url("/private/secret")]  # disallowed by robots.txt
    discover(store, urls)
    add_discovered(store, [Discovered(url="ftp://example.com/file.txt", domain="example.com")])
    report = fetch_all(ws, store)
    yield ws, store, report
    store.close()


def doc(store, url):
    return get_document(store, url)


@pytest.mark.parametrize(
    ("route", "status", "reason"),
    [
        ("not-found", "ERROR", "HTTP 404"),
        ("gone", "ERROR", "HTTP 410"),
        ("redirect-loop", "ERROR", "redirect loop"),
        ("huge", "ERROR", "larger than"),
        ("stall", "ERROR", ""),
        ("binary", "SKIPPED", "not text: image/png"),
        ("js-shell", "SKIPPED", "javascript shell"),
        ("flaky", "FETCHED", None),
        ("rate-limited", "FETCHED", None),
        ("pdf", "FETCHED", None),
        ("latin1", "FETCHED", None),
        ("malformed", "FETCHED", None),
    ],
)
def test_misbehaving_routes_are_recorded_with_a_reason(bad_run, site, route, status, reason):
    _, store, _ = bad_run
    d = doc(store, site.url("/bad/" + route))
    assert d.status == status
    if reason is None:
        assert d.error is None
    else:
        assert d.error and reason in d.error


def test_stall_fails_with_a_timeout(bad_run, site):
    _, store, _ = bad_run
    error = doc(store, site.url("/bad/stall")).error
    assert "timeout" in error or "deadline" in error


def test_dns_failure_and_unreachable_host(bad_run):
    _, store, _ = bad_run
    assert "DNS" in doc(store, "http://no-such-host.invalid/page").error
    assert "refused" in doc(store, "http://127.0.0.1:9/closed").error


def test_unsupported_scheme_is_an_error(bad_run):
    _, store, _ = bad_run
    d = doc(store, "ftp://example.com/file.txt")
    assert d.status == "ERROR" and "scheme" in d.error


def test_report_groups_failures_by_reason(bad_run, site):
    _, _, report = bad_run
    assert report.failed == 8
    assert report.errors["HTTP 404 Not Found"] == [site.url("/bad/not-found")]
    assert report.skipped == 3
    assert report.new == len(PAGES) + 5


def test_robots_disallowed_url_is_skipped_naming_agent_and_rule(bad_run, site):
    _, store, report = bad_run
    d = doc(store, site.url("/private/secret"))
    assert d.status == "SKIPPED"
    assert "user agent KurtBot" in d.error and "Disallow: /private/" in d.error
    assert report.robots_blocked == [site.url("/private/secret")]
    assert site.site.requests.count(path="/private/secret") == 0


def test_timed_out_urls_are_listed_in_the_report(bad_run, site):
    _, _, report = bad_run
    assert report.timed_out == [site.url("/bad/stall")]
    assert report.to_dict()["timed_out"] == [site.url("/bad/stall")]


def test_robots_skipped_url_is_fetched_with_status_skipped_once_robots_are_ignored(site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [site.url("/private/secret")])
    assert fetch_all(ws, store).skipped == 1
    assert fetch_documents(ws, store, DocumentFilter(statuses=["ERROR"])).selected == 0
    ws.config_path.write_text(ws.config_path.read_text().replace("[ingest]\n",
                                                                 "[ingest]\nrespect_robots = false\n"))
    ws = Workspace(ws.root)
    report = fetch_documents(ws, store, DocumentFilter(statuses=["SKIPPED"]))
    assert report.new == 1 and doc(store, site.url("/private/secret")).status == "FETCHED"


def test_latin1_page_is_stored_as_utf8(bad_run, site):
    ws, store, _ = bad_run
    d = doc(store, site.url("/bad/latin1"))
    assert "crème brûlée" in (ws.root / d.content_path).read_text(encoding="utf-8")


def test_pdf_text_is_stored(bad_run, site):
    ws, store, _ = bad_run
    d = doc(store, site.url("/bad/pdf"))
    assert d.mime_type == "application/pdf"
    assert "turns them into clean markdown" in (ws.root / d.content_path).read_text()


def test_fetched_page_has_file_frontmatter_and_metadata(bad_run, site):
    ws, store, _ = bad_run
    d = doc(store, site.url("/docs/cli/postgres"))
    assert d.content_path == "sources/127.0.0.1/docs/cli/postgres.md"
    text = (ws.root / d.content_path).read_text()
    assert text.startswith(f"---\nurl: {site.url('/docs/cli/postgres')}\ntitle: railway postgres\n")
    assert f"content_hash: {d.content_hash}" in text
    assert "```bash\nrailway postgres [OPTIONS] <COMMAND>\n```" in text
    assert (d.title, d.language, d.http_status, d.fetch_outcome) == ("railway postgres", "en", 200, "new")
    assert d.etag and d.last_modified and d.fetched_at and d.changed_at and d.word_count > 500


def test_root_url_is_stored_as_index(bad_run, site):
    _, store, _ = bad_run
    assert doc(store, site.url("/")).content_path == "sources/127.0.0.1/index.md"


def test_every_fetched_document_has_its_file(bad_run):
    ws, store, _ = bad_run
    rows = store.query("SELECT content_path FROM documents WHERE status = 'FETCHED'")
    assert rows and all((ws.root / r["content_path"]).is_file() for r in rows)


def test_rerun_fetches_nothing_new(bad_run):
    ws, store, _ = bad_run
    report = fetch_all(ws, store)
    assert report.selected == 0


@pytest.fixture
def small_site(railway_corpus, tmp_path):
    folder = tmp_path / "docs"
    for name in ("postgresql.md", "redis.md", "mysql.md"):
        src = next(railway_corpus.rglob(name))
        (folder / "databases").mkdir(parents=True, exist_ok=True)
        (folder / "databases" / name).write_text(src.read_text())
    site = load_markdown_site(folder)
    with serve(site) as served:
        yield served


@pytest.fixture
def fetched(small_site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [small_site.url(p) for p in small_site.site.page_paths()])
    first = fetch_all(ws, store)
    assert first.new == 3
    yield ws, store
    store.close()


def test_refetch_unchanged_uses_conditional_get(fetched, small_site):
    ws, store = fetched
    small_site.site.requests.clear()
    report = fetch_documents(ws, store, DocumentFilter(statuses=["NOT_FETCHED"]), refetch=True)
    assert (report.unchanged, report.changed, report.new) == (3, 0, 0)
    pages = [r for r in small_site.site.requests.all() if r.path.startswith("/databases/")]
    assert pages and all(r.status == 304 and r.if_none_match for r in pages)


def test_refetch_detects_a_changed_page(fetched, small_site):
    ws, store = fetched
    before = doc(store, small_site.url("/databases/redis"))
    small_site.site.set_page("/databases/redis", "# Redis\n\nRedis is now documented differently.\n")
    report = fetch_documents(ws, store, DocumentFilter(statuses=["NOT_FETCHED"]), refetch=True)
    after = doc(store, small_site.url("/databases/redis"))
    assert (report.changed, report.unchanged) == (1, 2)
    assert after.content_hash != before.content_hash and after.fetch_outcome == "changed"
    assert "documented differently" in (ws.root / after.content_path).read_text()


def test_refetch_restores_a_copy_edited_by_hand(fetched, small_site):
    ws, store = fetched
    redis = doc(store, small_site.url("/databases/redis"))
    path = ws.root / redis.content_path
    published = stored_markdown(path.read_text())
    path.write_text(path.read_text().replace("Redis", "Rediz"))  # same size, right after the fetch
    small_site.site.requests.clear()
    report = fetch_documents(ws, store, DocumentFilter(statuses=["NOT_FETCHED"]), refetch=True)
    assert stored_markdown(path.read_text()) == published
    assert report.unchanged == 2 and redis.id not in {d.id for d in report.documents if d.outcome == "unchanged"}
    redis_requests = [r for r in small_site.site.requests.all() if r.path == "/databases/redis"]
    assert redis_requests and not any(r.if_none_match for r in redis_requests)


def test_refetch_records_the_signature_of_a_copy_it_verified(fetched, small_site):
    ws, store = fetched
    redis = doc(store, small_site.url("/databases/redis"))
    path = ws.root / redis.content_path
    assert redis.file_signature is None  # just written: racily clean, hashed at its next check
    past = time.time_ns() - 10 * 1_000_000_000  # as if the fetch were ten seconds ago
    os.utime(path, ns=(past, past))
    fetch_documents(ws, store, DocumentFilter(statuses=["NOT_FETCHED"]), refetch=True)
    redis = doc(store, small_site.url("/databases/redis"))
    assert redis.file_signature == f"{path.stat().st_size}:{past}"
    path.write_text(path.read_text().replace("Redis", "Rediz"))  # same size, a new modified time
    report = fetch_documents(ws, store, DocumentFilter(ids=[redis.id]), refetch=True)
    assert report.restored == 1 and report.new == 0 and "Rediz" not in path.read_text()


def test_refetch_marks_a_removed_page_gone_and_keeps_its_file(fetched, small_site):
    ws, store = fetched
    small_site.site.remove_page("/databases/mysql")
    report = fetch_documents(ws, store, DocumentFilter(statuses=["NOT_FETCHED"]), refetch=True)
    d = doc(store, small_site.url("/databases/mysql"))
    assert report.gone == 1
    assert d.status == "GONE" and "HTTP 404" in d.error and "last copy is kept" in d.error
    assert (ws.root / d.content_path).is_file()


def test_case_only_collision_gets_the_document_id(fetched, small_site):
    ws, store = fetched
    small_site.site.set_page("/guides/Setup", "# Setup upper\n\nUpper case page text.\n")
    small_site.site.set_page("/guides/setup", "# Setup lower\n\nLower case page text.\n")
    discover(store, [small_site.url("/guides/Setup"), small_site.url("/guides/setup")])
    fetch_all(ws, store)
    paths = {doc(store, small_site.url(p)).content_path for p in ("/guides/Setup", "/guides/setup")}
    assert len({p.lower() for p in paths}) == 2


def test_dry_run_fetches_nothing(small_site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [small_site.url(p) for p in small_site.site.page_paths()])
    small_site.site.requests.clear()
    report = fetch_all(ws, store, dry_run=True)
    assert report.selected == 3 and report.dry_run
    assert len(small_site.site.requests) == 0
    assert all(d.status == "NOT_FETCHED" for d in iter_selected(store, DocumentFilter()))


def test_limit_fetches_that_many(small_site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [small_site.url(p) for p in small_site.site.page_paths()])
    assert fetch_all(ws, store, limit=2).new == 2
    assert fetch_all(ws, store).new == 1


def test_unknown_url_is_added_and_fetched(small_site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    flt = fetch_filter(ws, store, DocumentFilter(statuses=["NOT_FETCHED"]),
                       targets=[small_site.url("/databases/redis")])
    report = fetch_documents(ws, store, flt)
    d = doc(store, small_site.url("/databases/redis"))
    assert report.new == 1 and d.status == "FETCHED" and d.discovered_via == "manual"


def test_local_folder_files_keep_structure_and_frontmatter(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    folder = tmp_path / "handbook"
    files = {
        "guides/setup.md": "---\ntitle: Setup guide\nauthor: Ada\n---\n\n# Setup\n\nInstall it.\n",
        "reference/setup.mdx": "import X from './x';\n\n# Setup reference\n\nFlags and options.\n",
        "notes.txt": "Plain notes\n\nSome text here.\n",
        "page.html": "<html><body><main><h1>Page</h1><p>An HTML page with words.</p></main></body></html>",
        "manual.pdf": build_text_pdf(["A PDF manual with real text."]),
        "logo.png": build_png(),
    }
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    add_discovered(store, [
        Discovered(url=(folder / rel).as_uri(), domain="local", source_kind="file", via="folder",
                   source_path=str(folder / rel), source_root=str(folder)) for rel in files])
    report = fetch_all(ws, store)
    assert (report.new, report.skipped) == (5, 1)
    setup = doc(store, (folder / "guides/setup.md").as_uri())
    assert setup.content_path == "sources/local/handbook/guides/setup.md"
    assert (setup.title, setup.author) == ("Setup guide", "Ada")
    assert "# Setup\n\nInstall it.\n" in (ws.root / setup.content_path).read_text()
    ref = doc(store, (folder / "reference/setup.mdx").as_uri())
    assert ref.content_path == "sources/local/handbook/reference/setup.md"
    assert "import X" not in (ws.root / ref.content_path).read_text()
    logo = doc(store, (folder / "logo.png").as_uri())
    assert logo.status == "SKIPPED" and "not text" in logo.error


def test_deleted_local_file_becomes_gone(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    path = tmp_path / "docs" / "a.md"
    path.parent.mkdir()
    path.write_text("# A\n\ntext\n")
    add_discovered(store, [Discovered(url=path.as_uri(), domain="local", source_kind="file",
                                      source_path=str(path), source_root=str(path.parent))])
    fetch_all(ws, store)
    path.unlink()
    report = fetch_documents(ws, store, DocumentFilter(), refetch=True)
    assert report.gone == 1
    assert doc(store, path.as_uri()).status == "GONE"


def test_many_documents_use_the_process_pool_and_batches(site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    pages = site.site.page_paths()[:40]
    discover(store, [site.url(p) for p in pages])
    seen = []
    report = fetch_all(ws, store, progress=lambda done, total, failed: seen.append((done, total)))
    assert report.new == 40
    assert seen[-1] == (40, 40)
    assert document_id(site.url(pages[0])) in {d.id for d in report.documents}


def test_a_file_that_cannot_be_written_fails_that_document_only(small_site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    (ws.sources_dir / "127.0.0.1").mkdir(parents=True)
    (ws.sources_dir / "127.0.0.1" / "databases").write_text("a file where a folder must go")
    discover(store, [small_site.url(p) for p in small_site.site.page_paths()] + [small_site.url("/")])
    report = fetch_all(ws, store)
    failed = doc(store, small_site.url("/databases/redis"))
    assert report.failed == 3 and report.new == 1
    assert failed.status == "ERROR" and "cannot write sources/127.0.0.1/databases/redis.md" in failed.error


def test_dry_run_target_not_known_yet_is_listed_but_not_added(small_site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    new_urls: list[str] = []
    url = small_site.url("/databases/redis")
    flt = fetch_filter(ws, store, DocumentFilter(statuses=["NOT_FETCHED"]), targets=[url],
                       new_urls=new_urls)
    report = fetch_documents(ws, store, flt, dry_run=True, new_urls=new_urls)
    assert new_urls == [url] and report.selected == 1
    assert report.documents[0].url == url and "not known yet" in report.documents[0].reason
    assert store.query_one("SELECT COUNT(*) FROM documents")[0] == 0


def _local_files(store, folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(f"# {name}\n\nWords about PostgreSQL in {name}.\n")
    add_discovered(store, [
        Discovered(url=(folder / n).as_uri(), domain="local", source_kind="file", via="folder",
                   source_path=str(folder / n), source_root=str(folder)) for n in names])


def test_a_fifo_in_place_of_a_source_file_fails_without_blocking(tmp_path):
    import os

    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    folder = tmp_path / "docs"
    _local_files(store, folder, ["page.md"])
    (folder / "page.md").unlink()
    os.mkfifo(folder / "page.md")  # replaced by hand between map and fetch
    report = fetch_all(ws, store)
    assert report.failed == 1
    assert doc(store, (folder / "page.md").as_uri()).error.startswith("not a regular file")


def test_fetch_also_indexes_documents_an_interrupted_run_left_unindexed(tmp_path):
    ws = init_workspace(tmp_path / "ws").workspace
    store = ws.open_store()
    folder = tmp_path / "docs"
    _local_files(store, folder, ["a.md", "b.md"])
    fetch_all(ws, store, index=False)  # as if killed between fetching and indexing
    _local_files(store, folder, ["c.md"])
    report = fetch_all(ws, store)
    assert report.new == 1 and report.indexed == 3
    stale = store.query("SELECT id FROM documents WHERE indexed_hash IS NOT content_hash")
    assert stale == []


# -- a document deleted mid-fetch, a bad 200 on refetch, another run's claims -----------


class HookedTransport:
    """The real HTTP transport, running ``hooks[path]()`` once that path has been answered:
    another command acting on the workspace while this fetch is in flight."""

    def __init__(self, hooks: dict):
        import httpx

        self.inner = httpx.AsyncHTTPTransport()
        self.hooks = dict(hooks)

    async def handle_async_request(self, request):
        response = await self.inner.handle_async_request(request)
        hook = self.hooks.pop(request.url.path, None)
        if hook is not None:
            hook()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _files(ws) -> set[str]:
    return {p.relative_to(ws.root).as_posix() for p in ws.sources_dir.rglob("*") if p.is_file()}


def _rows_paths(store) -> set[str]:
    return {r[0] for r in store.query("SELECT content_path FROM documents WHERE content_path IS NOT NULL")}


@pytest.mark.parametrize("first_fetch", [False, True], ids=["new", "changed"])
def test_a_document_deleted_while_fetched_leaves_no_file_and_is_reported_deleted(
        small_site, tmp_path, first_fetch):
    from kurt.store.delete import delete_documents

    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    urls = [small_site.url(p) for p in small_site.site.page_paths()]
    discover(store, urls)
    victim = small_site.url("/databases/redis")
    if first_fetch:
        fetch_all(ws, store)
        small_site.site.set_page("/databases/redis", "# Redis\n\nRedis, documented anew.\n")
    other = ws.open_store().__class__(ws.db_path)  # another command's connection

    def delete_victim():
        delete_documents(other, ws.root, DocumentFilter(ids=[document_id(victim)]))

    report = fetch_documents(ws, store, DocumentFilter(), refetch=True,
                             transport=HookedTransport({"/databases/redis": delete_victim}))
    assert report.deleted == 1 and report.deleted_urls == [victim]
    assert victim not in {d.url for d in report.documents if d.outcome != "deleted"}
    assert report.new + report.unchanged == 2 and report.fetched == 2
    assert _files(ws) == _rows_paths(store) and len(_files(ws)) == 2  # no orphan file
    other.close()


def test_a_file_another_document_took_over_is_kept(small_site, tmp_path):
    from kurt.store.delete import delete_documents

    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [small_site.url("/databases/redis")])
    path = "sources/127.0.0.1/databases/redis.md"
    other = store.__class__(ws.db_path)

    def delete_and_hand_over():  # e.g. a rebuild gave the path to another document meanwhile
        delete_documents(other, ws.root, DocumentFilter(ids=[document_id(small_site.url("/databases/redis"))]))
        discover(other, ["https://elsewhere.example.com/redis"], domain="elsewhere.example.com")
        with other.transaction() as conn:
            conn.execute("UPDATE documents SET content_path = ? WHERE id = ?",
                         (path, document_id("https://elsewhere.example.com/redis")))

    report = fetch_all(ws, store, transport=HookedTransport({"/databases/redis": delete_and_hand_over}))
    assert report.deleted == 1
    assert (ws.root / path).is_file()
    other.close()


@pytest.mark.parametrize("bad", ["empty", "binary"])
def test_a_bad_200_on_refetch_keeps_a_fetched_page_listed_with_the_error(fetched, small_site, bad):
    from kurt.sample_site import Response

    ws, store = fetched
    before = doc(store, small_site.url("/databases/redis"))
    text = (ws.root / before.content_path).read_text()
    site = small_site.site
    respond = site.respond
    body = Response(200, b"") if bad == "empty" else Response(200, build_png(), "image/png")
    site.respond = lambda method, target, *a, **k: (
        body if target.startswith("/databases/redis") else respond(method, target, *a, **k))
    try:
        report = fetch_documents(ws, store, DocumentFilter(), refetch=True)
    finally:
        site.respond = respond
    after = doc(store, small_site.url("/databases/redis"))
    assert (report.failed, report.skipped, report.unchanged) == (1, 0, 2)
    assert after.status == "FETCHED" and after.fetch_outcome == "failed"
    assert "the last good copy is kept" in after.error
    assert ("not text" if bad == "binary" else "no main content") in after.error
    assert after.content_hash == before.content_hash and after.etag == before.etag
    assert (ws.root / after.content_path).read_text() == text


def test_a_bad_200_for_a_page_never_fetched_is_still_skipped(small_site, tmp_path):
    from kurt.sample_site import Response

    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [small_site.url("/databases/redis")])
    site = small_site.site
    respond = site.respond
    site.respond = lambda method, target, *a, **k: (
        Response(200, b"") if target.startswith("/databases/redis") else respond(method, target, *a, **k))
    try:
        report = fetch_all(ws, store)
    finally:
        site.respond = respond
    assert report.skipped == 1 and doc(store, small_site.url("/databases/redis")).status == "SKIPPED"


def test_documents_another_live_run_holds_are_left_to_it(small_site, tmp_path):
    from kurt.store import leases

    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    urls = [small_site.url(p) for p in small_site.site.page_paths()]
    discover(store, urls)
    other_run = leases.new_owner()  # this very process: alive
    held = document_id(small_site.url("/databases/mysql"))
    leases.claim(store, [held], other_run, since=leases.stamp())
    small_site.site.requests.clear()
    report = fetch_all(ws, store)
    assert (report.new, report.other_run) == (2, 1)
    assert report.other_runs == {f"being fetched by another fetch run (pid {os.getpid()})":
                                 [small_site.url("/databases/mysql")]}
    assert small_site.site.requests.count(path="/databases/mysql") == 0
    assert doc(store, small_site.url("/databases/mysql")).status == "NOT_FETCHED"
    leases.release(store, other_run)
    assert fetch_all(ws, store).new == 1


def test_a_document_another_run_fetched_meanwhile_is_not_fetched_again(site, tmp_path):
    from kurt.store import leases

    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    pages = site.site.page_paths()[:12]
    discover(store, [site.url(p) for p in pages])
    ordered = sorted(pages, key=lambda p: document_id(site.url(p)))
    first, last = ordered[0], ordered[-1]
    other = store.__class__(ws.db_path)
    other_run = leases.new_owner()

    def other_run_fetches_the_last():  # while this run is on its first page
        doc_id = document_id(site.url(last))
        assert leases.claim(other, [doc_id], other_run, since=leases.stamp()).claimed == [doc_id]
        with other.transaction() as conn:
            conn.execute("UPDATE documents SET status = 'FETCHED' WHERE id = ?", (doc_id,))
            leases.finish(other, other_run, [doc_id])

    site.site.requests.clear()
    report = fetch_all(ws, store, concurrency=1, transport=HookedTransport({first: other_run_fetches_the_last}))
    assert (report.new, report.other_run) == (11, 1)
    assert list(report.other_runs) == [f"fetched by another fetch run (pid {os.getpid()}) since this run started"]
    assert site.site.requests.count(path=last) == 0
    other.close()


class WatchingTransport(HookedTransport):
    """The real HTTP transport, calling ``watch(path)`` as each request goes out."""

    def __init__(self, watch):
        super().__init__({})
        self.watch = watch

    async def handle_async_request(self, request):
        self.watch(request.url.path)
        return await super().handle_async_request(request)


def test_a_run_claims_documents_just_ahead_of_its_requests(site, tmp_path):
    """Runs sharing a selection finish together: a run holds at most about two rounds of
    requests it has not sent (the ones its workers hold, plus what it claimed ahead)."""
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    pages = [p for p in site.site.page_paths() if not p.startswith("/bad/")][:40]
    discover(store, [site.url(p) for p in pages])
    watcher = store.__class__(ws.db_path)
    sent, ahead = [], []

    def watch(path):
        if path in pages:
            sent.append(path)
            claimed = watcher.query_one(
                "SELECT COUNT(*) FROM documents WHERE lease_owner IS NOT NULL")[0]
            ahead.append(claimed - len(sent))

    report = fetch_all(ws, store, concurrency=4, transport=WatchingTransport(watch))
    assert report.new == len(pages) == len(sent)
    assert 0 < max(ahead) <= 2 * 4, ahead
    watcher.close()


def test_claims_are_released_when_the_run_ends(small_site, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [small_site.url(p) for p in small_site.site.page_paths()])
    fetch_all(ws, store)
    rows = store.query("SELECT lease_owner, lease_until, lease_done_at FROM documents")
    assert all(r["lease_until"] is None and r["lease_done_at"] for r in rows)
    assert len({r["lease_owner"] for r in rows}) == 1


# -- indexing in the extraction workers ----------------------------------------------


def _indexing_workspace(root: Path) -> Workspace:
    ws = make_workspace(root)
    ws.config_path.write_text(ws.config_path.read_text().replace("auto = false", "auto = true"))
    return Workspace(ws.root)


def _index_rows(store) -> dict:
    """Everything the local index stored, without times or row ids."""
    return {
        "documents": store.query(
            "SELECT id, content_type, has_code, has_steps, has_troubleshooting, has_prerequisites,"
            " indexed_hash = content_hash, indexed_file_hash = content_hash FROM documents"
            " WHERE status = 'FETCHED' ORDER BY id"),
        "sections": store.query(
            "SELECT document_id, position, heading, heading_path, level, line_start, line_end, body,"
            " search_body FROM sections ORDER BY document_id, position"),
        "entities": store.query(
            "SELECT de.document_id, e.type, e.key, e.name, de.mentions, de.origin FROM document_entities de"
            " JOIN entities e ON e.id = de.entity_id ORDER BY de.document_id, e.type, e.key"),
        "entity_sections": store.query(
            "SELECT e.type, e.key, s.document_id, s.position, es.mentions FROM entity_sections es"
            " JOIN entities e ON e.id = es.entity_id JOIN sections s ON s.id = es.section_id"
            " ORDER BY e.type, e.key, s.document_id, s.position"),
        "aliases": store.query(
            "SELECT e.type, e.key, a.alias_key FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
            " ORDER BY 1, 2, 3"),
        "links": store.query("SELECT document_id, target_url, target_id, anchor FROM links ORDER BY 1, 2"),
        "search": store.query(
            "SELECT s.document_id, s.position FROM sections_fts JOIN sections s ON s.id = sections_fts.rowid"
            " WHERE sections_fts MATCH 'postgres OR deploy OR django' ORDER BY 1, 2"),
        "titles": store.query("SELECT title, url FROM document_titles_fts ORDER BY url"),
    }


@pytest.mark.parametrize("pages", [PAGES, PAGES[:2]], ids=["worker-pool", "inline"])
def test_fetch_indexes_each_page_as_an_index_run_would(site, tmp_path, pages):
    from kurt.index.pipeline import index_documents

    ws = _indexing_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [site.url(p) for p in pages])
    report = fetch_all(ws, store)
    assert report.fetched == report.indexed == len(pages)
    fetched = {k: [tuple(r) for r in rows] for k, rows in _index_rows(store).items()}
    assert fetched["sections"] and fetched["entities"] and fetched["search"] and fetched["links"]
    assert all(row[-2:] == (1, 1) for row in fetched["documents"])  # indexed for its content

    again = index_documents(ws, store, force=True)
    assert again.indexed == len(pages)
    assert {k: [tuple(r) for r in rows] for k, rows in _index_rows(store).items()} == fetched


def test_a_page_fetch_indexed_then_edited_by_hand_is_reindexed_as_it_is(small_site, tmp_path):
    from kurt.index.pipeline import index_documents
    from kurt.search import search

    ws = _indexing_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [small_site.url(p) for p in small_site.site.page_paths()])
    assert fetch_all(ws, store).indexed == 3
    redis = doc(store, small_site.url("/databases/redis"))
    with open(ws.root / redis.content_path, "a", encoding="utf-8") as handle:
        handle.write("\n## Notes\n\nA handwritten zeppelinesque paragraph.\n")
    report = index_documents(ws, store)
    assert report.edited == [redis.id] and report.indexed == 1
    assert [hit.document_id for hit in search(store, "zeppelinesque")] == [redis.id]


def test_a_document_deleted_while_fetched_and_indexed_leaves_no_index_rows(small_site, tmp_path):
    from kurt.store.delete import delete_documents

    ws = _indexing_workspace(tmp_path / "ws")
    store = ws.open_store()
    discover(store, [small_site.url(p) for p in small_site.site.page_paths()])
    victim = document_id(small_site.url("/databases/redis"))
    other = store.__class__(ws.db_path)  # another command's connection

    def delete_victim():
        delete_documents(other, ws.root, DocumentFilter(ids=[victim]))

    report = fetch_all(ws, store, transport=HookedTransport({"/databases/redis": delete_victim}))
    assert report.deleted == 1 and report.indexed == 2
    for table in ("sections", "document_entities", "links"):
        assert store.query_one(f"SELECT COUNT(*) FROM {table} WHERE document_id = ?", (victim,))[0] == 0
    assert store.query_one("SELECT COUNT(*) FROM documents WHERE status = 'FETCHED'"
                           " AND indexed_hash = content_hash")[0] == 2
    other.close()
