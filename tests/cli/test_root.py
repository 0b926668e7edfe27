"""The root group's single error handler (kurt/cli/__init__.py): what becomes one line."""

from __future__ import annotations

import errno
import sqlite3

import click
import pytest
from click.testing import CliRunner

from kurt.cli import RootGroup
from kurt.cli.app import App


def run(exc: BaseException):
    @click.group(cls=RootGroup)
    @click.pass_context
    def root(ctx):
        ctx.obj = App()

    @root.command()
    def boom():
        raise exc

    return CliRunner().invoke(root, ["boom"])


@pytest.mark.parametrize(("exc", "expected"), [
    (sqlite3.DatabaseError("database disk image is malformed"), "is damaged"),
    (sqlite3.DatabaseError("file is not a database"), "is damaged"),
    (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
    (PermissionError(errno.EACCES, "Permission denied", "/ws/kurt/profile.md"),
     "Error: /ws/kurt/profile.md: Permission denied. "),
    (OSError(errno.EROFS, "Read-only file system", "/ws/projects/x"),
     "Reading commands (list, search, get) still work"),
    (OSError(errno.ENOSPC, "No space left on device"), "Free some disk space"),
])
def test_errors_about_the_machine_are_one_line(exc, expected):
    result = run(exc)
    assert result.exit_code == 1
    assert expected in result.output and result.output.count("\n") == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("exc", [
    sqlite3.OperationalError("no such column: nope"),  # a bug in our SQL
    FileNotFoundError(errno.ENOENT, "No such file or directory", "/x"),
    KeyError("bug"),
])
def test_bugs_keep_their_traceback(exc):
    result = run(exc)
    assert result.exception is exc
