"""``--format line``: Vale's ``path:line:col:rule:message``, one finding per line (a message
that spans lines is printed on one, as Vale prints them)."""

from __future__ import annotations

from dataclasses import replace

from kurt.checks.finding import format_line


def render(report) -> str:
    return "\n".join(format_line(replace(f, message=" ".join(f.message.split())))
                     for f in report.findings)
