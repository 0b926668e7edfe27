"""Periods, page keys, trends and merging: the pure parts every provider shares."""

from __future__ import annotations

from datetime import date

import pytest

from kurt.errors import UsageError
from kurt.integrations.analytics.pages import (
    PageTraffic,
    Period,
    merge,
    page_key,
    parse_period,
    trend,
)


def test_a_period_ends_on_until_and_the_previous_one_just_before():
    period = parse_period("30d", date(2025, 6, 30))
    assert period == Period(date(2025, 6, 1), date(2025, 6, 30)) and period.days == 30
    assert period.previous == Period(date(2025, 5, 2), date(2025, 5, 31))
    assert parse_period("4w", date(2025, 6, 30)).start == date(2025, 6, 3)


def test_a_period_ends_yesterday_by_default():
    from datetime import UTC, datetime, timedelta

    assert parse_period("7d").end == datetime.now(UTC).date() - timedelta(days=1)


@pytest.mark.parametrize("text", ["30", "1m", "0d", "731d", "", "thirty days"])
def test_a_bad_period_says_what_to_write(text):
    with pytest.raises(UsageError, match="--period"):
        parse_period(text, date(2025, 6, 30))


@pytest.mark.parametrize("url, key", [
    ("https://www.Example.com/Docs/Setup/?utm_source=x#top", "example.com/Docs/Setup"),
    ("http://example.com:8080/a/index.html", "example.com/a"),
    ("example.com/", "example.com"),
    ("https://example.com", "example.com"),
    ("example.com//guides///x/", "example.com/guides/x"),
    ("https://example.com/caf%C3%A9", "example.com/café"),
    ("/just/a/path", None),
    ("", None),
])
def test_page_key(url, key):
    assert page_key(url) == key


@pytest.mark.parametrize("current, previous, change, direction", [
    (150, 300, -0.5, "declining"),
    (300, 150, 1.0, "rising"),
    (90, 90, 0.0, "stable"),
    (250, 300, -1 / 6, "stable"),  # down 17%: under the 20% threshold
    (5, 12, -7 / 12, "stable"),  # down 58% but only 7 views: too few to tell
    (12, 0, None, "rising"),  # from nothing
    (5, 0, None, "stable"),  # from nothing, but fewer than min_change
    (0, 30, -1.0, "declining"),
])
def test_trend(current, previous, change, direction):
    found_change, found = trend(current, previous, threshold=0.2, min_change=10)
    assert found == direction
    assert found_change == (pytest.approx(change) if change is not None else None)


def test_merge_adds_views_and_weights_rates_by_entrances():
    merged = merge([
        PageTraffic("example.com/a/", pageviews=10, visitors=5),
        PageTraffic("https://www.example.com/a?x=1", pageviews=5, entrances=30, bounce_rate=0.5),
        PageTraffic("example.com/a", entrances=10, bounce_rate=0.1, engagement_rate=0.8),
        PageTraffic("/no-host", pageviews=99),
    ])
    assert list(merged) == ["example.com/a"]
    page = merged["example.com/a"]
    assert (page.pageviews, page.visitors, page.entrances) == (15, 5, 40)
    assert page.bounce_rate == pytest.approx((0.5 * 30 + 0.1 * 10) / 40)
    assert page.engagement_rate == pytest.approx(0.8)
