"""Plausible: page views per page from the Stats API v2.

``POST {base_url}/api/v2/query`` with ``Authorization: Bearer <key>`` and a JSON
query: ``{"site_id", "metrics", "date_range": [start, end], "dimensions", "order_by",
"pagination": {"limit", "offset"}, "include": {"total_rows": true}}``. The answer
is ``{"results": [{"dimensions": [...], "metrics": [...]}], "meta": {"total_rows"}}``,
metrics in the order asked. Two queries per period:

- ``event:page`` with ``pageviews`` and ``visitors``: the page views;
- ``visit:entry_page`` with ``visits``, ``bounce_rate`` (a percentage) and
  ``visit_duration``: the entrances and bounce rate of the visits starting there.

Pages are read ``page_size`` rows at a time until ``total_rows`` (or a short
page), ordered by the first metric and then the page itself: Plausible orders by
the metric alone otherwise, and pages with as many views could come in another
order on the next request, one read twice and another never. Paths are on the site ``site_id`` names. Errors are ``{"error": "..."}``;
401 means a wrong key or a key without access to the site, 429 the hourly limit.
"""

from __future__ import annotations

import time

from kurt.errors import ConfigError, KurtError
from kurt.integrations.analytics.pages import PageTraffic, Period, join_host
from kurt.integrations.http import ApiClient, error_detail

PAGE_SIZE = 10_000


class Plausible:
    name = "plausible"

    def __init__(self, client: ApiClient, site_id: str, *, page_size: int = PAGE_SIZE):
        self.client = client
        self.site_id = site_id
        self.page_size = page_size
        self.notes: list[str] = []

    def close(self) -> None:
        self.client.close()

    def page_traffic(self, period: Period) -> list[PageTraffic]:
        rows = []
        for page, metrics in self._query(period, "event:page", ["pageviews", "visitors"]):
            rows.append(PageTraffic(join_host(self.site_id, page), pageviews=_int(metrics[0]) or 0,
                                    visitors=_int(metrics[1])))
        for page, metrics in self._query(period, "visit:entry_page",
                                         ["visits", "bounce_rate", "visit_duration"]):
            bounce = metrics[1]
            rows.append(PageTraffic(join_host(self.site_id, page), entrances=_int(metrics[0]),
                                    bounce_rate=bounce / 100 if isinstance(bounce, int | float) else None))
        return rows

    def _query(self, period: Period, dimension: str, metrics: list[str]):
        offset = 0
        while True:
            body = {"site_id": self.site_id, "metrics": metrics,
                    "date_range": [period.start.isoformat(), period.end.isoformat()],
                    "dimensions": [dimension],
                    # a total order, so that no page is lost or read twice across pages
                    "order_by": [[metrics[0], "desc"], [dimension, "asc"]],
                    "pagination": {"limit": self.page_size, "offset": offset},
                    "include": {"total_rows": True}}
            response = self.client.post("api/v2/query", json_body=body)
            data = response.json()
            if not response.ok:
                raise self._failure(response, data)
            results = data.get("results") if isinstance(data, dict) else None
            if not isinstance(results, list):
                raise self.client.not_json(response)
            for item in results:
                dims, values = item.get("dimensions"), item.get("metrics")
                if isinstance(dims, list) and dims and isinstance(values, list) \
                        and len(values) == len(metrics) and isinstance(dims[0], str):
                    yield dims[0], values
            offset += len(results)
            total = (data.get("meta") or {}).get("total_rows")
            done = offset >= total if isinstance(total, int) else len(results) < self.page_size
            if done or not results:
                return

    def _failure(self, response, data):
        detail = error_detail(data)
        if response.status == 401:
            return self.client.failure(response, detail, fix=(
                f"check {self.client.key_hint}, and that the key can read the site "
                f"'{self.site_id}' ([analytics.plausible] site_id)"))
        if response.status == 402:
            return self.client.failure(response, detail, fix=(
                "this Plausible plan has no Stats API access; use a plan that has it"))
        return self.client.failure(response, detail)


def from_config(ws, *, transport=None, sleep=time.sleep) -> Plausible:
    config = ws.config.analytics
    settings = config.plausible
    if not settings.site_id:
        raise ConfigError("Plausible is not configured: set [analytics.plausible] site_id "
                          "(the site's domain) in kurt.toml")
    key = ws.secret(settings.api_key_env)
    hint = (f"{settings.api_key_env} (a Plausible Stats API key; the variable is named by "
            "[analytics.plausible] api_key_env)")
    if not key:
        raise KurtError(f"No API key for Plausible: set {settings.api_key_env} in the environment "
                        "or in .env (create a Stats API key in Plausible's account settings)", code="service")
    client = ApiClient("Plausible", settings.base_url, "[analytics.plausible] base_url",
                       key_hint=hint, headers={"Authorization": f"Bearer {key}",
                                               "Content-Type": "application/json"},
                       timeout=config.timeout, retries=config.retries,
                       max_retry_after=config.max_retry_after, secrets=(key,),
                       transport=transport, sleep=sleep)
    return Plausible(client, settings.site_id)


def _int(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)
