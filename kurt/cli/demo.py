"""``kurt demo``: map, fetch, index and search a bundled sample site, offline."""

from __future__ import annotations

from pathlib import Path

import click

from kurt.cli.options import format_option
from kurt.cli.output import emit_json


@click.command()
@click.argument("directory", default="kurt-demo", type=click.Path(file_okay=False, path_type=Path))
@format_option("table", "json")
def demo(directory: Path, output_format: str) -> None:
    """Try Kurt with no network: ingest a bundled docs site into DIRECTORY (default: kurt-demo).

    Serves the sample site on 127.0.0.1, maps it from its sitemap, fetches and
    extracts every page, indexes them, lists them and searches them. Safe to
    run twice.

    \b
    Example:
      kurt demo && cd kurt-demo && kurt content search "integration"
    """
    import sys

    from kurt.demo import run_demo
    from kurt.ingest.progress import progress_bar

    with progress_bar("Fetching", enabled=sys.stderr.isatty() and output_format == "table") as bar:
        report = run_demo(directory, progress=bar)
    if output_format == "json":
        emit_json(report.to_dict())
        return
    fetch = report.add.fetch
    click.echo(f"Served the sample docs site at {report.site_url} (127.0.0.1 only, stopped now).")
    for line in report.add.map_lines():
        click.echo(line)
    click.echo(f"Fetched: {fetch.new} new, {fetch.changed} changed, {fetch.unchanged} unchanged, "
               f"{fetch.failed} failed; {report.add.already_fetched} already there from an earlier run.")
    click.echo(f"\n{report.total_documents} documents, e.g.:")
    for doc in report.documents:
        click.echo(f"  {doc['id']}  {doc['content_path']}  {doc['title'] or ''}")
    if report.hits:
        click.echo(f'\nkurt content search "{report.query}":')
        for hit in report.hits:
            click.echo(f"  {hit['content_path']}:{hit['lines']}  {hit['heading_path']}")
            click.echo(f"      {hit['snippet']}")
    click.echo("\nWhere things are:")
    click.echo(f"  workspace  {report.workspace}")
    click.echo(f"  sources    {report.sources_dir}   (one markdown file per page)")
    click.echo(f"  database   {report.db_path}")
    click.echo("\nTry next:")
    for command in report.next_commands:
        click.echo(f"  {command}")
