"""``kurt research hackernews``: stories and comments from the HN Algolia search API.

``GET {hackernews_url}/search`` (by relevance) or ``/search_by_date`` (newest
first) with ``query``, ``tags`` (``story``, ``comment`` or ``(story,comment)``),
``numericFilters`` (``created_at_i>=T``, ``points>=N``), ``page`` and
``hitsPerPage``. The answer is ``{hits, page, nbPages, hitsPerPage, nbHits}``;
a hit has ``objectID``, ``title``, ``url``, ``author``, ``points``,
``num_comments``, ``created_at`` (and ``created_at_i``), ``story_text`` or
``comment_text`` (HTML), and for a comment ``story_id``, ``story_title``.
Pages are read until ``limit`` hits or the last page (``nbPages``). Errors come
as ``{"message": ..., "status": ...}``. No key is needed.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from kurt.errors import UsageError
from kurt.ingest.urls import web_url
from kurt.integrations.http import ApiClient, error_detail
from kurt.integrations.research.results import (
    Reference,
    ResearchResult,
    iso_from_epoch,
    now_iso,
    since_date,
)

KINDS = {"story": "story", "comment": "comment", "all": "(story,comment)"}
SORTS = {"relevance": "search", "date": "search_by_date"}
ITEM_URL = "https://news.ycombinator.com/item?id={}"
PAGE_SIZE = 50
MAX_LIMIT = 500
_TAG = re.compile(r"<[^>]+>")


def client_from_config(ws, *, transport=None, sleep=time.sleep) -> ApiClient:
    config = ws.config.research
    return ApiClient("Hacker News search (Algolia)", config.hackernews_url,
                     "[research] hackernews_url", headers={"Accept": "application/json",
                                                           "User-Agent": ws.config.ingest.user_agent},
                     timeout=config.timeout, retries=config.retries,
                     max_retry_after=config.max_retry_after, transport=transport, sleep=sleep)


def search(client: ApiClient, query: str, *, kind: str = "story", sort: str = "relevance",
           since: str | None = None, min_points: int | None = None, limit: int = 20,
           today: date | None = None) -> ResearchResult:
    """Search Hacker News (see the module docstring); at most ``limit`` references."""
    query = " ".join((query or "").split())
    if not query:
        raise UsageError("Give a query: kurt research hackernews \"postgres connection pooling\"")
    if kind not in KINDS:
        raise UsageError(f"Unknown kind '{kind}': use one of {', '.join(KINDS)}")
    if sort not in SORTS:
        raise UsageError(f"Unknown sort '{sort}': use one of {', '.join(SORTS)}")
    limit = max(1, min(int(limit), MAX_LIMIT))
    filters, options = [], {"type": kind, "sort": sort}
    if since:
        start = since_date(since, today)
        filters.append(f"created_at_i>={int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())}")
        options["since"] = start.isoformat()
    if min_points is not None:
        filters.append(f"points>={int(min_points)}")
        options["min_points"] = int(min_points)
    result = ResearchResult("hackernews", query, now_iso(), options=options)
    page = 0
    while len(result.references) < limit:
        params = {"query": query, "tags": KINDS[kind], "page": page,
                  "hitsPerPage": min(PAGE_SIZE, limit)}
        if filters:
            params["numericFilters"] = ",".join(filters)
        response = client.get(SORTS[sort], params=params)
        data = response.json()
        if not response.ok:
            raise client.failure(response, error_detail(data),
                                 fix="check the query and options" if response.status == 400 else None)
        if not isinstance(data, dict) or not isinstance(data.get("hits"), list):
            raise client.not_json(response)
        for hit in data["hits"]:
            reference = reference_of(hit)
            if reference is not None and len(result.references) < limit:
                result.references.append(reference)
        pages = data.get("nbPages")
        page += 1
        if not data["hits"] or not isinstance(pages, int) or page >= pages:
            break
    return result


def reference_of(hit) -> Reference | None:
    """A story or comment hit as a reference (None for a hit without an id)."""
    if not isinstance(hit, dict) or not hit.get("objectID"):
        return None
    item = ITEM_URL.format(hit["objectID"])
    date_value = hit.get("created_at") or iso_from_epoch(hit.get("created_at_i"))
    if hit.get("comment_text") is not None or "comment" in (hit.get("_tags") or []):
        story = hit.get("story_id")
        title = hit.get("story_title") or hit.get("title")
        return Reference(
            url=item, title=f"Comment on: {title}" if title else "Comment",
            date=date_value, site="Hacker News", author=hit.get("author"),
            points=_int(hit.get("points")), comments=None,
            discussion_url=ITEM_URL.format(story) if story else None,
            excerpt=plain_text(hit.get("comment_text")), is_discussion=True)
    url = web_url(str(hit.get("url") or "")) or item
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return Reference(
        url=url, title=hit.get("title"), date=date_value,
        site=host if url != item else "Hacker News", author=hit.get("author"),
        points=_int(hit.get("points")), comments=_int(hit.get("num_comments")),
        discussion_url=item, excerpt=plain_text(hit.get("story_text")), is_discussion=url == item)


def plain_text(markup) -> str | None:
    """HN's HTML text as one plain line."""
    if not markup:
        return None
    text = html.unescape(_TAG.sub(" ", str(markup)))
    text = " ".join(text.split())
    return text or None


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
