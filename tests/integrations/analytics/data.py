"""The traffic data set the analytics tests share: one site, a month against the one before."""

from __future__ import annotations

from datetime import date

from kurt.integrations.analytics.pages import parse_period
from tests.integrations.servers import Traffic

HOST = "docs.example.com"
UNTIL = date(2025, 6, 30)
PERIOD = parse_period("30d", UNTIL)  # 2025-06-01..2025-06-30, against 2025-05-02..2025-05-31
PAGES = {
    (HOST, "/guides/setup"): (10, 5),  # 300 -> 150 page views: declining
    (HOST, "/guides/deploy"): (5, 10),  # 150 -> 300: rising
    (HOST, "/reference/api"): (3, 3),  # 90 -> 90: stable
    (HOST, "/blog/not-ingested"): (2, 2),  # no document
    (HOST, "/"): (20, 20),
    (HOST, "/gone-this-month"): (1, 0),  # 30 -> 0
}


def traffic() -> Traffic:
    return Traffic(dict(PAGES), split=PERIOD.start)


def tied_traffic(pages: int = 9) -> Traffic:
    """``pages`` pages with the same views every day: only an order on the page itself
    pages them without losing or repeating one."""
    return Traffic({(HOST, f"/tied/{n}"): (4, 4) for n in range(pages)}, split=PERIOD.start)
