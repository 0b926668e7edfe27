"""--format line: Vale's path:line:col:rule:message, one finding per line."""

from kurt.checks.formats import render


def test_lines_in_vale_form(report):
    assert render(report, "line").split("\n") == [
        "projects/p/drafts/a b.md:12:9:structure/placeholder:placeholder left from the template: "
        "[Partner]",
        "projects/p/drafts/a b.md:20:5:sources/stale:sources/x.md changed: re-read it, 100% sure? "
        "second line",
        "projects/p/drafts/c.md:1:1:Google.Will:Avoid using 'will'.",
    ]
