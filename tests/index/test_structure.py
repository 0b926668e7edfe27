"""Structure flags and counts of markdown pages."""

from __future__ import annotations

import pytest

from kurt.index.structure import analyze_structure

STEPS = "1. Install it\n2. Configure it\n3. Run it\n"


@pytest.mark.parametrize("text, headings, flag, expected", [
    ("```bash\nnpm i\n```\n", [], "has_code", True),
    ("No code here, only `inline`.\n", [], "has_code", False),
    ('<GraphQLCodeTabs query={`query { me { id } }`} />\n', [], "has_code", True),
    (STEPS, [], "has_steps", True),
    ("1. one\n2. two\n", [], "has_steps", False),
    ("text", ["Step 1: Create", "Step 2: Deploy"], "has_steps", True),
    ("text", ["Troubleshooting"], "has_troubleshooting", True),
    ("text", ["Common errors"], "has_troubleshooting", True),
    ("text", ["Errors"], "has_troubleshooting", False),
    ("text", ["Prerequisites"], "has_prerequisites", True),
    ("text", ["Before you begin"], "has_prerequisites", True),
    ("**Prerequisites:** a Railway account\n", [], "has_prerequisites", True),
    ("text", ["Overview"], "has_prerequisites", False),
])
def test_flags(text, headings, flag, expected):
    assert getattr(analyze_structure(text, headings), flag) is expected


def test_code_lines_and_density():
    s = analyze_structure("Intro line\n\n```py\na = 1\nb = 2\n```\n", [])
    assert s.code_blocks == 1
    assert s.code_lines == 3
    assert 0.5 < s.code_density < 1


def test_parameter_tables_are_counted():
    table = "| Parameter | Type | Description |\n|---|---|---|\n| id | string | The id |\n"
    s = analyze_structure(table, [])
    assert (s.tables, s.param_tables) == (1, 1)


def test_prices_bylines_and_api_calls():
    s = analyze_structure("By Jane Doe\n\nPro: $20/month, Team: $99 per month, $0.000463 per GB\n\n"
                          "GET /v1/projects\nmutation { serviceCreate { id } }\n", [])
    assert s.prices >= 3
    assert s.byline
    assert s.api_calls == 2


def test_by_default_is_not_a_byline():
    assert not analyze_structure("By default, the service sleeps.\n", []).byline
