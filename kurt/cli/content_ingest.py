"""``kurt content fetch`` and ``kurt content add``: download, extract and store sources."""

from __future__ import annotations

from pathlib import Path

import click

from kurt.cli.app import pass_app
from kurt.cli.options import count, document_filter_options, format_option
from kurt.cli.output import emit_json

EXAMPLES_SHOWN = 3  # URLs shown per error reason in the summary
TIMED_OUT_SHOWN = 20  # timed-out URLs listed in the summary


@click.command()
@click.argument("targets", nargs=-1, metavar="[URL|ID|PATH]...")
@document_filter_options(default_statuses=("NOT_FETCHED",))
@click.option("--urls-file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Fetch the URLs listed in FILE (one per line).")
@click.option("--all", "all_statuses", is_flag=True, help="Every status, not only NOT_FETCHED.")
@click.option("--limit", type=count(0), metavar="N", help="Fetch at most N documents.")
@click.option("--refetch", is_flag=True,
              help="Fetch again documents already fetched (conditional GET: unchanged pages cost little).")
@click.option("--concurrency", type=count(1), metavar="N",
              help="Requests in flight (default: [ingest] concurrency in kurt.toml).")
@click.option("--dry-run", is_flag=True, help="Show what would be fetched; fetch nothing.")
@click.option("--no-index", is_flag=True, help="Do not index the fetched documents afterwards.")
@format_option("table", "json")
@pass_app
def fetch(app, targets, flt, urls_file, all_statuses, limit, refetch, concurrency, dry_run,
          no_index, output_format) -> None:
    """Download and extract documents (default: those not fetched yet).

    Unknown URLs given as arguments are added and fetched in one go. Ctrl-C
    stops cleanly: run the same command again to finish the job.

    \b
    Examples:
      kurt content fetch
      kurt content fetch --url-prefix https://docs.example.com/guides/ --limit 50
      kurt content fetch --status ERROR
      kurt content fetch --refetch --format json
      kurt content fetch https://docs.example.com/new-page
    """
    from kurt.ingest.fetch import fetch_documents, fetch_filter
    from kurt.ingest.progress import progress_bars

    ws, store = app.workspace, app.store
    new_urls: list[str] | None = [] if dry_run else None  # a dry run adds no document
    flt = fetch_filter(ws, store, flt, targets=targets, urls_file=urls_file,
                       all_statuses=all_statuses, refetch=refetch, new_urls=new_urls)
    with progress_bars(enabled=app.interactive and output_format == "table") as bars:
        report = fetch_documents(ws, store, flt, refetch=refetch, limit=limit,
                                 concurrency=concurrency, dry_run=dry_run,
                                 index=not no_index, new_urls=new_urls or (),
                                 **_bars(bars, no_index))
    render_fetch(report, output_format)
    finish(report)


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="URL|PATH...")
@click.option("--include", multiple=True, metavar="GLOB", help="Only URLs or paths matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip URLs or paths matching GLOB (repeatable).")
@click.option("--limit", type=count(0), metavar="N", help="Map at most N new documents per source.")
@click.option("--max-depth", type=count(0), metavar="N", help="Crawl depth when a site has no sitemap.")
@click.option("--max-pages", type=count(1), metavar="N", help="Crawl at most N pages.")
@click.option("--concurrency", type=count(1), metavar="N", help="Requests in flight.")
@click.option("--no-index", is_flag=True, help="Do not index the fetched documents afterwards.")
@click.option("--follow-symlinks", is_flag=True,
              help="In a folder, also read links that lead out of it (skipped by default).")
@format_option("table", "json")
@pass_app
def add(app, sources, include, exclude, limit, max_depth, max_pages, concurrency, no_index,
        follow_symlinks, output_format) -> None:
    """Map and fetch sources in one step: a website URL, a folder or a file. Safe to re-run.

    \b
    Examples:
      kurt content add https://docs.example.com
      kurt content add https://example.com/blog --include '*/blog/*' --limit 100
      kurt content add ./docs
    """
    from kurt.ingest.add import add_sources
    from kurt.ingest.progress import progress_bars

    with progress_bars(enabled=app.interactive and output_format == "table") as bars:
        report = add_sources(app.workspace, app.store, list(sources), include=include,
                             exclude=exclude, limit=limit, max_depth=max_depth,
                             max_pages=max_pages, concurrency=concurrency,
                             index=not no_index, follow_symlinks=follow_symlinks,
                             **_bars(bars, no_index))
    empty = report.empty_sources
    if output_format == "json":
        emit_json(report.to_dict())
    else:
        for line in report.map_lines():
            click.echo(line)
        if len(empty) < len(report.mapped) or report.fetch.selected:
            render_fetch(report.fetch, "table", already=report.already_fetched)
    if empty and len(empty) == len(report.mapped) and not report.fetch.selected:
        from kurt.errors import KurtError

        reasons = "; ".join(p for m in empty for p in (m.report.problems or ["no reason was given"])[:2])
        raise KurtError(f"nothing found at {', '.join(m.source for m in empty)} ({reasons}); "
                        "check the URL or path, or try 'kurt content map url URL --sitemap SITEMAP'")
    for item in empty if output_format != "json" else ():  # JSON: under "mapped"
        click.echo(f"Warning: nothing found at {item.source}.", err=True)
    for item in report.mapped:
        if item.kind == "file" and item not in empty and output_format != "json":
            for problem in getattr(item.report, "problems", []):  # links not followed, say
                click.echo(f"Warning: {item.source}: {problem}", err=True)
    finish(report.fetch)


