"""Pages, periods and trends: what every analytics provider speaks.

- ``Period``: whole days, both bounds included. ``parse_period("30d", until)``
  is the 30 days ending on ``until`` (yesterday by default: today is not over);
  ``period.previous`` is the same number of days just before it.
- ``PageTraffic``: one page's numbers in one period, as a provider reports them.
- ``page_key``: the normalised form a page and a document are matched on: the host
  in lower case without ``www.`` and without port, the path without query,
  fragment, trailing slash or ``index.html``, percent-escapes decoded
  (``https://www.Example.com/Docs/Setup/?utm=x`` -> ``example.com/Docs/Setup``).
- ``trend``: the current period against the previous one (see ``trend``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from urllib.parse import unquote, urlsplit

from kurt.errors import UsageError

TRENDS = ("rising", "stable", "declining")
_PERIOD = re.compile(r"^(\d+)\s*([dw])$")
MAX_DAYS = 730


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def parse_period(text: str, until: date | None = None) -> Period:
    """``30d`` or ``4w``: that many days ending on ``until`` (default: yesterday, UTC)."""
    match = _PERIOD.match((text or "").strip().lower())
    if not match:
        raise UsageError(f"--period '{text}': use a number of days or weeks, like 30d, 7d or 4w")
    days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--period '{text}': use 1 to {MAX_DAYS} days")
    end = until or (datetime.now(UTC).date() - timedelta(days=1))
    return Period(end - timedelta(days=days - 1), end)


@dataclass
class PageTraffic:
    """One page in one period. ``url``: as reported (a URL, or host + path)."""

    url: str
    pageviews: int = 0
    visitors: int | None = None
    entrances: int | None = None  # sessions that started on the page
    bounce_rate: float | None = None  # 0..1, of the sessions that started on the page
    engagement_rate: float | None = None  # 0..1

    @property
    def key(self) -> str | None:
        return page_key(self.url)


class Provider(Protocol):
    name: str
    notes: list[str]  # what it could not give (an optional report refused...)

    def page_traffic(self, period: Period) -> list[PageTraffic]: ...


def page_key(url: str) -> str | None:
    """The normalised form pages and documents are matched on (module docstring).

    ``url`` is a URL or ``host/path``; None when it names no host."""
    text = (url or "").strip()
    if not text or text.startswith("/"):
        return None
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    if not host:
        return None
    path = re.sub(r"/{2,}", "/", unquote(parts.path or "/"))
    path = re.sub(r"/index\.html?$", "/", path).rstrip("/")
    return f"{host}{path}"


def join_host(host: str | None, path: str) -> str:
    """``host`` + ``path`` as a URL-like string (a path alone when there is no host)."""
    path = path if path.startswith("/") else "/" + path
    return f"{host}{path}" if host else path


def trend(current: int, previous: int, *, threshold: float, min_change: int) -> tuple[float | None, str]:
    """(relative change, trend) of ``current`` page views against ``previous``.

    Rising: up by at least ``threshold`` (0.2 = 20%) AND by at least ``min_change``
    views (from nothing, any rise of ``min_change`` views). Declining: down by at
    least ``threshold`` and ``min_change`` views. Otherwise stable: small numbers
    move a lot by chance, so a page needs both a relative and an absolute change.
    """
    change = (current - previous) / previous if previous > 0 else None
    if current - previous >= min_change and (change is None or change >= threshold):
        return change, "rising"
    if previous - current >= min_change and change is not None and change <= -threshold:
        return change, "declining"
    return change, "stable"


def merge(rows: list[PageTraffic]) -> dict[str, PageTraffic]:
    """Rows with the same ``page_key`` added up (views, visitors, entrances); rates are
    averaged weighted by entrances. Rows without a usable key are dropped."""
    merged: dict[str, PageTraffic] = {}
    weights: dict[str, dict[str, float]] = {}
    for row in rows:
        key = row.key
        if key is None:
            continue
        into = merged.get(key)
        if into is None:
            into = merged[key] = PageTraffic(row.url)
            weights[key] = {"bounce": 0.0, "bounce_w": 0.0, "engaged": 0.0, "engaged_w": 0.0}
        into.pageviews += row.pageviews or 0
        into.visitors = _add(into.visitors, row.visitors)
        into.entrances = _add(into.entrances, row.entrances)
        weight = float(row.entrances or 1)
        sums = weights[key]
        if row.bounce_rate is not None:
            sums["bounce"] += row.bounce_rate * weight
            sums["bounce_w"] += weight
        if row.engagement_rate is not None:
            sums["engaged"] += row.engagement_rate * weight
            sums["engaged_w"] += weight
    for key, into in merged.items():
        sums = weights[key]
        into.bounce_rate = sums["bounce"] / sums["bounce_w"] if sums["bounce_w"] else None
        into.engagement_rate = sums["engaged"] / sums["engaged_w"] if sums["engaged_w"] else None
    return merged


def _add(a: int | None, b: int | None) -> int | None:
    if a is None and b is None:
        return None
    return (a or 0) + (b or 0)
