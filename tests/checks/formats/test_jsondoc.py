"""--format json: exactly the documented shape."""

import json

from kurt.checks.formats import render


def test_the_document_has_exactly_the_documented_keys(report):
    data = json.loads(render(report, "json"))
    assert set(data) == {"findings", "summary", "notices"}
    first, second, third = data["findings"]
    assert first == {"rule": "structure/placeholder", "severity": "error",
                     "path": "projects/p/drafts/a b.md", "line": 12, "column": 9, "end_line": 12,
                     "message": "placeholder left from the template: [Partner]"}
    assert set(second) == {"rule", "severity", "path", "line", "column", "end_line", "message",
                           "evidence", "suggestion"}
    assert second["evidence"] == {"path": "sources/x.md", "line_start": 3, "line_end": 4,
                                  "quote": "Sixty requests, a minute."}
    assert "link" not in third
    assert data["summary"] == {"files": 3, "errors": 1, "warnings": 1, "info": 1, "suppressed": 2,
                               "rules": {"sources/stale": 1, "structure/placeholder": 1,
                                         "style/Google.Will": 1},
                               "exit_code": 1}


def test_no_findings_is_an_empty_list_and_exit_zero():
    from kurt.checks.runner import CheckReport

    data = json.loads(render(CheckReport(files=["a.md"]), "json"))
    assert data["findings"] == [] and data["summary"]["exit_code"] == 0
