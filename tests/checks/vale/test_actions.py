import pytest

from kurt.checks.vale.actions import Action, describe, fixes


@pytest.mark.parametrize(("action", "match", "expected"), [
    (Action("replace", ("phone", "mobile phone")), "cell phone", ["phone", "mobile phone"]),
    (Action("remove"), "TL;DR", [""]),
    (Action("edit", ("trim_right", "!")), "awesome!", ["awesome"]),
    (Action("edit", ("trim_left", "-")), "--flag", ["flag"]),
    (Action("edit", ("trim", " ")), " — ", ["—"]),
    (Action("edit", ("truncate", " ")), "the the", ["the"]),
    (Action("edit", ("split", "/", "1")), "and/or", ["or"]),
    (Action("edit", ("regex", "-", " ")), "publicly-available", ["publicly available"]),
    (Action("edit", ("regex", r"(\d+)(GB)", "$1 $2")), "64GB", ["64 GB"]),
    (Action("edit", ("split", "/", "9")), "and/or", []),
    (Action("edit", ("unknown", "x")), "abc", []),
    (Action("convert", ("simple",)), "Hello, World", ["hello world"]),
    (Action("suggest", ("spellings",)), "teh", []),
])
def test_fixes(action, match, expected):
    assert fixes(action, match) == expected


@pytest.mark.parametrize(("match", "options", "text"), [
    ("cell phone", ["phone", "mobile phone"], "Replace 'cell phone' with 'phone' or 'mobile phone'."),
    ("abort", ["stop", "exit", "end"], "Replace 'abort' with 'stop', 'exit' or 'end'."),
    ("TL;DR", [""], "Remove 'TL;DR'."),
    ("x", [], None),
])
def test_describe(match, options, text):
    assert describe(match, options) == text


def test_parse_reads_name_and_params():
    assert Action.parse({"name": "edit", "params": ["trim_right", "."]}) == \
        Action("edit", ("trim_right", "."))
    assert Action.parse(None) == Action()
    with pytest.raises(ValueError):
        Action.parse("replace")
