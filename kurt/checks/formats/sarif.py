"""``--format sarif``: a SARIF 2.1.0 log, for code scanning (GitHub, GitLab, Azure DevOps).

One run: ``tool.driver`` names Kurt and lists every rule (id, short
description, help URI in docs/checks.md, default level); each finding is a
result with its ``ruleId``, ``level`` (error, warning, note), message and a
physical location (the file's path relative to the workspace, as a relative
URI, and a region; SARIF's ``endColumn`` is the column after the last
character). Evidence becomes a related location; a suggestion goes in the
result's properties. The output validates against the OASIS SARIF 2.1.0 schema
(tests/fixtures/sarif/).
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import quote

from kurt import __version__
from kurt.checks.registry import all_rules, rule_info

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/kurt-content/kurt"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    if path.startswith("/"):
        return "file://" + quote(path)
    return quote(PurePosixPath(path).as_posix())


def _rule_entry(rule, link: str | None = None) -> dict:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "helpUri": link or rule.help_uri,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }


def log(report) -> dict:
    rules = [_rule_entry(r) for r in all_rules()]
    index = {entry["id"]: i for i, entry in enumerate(rules)}
    for finding in report.findings:
        if finding.rule not in index:
            info = rule_info(finding.rule)
            if info is None:
                continue
            index[finding.rule] = len(rules)
            rules.append(_rule_entry(info, finding.link))
    results = []
    for finding in report.findings:
        end_line = finding.end_line if finding.end_line is not None else finding.line
        end_column = finding.end_column if finding.end_column is not None else finding.column
        if end_line == finding.line:
            end_column = max(end_column, finding.column)
        result = {
            "ruleId": finding.rule,
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.path)},
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": end_line,
                        "endColumn": end_column + 1,
                    },
                },
            }],
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        if finding.evidence is not None:
            e = finding.evidence
            result["relatedLocations"] = [{
                "id": 1,
                "message": {"text": "source passage"},
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(e.path)},
                    "region": {"startLine": e.line_start, "endLine": max(e.line_end, e.line_start),
                               "snippet": {"text": e.quote}},
                },
            }]
        if finding.suggestion:
            result["properties"] = {"suggestion": finding.suggestion}
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kurt", "version": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render(report) -> str:
    return json.dumps(log(report), indent=2, ensure_ascii=False)
