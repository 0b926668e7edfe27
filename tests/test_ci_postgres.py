""".ci/postgres: a PostgreSQL server for the tests, the machine's when one answers, else a
throw-away cluster started in a temporary folder (issue 12). Run here on a free port, so
the machine's server on 5432 is never touched; needs root (the cluster runs as the user
postgres) and Debian's postgresql installed (the test never installs it)."""

from __future__ import annotations

import glob
import os
import socket
import subprocess
from pathlib import Path

import psycopg
import pytest

from tests.pg import admin_url

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "postgres"

needs_root_and_postgresql = pytest.mark.skipif(
    os.geteuid() != 0 or not glob.glob("/usr/lib/postgresql/*/bin/initdb"),
    reason="starts a cluster as the user postgres: needs root and Debian's postgresql")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def ci_postgres(*args: str, port: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "KURT_CI_PG_PORT": str(port)}
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True,
                          timeout=300)


@needs_root_and_postgresql
def test_a_cluster_is_started_where_nothing_answers_and_stopped_after():
    port = free_port()
    assert not answers(port)
    started = ci_postgres(port=port)
    folder = started.stdout.strip()
    try:
        assert started.returncode == 0, started.stderr
        assert folder and Path(folder).is_dir(), started.stdout
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"  # trust auth, as tests/pg.py wants
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("CREATE DATABASE kurt_ci_check")
            conn.execute("DROP DATABASE kurt_ci_check")
    finally:
        if folder:
            stopped = ci_postgres("stop", folder, port=port)
            assert stopped.returncode == 0, stopped.stderr
    assert not answers(port)
    assert not Path(folder).parent.exists()  # the temporary folder is gone


def test_nothing_is_started_where_a_server_answers():
    admin, why = admin_url()
    if admin is None:
        pytest.skip(why)
    info = psycopg.conninfo.conninfo_to_dict(admin)
    if info.get("host") not in ("127.0.0.1", "localhost"):
        pytest.skip("the tests' server is not on 127.0.0.1, where .ci/postgres looks")
    port = info.get("port") or 5432
    done = ci_postgres(port=int(port))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # no folder: .ci/run has nothing to stop
    assert "answers" in done.stderr
