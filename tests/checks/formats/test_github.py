"""--format github: workflow commands, escaped as GitHub's runner expects."""

import pytest

from kurt.checks.formats import render
from kurt.checks.formats.github import escape_data, escape_property


def test_one_command_per_finding(report):
    lines = render(report, "github").split("\n")
    assert lines[0] == ("::error file=projects/p/drafts/a b.md,line=12,col=9,endLine=12,"
                        "title=structure/placeholder::placeholder left from the template: [Partner]")
    assert lines[1].startswith("::warning file=projects/p/drafts/a b.md,line=20,col=5,endLine=20,"
                               "title=sources/stale::sources/x.md changed: re-read it, 100%25 sure?"
                               "%0Asecond line%0ASource sources/x.md:3-4: Sixty requests, a minute."
                               "%0ASuggestion: ")
    assert lines[2].startswith("::notice ")
    assert len(lines) == 3


@pytest.mark.parametrize("raw,data,prop", [
    ("50% done", "50%25 done", "50%25 done"),
    ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
    ("path:with,comma", "path:with,comma", "path%3Awith%2Ccomma"),
    ("%0A", "%250A", "%250A"),
])
def test_escaping(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop
