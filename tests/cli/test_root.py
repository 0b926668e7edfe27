"""The root group's single error handler (kurt/cli/__init__.py): what becomes one line."""

from __future__ import annotations

import errno
import sqlite3

import click
import pytest
from click.testing import CliRunner

from kurt.cli import RootGroup
from kurt.cli.app import App
from kurt.errors import Conflict, KurtError, NotFound, UsageError, WorkspaceNotFound


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


# -- --format json: every error is one JSON line on stderr ------------------------------------

def run_json(exc: BaseException | None, *args: str):
    @click.group(cls=RootGroup)
    @click.pass_context
    def root(ctx):
        ctx.obj = App()

    @root.command()
    @click.option("--format", "output_format", type=click.Choice(["table", "json"]))
    @click.option("--count", type=click.IntRange(0, 5))
    def boom(output_format, count):
        if exc is not None:
            raise exc

    return CliRunner().invoke(root, ["boom", *args])


def json_error(result) -> dict:
    import json

    (line,) = result.stderr.splitlines()
    return json.loads(line)["error"]


@pytest.mark.parametrize(("exc", "code", "exit_code"), [
    (KurtError("it failed"), "failed", 1),
    (KurtError("nothing fetched", code="network"), "network", 1),
    (UsageError("--limit must be at least 1"), "usage", 2),
    (Conflict("Project 'x' already exists"), "conflict", 2),
    (NotFound("No document 'x'"), "not_found", 1),
    (WorkspaceNotFound("No Kurt workspace here: run 'kurt init' first"), "not_a_workspace", 1),
    (sqlite3.DatabaseError("database disk image is malformed"), "database", 1),
    (OSError(errno.ENOSPC, "No space left on device"), "filesystem", 1),
    (KeyboardInterrupt(), "interrupted", 130),
])
def test_an_error_under_format_json_is_one_json_line(exc, code, exit_code):
    result = run_json(exc, "--format", "json")
    assert (json_error(result)["code"], result.exit_code) == (code, exit_code)
    assert result.stdout == ""
    text = run_json(exc, "--format", "table")
    assert text.exit_code == exit_code and not text.stderr.lstrip().startswith("{")


@pytest.mark.parametrize("args", [
    ("--format", "json", "--count", "9"),  # a bad value, found while parsing
    ("--format=JSON", "--nope"),
])
def test_a_usage_error_under_format_json_is_json(args):
    result = run_json(None, *args)
    assert result.exit_code == 2 and json_error(result)["code"] == "usage"


def test_a_bug_under_format_json_is_an_internal_error_with_its_traceback():
    result = run_json(KeyError("bug"), "--format", "json")
    error = json_error(result)
    assert result.exit_code == 1 and error["code"] == "internal"
    assert error["message"].startswith("KeyError: 'bug'") and "Traceback" in error["traceback"]


@pytest.mark.parametrize(("args", "wanted"), [
    (["content", "list", "--format", "json"], True),
    (["content", "list", "--format=json"], True),
    (["content", "list", "--format", "JSON"], True),
    (["content", "list", "--format", "csv"], False),
    (["content", "search", "--", "--format", "json"], False),  # words to search for
    (["content", "list"], False),
    (["content", "list", "--format"], False),
])
def test_json_requested(args, wanted):
    from kurt.cli.options import json_requested

    assert json_requested(args) is wanted
