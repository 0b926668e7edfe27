"""``kurt research``: look beyond the ingested sources, and keep what was found."""

from __future__ import annotations

import contextlib
import functools

import click

from kurt.cli.app import pass_app
from kurt.cli.options import count, format_option
from kurt.cli.output import emit_json


@click.group()
def research() -> None:
    """Research beyond your sources: web answers, Hacker News, Reddit, feeds.

    \b
    Results are saved as markdown in research/ (with --project NAME: in the
    project's research/ folder, recorded in its plan.md); --ingest adds the
    pages they cite as documents. Keys come from the environment or .env.

    \b
    Examples:
      kurt research search "How do teams self-host PostHog?" --project q3-launch
      kurt research hackernews "postgres connection pooling" --since 1y
      kurt research reddit "dbt vs sqlmesh" --subreddit dataengineering
      kurt research feeds https://blog.example.com/feed.xml --match pricing
    """


def keeping_options(func):
    """--project, --ingest, --no-save and --format, shared by every research command."""

    @click.option("--project", metavar="NAME",
                  help="Save in projects/NAME/research/ and record it in its plan.md.")
    @click.option("--ingest", is_flag=True,
                  help="Add the pages the result cites as documents (fetched and indexed).")
    @click.option("--no-save", is_flag=True, help="Print only; write no file.")
    @format_option("text", "json", default="text")
    @functools.wraps(func)
    def wrapper(*args, project, ingest, no_save, output_format, **kwargs):
        from kurt.integrations.research.run import Keeping

        kwargs["output_format"] = output_format
        kwargs["keeping"] = Keeping(project=project, ingest=ingest, save=not no_save)
        return func(*args, **kwargs)

    return wrapper


def _prepare(app, keeping, output_format: str):
    """The store and a progress bar, needed only to ingest."""
    if keeping.ingest:
        from kurt.ingest.progress import progress_bar

        keeping.store = app.store
        return progress_bar("Ingesting", enabled=app.interactive and output_format == "text")
    return contextlib.nullcontext()


@research.command("search")
@click.argument("question", nargs=-1, required=True)
@click.option("--recency", type=click.Choice(["hour", "day", "week", "month", "year"]),
              help="Only sources from the last hour, day, week, month or year.")
@click.option("--domain", "domains", multiple=True, metavar="DOMAIN",
              help="Search only DOMAIN (repeatable; '-DOMAIN' excludes it).")
@keeping_options
@pass_app
def search(app, question, recency, domains, keeping, output_format) -> None:
    """Ask a question; get an answer with its cited URLs (Perplexity, or [research] in kurt.toml).

    \b
    Needs PERPLEXITY_API_KEY (or the variable named by [research] api_key_env).

    \b
    Examples:
      kurt research search "What changed in Stripe's Payment Element in 2024?"
      kurt research search "Postgres 17 logical replication" --recency year --ingest
      kurt research search "Railway private networking" --project q3-launch --format json
    """
    from kurt.integrations.research.run import search_web

    with _prepare(app, keeping, output_format) as progress:
        keeping.progress = progress
        result = search_web(app.workspace, " ".join(question), recency=recency,
                            domains=domains, keeping=keeping)
    _render(app, result, output_format)


