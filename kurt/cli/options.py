"""Options shared by several commands, defined once as decorators."""

from __future__ import annotations

import functools

import click

MAX_COUNT = 2**63 - 1  # the largest integer SQLite (and PostgreSQL's bigint) can hold


def count(minimum: int = 0, maximum: int = MAX_COUNT) -> click.IntRange:
    """The type of a count option (--limit, --offset, ...): a usage error outside the range,
    so a huge value never reaches the database as an integer it cannot hold."""
    return click.IntRange(minimum, maximum)


def json_requested(args: list[str]) -> bool:
    """True when a command line asks for ``--format json`` (before any ``--``), so even an
    error raised while parsing it is reported as JSON."""
    for i, arg in enumerate(args):
        if arg == "--":
            return False
        lowered = arg.lower()
        if lowered == "--format=json":
            return True
        if arg == "--format" and i + 1 < len(args) and args[i + 1].lower() == "json":
            return True
    return False


def format_option(*choices: str, default: str = "table"):
    """``--format`` with the given choices (table and json at least)."""
    choices = choices or ("table", "json")
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices, case_sensitive=False),
        default=default,
        show_default=True,
        help="Output format.",
    )


def document_filter_options(*, default_statuses: tuple[str, ...] = (), ids_argument: bool = False):
    """The document filters (AND-combined); the command receives one ``flt`` DocumentFilter.

    With ``ids_argument`` the command also takes positional IDs/URLs/paths which
    the command resolves itself (they arrive as ``idents``).
    """

    def decorator(func):
        @click.option("--status", "statuses", multiple=True, metavar="STATUS",
                      help="NOT_FETCHED, FETCHED, ERROR, SKIPPED or GONE (repeatable)."
                      + (f" Default: {', '.join(default_statuses)}." if default_statuses else ""))
        @click.option("--url-prefix", metavar="PREFIX", help="URLs starting with PREFIX.")
        @click.option("--url-contains", multiple=True, metavar="TEXT",
                      help="URLs containing TEXT (repeatable, all must match).")
        @click.option("--include", multiple=True, metavar="GLOB",
                      help="Only URLs or paths matching GLOB, e.g. '*/docs/*' (repeatable).")
        @click.option("--exclude", multiple=True, metavar="GLOB",
                      help="Skip URLs or paths matching GLOB (repeatable).")
        @click.option("--with-entity", "with_entities", multiple=True, metavar="TYPE:NAME",
                      help="Documents mentioning an entity, e.g. \"Topic:integration\"; "
                      "'Technology:Post*' for a prefix (repeatable).")
        @click.option("--with-content-type", "content_types", multiple=True, metavar="TYPE",
                      help="tutorial, guide, reference, api-reference, integration, blog-post, ... (repeatable).")
        @click.option("--in-cluster", "clusters", multiple=True, metavar="CLUSTER",
                      help="Documents in a topic cluster, by name or id (repeatable).")
        @click.option("--domain", "domains", multiple=True, metavar="DOMAIN",
                      help="Documents from DOMAIN ('local' for files) (repeatable).")
        @click.option("--changed-since", metavar="DATE",
                      help="Changed (or first fetched) on or after DATE (YYYY-MM-DD).")
        @functools.wraps(func)
        def wrapper(*args, statuses, url_prefix, url_contains, include, exclude,
                    with_entities, content_types, clusters, domains, changed_since, **kwargs):
            from kurt.store.filters import DocumentFilter

            kwargs["flt"] = DocumentFilter(
                statuses=list(statuses) or list(default_statuses),
                url_prefix=url_prefix,
                url_contains=list(url_contains),
                include=list(include),
                exclude=list(exclude),
                with_entities=list(with_entities),
                content_types=list(content_types),
                clusters=list(clusters),
                domains=list(domains),
                changed_since=_check_date(changed_since),
            )
            return func(*args, **kwargs)

        return wrapper

    return decorator


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import datetime

    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a date: use YYYY-MM-DD", param_hint="--changed-since"
        ) from None
    return value
