"""Several ``kurt content fetch`` processes, in several workspaces (as on several machines),
pointed at one PostgreSQL store share the work: every page is fetched once."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import kurt_command

from kurt.sample_site import load_markdown_site, serve
from kurt.store.documents import Discovered, add_discovered
from kurt.workspace import Workspace, init_workspace
from tests.pg import use_store


@pytest.fixture(scope="module")
def site(railway_corpus):
    site = load_markdown_site(railway_corpus)
    with serve(site) as served:
        yield served


def worker(root: Path, url: str) -> Workspace:
    root.mkdir(parents=True)
    Workspace(root).config_path.write_text("[index]\nauto = false\n", encoding="utf-8")
    use_store(Workspace(root), url)
    return init_workspace(root).workspace


def test_fetch_workers_on_one_store_fetch_each_page_once(site, pg_url, tmp_path):
    workers = [worker(tmp_path / f"w{i}", pg_url) for i in range(3)]
    pages = [p for p in site.site.source.paths() if not p.startswith("/bad/")][:120]
    store = workers[0].open_store()
    add_discovered(store, [Discovered(url=site.url(p), domain="127.0.0.1") for p in pages])
    store.close()
    procs = [subprocess.Popen([*kurt_command(), "content", "fetch", "--format", "json"],
                              cwd=w.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in workers]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    gets = Counter(r.path for r in site.site.requests.filter(method="GET") if r.path in pages)
    assert set(gets) == set(pages)
    assert max(gets.values()) == 1, [p for p, n in gets.items() if n > 1]
    store = workers[0].open_store()
    assert store.query_one("SELECT COUNT(*) FROM documents WHERE status = 'FETCHED'")[0] == len(pages)
    assert store.query_one("SELECT COUNT(*) FROM document_content")[0] == len(pages)
    owners = {r[0] for r in store.query("SELECT DISTINCT lease_owner FROM documents")}
    assert len(owners) >= 2  # the work was shared
    store.close()
