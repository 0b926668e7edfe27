"""Dates in prose (kurt/checks/grounding/dates.py)."""

import pytest

from kurt.checks.grounding.dates import YEAR, Date, agree, find_dates


@pytest.mark.parametrize("text, expected", [
    ("released 2024-03-15 for all", [(2024, 3, 15)]),
    ("on 2024/03/15", [(2024, 3, 15)]),
    ("since March 15, 2024.", [(2024, 3, 15)]),
    ("on 15 March 2024", [(2024, 3, 15)]),
    ("in Mar. 2024", [(2024, 3, None)]),
    ("until July 13, 2026 at the latest", [(2026, 7, 13)]),
    ("As of January 2024, forked", [(2024, 1, None)]),
    ("on March 30th", [(None, 3, 30)]),
    ("Python 3 and Node 20", []),
    ("may 2 be", []),
])
def test_find_dates(text, expected):
    assert [(d.year, d.month, d.day) for d in find_dates(text)] == expected


@pytest.mark.parametrize("a, b, agreed", [
    (Date(2024, 3), Date(2024, 3, 15), True),  # "March 2024" and "2024-03-15"
    (Date(2024), Date(2024, 3, 15), True),  # "in 2024"
    (Date(2024, 3), Date(2024, 4), False),
    (Date(2024, 3), Date(2023, 3), False),
    (Date(None, 3, 30), Date(2025, 3, 30), True),
    (Date(None, 3, None), Date(2025, None, None), False),  # nothing in common to compare
])
def test_agree_compares_the_parts_both_state(a, b, agreed):
    assert agree(a, b) is agreed


@pytest.mark.parametrize("text, years", [
    ("in 2024 we", ["2024"]), ("2048 MB", ["2048"]), ("v2024", []),
    ("1,2024", []), ("2024-03", []), ("1995 and 2049", ["1995", "2049"]),
])
def test_bare_years(text, years):
    """Candidates only: the specifics extractor tells "2048 MB" (a size) from "in 2024"."""
    assert YEAR.findall(text) == years
