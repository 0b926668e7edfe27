"""``kurt demo``: Kurt's main job on the bundled sample docs site, with no network.

Creates (or reuses) a workspace, serves ``kurt/resources/sample-docs`` on
127.0.0.1, maps it from its sitemap, fetches and extracts every page, indexes
them, lists them and runs a search. Running it twice changes nothing: the site
is served on the same port as the first run, so its URLs stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import KurtError

DEFAULT_DIR = "kurt-demo"
DEFAULT_PORT = 8631
PORT_KEY = "demo.port"
QUERY = "integration"


@dataclass
class DemoReport:
    workspace: str
    sources_dir: str
    db_path: str
    site_url: str
    add: object  # kurt.ingest.add.AddReport
    documents: list[dict] = field(default_factory=list)  # id, url, title, content_path
    total_documents: int = 0
    query: str = QUERY
    hits: list[dict] = field(default_factory=list)  # url, heading_path, snippet, content_path
    next_commands: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "add"}
        data["add"] = self.add.to_dict()
        data["add"]["fetch"].pop("documents", None)
        return data


def sample_docs() -> Path:
    return Path(__file__).parent / "resources" / "sample-docs"


def run_demo(directory: Path | str = DEFAULT_DIR, *, progress=None, list_limit: int = 10) -> DemoReport:
    """Build the demo workspace in ``directory`` and return what was done."""
    from kurt.ingest.add import add_sources
    from kurt.sample_site import load_markdown_site
    from kurt.store.filters import DocumentFilter, count_documents, select_documents
    from kurt.workspace import CONFIG_NAME, init_workspace

    root = Path(directory).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise KurtError(f"{root} is a file: give 'kurt demo' a folder")
    if root.is_dir() and any(root.iterdir()) and not (root / CONFIG_NAME).is_file():
        raise KurtError(f"{root} is not empty and is not a Kurt workspace: "
                        "give 'kurt demo' a new folder, e.g. 'kurt demo kurt-demo'")
    ws = init_workspace(root).workspace
    store = ws.open_store()
    try:
        site = load_markdown_site(sample_docs(), name="Sample Docs")
        with _serve(store, site) as served:
            added = add_sources(ws, store, [served.base_url + "/sitemap.xml"], progress=progress)
        report = DemoReport(
            workspace=str(root), sources_dir=str(ws.sources_dir), db_path=str(ws.db_path),
            site_url=served.base_url, add=added,
        )
        flt = DocumentFilter(statuses=["FETCHED"], url_prefix=served.base_url + "/")
        report.total_documents = count_documents(store, flt)
        report.documents = [
            {"id": d.id, "url": d.url, "title": d.title, "content_path": d.content_path}
            for d in select_documents(store, flt, limit=list_limit)
        ]
        report.hits = _search(store, QUERY)
        report.next_commands = [
            f"cd {root}",
            "kurt content list",
            f'kurt content search "{QUERY}"',
            'kurt content list --with-entity "Topic:integration"',
            "kurt content get <id> --content",
            "kurt content add https://docs.example.com   # your own docs",
        ]
        return report
    finally:
        store.close()


def _serve(store, site):
    """Serve on the port of the first demo run (stable URLs), or on a free one."""
    from kurt.sample_site import serve

    row = store.query_one("SELECT value FROM meta WHERE key = ?", (PORT_KEY,))
    port = int(row["value"]) if row and str(row["value"]).isdigit() else DEFAULT_PORT
    try:
        served = serve(site, port=port)
    except OSError:
        served = serve(site, port=0)
    new_port = served.base_url.rsplit(":", 1)[-1]
    with store.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (PORT_KEY,))
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (PORT_KEY, new_port))
    return served


def _search(store, query: str) -> list[dict]:
    import importlib.util

    if importlib.util.find_spec("kurt.search") is None:
        return []
    from kurt.search import search

    try:
        hits = search(store, query, limit=5)
    except KurtError:
        return []
    return [{"url": h.url, "title": h.title, "heading_path": h.heading_path, "snippet": h.snippet,
             "content_path": h.content_path, "lines": h.lines} for h in hits]
