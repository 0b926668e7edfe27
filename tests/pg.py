"""A real PostgreSQL server for the tests: each test gets its own database and drops it.

The server is the one on 127.0.0.1:5432 (trust auth, user ``postgres`` or ``root``), or
the one ``KURT_TEST_PG_ADMIN`` names (a URL to a database the user may create databases
from). ``.ci/run`` starts one when nothing answers. When no server can be reached, the
tests that need one are skipped with the reason; with ``KURT_TEST_PG=required`` (set by
``.ci/run``) or ``KURT_TEST_STORE=postgresql`` they fail instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import pytest

CANDIDATES = ("postgresql://postgres@127.0.0.1:5432/postgres",
              "postgresql://root@127.0.0.1:5432/postgres")


@lru_cache(maxsize=1)
def admin_url() -> tuple[str | None, str]:
    """(URL of a database to create test databases from, or None; why not)."""
    import psycopg

    wanted = os.environ.get("KURT_TEST_PG_ADMIN")
    reasons = []
    for url in ([wanted] if wanted else CANDIDATES):
        try:
            with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
                conn.execute("SELECT 1")
            return url, ""
        except psycopg.Error as exc:
            reasons.append(f"{url}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}")
    return None, "no PostgreSQL server reachable (" + "; ".join(reasons) + ")"


def everywhere() -> bool:
    """KURT_TEST_STORE=postgresql: every test's workspace uses a PostgreSQL store."""
    return os.environ.get("KURT_TEST_STORE", "").lower() in ("postgresql", "postgres", "pg")


def required() -> bool:
    """A test that needs PostgreSQL fails when no server answers (CI: KURT_TEST_PG=required)."""
    return everywhere() or os.environ.get("KURT_TEST_PG", "").lower() == "required"


@contextmanager
def new_database() -> Iterator[str]:
    """The URL of a new empty database, dropped afterwards."""
    import psycopg

    admin, why = admin_url()
    if admin is None:
        if required():
            pytest.fail(f"a PostgreSQL server is required here (KURT_TEST_PG / KURT_TEST_STORE) but {why}")
        pytest.skip(why)
    name = f"kurt_test_{secrets.token_hex(6)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def use_store(workspace, url: str) -> None:
    """Point ``workspace`` at the PostgreSQL database ``url`` ([store] url in kurt.toml)."""
    config = workspace.config_path
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    config.write_text(text + f'\n[store]\nurl = "{url}"\n', encoding="utf-8")
    workspace.__dict__.pop("config", None)  # read again