def _bars(bars, no_index: bool) -> dict:
    """The progress callbacks of a fetch run: its pages (indexed as they are written, unless
    --no-index), then the indexing left after it and the embedding; none when not drawn."""
    if bars is None:
        return {"progress": None, "index_progress": None, "embed_progress": None}
    return {"progress": bars.bar("Fetching" if no_index else "Fetching and indexing", failures=True),
            "index_progress": bars.bar("Indexing"), "embed_progress": bars.bar("Embedding")}


def render_fetch(report, output_format: str, *, already: int | None = None) -> None:
    """The closing summary of a fetch run (stdout)."""
    if output_format == "json":
        emit_json(report.to_dict())
        return
    if report.dry_run:
        click.echo(f"Would fetch {report.selected} documents (dry run: nothing fetched).")
        for doc in report.documents[:20]:
            click.echo(f"  {doc.id}  {doc.url}" + (f"  ({doc.reason})" if doc.reason else ""))
        if report.selected > 20:
            click.echo(f"  ... and {report.selected - 20} more")
        return
    if report.selected == 0:
        tail = f" ({already} already fetched)" if already else ""
        click.echo(f"Nothing to fetch{tail}: every selected document is done. "
                   "Use --refetch to check for changes, or --status ERROR to retry failures.")
        if report.indexed:  # what an earlier run fetched without indexing it
            click.echo(f"Indexed {report.indexed} fetched documents whose index was out of date.")
        return
    click.echo(
        f"Fetched {report.fetched} of {report.selected} documents in {report.elapsed:.1f} s "
        f"({report.pages_per_second:.1f}/s): {report.new} new, {report.changed} changed, "
        f"{report.unchanged} unchanged"
        + (f"; {already} were already fetched" if already else "")
    )
    if report.restored:
        click.echo(f"Restored: {report.restored} source files edited or deleted by hand were "
                   "written again from the published version")
    if report.gone:
        click.echo(f"Gone: {report.gone} (no longer at their source; their last copies are kept in sources/)")
    _grouped(f"Failed: {report.failed}", report.errors)
    _grouped(f"Skipped: {report.skipped}", report.skip_reasons)
    for reason, urls in report.robots_unreadable.items():  # one line per site
        click.echo(f"Not fetched: {len(urls)} (they keep their status): {reason}")
    _grouped(f"Left to another fetch run: {report.other_run} (it had claimed them: each page is fetched once)",
             report.other_runs)
    if report.deleted:
        _grouped(f"Deleted during the run: {report.deleted} (by another command; no file kept)",
                 {"deleted while being fetched": report.deleted_urls})
    if report.indexed:
        click.echo(f"Indexed {report.indexed} new or changed documents.")
    if report.timed_out:
        shown = report.timed_out[:TIMED_OUT_SHOWN]
        more = len(report.timed_out) - len(shown)
        click.echo(f"Timed out: {len(report.timed_out)} (the server did not answer in time; "
                   "raise [ingest] timeout in kurt.toml if it is just slow)")
        for url in shown:
            click.echo(f"         {url}")
        if more:
            click.echo(f"         ... and {more} more (--format json lists them all)")
    if report.failed > len(report.kept_copies):
        click.echo("Retry the failures with: kurt content fetch --status ERROR")
    if report.kept_copies:
        click.echo(f"{len(report.kept_copies)} of the failed pages were fetched before: they keep "
                   "their last good copy (status FETCHED, still in search); retry them with: "
                   "kurt content fetch --refetch")
    if report.robots_blocked:
        click.echo(f"{len(report.robots_blocked)} skipped because robots.txt forbids them to your "
                   "user agent: if you change user_agent or respect_robots in kurt.toml, retry "
                   "them with: kurt content fetch --status SKIPPED")
    if report.interrupted:
        click.echo("Interrupted: run the same command again to finish the job.", err=True)


def _grouped(title: str, groups: dict[str, list[str]]) -> None:
    if not groups:
        return
    click.echo(title)
    for reason, urls in sorted(groups.items(), key=lambda item: -len(item[1])):
        click.echo(f"  {len(urls):>5}  {reason}")
        for url in urls[:EXAMPLES_SHOWN]:
            click.echo(f"         {url}")
        if len(urls) > EXAMPLES_SHOWN:
            click.echo(f"         ... and {len(urls) - EXAMPLES_SHOWN} more")


def finish(report) -> None:
    """Exit code: 130 when interrupted, 1 when every document failed or every one waits for
    a robots.txt that could not be read, else 0."""
    if report.interrupted:
        click.get_current_context().exit(130)
    if report.all_failed:
        from kurt.errors import KurtError

        reason = max(report.errors.items(), key=lambda item: len(item[1]))[0]
        raise KurtError(f"all {report.failed} documents failed (mostly: {reason}); "
                        "check the URLs or your network and run again", code="network")
    if report.all_deferred:
        from kurt.errors import KurtError

        reasons = list(report.robots_unreadable)
        raise KurtError(f"nothing fetched: {reasons[0]}" if len(reasons) == 1 else
                        f"nothing fetched: the robots.txt of {len(reasons)} sites could not be "
                        "read (see above); run the same command again later", code="network")
