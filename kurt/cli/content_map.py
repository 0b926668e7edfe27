"""``kurt content map``: discover what to fetch, from a website or a local folder."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import count, format_option
from kurt.cli.output import emit_json


@click.group("map")
def map_group() -> None:
    """Discover sources to fetch: a website's pages or a folder's files.

    \b
    Examples:
      kurt content map url https://docs.example.com
      kurt content map folder ./docs
    """


def _common(func):
    func = click.option("--dry-run", is_flag=True,
                        help="Show what would be added; write nothing.")(func)
    func = click.option("--limit", type=count(1), metavar="N",
                        help="Record at most N sources.")(func)
    func = click.option("--exclude", multiple=True, metavar="GLOB",
                        help="Skip URLs or paths matching GLOB (repeatable).")(func)
    func = click.option("--include", multiple=True, metavar="GLOB",
                        help="Only URLs or paths matching GLOB, e.g. '*/docs/*' (repeatable).")(func)
    return func


@map_group.command("url")
@click.argument("url")
@_common
@click.option("--sitemap", "sitemap", metavar="URL", help="Read this sitemap (or feed) only.")
@click.option("--max-depth", type=count(0), metavar="N",
              help="Crawl at most N links deep when there is no sitemap (default: kurt.toml).")
@click.option("--max-pages", type=count(1), metavar="N",
              help="Read at most N URLs from sitemaps, or crawl at most N pages.")
@format_option("table", "json")
@pass_app
def map_url_command(app, url, include, exclude, limit, dry_run, sitemap, max_depth, max_pages,
                    output_format):
    """Find a website's pages from its sitemaps (or by crawling) and record them.

    \b
    Example:
      kurt content map url https://docs.example.com --include '*/guides/*'
      kurt content map url https://example.com/blog --dry-run
    """
    from kurt.ingest.discover import map_url

    store = app.store  # finds the workspace first: outside one, say so before any request
    report = map_url(
        None if dry_run else store, app.config.ingest, url, include=include, exclude=exclude,
        limit=limit, dry_run=dry_run, sitemap=sitemap, max_depth=max_depth, max_pages=max_pages,
        progress=_progress(app, output_format),
    )
    _render(report, output_format, next_step="try --sitemap URL, or open the URL in a browser "
            "to check it")


@map_group.command("folder")
@click.argument("path", type=click.Path(path_type=str))
@_common
@click.option("--follow-symlinks", is_flag=True,
              help="Also read links that lead out of the folder (skipped by default).")
@format_option("table", "json")
@pass_app
def map_folder_command(app, path, include, exclude, limit, dry_run, follow_symlinks, output_format):
    """Record the markdown, MDX, HTML, text and PDF files of a folder (or one file).

    Links to files inside the folder are read; links that lead out of it are
    skipped (and listed) unless --follow-symlinks is given.

    \b
    Example:
      kurt content map folder ./docs --exclude '*/drafts/*'
    """
    from kurt.ingest.folder import map_folder

    store = app.store
    report = map_folder(None if dry_run else store, path, include=include, exclude=exclude,
                        limit=limit, dry_run=dry_run, follow_symlinks=follow_symlinks)
    _render(report, output_format, next_step="check the path and the --include/--exclude globs")


def _progress(app, output_format: str):
    if not app.interactive or output_format == "json":  # JSON: stderr stays quiet
        return None
    return lambda message: click.echo(f"  {message}", err=True)


def _render(report, output_format: str, *, next_step: str) -> None:
    if output_format == "json":
        emit_json(report.to_dict())
    else:
        _render_table(report)
    if report.found == 0:
        problems = report.problems or ["no reason was given"]
        if output_format == "json":  # the report is on stdout; the error says why, on stderr
            from kurt.errors import NotFound

            raise NotFound(f"Nothing found at {report.source} ({'; '.join(problems[:3])}): "
                           f"{next_step}")
        click.echo(f"Nothing found at {report.source}.", err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        click.echo(f"Next: {next_step}.", err=True)
        raise SystemExit(1)


def _render_table(report) -> None:
    how = {"sitemap": "sitemap", "feed": "feed", "crawl": "crawling links",
           "feed+crawl": "its feed and crawling links",
           "folder": "listing the folder"}.get(report.method, report.method)
    if report.dry_run:
        for url in report.urls:
            click.echo(url)
        if report.found:
            click.echo(f"Dry run: {report.found} found by {how}; nothing was written.", err=True)
    elif report.found:
        click.echo(
            f"Mapped {report.source} by {how}: {report.found} found, {report.added} new, "
            f"{report.known} already known"
            + (f" ({report.relisted} back in the listing)" if report.relisted else "")
            + f", {report.delisted} delisted."
        )
    if report.sitemaps:
        shown = ", ".join(report.sitemaps[:3])
        more = f" and {len(report.sitemaps) - 3} more" if len(report.sitemaps) > 3 else ""
        label = "Feeds" if "feed" in report.method else "Sitemaps"
        click.echo(f"{label}: {shown}{more}", err=report.dry_run)
    if report.found and report.problems:
        click.echo("Warnings:", err=True)
        for problem in report.problems[:10]:
            click.echo(f"  - {problem}", err=True)
        if len(report.problems) > 10:
            click.echo(f"  ... and {len(report.problems) - 10} more", err=True)
    if report.found and not report.dry_run and report.added:
        click.echo("Next: kurt content fetch")
