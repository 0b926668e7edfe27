"""The readable report: findings grouped by file, the offending text underlined, a summary line.

    projects/launch/drafts/integration-page-stripe.md
      14:9   error    placeholder left from the template: [Partner]: ...   structure/placeholder
          14 | Connect [Partner] to Railway in two minutes.
             |         ^^^^^^^^^
             source: sources/docs.railway.com/guides/x.md:3-5 "Railway supports ..."
             fix: ...

    7 problems (2 errors, 4 warnings, 1 info) in 1 of 3 files; 1 silenced by comments

Colours (``color=True``) mark the severities; the layout is the same without them.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from kurt.writing.citations import format_item

WIDTH = 100  # characters of a source line shown around the finding
COLORS = {"error": "red", "warning": "yellow", "info": "blue"}


def _style(text: str, color: bool, **kwargs) -> str:
    if not color:
        return text
    import click

    return click.style(text, **kwargs)


def _read_lines(root, path: str) -> list[str] | None:
    base = Path(root) if root is not None else Path.cwd()
    target = Path(path) if Path(path).is_absolute() else base / path
    try:
        return target.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError):
        return None


def _excerpt(line: str, column: int, end_column: int) -> tuple[str, int, int]:
    """(shown text, caret start, caret width): tabs shown as spaces, long lines windowed."""
    text = line.replace("\t", " ")
    start = max(column - 1, 0)
    width = max(end_column - column + 1, 1)
    if len(text) > WIDTH:
        left = max(0, min(start - WIDTH // 3, len(text) - WIDTH))
        shown = text[left:left + WIDTH]
        prefix = "…" if left else ""
        suffix = "…" if left + WIDTH < len(text) else ""
        start = start - left + len(prefix)
        text = prefix + shown + suffix
        width = min(width, max(len(text) - start, 1))
    width = min(width, max(len(text) - start, 1))
    return text, start, width


def _finding_lines(finding, lines: list[str] | None, color: bool) -> list[str]:
    position = f"{finding.line}:{finding.column}"
    severity = _style(f"{finding.severity:<7}", color, fg=COLORS[finding.severity], bold=True)
    rule = _style(finding.rule, color, dim=True)
    out = [f"  {position:<8} {severity}  {finding.message}  {rule}"]
    if lines is not None and 1 <= finding.line <= len(lines) and lines[finding.line - 1].strip():
        source = lines[finding.line - 1]
        end_column = finding.end_column or finding.column
        if finding.end_line is not None and finding.end_line != finding.line:
            end_column = len(source)
        text, start, width = _excerpt(source, finding.column, end_column)
        gutter = f"{finding.line:>6} | "
        out.append(f"{gutter}{text}")
        carets = _style("^" * width, color, fg=COLORS[finding.severity])
        out.append(f"{' ' * (len(gutter) - 2)}| {' ' * start}{carets}")
    pad = " " * 9
    if finding.evidence is not None:
        e = finding.evidence
        quote = " ".join(e.quote.split())
        if len(quote) > 160:
            quote = quote[:159] + "…"
        out.append(f"{pad}source: {format_item(e.path, e.line_start, e.line_end)} \"{quote}\"")
    if finding.suggestion:
        out.append(f"{pad}fix: {finding.suggestion}")
    return out


def summary_line(report) -> str:
    total = len(report.findings)
    files = len(report.files)
    with_findings = len({f.path for f in report.findings})
    parts = [f"{report.errors} error{'s' * (report.errors != 1)}",
             f"{report.warnings} warning{'s' * (report.warnings != 1)}",
             f"{report.infos} info"]
    silenced = f"; {report.suppressed} silenced by comments" if report.suppressed else ""
    if total == 0:
        return f"No problems in {files} file{'s' * (files != 1)}{silenced}"
    return (f"{total} problem{'s' * (total != 1)} ({', '.join(parts)}) in {with_findings} of "
            f"{files} file{'s' * (files != 1)}{silenced}")


def render(report, root=None, *, color: bool = False) -> str:
    out: list[str] = []
    for path, group in groupby(report.findings, key=lambda f: f.path):
        lines = _read_lines(root, path)
        out.append(_style(path, color, bold=True, underline=True))
        for finding in group:
            out += _finding_lines(finding, lines, color)
        out.append("")
    line = summary_line(report)
    if report.errors:
        line = _style(line, color, fg="red", bold=True)
    elif report.findings:
        line = _style(line, color, fg="yellow")
    else:
        line = _style(line, color, fg="green")
    out.append(line)
    return "\n".join(out)
