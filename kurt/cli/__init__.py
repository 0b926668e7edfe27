"""The ``kurt`` command: a thin skin over the library.

The root group finds the workspace and opens the store once (lazily); command
modules are imported only when their command runs, so ``kurt --help`` is fast.
KurtError becomes a one-line message and a non-zero exit here, in one place. So do
the SQLite errors that describe the database file rather than the program (damaged,
read-only, deleted: ``kurt.store.db.database_error``) and the OS errors that describe the
machine (read-only file system, permissions, disk full); every other error is a bug and
keeps its traceback.
"""

from __future__ import annotations

import errno
import importlib
import sqlite3
import sys

import click

from kurt import __version__
from kurt.cli.app import App
from kurt.cli.options import json_requested
from kurt.cli.output import emit_error
from kurt.errors import KurtError

# OS errors that describe the machine, not a bug: a one-line message, no traceback.
ENVIRONMENT_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC,
                                errno.EDQUOT})


class LazyGroup(click.Group):
    """A group whose subcommands live in modules imported on first use."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        available = [name for name, target in self.lazy.items() if _exists(target)]
        return sorted({*super().list_commands(ctx), *available})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = self.lazy.get(name)
        if target is not None and _exists(target):
            module_name, attr = target.split(":")
            return getattr(importlib.import_module(module_name), attr)
        return super().get_command(ctx, name)


def _exists(target: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(target.split(":")[0]) is not None


class RootGroup(LazyGroup):
    def invoke(self, ctx: click.Context):
        # --format json anywhere on the command line: errors are JSON on stderr too
        as_json = json_requested([*getattr(ctx, "_protected_args", []), *ctx.args])
        try:
            result = super().invoke(ctx)
            app = ctx.find_object(App)
            if app is not None:
                app.check_store()  # what it wrote went to the workspace's database
            return result
        except KurtError as exc:
            emit_error(exc.code, str(exc), as_json=as_json)
            ctx.exit(exc.exit_code)
        except sqlite3.DatabaseError as exc:
            app = ctx.find_object(App) or App()
            error = app.database_error(exc)
            if error is None:
                if as_json:
                    _internal(ctx, exc)
                raise  # not about the file: a bug, keep its traceback
            emit_error(error.code, str(error), as_json=as_json)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            if as_json:
                emit_error("interrupted", "Interrupted: run the same command again to finish "
                           "the job.", as_json=True)
            else:
                click.echo("\nInterrupted: run the same command again to finish the job.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # output piped into `head` and closed early
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            if exc.errno not in ENVIRONMENT_ERRNOS:
                if as_json:
                    _internal(ctx, exc)
                raise
            from kurt.errors import write_advice

            where = f"{exc.filename}: " if exc.filename else ""
            emit_error("filesystem", f"{where}{exc.strerror or exc}. {write_advice(exc.errno)}",
                       as_json=as_json)
            ctx.exit(1)
        except click.exceptions.Exit:
            raise
        except click.ClickException as exc:  # bad options or arguments
            if not as_json:
                raise  # click prints its usage text
            code = "usage" if isinstance(exc, click.UsageError) else "failed"
            emit_error(code, exc.format_message(), as_json=True)
            ctx.exit(exc.exit_code)
        except click.Abort:
            if not as_json:
                raise
            emit_error("interrupted", "Aborted: nothing more was done.", as_json=True)
            ctx.exit(1)
        except Exception as exc:  # noqa: BLE001 - a bug: in JSON mode, still one JSON error
            error = _postgres_error(ctx, exc)  # psycopg's: a PostgreSQL server lost or refusing
            if error is not None:
                emit_error(error.code, str(error), as_json=as_json)
                ctx.exit(error.exit_code)
            if not as_json:
                raise
            _internal(ctx, exc)
        finally:
            app = ctx.find_object(App)
            if app is not None:
                app.close()


def _postgres_error(ctx: click.Context, exc: Exception):
    """The one-line StoreError for a PostgreSQL server lost or refusing us, else None (a bug)."""
    if not type(exc).__module__.startswith("psycopg"):
        return None
    import psycopg

    if not isinstance(exc, psycopg.OperationalError):
        return None
    from kurt.store.postgres import connection_error

    app = ctx.find_object(App)
    store = app._store if app is not None else None
    return connection_error(getattr(store, "path", "(PostgreSQL)"), exc)


def _internal(ctx: click.Context, exc: BaseException) -> None:
    """A bug under --format json: one JSON error on stderr that keeps the traceback."""
    import traceback

    emit_error("internal", f"{type(exc).__name__}: {exc} (a bug in Kurt: please report it "
               "with the traceback)", as_json=True,
               traceback="".join(traceback.format_exception(exc)))
    ctx.exit(1)


COMMANDS = {
    "init": "kurt.cli.init:init",
    "demo": "kurt.cli.demo:demo",
    "content": "kurt.cli.content:content",
    "template": "kurt.cli.template:template",
    "profile": "kurt.cli.profile:profile",
    "project": "kurt.cli.project:project",
    "draft": "kurt.cli.draft:draft",
    "show": "kurt.cli.show:show",
    "research": "kurt.cli.research:research",
    "analytics": "kurt.cli.analytics:analytics",
    "status": "kurt.cli.status:status",
    "agents": "kurt.cli.agents:agents",
    "mcp": "kurt.cli.mcp:mcp",
    "store": "kurt.cli.store:store",
}


@click.group(cls=RootGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workspace",
    "-w",
    envvar="KURT_WORKSPACE",
    metavar="DIR",
    help="Workspace folder (default: the nearest one above the current folder).",
)
@click.version_option(__version__, prog_name="kurt")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None) -> None:
    """Kurt: write technical and B2B content grounded in real sources.

    \b
    Ingest your sources, find ground truth, write from templates, check drafts.
    Start with:  kurt init && kurt content add https://docs.example.com
    """
    ctx.obj = App(workspace_option=workspace)


def main() -> None:
    cli(prog_name="kurt")
