"""``kurt content rebuild``: restore a lost database from the files in sources/; and
``kurt content sync``: the other way, the files from a shared store."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import format_option
from kurt.cli.output import emit_json

EXAMPLES_SHOWN = 3  # paths shown per refusal reason


@click.command("rebuild")
@click.option("--no-index", is_flag=True, help="Do not index the restored documents afterwards.")
@format_option("table", "json")
@pass_app
def rebuild(app, no_index: bool, output_format: str) -> None:
    """Restore the documents of a lost or damaged database from sources/ (no download).

    Reads the frontmatter Kurt writes at the top of every source file (url,
    title, content_hash, fetched_at) and restores a FETCHED document for each
    file that has none, then indexes them. Safe to re-run, and to interrupt:
    run it again to finish. Files whose frontmatter is not Kurt's are left
    alone and counted, with the reason.

    \b
    Example:
      mv .kurt/kurt.db .kurt/kurt.db.damaged   # only if it is damaged
      kurt content rebuild
    """
    from kurt.ingest.progress import progress_bar
    from kurt.store.rebuild import rebuild as rebuild_documents

    ws, store = app.workspace, app.restoring_store()
    with progress_bar("Restoring", enabled=app.interactive and output_format == "table") as progress:
        report = rebuild_documents(ws, store, index=not no_index, progress=progress)
    if output_format == "json":
        emit_json(report.to_dict())
    else:
        click.echo(
            f"Restored {report.restored} documents from {report.scanned} files in sources/ "
            f"({report.already} were already in the database"
            + (f"; {report.edited} edited by hand since fetched" if report.edited else "") + ")."
        )
        if report.indexed:
            click.echo(f"Indexed {report.indexed} documents"
                       + (f" ({report.index_failed} failed)." if report.index_failed else "."))
        if report.refused:
            click.echo(f"Refused: {report.refused_count} files (left as they are)", err=True)
            for reason, paths in sorted(report.refused.items(), key=lambda item: -len(item[1])):
                click.echo(f"  {len(paths):>5}  {reason}", err=True)
                for path in paths[:EXAMPLES_SHOWN]:
                    click.echo(f"         {path}", err=True)
                if len(paths) > EXAMPLES_SHOWN:
                    click.echo(f"         ... and {len(paths) - EXAMPLES_SHOWN} more", err=True)
        if report.restored:
            click.echo("Pages that were never fetched have no file: 'kurt content map' lists "
                       "them again.")
    if report.refused and not report.restored and not report.already:
        from kurt.errors import KurtError

        reason = max(report.refused.items(), key=lambda item: len(item[1]))[0]
        raise KurtError(f"none of the {report.refused_count} files in sources/ could be restored "
                        f"(mostly: {reason}); only files Kurt fetched can be")


@click.command("sync")
@format_option("table", "json")
@pass_app
def sync(app, output_format: str) -> None:
    """Write the source files this workspace lacks from a shared PostgreSQL store (no download).

    A team's store keeps the text of every fetched file (docs/teams.md); this
    writes all the ones missing from sources/ at once (get --content, evidence and
    draft checks write the ones they read on demand). A local file that differs
    from the store is kept.

    \b
    Example:
      kurt content sync
    """
    from kurt.ingest.progress import progress_bar
    from kurt.store.content import ContentReport, keeps_files
    from kurt.store.content import sync as sync_files

    store = app.store
    if not keeps_files(store):
        if output_format == "json":
            emit_json({**ContentReport().to_dict(), "store": "sqlite"})
        else:
            click.echo("Nothing to sync: this workspace's store is the SQLite file in .kurt/, and "
                       "sources/ is its only copy of the files. 'kurt content sync' is for a "
                       "shared PostgreSQL store ([store] url in kurt.toml, see docs/teams.md).")
        return
    with progress_bar("Syncing", enabled=app.interactive and output_format == "table") as bar:
        report = sync_files(app.workspace, store, progress=bar)
    if output_format == "json":
        emit_json({**report.to_dict(), "store": "postgresql"})
        return
    kept = len(report.kept)
    here = f"{report.unchanged} {'was' if report.unchanged == 1 else 'were'} already here"
    if kept:
        here += f"; {kept} {'differs' if kept == 1 else 'differ'} from the store and " \
                f"{'was' if kept == 1 else 'were'} kept"
    written = f"{report.written} source file{'' if report.written == 1 else 's'}"
    click.echo(f"Wrote {written} from the store ({here}).")
    if kept:
        shown = ", ".join(report.kept[:10]) + (f" and {kept - 10} more" if kept > 10 else "")
        click.echo(f"Kept as they are (edited here, or older than the store's text; delete one "
                   f"to get the store's): {shown}")
    if report.missing:
        click.echo(f"{len(report.missing)} fetched documents have no file in the store: fetch "
                   "them again from the workspace that has them, or run 'kurt store copy' there",
                   err=True)
