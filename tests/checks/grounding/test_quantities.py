"""Numbers in running text (kurt/checks/grounding/quantities.py)."""

import pytest

from kurt.checks.grounding.quantities import find_numbers


def test_source_numbers_are_read_generously():
    """Sources count spelled-out numbers, "a minute" and "half a day" too."""
    found = {(m.quantity.dimension, m.quantity.value) for m in find_numbers(
        "three replicas, a minute, half a day and twice as fast", draft=False)}
    assert {("count", 3.0), ("time", 60.0), ("time", 43200.0), ("x", 2.0)} <= found


@pytest.mark.parametrize("text, found", [
    ("Step 2 of the guide", [(2.0, True)]),
    ("Pro allows 42 replicas", [(42.0, False)]),
    ("Follow 3 simple steps", [(3.0, True)]),
    ("EC2 and gpt-4 and v1 and 1.2.3 and 24/7 and 10:30", []),
])
def test_labels_and_identifiers(text, found):
    assert [(m.raw, m.label) for m in find_numbers(text)] == found


def test_counted_nouns_are_stemmed_and_stop_at_function_words():
    [mention] = find_numbers("It allows 100 concurrent builds per minute.")
    assert mention.noun == "concurrent builds"
    [mention] = find_numbers("It returns 200 once the app is ready.")
    assert mention.noun is None


def test_a_year_is_told_from_a_count():
    assert [m.year for m in find_numbers("In 2024 we shipped 2048 requests.")] == [True, False]
