"""Content gaps between two sets of pages."""

from __future__ import annotations

import pytest

from kurt.errors import UsageError
from kurt.index.gaps import find_gaps, side_filter


@pytest.mark.parametrize("spec, field, value", [
    ("https://a.com/docs/", "url_prefix", "https://a.com/docs/"),
    ("*/blog/*", "include", ["*/blog/*"]),
    ("/guides/", "url_contains", ["/guides/"]),
])
def test_side_filter(spec, field, value):
    assert getattr(side_filter(spec), field) == value


def test_gaps_between_docs_and_guides(railway_workspace):
    store = railway_workspace.open_store()
    report = find_gaps(store, side_filter("https://docs.railway.com/docs/"),
                       side_filter("https://docs.railway.com/guides/"), min_docs=2)
    assert report.ours_documents == 255 and report.theirs_documents == 128
    missing = {g.name: g for g in report.gaps if g.side == "theirs-only"}
    assert missing and all(g.ours == 0 and g.theirs >= 2 for g in missing.values())
    # Celery and Sidekiq appear only in framework guides, never in the product docs.
    assert "Celery" in missing
    assert {g.type for g in report.gaps} <= {"Topic", "Technology"}


def test_type_restriction(railway_workspace):
    store = railway_workspace.open_store()
    report = find_gaps(store, side_filter("/docs/"), side_filter("/guides/"), types=["Technology"])
    assert {g.type for g in report.gaps} == {"Technology"}


def test_side_matching_nothing_is_a_usage_error(railway_workspace):
    store = railway_workspace.open_store()
    with pytest.raises(UsageError, match="--theirs matches no fetched document"):
        find_gaps(store, side_filter("/docs/"), side_filter("https://nowhere.example/"))
