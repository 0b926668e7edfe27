"""The last check result of each draft, kept so ``kurt status`` can show it without re-checking.

``kurt draft check`` (and the MCP ``check_draft`` tool) record, for every file a full run
checked (no ``--rule``/``--skip``), its sha256 and its error, warning and info counts in
``.kurt/check-results.json``. A result counts only while the draft still has that hash:
an edited draft has no known result until it is checked again. The sources may have
changed since, so a result says when it was taken. Recording is best effort: a
workspace Kurt cannot write to still gets its check.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from kurt.installed import sha256

__all__ = ["CheckResult", "cached_result", "record_results"]

RESULTS_NAME = "check-results.json"


@dataclass(frozen=True)
class CheckResult:
    errors: int
    warnings: int
    infos: int
    checked_at: str


def _path(ws):
    return ws.state_dir / RESULTS_NAME


def _read(ws) -> dict:
    try:
        data = json.loads(_path(ws).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("drafts", {}) if isinstance(data, dict) else {}


def record_results(ws, report, options=None) -> bool:
    """Record the results of a full check run; False when nothing was recorded."""
    from kurt.fileio import write_atomic
    from kurt.store.db import utcnow

    if options is not None and (options.rules or options.skip):
        return False  # a partial run says nothing about the draft as a whole
    counts = Counter((f.path, f.severity) for f in report.findings)
    drafts = _read(ws)
    now = utcnow()
    for rel in report.files:
        try:
            digest = sha256((ws.root / rel).read_bytes())
        except OSError:
            continue
        drafts[rel] = {"sha256": digest, "errors": counts[(rel, "error")],
                       "warnings": counts[(rel, "warning")], "infos": counts[(rel, "info")],
                       "checked_at": now}
    try:
        write_atomic(_path(ws), json.dumps({"version": 1, "drafts": drafts}, indent=1) + "\n")
    except OSError:  # a read-only workspace: the check itself stands
        return False
    return True


def cached_result(ws, rel: str, results: dict | None = None) -> CheckResult | None:
    """The recorded result of draft ``rel`` (workspace-relative) if it is still that text."""
    entry = (results if results is not None else _read(ws)).get(rel)
    if not isinstance(entry, dict):
        return None
    try:
        if sha256((ws.root / rel).read_bytes()) != entry.get("sha256"):
            return None
        return CheckResult(int(entry["errors"]), int(entry["warnings"]), int(entry["infos"]),
                           str(entry["checked_at"]))
    except (OSError, KeyError, TypeError, ValueError):
        return None


def read_results(ws) -> dict:
    """Every recorded entry (for callers that look up many drafts)."""
    return _read(ws)
