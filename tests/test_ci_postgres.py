""".ci/postgres: a PostgreSQL server for the tests, the machine's when one answers, else a
throw-away cluster started in a temporary folder (issue 12). Run here on a free port, so
the machine's server on 5432 is never touched; needs root (the cluster runs as the user
postgres) and Debian's postgresql installed (the test never installs it)."""

from __future__ import annotations

import glob
import os
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from conftest import kurt_command

from kurt.sample_site import load_markdown_site, serve
from kurt.store.documents import Discovered, add_discovered
from kurt.workspace import Workspace, init_workspace
from tests.loopback import slow_pages
from tests.pg import admin_url, use_store

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


@needs_root_and_postgresql
def test_a_server_that_stops_during_a_fetch_ends_it_in_one_line(tmp_path, railway_corpus):
    """The store's server goes away mid-run (here: a cluster of its own, stopped at once):
    the fetch stops with one line saying what to do, no traceback, no password."""
    site = slow_pages(load_markdown_site(railway_corpus), 0.1)
    port = free_port()
    started = ci_postgres(port=port)
    folder = started.stdout.strip()
    assert started.returncode == 0 and folder, started.stderr
    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE corpus")
        root = tmp_path / "ws"
        root.mkdir()
        use_store(Workspace(root), f"postgresql://postgres@127.0.0.1:{port}/corpus")
        ws = init_workspace(root).workspace
        with serve(site) as served:
            pages = [p for p in site.source.paths() if p.startswith("/docs/")][:60]
            store = ws.open_store()
            add_discovered(store, [Discovered(url=served.url(p), domain="127.0.0.1") for p in pages])
            fetched = lambda: store.query_one(  # noqa: E731
                "SELECT COUNT(*) FROM documents WHERE status = 'FETCHED'")[0]
            env = {**os.environ, "PGPASSWORD": "s3cret-not-shown"}
            proc = subprocess.Popen([*kurt_command(), "content", "fetch", "--concurrency", "2"],
                                    cwd=root, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            end = time.monotonic() + 120
            while fetched() < 2:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < end, "nothing was fetched"
                time.sleep(0.05)
            store.close()
            pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
            subprocess.run(["runuser", "-u", "postgres", "--", pg_ctl, "-D", folder, "-m",
                            "immediate", "stop"], check=True, capture_output=True, timeout=120)
            out, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, (out, err)
        assert "Traceback" not in out + err and "s3cret" not in out + err
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith(f"Error: Cannot use the PostgreSQL store postgresql://postgres@127.0.0.1:{port}/corpus")
        assert "check that the server runs" in err
    finally:
        ci_postgres("stop", folder, port=port)
