"""Pages of listings (kurt/paging.py): the counts that say nothing was cut silently."""

from __future__ import annotations

import pytest

from kurt.paging import Page, page_of, probed_page

ITEMS = list(range(67))


@pytest.mark.parametrize(("limit", "offset", "shown", "total", "next_offset"), [
    (None, 0, 67, 67, None),  # no limit: everything
    (50, 0, 50, 67, 50),
    (50, 50, 17, 67, None),
    (10, 60, 7, 67, None),
    (67, 0, 67, 67, None),
    (5, 100, 0, 67, None),  # past the end: nothing, and nothing more
    (None, 20, 47, 67, None),
])
def test_page_of_a_whole_list(limit, offset, shown, total, next_offset):
    page = page_of(ITEMS, limit, offset)
    assert (len(page.items), page.total, page.next_offset) == (shown, total, next_offset)
    assert page.items == ITEMS[offset:offset + shown]


@pytest.mark.parametrize(("found", "limit", "offset", "shown", "total", "next_offset"), [
    (11, 10, 0, 10, None, 10),  # one past the page: more exist, not counted
    (10, 10, 0, 10, 10, None),  # exactly the page: nothing more, so the total is known
    (25, 10, 10, 10, None, 20),  # the second page, with more after it
    (15, 10, 10, 5, 15, None),
    (3, 10, 0, 3, 3, None),
])
def test_probed_page_of_ranked_results(found, limit, offset, shown, total, next_offset):
    page = probed_page(list(range(found)), limit, offset)
    if found > offset + limit:
        assert page.total is None and page.next_offset == offset + limit
    else:
        assert (page.total, page.next_offset) == (total, next_offset)
    assert len(page.items) == shown


def test_the_json_shape_puts_the_counts_first():
    data = page_of(ITEMS, 50).to_dict("documents", query="x")
    assert list(data) == ["query", "total", "limit", "offset", "next_offset", "documents"]
    assert (data["total"], data["limit"], data["offset"], data["next_offset"]) == (67, 50, 0, 50)


@pytest.mark.parametrize(("page", "note"), [
    (page_of(ITEMS, 50), "showing 1-50 of 67 documents (use --limit and --offset for more; "
                         "next: --offset 50)"),
    (page_of(ITEMS, 50, 50), "showing 51-67 of 67 documents (use --limit and --offset for more)"),
    (page_of(ITEMS), None),
    (page_of(ITEMS, 10, 90), "No documents after offset 90 (there are 67)."),
    (Page(list(range(10)), None, 10, 0, more=True),
     "showing 1-10 documents (use --limit and --offset for more; next: --offset 10)"),
])
def test_the_note_says_what_a_partial_page_leaves_out(page, note):
    assert page.note("documents") == note
