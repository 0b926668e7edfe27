"""What ``kurt init`` lays out, and how a command finds its workspace."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kurt.config import DEFAULT_TOML, Config, get_secret, load_config
from kurt.errors import KurtError, StoreError, WorkspaceNotFound
from kurt.fileio import make_dirs, write_atomic
from kurt.suggest import command, in_quotes

CONFIG_NAME = "kurt.toml"
STATE_DIR = ".kurt"
DB_NAME = "kurt.db"


GITIGNORE_LINES = [".kurt/", ".env"]
ENV_EXAMPLE = """\
# Copy to .env and fill in what you use. .env stays out of git.
# Optional LLM for index enrichment and judging (any OpenAI-compatible API):
OPENAI_API_KEY=
# kurt research search (Perplexity, or the API named by [research] in kurt.toml):
PERPLEXITY_API_KEY=
# kurt analytics sync, for the providers set in kurt.toml [analytics.*]:
PLAUSIBLE_API_KEY=
POSTHOG_API_KEY=
# GA4: the path of a service-account key file (JSON) with read access to the property
GOOGLE_APPLICATION_CREDENTIALS=
"""


@dataclass
class Workspace:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def db_path(self) -> Path:
        return self.state_dir / DB_NAME

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def projects_dir(self) -> Path:
        return self.root / "projects"

    @property
    def kurt_dir(self) -> Path:
        return self.root / "kurt"

    @property
    def templates_dir(self) -> Path:
        return self.kurt_dir / "templates" / "formats"

    @property
    def profile_path(self) -> Path:
        return self.kurt_dir / "profile.md"

    @property
    def env_path(self) -> Path:
        return self.root / ".env"

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    def secret(self, name: str) -> str | None:
        return get_secret(name, self.env_path)

    @property
    def store_url(self) -> str | None:
        """The PostgreSQL URL of the store (KURT_DATABASE_URL, or [store] url in kurt.toml);
        None for the SQLite file in .kurt/ (see kurt.store.location)."""
        from kurt.store.location import store_url

        return store_url(self.config.store.url, where=f"{self.config_path} [store] url")

    def open_store(self, *, restoring: bool = False):
        """The workspace's database, migrated.

        A database that is missing, or new and empty, while ``sources/`` holds fetched
        files is an error that names ``kurt content rebuild``: starting an empty one would
        hide the loss. ``restoring`` (that command) opens it anyway.
        """
        from kurt.store import Store
        from kurt.store.rebuild import missing_database, new_database

        url = self.store_url
        if url:
            from kurt.store.postgres import PostgresStore

            store = PostgresStore.open(url)
            store.local_dir = self.state_dir
            return store
        problem = None if restoring else missing_database(self)
        if problem:
            raise StoreError(problem)
        store = Store.open(self.db_path)
        problem = None if restoring else new_database(self, store)
        if problem:
            store.close()
            raise StoreError(problem)
        return store

    def relative(self, path: Path) -> str:
        """A path inside the workspace as a POSIX string relative to its root; ValueError for
        one outside. A symbolic link in the workspace (a template linked from a shared
        folder, say) is named where it is, not where it leads."""
        root = self.root.resolve()
        try:
            return Path(path).resolve().relative_to(root).as_posix()
        except ValueError:
            here = Path(os.path.abspath(Path(path).parent.resolve() / Path(path).name))
            return here.relative_to(root).as_posix()


@dataclass
class InitResult:
    workspace: Workspace
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was kept and needs the user


def init_workspace(directory: Path) -> InitResult:
    """Lay out a workspace in ``directory``; running it again changes nothing and loses nothing."""
    root = Path(directory).resolve()
    if root.exists() and not root.is_dir():
        raise KurtError(f"{root} is a file: give 'kurt init' a folder")
    ws = Workspace(root)
    from kurt.store.rebuild import missing_database

    problem = missing_database(ws)  # before laying anything out: init must not hide a loss
    if problem:
        raise StoreError(problem)
    make_dirs(root)
    result = InitResult(ws)

    def note(path: Path, created: bool) -> None:
        (result.created if created else result.kept).append(ws.relative(path))

    for folder in (ws.state_dir, ws.sources_dir, ws.projects_dir, ws.templates_dir):
        existed = folder.is_dir()
        make_dirs(folder)
        note(folder, not existed)
    note(ws.config_path, _write_if_missing(ws.config_path, DEFAULT_TOML))
    note(root / ".env.example", _write_if_missing(root / ".env.example", ENV_EXAMPLE))
    note(root / ".gitignore", _ensure_lines(root / ".gitignore", GITIGNORE_LINES))

    existed = ws.db_path.exists()
    store = ws.open_store()
    store.close()
    if store.dialect == "sqlite":
        note(ws.db_path, not existed)

    from kurt.writing.templates import install_builtin_templates

    for path, created in install_builtin_templates(ws):
        note(path, created)

    from kurt.agents import update_agents

    for installed in update_agents(ws):
        note(installed.path, installed.written)
        if installed.note:  # an MCP file Kurt could not register itself in
            result.warnings.append(f"{ws.relative(installed.path)}: {installed.note}")
    return result


def _write_if_missing(path: Path, text: str) -> bool:
    if path.exists():
        return False
    write_atomic(path, text)
    return True


def _ensure_lines(path: Path, lines: list[str]) -> bool:
    """Append the lines a file lacks; True when anything was written."""
    existing = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    missing = [line for line in lines if line not in existing]
    if not missing:
        return False
    text = "\n".join(existing)
    if text and not text.endswith("\n"):
        text += "\n"
    text += "\n".join(missing) + "\n"
    write_atomic(path, text)
    return True


def find_workspace(start: Path | None = None, explicit: str | Path | None = None) -> Workspace:
    """The workspace at ``explicit`` (or $KURT_WORKSPACE), else the nearest one above ``start``."""
    explicit = explicit or os.environ.get("KURT_WORKSPACE") or None
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise WorkspaceNotFound(
                f"No Kurt workspace at {root}: run "
                f"{in_quotes(command('kurt init', explicit))} first"
            )
        return Workspace(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return Workspace(folder)
    raise WorkspaceNotFound("No Kurt workspace here: run 'kurt init' first")
