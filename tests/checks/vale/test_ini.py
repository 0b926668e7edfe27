import pytest

from kurt.checks.vale.ini import parse, split_list
from kurt.errors import FormatError

TEXT = """\
# a comment
StylesPath = styles
StylesPath = more-styles   # a second path (a shadow)
MinAlertLevel = warning

[*]
BasedOnStyles = Vale

; another comment
[*.{md,txt}]
BasedOnStyles = Google, Vale
Google.Passive = NO
TokenIgnores = (\\$+[^\\n$]+\\$+), `x#y`
Vale.Terms = "error"
"""


def test_sections_keep_their_keys_in_order_with_line_numbers():
    ini = parse(TEXT)
    assert [s.name for s in ini.sections] == ["", "*", "*.{md,txt}"]
    root = ini.section("")
    assert root.values("StylesPath") == ["styles", "more-styles"]
    assert root.last("MinAlertLevel").line == 4
    md = ini.section("*.{md,txt}")
    assert md.values("BasedOnStyles") == ["Google, Vale"]
    assert md.last("Google.Passive").value == "NO"


def test_a_hash_after_a_space_starts_a_comment_and_quotes_are_removed():
    md = parse(TEXT).section("*.{md,txt}")
    assert md.last("TokenIgnores").value == "(\\$+[^\\n$]+\\$+), `x#y`"
    assert md.last("Vale.Terms").value == "error"


def test_a_section_named_twice_continues():
    ini = parse("[*.md]\nA.B = YES\n[*]\nX = 1\n[*.md]\nA.C = NO\n")
    assert [e.key for e in ini.section("*.md").entries] == ["A.B", "A.C"]


@pytest.mark.parametrize(("text", "line"), [("StylesPath\n", 1), ("a = 1\n[]\n", 2),
                                            ("[*.md\n", 1), ("x = 1\n = 2\n", 2)])
def test_a_malformed_line_names_its_line(text, line):
    with pytest.raises(FormatError) as caught:
        parse(text, "conf/.vale.ini")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"conf/.vale.ini:{line}: ")


@pytest.mark.parametrize(("value", "items"), [
    ("Vale, Google", ["Vale", "Google"]),
    (" Google ,, Google ", ["Google"]),
    (r"\d{1\,2}, x", [r"\d{1,2}", "x"]),
    ("", []),
])
def test_split_list(value, items):
    assert split_list(value) == items
