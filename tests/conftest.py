"""Shared fixtures: real workspaces, a real database, and the installed ``kurt`` command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


FIXTURES = REPO / "tests" / "fixtures"  # corpora and fixture files kept in the repository
RAILWAY_CORPUS = FIXTURES / "corpora" / "railway-docs"  # MIT, Railway Corp. (LICENSE beside it)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def railway_corpus() -> Path:
    return RAILWAY_CORPUS


@pytest.fixture(scope="session")
def sitemap_fixtures() -> Path:
    return FIXTURES / "sitemaps"


@dataclass
class KurtResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def kurt_command() -> list[str]:
    exe = shutil.which("kurt")
    return [exe] if exe else [sys.executable, "-m", "kurt"]


def run_kurt(*args: str, cwd: Path, env: dict | None = None, input: str | None = None,
             timeout: float = 180) -> KurtResult:
    """Run the installed ``kurt`` command as a subprocess, like a user would."""
    full_env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}
    full_env.update({"NO_COLOR": "1", "COLUMNS": "200"})
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [*kurt_command(), *map(str, args)],
        cwd=cwd, env=full_env, input=input, capture_output=True, text=True, timeout=timeout,
    )
    return KurtResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def kurt():
    """``kurt(*args, cwd=...)`` runs the installed command and returns a KurtResult."""
    return run_kurt


@pytest.fixture
def pg_url():
    """The URL of a new, empty PostgreSQL database of its own, dropped after the test
    (skipped, with the reason, when no server can be reached: see tests/pg.py)."""
    from tests.pg import new_database

    with new_database() as url:
        yield url


def make_workspace(root: Path, store_kind: str = "sqlite"):
    """A fresh workspace made by the library's init, its store SQLite or PostgreSQL."""
    from kurt.workspace import Workspace, init_workspace

    if store_kind != "postgresql":
        return init_workspace(root).workspace, None
    from tests.pg import new_database, use_store

    database = new_database()
    url = database.__enter__()
    root.mkdir(parents=True, exist_ok=True)
    use_store(Workspace(root), url)
    return init_workspace(root).workspace, database


@pytest.fixture
def store_kind() -> str:
    """Which store the workspace fixture uses: KURT_TEST_STORE=postgresql for all tests;
    tests/store/ runs on both (its conftest parametrizes this)."""
    from tests.pg import everywhere

    return "postgresql" if everywhere() else "sqlite"


@pytest.fixture
def workspace(tmp_path: Path, store_kind: str):
    """A fresh workspace made by the library's init."""
    ws, database = make_workspace(tmp_path / "ws", store_kind)
    yield ws
    if database is not None:
        database.__exit__(None, None, None)


@pytest.fixture
def store(workspace):
    store = workspace.open_store()
    yield store
    store.close()


# -- a workspace holding the railway corpus, loaded directly (no HTTP) -------------

RAILWAY_BASE = "https://docs.railway.com"


def load_corpus(workspace, folder: Path, base_url: str = RAILWAY_BASE, *, index: bool = True,
                now: str | None = None) -> int:
    """Store every markdown file of ``folder`` as a FETCHED document, as fetch would.

    URL: base_url + path without extension (``docs/integrations/api.md`` ->
    ``https://docs.railway.com/docs/integrations/api``); the file is written
    under sources/<domain>/ with Kurt's frontmatter. Then the local index runs
    (when ``index`` and the indexer exist). ``now``: the fetch time to record (default: the
    clock). Returns the number of documents.
    """
    import hashlib
    import importlib.util
    from urllib.parse import urlsplit

    import yaml

    from kurt.store.db import utcnow
    from kurt.store.documents import Discovered, add_discovered, document_id, update_document

    store = workspace.open_store()
    domain = urlsplit(base_url).hostname
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".mdx"))
    add_discovered(store, [
        Discovered(url=f"{base_url}/{p.relative_to(folder).with_suffix('').as_posix()}",
                   domain=domain, via="sitemap") for p in files
    ])
    now = now or utcnow()
    for path in files:
        rel = path.relative_to(folder).with_suffix("")
        url = f"{base_url}/{rel.as_posix()}"
        text = path.read_text(encoding="utf-8")
        meta, body = {}, text
        if text.startswith("---\n"):
            end = text.find("\n---", 4)
            if end != -1:
                meta = yaml.safe_load(text[4:end]) or {}
                body = text[end + 4:].lstrip("\n")
        digest = hashlib.sha256(body.encode()).hexdigest()
        front = yaml.safe_dump({"url": url, "title": meta.get("title"), "fetched_at": now,
                                "content_hash": digest}, sort_keys=False)
        content_path = f"sources/{domain}/{rel.as_posix()}.md"
        target = workspace.root / content_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
        update_document(
            store, document_id(url), status="FETCHED", title=meta.get("title"),
            description=meta.get("description"), content_path=content_path,
            content_hash=digest, fetched_at=now, changed_at=now, fetch_outcome="new",
            word_count=len(body.split()), mime_type="text/markdown", http_status=200,
        )
    if index and importlib.util.find_spec("kurt.index.pipeline") is not None:
        from kurt.index.pipeline import index_documents

        index_documents(workspace, store)
    store.close()
    return len(files)


@pytest.fixture(scope="session")
def railway_workspace_template(tmp_path_factory, railway_corpus: Path):
    """The railway corpus loaded and indexed once per test session (do not modify it)."""
    from kurt.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("railway") / "ws").workspace
    load_corpus(ws, railway_corpus)
    return ws


@pytest.fixture
def railway_workspace(railway_workspace_template, tmp_path: Path):
    """A private copy of the loaded railway workspace, free to modify."""
    from kurt.workspace import Workspace

    target = tmp_path / "railway-ws"
    shutil.copytree(railway_workspace_template.root, target)
    return Workspace(target)
