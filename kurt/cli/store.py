"""``kurt store``: the database itself: which one, its migrations, moving it to PostgreSQL."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import format_option
from kurt.cli.output import emit_json


@click.group("store")
def store() -> None:
    """The workspace's database: migrate it, or copy it to a shared PostgreSQL.

    \b
    Examples:
      kurt store migrate
      kurt store copy --to postgresql://kurt@db.internal/corpus
    """


@store.command("migrate")
@format_option("table", "json")
@pass_app
def migrate(app, output_format: str) -> None:
    """Apply the pending schema migrations to the workspace's store (SQLite or PostgreSQL).

    Every command migrates the store when it opens it; this one does only that,
    for a shared PostgreSQL store whose owner upgrades it once for the team.

    \b
    Example:
      KURT_DATABASE_URL=postgresql://kurt@db.internal/corpus kurt store migrate
    """
    from kurt.store.migrate import migrate_store

    report = migrate_store(app.workspace)
    if output_format == "json":
        emit_json(report.to_dict())
        return
    done = (f"applied {report.applied} migration{'s' if report.applied != 1 else ''}"
            if report.applied else "already up to date")
    click.echo(f"Store {report.store} ({report.dialect}): schema version {report.version}, {done}.")


@store.command("copy")
@click.option("--to", "target", required=True, metavar="URL",
              help="The PostgreSQL database to copy into: postgresql://user@host/database.")
@format_option("table", "json")
@pass_app
def copy(app, target: str, output_format: str) -> None:
    """Copy the workspace's SQLite store into PostgreSQL, verified by counts and hashes.

    Copies every table (documents, passages, entities, links, clusters,
    embeddings, traffic...); PostgreSQL builds its own full-text index. Safe to
    interrupt and to run again: it upserts by primary key and skips the tables
    that already match. The password comes from PGPASSWORD or ~/.pgpass.

    \b
    Example:
      kurt store copy --to postgresql://kurt@db.internal/corpus
      echo '[store]' >> kurt.toml; echo 'url = "postgresql://kurt@db.internal/corpus"' >> kurt.toml
    """
    from kurt.ingest.progress import progress_bar
    from kurt.store.copy import copy_workspace_store

    with progress_bar("Copying", enabled=app.interactive and output_format == "table") as bar:
        report = copy_workspace_store(app.workspace, target, progress=bar)
    if output_format == "json":
        emit_json(report.to_dict())
    else:
        for table in report.tables:
            state = "ok" if table.ok else "MISMATCH"
            note = " (already copied)" if table.already else ""
            click.echo(f"  {table.name:<24} {table.source_rows:>9} rows -> {table.target_rows:>9}"
                       f"  {state}{note}")
        for name in report.not_copied:
            click.echo(f"  {name:<24} not in the PostgreSQL schema: not copied", err=True)
        if report.files is not None:
            files = report.files
            click.echo(f"  source files             {files.stored} stored, {files.unchanged} already"
                       + (f", {len(files.missing)} missing from sources/" if files.missing else ""))
        if report.ok:
            click.echo(f"Copied into {report.target}: every table matches by count and hash. "
                       "Point the workspace at it with [store] url in kurt.toml (or "
                       "KURT_DATABASE_URL).")
    if not report.ok:
        from kurt.errors import KurtError

        raise KurtError(
            "The copy does not match the SQLite store (see the tables marked MISMATCH, or "
            "verified: false): run 'kurt store copy' again; rows deleted from the SQLite store "
            "since an earlier copy stay in PostgreSQL until you delete them there")
