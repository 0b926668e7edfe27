"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

    ::error file=drafts/x.md,line=12,col=5,endLine=12,title=structure/placeholder::message

Errors are ``::error``, warnings ``::warning``, info ``::notice``. Values are
escaped as the runner expects: in the message ``%``, CR and LF become ``%25``,
``%0D`` and ``%0A``; in properties ``:`` and ``,`` also become ``%3A`` and ``%2C``.
"""

from __future__ import annotations

from kurt.writing.citations import format_item

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding) -> str:
    message = finding.message
    if finding.evidence is not None:
        e = finding.evidence
        message += f"\nSource {format_item(e.path, e.line_start, e.line_end)}: {e.quote}"
    if finding.suggestion:
        message += f"\nSuggestion: {finding.suggestion}"
    props = [
        f"file={escape_property(finding.path)}",
        f"line={finding.line}",
        f"col={finding.column}",
        f"endLine={finding.end_line if finding.end_line is not None else finding.line}",
        f"title={escape_property(finding.rule)}",
    ]
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render(report) -> str:
    return "\n".join(annotation(f) for f in report.findings)
