"""Safe file writes: atomic replace, folders, and the temporary files a killed writer leaves.

The lowest layer of the package: it imports nothing of Kurt's but its errors, so any
module can write files without importing the workspace.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from functools import wraps
from pathlib import Path

from kurt.errors import WriteError

TMP_SUFFIX = ".tmp"
STALE_TMP_SECONDS = 15 * 60  # a temporary file this old is stale whatever its PID
_TMP_NAME = re.compile(r"^\..+\.(\d+)\.tmp$")


def names_the_file(write):
    """A write that fails (read-only, full disk, permissions) raises WriteError naming the
    file it was writing (not its temporary name), with what to do next."""
    @wraps(write)
    def wrapper(path, *args, **kwargs):
        try:
            return write(path, *args, **kwargs)
        except WriteError:
            raise
        except OSError as exc:
            raise WriteError(path, exc) from exc

    return wrapper


@names_the_file
def make_dirs(path: Path) -> None:
    """Create a folder and its parents (fine when they exist)."""
    Path(path).mkdir(parents=True, exist_ok=True)


@names_the_file
def write_atomic(path: Path, text: str | bytes) -> None:
    """Write through a temporary file and rename, so readers never see half a file.

    The temporary file (``.NAME.PID.tmp`` beside ``path``) is removed when the
    write fails (disk full, a folder where the file should go, Ctrl-C); one a
    killed process left behind is removed by ``sweep_temporary_files``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def sweep_temporary_files(folder: Path, now: float | None = None) -> int:
    """Remove the ``.NAME.PID.tmp`` files that killed writers left under ``folder``; how many.

    A temporary file is stale when no process with its PID is alive here (a zombie,
    killed and never reaped, is not), or when it is older than ``STALE_TMP_SECONDS``
    whatever its PID (PIDs are reused, and a write takes milliseconds); one a live
    writer is filling is left alone. One walk of the folder, stat-ing only the names that match.
    """
    now = time.time() if now is None else now
    removed = 0
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            match = _TMP_NAME.match(name)
            if match is None:
                continue
            tmp = Path(parent, name)
            try:
                age = now - tmp.lstat().st_mtime
                if age > STALE_TMP_SECONDS or not _process_alive(int(match.group(1))):
                    tmp.unlink()
                    removed += 1
            except OSError:  # gone meanwhile, or not ours to remove: leave it
                continue
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would terminate it on Windows: trust the age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OverflowError, ValueError):  # no process can have that number
        return False
    except OSError:  # alive but not ours (EPERM), or cannot tell: keep its file
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Linux: whether ``pid`` is a zombie: dead, not yet reaped by its parent. A killed run's
    forked workers stay zombies where nothing reaps them (a container whose init does not),
    and ``os.kill(pid, 0)`` still finds them."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return False
    end = stat.rfind(b")")  # the state follows the command name, which may hold ") "
    return end != -1 and stat[end + 2:end + 3] == b"Z"