@research.command("hackernews")
@click.argument("query", nargs=-1, required=True)
@click.option("--type", "kind", type=click.Choice(["story", "comment", "all"]), default="story",
              show_default=True, help="Stories, comments or both.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True, help="Best match first, or newest first.")
@click.option("--since", metavar="AGE|DATE", help="Only items since then: 30d, 12w, 6m, 1y or YYYY-MM-DD.")
@click.option("--min-points", type=count(0), metavar="N", help="Only stories with N points or more.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True, help="At most this many items.")
@keeping_options
@pass_app
def hackernews(app, query, kind, sort, since, min_points, limit, keeping, output_format) -> None:
    """Search Hacker News stories and comments (the public HN Algolia API, no key).

    \b
    Examples:
      kurt research hackernews "postgres connection pooling"
      kurt research hackernews "railway.app" --since 1y --min-points 50 --ingest
      kurt research hackernews "feature flags" --type comment --sort date --limit 50
    """
    from kurt.integrations.research.run import search_hackernews

    with _prepare(app, keeping, output_format) as progress:
        keeping.progress = progress
        result = search_hackernews(app.workspace, " ".join(query), kind=kind, sort=sort,
                                   since=since, min_points=min_points, limit=limit,
                                   keeping=keeping)
    _render(app, result, output_format, limit=limit)


@research.command("reddit")
@click.argument("query", nargs=-1)
@click.option("--subreddit", metavar="NAME", help="Search one subreddit (r/NAME) instead of all of Reddit.")
@click.option("--sort", type=click.Choice(["relevance", "hot", "top", "new", "comments"]),
              default="relevance", show_default=True, help="Order of the posts.")
@click.option("--time", "period", type=click.Choice(["hour", "day", "week", "month", "year", "all"]),
              default="all", show_default=True, help="Only posts from this last period.")
@click.option("--limit", type=click.IntRange(1, 500), default=25, show_default=True, help="At most this many posts.")
@keeping_options
@pass_app
def reddit(app, query, subreddit, sort, period, limit, keeping, output_format) -> None:
    """Search Reddit posts, or list a subreddit's (public JSON; set [research] reddit_user_agent).

    \b
    Without a query, --subreddit NAME lists its hot, new or top posts (--sort).

    \b
    Examples:
      kurt research reddit "self-hosted product analytics"
      kurt research reddit "dbt vs sqlmesh" --subreddit dataengineering --time year
      kurt research reddit "railway vs render" --sort top --limit 10 --format json
      kurt research reddit --subreddit selfhosted --sort top --time month
    """
    from kurt.integrations.research.run import search_reddit

    with _prepare(app, keeping, output_format) as progress:
        keeping.progress = progress
        result = search_reddit(app.workspace, " ".join(query), subreddit=subreddit, sort=sort,
                               period=period, limit=limit, keeping=keeping)
    _render(app, result, output_format, limit=limit)


@research.command("feeds")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--match", metavar="WORDS", help="Only entries whose title or URL has one of WORDS.")
@click.option("--since", metavar="AGE|DATE", help="Only entries since then: 30d, 12w, 6m, 1y or YYYY-MM-DD.")
@click.option("--limit", type=count(1), default=50, show_default=True, help="At most this many entries.")
@keeping_options
@pass_app
def feeds(app, urls, match, since, limit, keeping, output_format) -> None:
    """Read RSS, Atom and JSON feeds: their newest entries, optionally filtered.

    \b
    Examples:
      kurt research feeds https://blog.example.com/feed.xml
      kurt research feeds https://a.com/rss https://b.com/atom.xml --match "pricing launch" --since 90d
      kurt research feeds https://blog.example.com/feed.json --project q3-launch --ingest
    """
    from kurt.integrations.research.run import read_feeds

    with _prepare(app, keeping, output_format) as progress:
        keeping.progress = progress
        result = read_feeds(app.workspace, list(urls), match=match, since=since, limit=limit,
                            keeping=keeping)
    _render(app, result, output_format, limit=limit)


def _render(app, result, output_format: str, *, limit: int | None = None) -> None:
    """The result; ``limit``: the --limit asked, reported (JSON: limit, limit_reached; text: a
    note) so a cut list never passes for the whole one."""
    from kurt.integrations.research.results import provider_label, reference_line

    reached = limit is not None and len(result.references) >= limit
    if output_format == "json":
        emit_json({**result.to_dict(), "limit": limit, "limit_reached": reached})
        return
    click.echo(f"{provider_label(result)}: {result.query}")
    if result.answer is not None:
        click.echo("")
        click.echo(result.answer or "(empty answer)")
    click.echo("")
    if not result.references:
        click.echo("No sources found.")
    for number, ref in enumerate(result.references, 1):
        click.echo(f"{number:>3}. {reference_line(ref)}")
    if reached:
        click.echo(f"showing the first {limit}: more may exist (raise --limit)", err=True)
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    failed = {url: why for url, why in result.ingested.items() if why.startswith("not ingested")}
    if result.ingested:
        done = len(result.ingested) - len(failed)
        click.echo(f"\nIngested {done} of {len(result.ingested)} cited pages as documents.")
        for url, why in failed.items():
            click.echo(f"  {url}: {why}")
    if result.path:
        click.echo(f"Saved {result.path}")
    if result.recorded_in:
        click.echo(f"Recorded in {result.recorded_in}")
