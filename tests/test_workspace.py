import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kurt.errors import WorkspaceNotFound
from kurt.fileio import STALE_TMP_SECONDS, sweep_temporary_files, write_atomic
from kurt.workspace import find_workspace, init_workspace


def test_init_lays_out_the_workspace(tmp_path: Path):
    result = init_workspace(tmp_path / "ws")
    root = result.workspace.root
    for path in ("kurt.toml", ".kurt/kurt.db", "sources", "projects",
                 "kurt/templates/formats", ".env.example", ".gitignore"):
        assert (root / path).exists(), path
    gitignore = (root / ".gitignore").read_text().splitlines()
    assert ".kurt/" in gitignore and ".env" in gitignore


def test_init_twice_changes_nothing_and_keeps_user_edits(tmp_path: Path):
    root = init_workspace(tmp_path / "ws").workspace.root
    (root / "kurt.toml").write_text("[ingest]\ntimeout = 5.0\n")
    (root / ".gitignore").write_text("node_modules/\n")
    second = init_workspace(root)
    assert (root / "kurt.toml").read_text() == "[ingest]\ntimeout = 5.0\n"
    assert (root / ".gitignore").read_text() == "node_modules/\n.kurt/\n.env\n"
    assert ".gitignore" in second.created and "kurt.toml" in second.kept
    third = init_workspace(root)
    assert third.created == []


def test_find_walks_up_from_a_subfolder(tmp_path: Path):
    root = init_workspace(tmp_path / "ws").workspace.root
    deep = root / "projects" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_workspace(deep).root == root


def test_find_outside_a_workspace_says_what_to_do(tmp_path: Path):
    with pytest.raises(WorkspaceNotFound, match="run 'kurt init' first"):
        find_workspace(tmp_path)


def test_explicit_workspace_wins(tmp_path: Path, monkeypatch):
    root = init_workspace(tmp_path / "ws").workspace.root
    monkeypatch.setenv("KURT_WORKSPACE", str(root))
    assert find_workspace(tmp_path).root == root


def test_cli_outside_workspace_exits_1_without_traceback(kurt, tmp_path: Path):
    (tmp_path / "empty").mkdir()
    result = kurt("content", "map", "url", "http://127.0.0.1:9/", cwd=tmp_path / "empty")
    assert result.exit_code == 1
    assert "No Kurt workspace here: run 'kurt init' first" in result.stderr
    assert "Traceback" not in result.output


def test_cli_init_twice(kurt, tmp_path: Path):
    first = kurt("init", "ws", cwd=tmp_path)
    assert first.exit_code == 0 and "created" in first.stdout
    second = kurt("init", "ws", "--format", "json", cwd=tmp_path)
    assert second.exit_code == 0 and second.json()["created"] == []


@pytest.mark.parametrize("target,prefix", [("ws", "cd ws && "), (".", "")])
def test_cli_init_next_hint_runs_from_where_the_user_stands(kurt, tmp_path: Path, target, prefix):
    result = kurt("init", target, cwd=tmp_path)
    assert f"Next: {prefix}kurt content add " in result.stdout


def test_write_atomic_over_a_folder_leaves_no_temporary_file(tmp_path: Path):
    (tmp_path / "page.md").mkdir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "page.md", "text")
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_write_atomic_cut_short_by_a_file_size_limit_leaves_no_temporary_file(tmp_path: Path):
    """A real EFBIG from the kernel (RLIMIT_FSIZE), the way a full disk fails a write."""
    script = (
        "import resource, sys\n"
        "from kurt.fileio import write_atomic\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        "    write_atomic(sys.argv[1], 'x' * 100_000)\n"
        "except OSError as exc:\n"
        "    print(exc.errno)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "big.md")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "27"  # EFBIG
    assert list(tmp_path.iterdir()) == []


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sweep_removes_what_dead_writers_left(tmp_path: Path):
    folder = tmp_path / "sources" / "docs.example.com" / "guides"
    folder.mkdir(parents=True)
    dead = folder / f".setup.md.{dead_pid()}.tmp"
    live = folder / f".intro.md.{os.getpid()}.tmp"
    old = folder / f".old.md.{os.getpid()}.tmp"
    kept = [folder / "setup.md", folder / ".notes.tmp", folder / ".a.md.x1.tmp"]
    for path in (dead, live, old, *kept):
        path.write_text("x")
    past = time.time() - STALE_TMP_SECONDS - 60
    os.utime(old, (past, past))
    assert sweep_temporary_files(tmp_path / "sources") == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in (live, *kept))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_writer_left_a_zombie_its_temporary_file_is_swept(tmp_path: Path):
    # a killed run's forked worker stays a zombie where nothing reaps it (a container whose
    # init does not): os.kill(pid, 0) still finds it, but it writes nothing any more
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:  # until the child has exited (a zombie, not reaped)
            with open(f"/proc/{pid}/stat", "rb") as handle:
                if handle.read().rsplit(b")", 1)[1][1:2] == b"Z":
                    break
            time.sleep(0.01)
        tmp = tmp_path / "sources" / f".page.md.{pid}.tmp"
        tmp.parent.mkdir()
        tmp.write_text("half")
        live = tmp_path / "sources" / f".other.md.{os.getpid()}.tmp"
        live.write_text("being written")
        assert sweep_temporary_files(tmp_path / "sources") == 1
        assert not tmp.exists() and live.exists()
    finally:
        os.waitpid(pid, 0)


def test_a_refused_write_names_the_file_not_its_temporary_name(tmp_path: Path):
    from kurt.errors import WriteError
    from kurt.fileio import write_atomic

    blocker = tmp_path / "projects"
    blocker.write_text("a file where a folder should be")
    target = blocker / "launch" / "plan.md"
    with pytest.raises(WriteError, match=f"Cannot write {target}: "):
        write_atomic(target, "text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["projects"]  # nothing half-written


def test_make_dirs_names_the_folder_it_could_not_create(tmp_path: Path):
    from kurt.errors import WriteError
    from kurt.fileio import make_dirs

    (tmp_path / "file").write_text("x")
    with pytest.raises(WriteError, match="Cannot write .*file/sub: Not a directory"):
        make_dirs(tmp_path / "file" / "sub")


def test_cli_project_new_where_a_file_blocks_the_folder_is_one_line(kurt, tmp_path: Path):
    assert kurt("init", cwd=tmp_path).exit_code == 0
    (tmp_path / "projects" / "launch").write_text("not a folder")
    result = kurt("project", "new", "launch", "--goal", "g", cwd=tmp_path)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: Cannot write ") and "projects/launch" in result.stderr


def test_init_says_when_it_could_not_register_kurt_mcp(kurt, tmp_path: Path):
    """A broken .mcp.json is kept as is, and init says Claude Code will not see 'kurt mcp'."""
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / ".mcp.json").write_text("{ not json", encoding="utf-8")
    result = init_workspace(tmp_path / "ws")
    assert [w for w in result.warnings if w.startswith(".mcp.json: ")]
    assert (tmp_path / "ws" / ".mcp.json").read_text(encoding="utf-8") == "{ not json"
    text = kurt("init", "ws", cwd=tmp_path)
    assert text.exit_code == 0 and "'kurt mcp' is not registered" in text.stderr
    data = kurt("init", "ws", "--format", "json", cwd=tmp_path)
    assert data.stderr == "" and "'kurt mcp' is not registered" in data.json()["warnings"][0]
