"""``kurt analytics``: page traffic per document, its trend, and what to refresh first."""

from __future__ import annotations

from datetime import date

import click

from kurt.cli.app import pass_app
from kurt.cli.options import count, format_option
from kurt.cli.output import emit_json, emit_note, emit_table
from kurt.paging import page_of

PAGES_SHOWN = 50  # documents 'analytics pages' shows in a table without --limit
CANDIDATES_SHOWN = 20  # candidates 'analytics refresh-candidates' shows in a table without --limit


@click.group()
def analytics() -> None:
    """Page traffic from PostHog, Google Analytics 4 or Plausible, matched to documents.

    \b
    Configure a provider in kurt.toml ([analytics.plausible] site_id,
    [analytics.posthog] project_id or [analytics.ga4] property_id) and put its
    key in .env; see docs/analytics.md.

    \b
    Examples:
      kurt analytics sync --period 30d
      kurt analytics pages --trend declining
      kurt analytics refresh-candidates --limit 20
    """


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date: use YYYY-MM-DD") from None


@analytics.command("sync")
@click.option("--provider", "providers", multiple=True,
              type=click.Choice(["posthog", "ga4", "plausible"]),
              help="Sync only this provider (repeatable; default: every configured one).")
@click.option("--period", metavar="PERIOD",
              help="Days (30d) or weeks (4w) compared with as many before ([analytics] period).")
@click.option("--until", metavar="DATE", callback=_date,
              help="Last day of the period (default: yesterday, UTC).")
@format_option("table", "json")
@pass_app
def sync(app, providers, period, until, output_format) -> None:
    """Pull page views per URL for a period and the one before; store them per document.

    \b
    Examples:
      kurt analytics sync
      kurt analytics sync --provider plausible --period 90d
      kurt analytics sync --period 4w --until 2025-06-30 --format json
    """
    from kurt.errors import KurtError
    from kurt.integrations.analytics.sync import sync_analytics

    report = sync_analytics(app.workspace, app.store, providers=providers, period=period,
                            until=until)
    if output_format == "json":
        emit_json(report.to_dict())
    else:
        for item in report.providers:
            if item.error:
                continue
            click.echo(f"{item.provider}: {item.period_start}..{item.period_end} (against "
                       f"{item.previous_start}..{item.previous_end})")
            click.echo(f"  {item.pages} pages with traffic, {item.pageviews} page views; "
                       f"{item.matched_pages} pages matched to documents")
            trends = ", ".join(f"{count} {name}" for name, count in item.trends.items())
            click.echo(f"  {item.documents} documents with traffic: {trends}")
            if item.unmatched:
                shown = ", ".join(f"{u['page']} ({u['pageviews']})" for u in item.unmatched[:5])
                click.echo(f"  most viewed pages without a document: {shown}")
            for note in item.notes:
                click.echo(f"  note: {note}", err=True)
    failed = report.failed
    if failed:
        if len(failed) == 1:
            raise KurtError(failed[0].error)
        raise KurtError(f"{len(failed)} providers were not synced: "
                        + "; ".join(f"{p.provider}: {p.error}" for p in failed))


@analytics.command("pages")
@click.option("--trend", "trends", multiple=True, type=click.Choice(["rising", "stable", "declining"]),
              help="Only documents with this trend (repeatable).")
@click.option("--limit", type=count(0), metavar="N",
              help="At most N documents (0 = all). Default: all with --format json; 50 in a "
                   "table, which then says how many there are.")
@click.option("--offset", default=0, type=count(0), help="Skip this many first.")
@format_option("table", "json")
@pass_app
def pages(app, trends, limit, offset, output_format) -> None:
    """List documents by page views in the last synced period, with their trend.

    \b
    Examples:
      kurt analytics pages
      kurt analytics pages --trend declining --limit 20
      kurt analytics pages --format json
    """
    from kurt.store.traffic import traffic_listing

    if limit is None and output_format == "table":
        limit = PAGES_SHOWN
    page = page_of(traffic_listing(app.store, trends=list(trends)), limit or None, offset)
    rows = page.items
    if output_format == "json":
        emit_json(page.to_dict("pages"))
        return
    for row in rows:
        row["change_shown"] = f"{row['change']:+.0%}" if row["change"] is not None else "new"
    emit_table(rows, [("document_id", "ID"), ("pageviews", "VIEWS"),
                      ("previous_pageviews", "BEFORE"), ("change_shown", "CHANGE"),
                      ("trend", "TREND"), ("provider", "FROM"), ("title", "TITLE"), ("url", "URL")],
               empty="No page traffic: run 'kurt analytics sync' first"
                     + (" (or no document has that trend)" if trends else "")
               if not offset else f"No pages after offset {offset}.")
    emit_note(page, "pages")


@analytics.command("refresh-candidates")
@click.option("--limit", type=count(0), metavar="N",
              help="At most N pages (0 = all). Default: all with --format json; the best 20 "
                   "in a table, which then says how many there are.")
@click.option("--offset", default=0, type=count(0), help="Skip this many first.")
@click.option("--min-pageviews", type=count(1), default=1, show_default=True,
              help="Only pages with at least this many page views in the period.")
@click.option("--reason", "reasons", multiple=True, type=click.Choice(["declining", "old", "sources"]),
              help="Only pages with this reason (repeatable).")
@click.option("--stale-after", type=count(1), metavar="DAYS",
              help="A page not updated for DAYS is old (default: [analytics] stale_after_days).")
@format_option("table", "json")
@pass_app
def refresh_candidates(app, limit, offset, min_pageviews, reasons, stale_after,
                       output_format) -> None:
    """Pages with traffic that are declining, old, or whose sources changed: ranked, with why.

    \b
    Examples:
      kurt analytics refresh-candidates
      kurt analytics refresh-candidates --reason declining --min-pageviews 100
      kurt analytics refresh-candidates --stale-after 180 --format json
    """
    from kurt.integrations.analytics.candidates import refresh_candidates as rank

    if limit is None and output_format == "table":
        limit = CANDIDATES_SHOWN
    page = page_of(rank(app.store, app.config.analytics, min_pageviews=min_pageviews,
                        reasons=reasons, stale_after_days=stale_after), limit or None, offset)
    found = page.items
    if output_format == "json":
        emit_json({**page.to_dict("candidates"), "candidates": [c.to_dict() for c in found]})
        return
    if not found and not offset:
        from kurt.store.traffic import last_syncs

        click.echo("No refresh candidates." if last_syncs(app.store) else
                   "No page traffic: run 'kurt analytics sync' first.", err=True)
        return
    for rank_number, c in enumerate(found, offset + 1):
        click.echo(f"{rank_number:>3}. {c.title or c.url}  [{c.document_id}]  score {c.score:g}")
        click.echo(f"     {c.url}")
        click.echo(f"     {c.pageviews} page views ({c.provider}); {c.why}")
    emit_note(page, "candidates")
