import pytest

from kurt.checks.vale.controls import Control, parse_comment, silenced


@pytest.mark.parametrize(("body", "expected"), [
    (" vale off ", Control(5, "off")),
    ("vale on", Control(5, "on")),
    (" vale Google.Passive = NO ", Control(5, "set", "Google.Passive", (), False)),
    ("vale Google.Passive = YES", Control(5, "set", "Google.Passive", (), True)),
    ("vale Google = NO", Control(5, "set", "Google", (), False)),
    ('vale Google.WordList["abort", "kill"] = NO',
     Control(5, "set", "Google.WordList", ("abort", "kill"), False)),
    ("a plain comment", None),
    ("vale Google.Passive = maybe", None),
    ('vale Google.WordList[not json] = NO', None),
])
def test_parse_comment(body, expected):
    assert parse_comment(body, 5) == expected


CONTROLS = [
    Control(10, "set", "Google.Passive", (), False),
    Control(20, "set", "Google.Passive", (), True),
    Control(30, "off"),
    Control(40, "on"),
    Control(50, "set", "Google.WordList", ("abort",), False),
    Control(60, "set", "Google", (), False),
]


@pytest.mark.parametrize(("offset", "rule", "match", "off"), [
    (5, "Google.Passive", "was made", False),
    (15, "Google.Passive", "was made", True),
    (15, "Google.Will", "will", False),
    (25, "Google.Passive", "was made", False),
    (35, "Google.Will", "will", True),
    (45, "Google.Will", "will", False),
    (55, "Google.WordList", "abort", True),
    (55, "Google.WordList", "kill", False),
    (65, "Google.Will", "will", True),
    (65, "Vale.Terms", "x", False),
])
def test_silenced(offset, rule, match, off):
    assert silenced(CONTROLS, offset, rule, match) is off
