"""What a research source returns, and how it reads as markdown.

A ``ResearchResult`` is a query, when and where it was asked, an optional answer
and numbered ``Reference`` entries. ``render_markdown`` writes it the way it is
saved in ``research/``: YAML frontmatter (query, provider, date, references),
the answer, and one numbered line per reference with its title, URL and date,
so that the answer's ``[1]`` markers point at the right source.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta

from kurt.errors import UsageError

PROVIDER_NAMES = {
    "perplexity": "Perplexity",
    "search": "web search",
    "hackernews": "Hacker News",
    "reddit": "Reddit",
    "feeds": "feeds",
}
_SINCE = re.compile(r"^(\d+)([dwmy])$")


@dataclass
class Reference:
    """One source a result points at."""

    url: str
    title: str | None = None
    date: str | None = None  # ISO-8601 (a date or a UTC timestamp)
    site: str | None = None  # where it was found: a host, "r/python", a feed's title
    author: str | None = None
    points: int | None = None  # HN points, Reddit score
    comments: int | None = None
    discussion_url: str | None = None  # the HN item or Reddit thread, when url is elsewhere
    excerpt: str | None = None
    is_discussion: bool = False  # the URL is a forum thread (HN item, Reddit post): not ingested
    document_id: str | None = None  # set when the page was ingested (--ingest)


@dataclass
class ResearchResult:
    provider: str  # perplexity (or the configured answer engine), hackernews, reddit, feeds
    query: str
    searched_at: str  # ISO-8601 UTC
    references: list[Reference] = field(default_factory=list)
    answer: str | None = None
    model: str | None = None
    options: dict = field(default_factory=dict)  # what narrowed the search (subreddit, since...)
    notes: list[str] = field(default_factory=list)  # what did not go well (a feed that failed...)
    path: str | None = None  # where it was saved, relative to the workspace
    recorded_in: str | None = None  # the plan.md it was recorded in
    ingested: dict = field(default_factory=dict)  # url -> document id, or the reason it failed

    def to_dict(self) -> dict:
        return asdict(self)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_from_epoch(seconds) -> str | None:
    """A Unix timestamp as an ISO-8601 UTC string; None when it is not a number."""
    try:
        return datetime.fromtimestamp(float(seconds), UTC).replace(microsecond=0) \
            .isoformat().replace("+00:00", "Z")
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def since_date(value: str, today: date | None = None) -> date:
    """``7d``, ``4w``, ``6m``, ``1y`` back from today, or a date (YYYY-MM-DD)."""
    today = today or datetime.now(UTC).date()
    text = value.strip().lower()
    match = _SINCE.match(text)
    if match:
        count, unit = int(match.group(1)), match.group(2)
        days = count * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]
        return today - timedelta(days=days)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since '{value}': use a date (YYYY-MM-DD) or an age like 30d, "
                         "12w, 6m, 1y") from None


def provider_label(result: ResearchResult) -> str:
    name = PROVIDER_NAMES.get(result.provider, result.provider)
    return f"{name} ({result.model})" if result.model else name


def render_markdown(result: ResearchResult) -> str:
    """The saved form of a result (see the module docstring)."""
    import yaml

    front = {"query": result.query, "provider": result.provider, "date": result.searched_at}
    if result.model:
        front["model"] = result.model
    if result.options:
        front["options"] = result.options
    front["references"] = len(result.references)
    lines = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip(), "---", "",
             f"# Research: {_one_line(result.query)}", "",
             f"- Query: {_one_line(result.query)}",
             f"- Provider: {provider_label(result)}",
             f"- Date: {result.searched_at}"]
    for key, value in result.options.items():
        lines.append(f"- {key.replace('_', ' ').capitalize()}: {value}")
    lines.append("")
    if result.answer is not None:
        lines += ["## Answer", "", result.answer.strip() or "(empty answer)", ""]
    lines += ["## Sources", ""]
    if not result.references:
        lines.append("No sources found.")
    for number, ref in enumerate(result.references, 1):
        lines.append(f"{number}. {reference_line(ref)}")
        if ref.excerpt:
            lines.append(f"   > {_one_line(ref.excerpt, 300)}")
    if result.notes:
        lines += ["", "## Notes", ""] + [f"- {_one_line(note)}" for note in result.notes]
    return "\n".join(lines).rstrip() + "\n"


def reference_line(ref: Reference) -> str:
    """``[Title](url) — date — site — 42 points, 7 comments — discussion — kurt: id``."""
    title = _one_line(ref.title or ref.url, 200).replace("[", "(").replace("]", ")")
    parts = [f"[{title}](<{ref.url}>)"]
    if ref.date:
        parts.append(ref.date[:10])
    if ref.site:
        parts.append(ref.site)
    counts = []
    if ref.points is not None:
        counts.append(f"{ref.points} points")
    if ref.comments is not None:
        counts.append(f"{ref.comments} comments")
    if ref.author:
        counts.append(f"by {ref.author}")
    if counts:
        parts.append(", ".join(counts))
    if ref.discussion_url and ref.discussion_url != ref.url:
        parts.append(f"[discussion](<{ref.discussion_url}>)")
    if ref.document_id:
        parts.append(f"document `{ref.document_id}`")
    return " — ".join(parts)


def _one_line(text: str, limit: int | None = None) -> str:
    flat = " ".join(str(text).split())
    if limit and len(flat) > limit:
        return flat[:limit - 1] + "…"
    return flat
