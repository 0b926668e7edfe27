"""length/*: prose words (code and comments left out) within the template's range."""

import pytest

from tests.checks.conftest import BODY


def length(checks, body, **config):
    kwargs = {"config": checks.config(**config)} if config else {}
    return [(f.rule, f.message) for f in checks.run(body, rules=["length"], **kwargs).findings]


def test_the_valid_draft_is_within_the_range(checks):
    assert length(checks, BODY) == []


def test_a_short_draft_says_how_many_words_it_needs(checks):
    found = length(checks, "# Example Mini Page\n\n## Setup\n\nToo short.\n")
    assert [r for r, _ in found] == ["length/too-short"]
    assert "6 words" in found[0][1] and "40-400" in found[0][1]


def test_a_long_draft_says_how_many_words_to_cut(checks):
    found = length(checks, BODY + "\n" + "More prose here. " * 150 + "\n")
    assert [r for r, _ in found] == ["length/too-long"]


def test_code_and_comments_do_not_count(checks):
    code = "```python\n" + "x = 1\n" * 500 + "```\n"
    comment = "<!-- " + "word " * 500 + "-->\n"
    assert length(checks, BODY + "\n" + code + "\n" + comment) == []


@pytest.mark.parametrize("tolerance,found", [(0.0, True), (0.3, False)])
def test_the_tolerance_comes_from_kurt_toml(checks, tolerance, found):
    body = "# Example Mini Page\n\n" + "word " * 33 + "\n"  # 36 words: 10% under 40
    assert bool(length(checks, body, length_tolerance=tolerance)) is found
