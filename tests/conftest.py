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


def shared_dir() -> Path:
    """The read-only ../shared folder beside the repository (or $KURT_SHARED)."""
    return Path(os.environ.get("KURT_SHARED") or REPO.parent / "shared").resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if not path.is_dir():
        pytest.fail(f"the shared folder is missing at {path}: set KURT_SHARED")
    return path


@pytest.fixture(scope="session")
def railway_corpus(shared: Path) -> Path:
    return shared / "corpora" / "railway-docs"


@pytest.fixture(scope="session")
def sitemap_fixtures(shared: Path) -> Path:
    return shared / "fixtures" / "sitemaps"


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
def workspace(tmp_path: Path):
    """A fresh workspace made by the library's init."""
    from kurt.workspace import init_workspace

    return init_workspace(tmp_path / "ws").workspace


@pytest.fixture
def store(workspace):
    store = workspace.open_store()
    yield store
    store.close()
