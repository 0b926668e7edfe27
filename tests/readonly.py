"""Make a folder really read-only for a test, including when the tests run as root.

``chmod -R a-w`` stops an ordinary user, but not root (CI runs as root), so as root
the folder is bind-mounted read-only onto itself (``mount --bind`` then ``remount,ro``)
and unmounted afterwards. When neither works (root without the right to mount, as in
an unprivileged container), the test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """``folder`` (and everything in it) cannot be written inside the block; yields how."""
    folder = Path(folder).resolve()
    if os.geteuid() != 0:
        modes = _chmod_read_only(folder)
        try:
            yield "chmod"
        finally:
            for path, mode in reversed(modes):
                path.chmod(mode)
        return
    why = _mount_read_only(folder)
    if why:
        pytest.skip(f"running as root, where chmod does not stop writes, and a read-only bind "
                    f"mount is not allowed here ({why})")
    try:
        yield "read-only bind mount"
    finally:
        subprocess.run(["umount", str(folder)], check=True, capture_output=True)


def _chmod_read_only(folder: Path) -> list[tuple[Path, int]]:
    modes = []
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        modes.append((path, mode))
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return modes


def _mount_read_only(folder: Path) -> str | None:
    """None when ``folder`` is now a read-only bind mount of itself, else why not."""
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "no mount command"
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True, text=True)
    if bind.returncode != 0:
        return bind.stderr.strip() or "mount --bind failed"
    remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True,
                             text=True)
    if remount.returncode != 0:
        subprocess.run(["umount", str(folder)], capture_output=True)
        return remount.stderr.strip() or "remount,ro failed"
    probe = folder / ".kurt-write-probe"
    try:
        probe.touch()
    except OSError:
        return None
    probe.unlink()
    subprocess.run(["umount", str(folder)], capture_output=True)
    return "the read-only mount still accepted a write"
