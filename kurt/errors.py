"""Errors a user can act on.

Every expected failure that should stop a command is a ``KurtError``: the CLI
prints its message on one line and exits with ``exit_code``; with ``--format json``
it prints ``{"error": {"code": ..., "message": ...}}`` on stderr instead, ``code``
being one of ``ERROR_CODES`` (docs/json.md). Bugs are not ``KurtError`` and keep
their traceback.
"""

from __future__ import annotations

# The stable error codes of ``--format json`` (docs/json.md), with what each means.
ERROR_CODES = {
    "usage": "the command line is wrong: an unknown option, a bad value, a missing argument",
    "conflict": "the thing to create exists already, or the change needs --force",
    "not_a_workspace": "no Kurt workspace at or above the current folder",
    "not_found": "a document, template, project, draft or file that does not exist",
    "config": "kurt.toml or another settings file is invalid",
    "invalid_file": "a user file (template, draft, plan) cannot be parsed",
    "database": "the database cannot be opened, read or written",
    "filesystem": "a file or folder cannot be written (read-only, permissions, disk full)",
    "service": "an outside service (LLM, research, analytics API) cannot be used",
    "network": "nothing could be fetched: the sites cannot be reached or refused every page",
    "failed": "the command ran and its result is a failure (stdout may hold that result)",
    "interrupted": "stopped by Ctrl-C; run the same command again to finish",
    "internal": "a bug in Kurt: the error carries its traceback",
}


class KurtError(Exception):
    """A failure with a one-line message that says what to do next."""

    exit_code = 1
    code = "failed"

    def __init__(self, message: str, *, exit_code: int | None = None, code: str | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class WorkspaceNotFound(KurtError):
    """No Kurt workspace at or above the current folder."""

    code = "not_a_workspace"


class ConfigError(KurtError):
    """kurt.toml (or another settings file) is invalid."""

    code = "config"


class UsageError(KurtError):
    """The user asked for something that cannot be done as asked."""

    exit_code = 2
    code = "usage"


class Conflict(UsageError):
    """What the command would create exists already, or the change needs --force."""

    code = "conflict"


class NotFound(KurtError):
    """A document, template, project or draft that does not exist."""

    code = "not_found"


class StoreError(KurtError):
    """The database cannot be opened or migrated."""

    code = "database"


class FormatError(KurtError):
    """A user file (template, draft, plan) cannot be parsed; names file and line."""

    code = "invalid_file"

    def __init__(self, path: object, line: int | None, problem: str):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class WriteError(KurtError, OSError):
    """A file Kurt could not write (read-only folder, disk full, permissions), named.

    Also an ``OSError`` (with the original ``errno`` and ``strerror``), so code that
    handles a failed write as data (fetch records it on the document) keeps doing so.
    """

    code = "filesystem"

    def __init__(self, path: object, exc: OSError):
        OSError.__init__(self, exc.errno, exc.strerror or str(exc), str(path))
        self.path = path
        self._message = f"Cannot write {path}: {exc.strerror or exc}. {write_advice(exc.errno)}"

    def __str__(self) -> str:
        return self._message


def write_advice(errno_value: int | None) -> str:
    """What to do about a write the system refused, by errno."""
    import errno

    if errno_value == errno.EROFS:
        return ("Reading commands (list, search, get) still work; remount the workspace "
                "read-write, or work on a copy, to change anything")
    if errno_value in (errno.EACCES, errno.EPERM):
        return ("Reading commands (list, search, get) still work; make it and its folder "
                "writable (chmod u+w) to change anything")
    if errno_value in (errno.ENOSPC, errno.EDQUOT):
        return "Free some disk space and run this command again; nothing was half-written"
    return "Check the path and its folder, and run this command again"
