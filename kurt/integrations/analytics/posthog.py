"""PostHog: page views per page from the HogQL query API.

``POST {host}/api/projects/{project_id}/query/`` with ``Authorization: Bearer
<personal API key>`` (scope ``query:read``) and ``{"query": {"kind": "HogQLQuery",
"query": "SELECT ..."}}``. The answer is ``{"results": [[...], ...], "columns":
[...], ...}``. Two queries per period, each paged with ``LIMIT``/``OFFSET`` (and
ordered down to the page, so that pages do not overlap) until a page comes back
short: a query with its own LIMIT is run as it is, without PostHog's paginator
and its ``hasMore`` (which is still honoured when an instance sends it):

- ``$pageview`` events grouped by ``$host`` and ``$pathname``: page views and
  distinct persons;
- the ``sessions`` table grouped by ``$entry_current_url``: entrances and the share
  of bounced sessions. An instance whose HogQL has no sessions table (a 400 on
  that query) only loses the entrances, with a note.

Errors are ``{"type", "code", "detail", "attr"}``: 401 ``authentication_error``
(a wrong or project key instead of a personal one), 403 ``permission_denied``
(the key lacks the scope or the project), 400 ``validation_error``, 429
``throttled`` with ``Retry-After``.
"""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import quote

from kurt.errors import ConfigError, KurtError
from kurt.integrations.analytics.pages import PageTraffic, Period, join_host
from kurt.integrations.http import ApiClient, error_detail

PAGE_SIZE = 10_000

PAGES_SQL = """\
SELECT properties.$host AS host, properties.$pathname AS path, count() AS pageviews,
       count(DISTINCT person_id) AS visitors
FROM events
WHERE event = '$pageview' AND timestamp >= toDateTime('{start} 00:00:00')
  AND timestamp < toDateTime('{end} 00:00:00')
GROUP BY host, path
ORDER BY pageviews DESC, host, path
LIMIT {limit} OFFSET {offset}"""

ENTRIES_SQL = """\
SELECT $entry_current_url AS url, count() AS entrances, avg(toFloat($is_bounce)) AS bounce_rate
FROM sessions
WHERE $start_timestamp >= toDateTime('{start} 00:00:00')
  AND $start_timestamp < toDateTime('{end} 00:00:00')
GROUP BY url
ORDER BY entrances DESC, url
LIMIT {limit} OFFSET {offset}"""


class PostHog:
    name = "posthog"

    def __init__(self, client: ApiClient, project_id: str, *, page_size: int = PAGE_SIZE):
        self.client = client
        self.project_id = project_id
        self.page_size = page_size
        self.notes: list[str] = []

    def close(self) -> None:
        self.client.close()

    def page_traffic(self, period: Period) -> list[PageTraffic]:
        bounds = {"start": period.start.isoformat(),
                  "end": (period.end + timedelta(days=1)).isoformat()}
        rows = []
        for host, path, views, visitors in self._rows(PAGES_SQL, bounds):
            if isinstance(path, str) and path:
                rows.append(PageTraffic(join_host(host, path), pageviews=_int(views) or 0,
                                        visitors=_int(visitors)))
        try:
            for url, entrances, bounce in self._rows(ENTRIES_SQL, bounds):
                if isinstance(url, str) and url:
                    rows.append(PageTraffic(url, entrances=_int(entrances),
                                            bounce_rate=float(bounce) if isinstance(bounce, int | float) else None))
        except _Refused as refused:
            note = (f"PostHog refused the sessions query ({refused.detail}): synced without "
                    "entrances and bounce rates")
            if note not in self.notes:
                self.notes.append(note)
        return rows

    def _rows(self, sql: str, bounds: dict):
        offset = 0
        path = f"api/projects/{quote(self.project_id, safe='')}/query/"
        while True:
            query = sql.format(limit=self.page_size, offset=offset, **bounds)
            body = {"query": {"kind": "HogQLQuery", "query": query}, "name": "kurt analytics sync"}
            response = self.client.post(path, json_body=body)
            data = response.json()
            if response.status == 400 and sql is ENTRIES_SQL:
                raise _Refused(error_detail(data) or "HTTP 400")
            if not response.ok:
                raise self._failure(response, data)
            results = data.get("results") if isinstance(data, dict) else None
            if not isinstance(results, list):
                raise self.client.not_json(response)
            for row in results:
                if isinstance(row, list) and len(row) >= 3:
                    yield row
            offset += len(results)
            more = data.get("hasMore")
            if not results or (more is False) or (more is None and len(results) < self.page_size):
                return

    def _failure(self, response, data):
        detail = error_detail(data)
        code = data.get("code") if isinstance(data, dict) else None
        if code:
            detail = f"{code}: {detail}" if detail and code not in detail else (detail or code)
        if response.status == 401:
            return self.client.failure(response, detail, fix=(
                f"check {self.client.key_hint}; it must be a personal API key (phx_...), not "
                "the project key"))
        if response.status == 403:
            return self.client.failure(response, detail, fix=(
                "give the personal API key the query:read scope and access to project "
                f"{self.project_id} ([analytics.posthog] project_id)"))
        if response.status == 404:
            return self.client.failure(response, detail, fix=(
                f"check [analytics.posthog] project_id ({self.project_id}) and host"))
        return self.client.failure(response, detail)


class _Refused(Exception):
    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def from_config(ws, *, transport=None, sleep=time.sleep) -> PostHog:
    config = ws.config.analytics
    settings = config.posthog
    if not settings.project_id:
        raise ConfigError("PostHog is not configured: set [analytics.posthog] project_id "
                          "(and host) in kurt.toml")
    key = ws.secret(settings.api_key_env)
    hint = (f"{settings.api_key_env} (the variable is named by [analytics.posthog] "
            "api_key_env)")
    if not key:
        raise KurtError(f"No API key for PostHog: set {settings.api_key_env} in the environment "
                        "or in .env (a personal API key with the query:read scope)", code="service")
    client = ApiClient("PostHog", settings.host, "[analytics.posthog] host", key_hint=hint,
                       headers={"Authorization": f"Bearer {key}",
                                "Content-Type": "application/json"},
                       timeout=config.timeout, retries=config.retries,
                       max_retry_after=config.max_retry_after, secrets=(key,),
                       transport=transport, sleep=sleep)
    return PostHog(client, settings.project_id)


def _int(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)
