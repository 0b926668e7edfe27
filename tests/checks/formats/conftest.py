"""A fixed report to render: findings of every severity, with and without evidence."""

import pytest

from kurt.checks.finding import Evidence, Finding
from kurt.checks.runner import CheckReport


@pytest.fixture
def report() -> CheckReport:
    return CheckReport(findings=[
        Finding("structure/placeholder", "error", "projects/p/drafts/a b.md", 12, 9,
                "placeholder left from the template: [Partner]", end_line=12, end_column=17),
        Finding("sources/stale", "warning", "projects/p/drafts/a b.md", 20, 5,
                "sources/x.md changed: re-read it, 100% sure?\nsecond line", end_line=20,
                end_column=30, evidence=Evidence("sources/x.md", 3, 4, "Sixty requests, a minute."),
                suggestion="run 'kurt draft evidence' again"),
        Finding("style/Google.Will", "info", "projects/p/drafts/c.md", 1, 1, "Avoid using 'will'.",
                end_line=1, end_column=4, link="https://developers.google.com/style/tense"),
    ], files=["projects/p/drafts/a b.md", "projects/p/drafts/c.md", "projects/p/drafts/d.md"],
        suppressed=2)
