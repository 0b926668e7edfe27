"""Numbers and units as writers spell them (kurt/checks/grounding/numbers.py)."""

import pytest

from kurt.checks.grounding.numbers import Quantity, format_value, parse_number, parse_words, unit_of


@pytest.mark.parametrize("text, value", [
    ("1,000", 1000), ("1000", 1000), ("1.5", 1.5), (".5", 0.5), ("1k", 1000), ("1K", 1000),
    ("2.5M", 2_500_000), ("3bn", 3e9), ("1,500,000", 1_500_000),
    ("one thousand", 1000), ("twenty-five", 25), ("two hundred fifty", 250),
    ("1.5 million", 1_500_000), ("ten thousand", 10_000), ("zero", 0),
])
def test_parse_number_reads_every_spelling(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "many", "1.2.3", "v2", "a few", "k8s"])
def test_parse_number_refuses_what_is_not_a_number(text):
    assert parse_number(text) is None


def test_parse_words_skips_and_between_parts():
    assert parse_words("one hundred and five") == 105


@pytest.mark.parametrize("word, dimension, factor", [
    ("s", "time", 1), ("seconds", "time", 1), ("min", "time", 60), ("minute", "time", 60),
    ("hours", "time", 3600), ("days", "time", 86400), ("ms", "time", 0.001),
    ("GB", "bytes", 1e9), ("GiB", "bytes", 1e9), ("gigabytes", "bytes", 1e9), ("TB", "bytes", 1e12),
    ("%", "percent", 1), ("percent", "percent", 1), ("per cent", "percent", 1),
    ("x", "x", 1), ("×", "x", 1), ("Mbps", "bits/s", 1e6), ("cents", "usd", 0.01),
])
def test_unit_of_names_dimension_and_factor(word, dimension, factor):
    unit = unit_of(word)
    assert (unit.dimension, unit.factor) == (dimension, pytest.approx(factor))


def test_ambiguous_units_need_digits():
    """"two s" or "one m" is not a unit; "60 s" is."""
    assert unit_of("s", digits=False) is None
    assert unit_of("s", digits=True).dimension == "time"


def test_glued_units_are_only_the_short_forms():
    assert unit_of("GB", glued=True) is not None  # 8GB
    assert unit_of("seconds", glued=True) is None  # 60seconds is not how anyone writes


def test_capital_m_is_a_magnitude_not_minutes():
    assert unit_of("M", glued=True) is None
    assert unit_of("m", glued=True).dimension == "time"


def test_quantities_compare_by_value_within_a_dimension():
    assert Quantity("time", 60.0).same(Quantity("time", 60.0000000001))
    assert not Quantity("time", 60.0).same(Quantity("bytes", 60.0))


@pytest.mark.parametrize("value, text", [(1000.0, "1000"), (1.5, "1.5"), (0.000231, "0.000231")])
def test_format_value(value, text):
    assert format_value(value) == text
