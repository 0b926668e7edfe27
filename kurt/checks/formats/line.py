"""``--format line``: Vale's ``path:line:col:rule:message``, one finding per line."""

from __future__ import annotations

from kurt.checks.finding import format_line


def render(report) -> str:
    return "\n".join(format_line(f) for f in report.findings)
