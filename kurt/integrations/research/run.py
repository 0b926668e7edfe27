"""The research commands as library calls: ask a source, then keep what it found.

Each function checks what can be checked before any request (the project exists,
the options make sense), asks its source, and hands the result to
``kurt.integrations.research.save.keep`` (ingest, save, record in the plan).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from kurt.integrations.research.results import ResearchResult, since_date


@dataclass
class Keeping:
    """What to do with a result: save it (and where), record it, ingest its pages."""

    project: str | None = None  # record in projects/NAME/plan.md and save in its research/
    ingest: bool = False  # add and fetch the referenced pages (needs store)
    save: bool = True
    store: object | None = None
    progress: object | None = None  # fetch progress, for --ingest
    transport: object | None = None  # an httpx transport for the fetch (tests)


def search_web(ws, question: str, *, recency: str | None = None, domains=(),
               keeping: Keeping | None = None, http=None, sleep=time.sleep) -> ResearchResult:
    """``kurt research search``: an answer with its citations (kurt.toml ``[research]``)."""
    from kurt.integrations.research import perplexity

    keeping = keeping or Keeping()
    project = _project(ws, keeping)
    client = perplexity.client_from_config(ws, http=http, sleep=sleep)
    result = perplexity.search(question, client, recency=recency, domains=tuple(domains))
    return _keep(ws, result, keeping, project)


def search_hackernews(ws, query: str, *, kind: str = "story", sort: str = "relevance",
                      since: str | None = None, min_points: int | None = None, limit: int = 20,
                      keeping: Keeping | None = None, transport=None,
                      sleep=time.sleep) -> ResearchResult:
    """``kurt research hackernews``: stories and comments from HN's search API."""
    from kurt.integrations.research import hackernews

    keeping = keeping or Keeping()
    project = _project(ws, keeping)
    if since:
        since_date(since)  # a bad --since fails before any request
    with hackernews.client_from_config(ws, transport=transport, sleep=sleep) as client:
        result = hackernews.search(client, query, kind=kind, sort=sort, since=since,
                                   min_points=min_points, limit=limit)
    return _keep(ws, result, keeping, project)


def search_reddit(ws, query: str, *, subreddit: str | None = None, sort: str = "relevance",
                  period: str = "all", limit: int = 25, keeping: Keeping | None = None,
                  transport=None, sleep=time.sleep) -> ResearchResult:
    """``kurt research reddit``: posts from Reddit's public JSON search."""
    from kurt.integrations.research import reddit

    keeping = keeping or Keeping()
    project = _project(ws, keeping)
    with reddit.client_from_config(ws, transport=transport, sleep=sleep) as client:
        result = reddit.search(client, query, subreddit=subreddit, sort=sort, period=period,
                               limit=limit)
    return _keep(ws, result, keeping, project)


def read_feeds(ws, urls: list[str], *, match: str | None = None, since: str | None = None,
               limit: int = 50, keeping: Keeping | None = None,
               transport=None) -> ResearchResult:
    """``kurt research feeds``: the entries of RSS, Atom and JSON feeds."""
    from kurt.integrations.research import feeds

    keeping = keeping or Keeping()
    project = _project(ws, keeping)
    start = since_date(since) if since else None
    result = feeds.read_feeds(ws.config.ingest, urls, match=match, since=start, limit=limit,
                              transport=transport)
    return _keep(ws, result, keeping, project)


def _project(ws, keeping: Keeping):
    if not keeping.project:
        return None
    from kurt.writing.projects import load_project

    return load_project(ws, keeping.project)


def _keep(ws, result: ResearchResult, keeping: Keeping, project) -> ResearchResult:
    from kurt.integrations.research.save import keep

    return keep(ws, result, store=keeping.store, project=project, ingest=keeping.ingest,
                save=keeping.save, progress=keeping.progress, transport=keeping.transport)
