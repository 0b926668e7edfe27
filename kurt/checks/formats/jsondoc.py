"""``--format json``: one JSON document, ``{"findings": [...], "summary": {...}}``.

Each finding has exactly ``rule``, ``severity``, ``path`` (relative to the
workspace), ``line``, ``column``, ``end_line`` and ``message``, plus
``evidence`` (``path``, ``line_start``, ``line_end``, ``quote``) and
``suggestion`` when the rule gives them. The summary counts files, errors,
warnings, info, suppressed findings, findings per rule, and the exit code;
``notices`` holds what the text format prints as ``Note:`` lines on stderr.
"""

from __future__ import annotations

import json


def finding_data(finding) -> dict:
    data = {
        "rule": finding.rule,
        "severity": finding.severity,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line if finding.end_line is not None else finding.line,
        "message": finding.message,
    }
    if finding.evidence is not None:
        data["evidence"] = {
            "path": finding.evidence.path,
            "line_start": finding.evidence.line_start,
            "line_end": finding.evidence.line_end,
            "quote": finding.evidence.quote,
        }
    if finding.suggestion:
        data["suggestion"] = finding.suggestion
    return data


def document(report) -> dict:
    return {"findings": [finding_data(f) for f in report.findings], "summary": report.summary(),
            "notices": list(report.notices)}


def render(report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False)
