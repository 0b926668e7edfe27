"""``kurt research reddit``: posts from Reddit's public JSON listings.

``GET {reddit_url}/search.json`` (all of Reddit) or
``/r/NAME/search.json?restrict_sr=1`` (one subreddit) with ``q``, ``sort``
(relevance, hot, top, new, comments), ``t`` (hour, day, week, month, year, all),
``limit`` (at most 100 a page) and ``after`` (the cursor of the next page).
Without a query, a subreddit's own listing is read instead: ``/r/NAME/hot.json``,
``new.json`` or ``top.json`` (with ``t``), paged the same way. The
answer is a Listing: ``{"kind": "Listing", "data": {"after", "children": [{"kind":
"t3", "data": {title, permalink, url, score, num_comments, created_utc, subreddit,
author, selftext, is_self}}]}}``.

Reddit refuses clients without a descriptive User-Agent, so every request sends
``[research] reddit_user_agent`` (``<platform>:<app id>:<version> (by /u/NAME)``).
Rate limits: a 429 is retried after ``Retry-After`` or ``X-RateLimit-Reset``
(Reddit also answers 429 to a User-Agent it does not accept, so a 429 that does
not stop names the setting);
when ``X-RateLimit-Remaining`` falls below one and more pages are wanted, the
next request waits for the reset (or the reading stops with a note when the
wait is longer than ``max_retry_after``). Errors look like ``{"message":
"Forbidden", "error": 403, "reason": "private"}``; a subreddit that does not exist
redirects to a subreddit search, which is reported as such.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from kurt.errors import NotFound, UsageError
from kurt.ingest.urls import web_url
from kurt.integrations.http import ApiClient, ApiResponse, error_detail
from kurt.integrations.research.results import Reference, ResearchResult, iso_from_epoch, now_iso

SORTS = ("relevance", "hot", "top", "new", "comments")
LISTINGS = ("hot", "new", "top")  # a subreddit's own listings (no query)
TIMES = ("hour", "day", "week", "month", "year", "all")
PAGE_SIZE = 100  # Reddit's largest page
MAX_LIMIT = 500
_SUBREDDIT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{1,20}$")


def client_from_config(ws, *, transport=None, sleep=time.sleep) -> ApiClient:
    config = ws.config.research
    return ApiClient("Reddit", config.reddit_url, "[research] reddit_url",
                     headers={"User-Agent": config.reddit_user_agent, "Accept": "application/json"},
                     timeout=config.timeout, retries=config.retries,
                     max_retry_after=config.max_retry_after, transport=transport, sleep=sleep)


def search(client: ApiClient, query: str, *, subreddit: str | None = None,
           sort: str = "relevance", period: str = "all", limit: int = 25) -> ResearchResult:
    """Search Reddit or one subreddit (see the module docstring)."""
    query = " ".join((query or "").split())
    if not query and not subreddit:
        raise UsageError("Give a query (kurt research reddit \"self-hosted analytics\"), or "
                         "--subreddit NAME alone to list its posts")
    if sort not in SORTS:
        raise UsageError(f"Unknown sort '{sort}': use one of {', '.join(SORTS)}")
    if period not in TIMES:
        raise UsageError(f"Unknown time '{period}': use one of {', '.join(TIMES)}")
    name = None
    if subreddit:
        name = subreddit.strip().removeprefix("/").removeprefix("r/")
        if not _SUBREDDIT.match(name):
            raise UsageError(f"'{subreddit}' is not a subreddit name (letters, digits and _)")
    limit = max(1, min(int(limit), MAX_LIMIT))
    options = {"sort": sort, "time": period}
    if name:
        options["subreddit"] = f"r/{name}"
    if query:
        path = f"r/{name}/search.json" if name else "search.json"
        base = {"q": query, "sort": sort, "t": period, "type": "link"}
        if name:
            base["restrict_sr"] = 1
    else:  # a subreddit's listing
        sort = sort if sort in LISTINGS else "hot"
        options["sort"] = sort
        path = f"r/{name}/{sort}.json"
        base = {"t": period}
    result = ResearchResult("reddit", query or f"r/{name} ({sort})", now_iso(), options=options)
    after = None
    while len(result.references) < limit:
        params = {**base, "limit": min(PAGE_SIZE, limit), "raw_json": 1}
        if after:
            params["after"] = after
        response = client.get(path, params=params)
        data = response.json()
        if not response.ok:
            raise _failure(client, response, data, name)
        if name and f"/r/{name.lower()}/" not in urlsplit(response.url).path.lower():
            raise NotFound(f"Reddit has no subreddit r/{name} (it offered a subreddit search "
                           "instead): check the name")
        listing = data.get("data") if isinstance(data, dict) and data.get("kind") == "Listing" else None
        if not isinstance(listing, dict) or not isinstance(listing.get("children"), list):
            raise client.not_json(response)
        for child in listing["children"]:
            reference = reference_of(child, client.base_url)
            if reference is not None and len(result.references) < limit:
                result.references.append(reference)
        after = listing.get("after")
        if not after or not listing["children"]:
            break
        if len(result.references) < limit and not _pace(client, response, result):
            break
    return result


def reference_of(child, base_url: str) -> Reference | None:
    """A ``t3`` (post) child as a reference; other kinds are not posts."""
    if not isinstance(child, dict) or child.get("kind") != "t3":
        return None
    post = child.get("data") or {}
    permalink = post.get("permalink")
    if not isinstance(permalink, str) or not permalink.startswith("/"):
        return None
    thread = base_url.rstrip("/") + permalink
    url = thread if post.get("is_self") else (web_url(str(post.get("url") or "")) or thread)
    subreddit = post.get("subreddit")
    selftext = " ".join(str(post.get("selftext") or "").split()) or None
    return Reference(
        url=url, title=post.get("title"), date=iso_from_epoch(post.get("created_utc")),
        site=f"r/{subreddit}" if subreddit else "Reddit", author=post.get("author"),
        points=_int(post.get("score")), comments=_int(post.get("num_comments")),
        discussion_url=thread, excerpt=selftext[:500] if selftext else None,
        is_discussion=url == thread)


def _pace(client: ApiClient, response: ApiResponse, result: ResearchResult) -> bool:
    """Wait for the rate-limit window when it is used up; False to stop reading pages."""
    try:
        remaining = float(response.headers.get("x-ratelimit-remaining", "1"))
        reset = float(response.headers.get("x-ratelimit-reset", "0"))
    except ValueError:
        return True
    if remaining >= 1:
        return True
    if reset > client.max_retry_after:
        result.notes.append(f"stopped after {len(result.references)} posts: Reddit's rate limit "
                            f"resets in {reset:.0f} s; run again later for more")
        return False
    client.wait(max(0.0, reset))
    return True


def _failure(client: ApiClient, response: ApiResponse, data, name: str | None):
    detail = error_detail(data)
    reason = data.get("reason") if isinstance(data, dict) else None
    if isinstance(reason, str) and reason:
        detail = f"{detail} ({reason})" if detail else reason
    if response.status == 403 and name:
        return client.failure(response, detail, fix=f"r/{name} is private, quarantined or "
                              "banned: search another subreddit or all of Reddit")
    if response.status == 404 and name:
        return NotFound(f"Reddit has no subreddit r/{name} (HTTP 404): check the name")
    if response.status in (401, 403):
        return client.failure(response, detail, fix="Reddit refuses this client: set "
                              "[research] reddit_user_agent in kurt.toml to a descriptive "
                              "'<platform>:<app id>:<version> (by /u/NAME)'")
    if response.status == 429 and response.wait_asked is None:
        # Reddit answers 429, not 403, to a User-Agent it does not accept
        return client.failure(response, detail, fix="wait a few minutes and run this again; if "
                              "it keeps happening, Reddit is refusing this client: set [research] "
                              "reddit_user_agent in kurt.toml to a descriptive "
                              "'<platform>:<app id>:<version> (by /u/NAME)'")
    return client.failure(response, detail)


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
