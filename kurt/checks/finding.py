"""A finding: one problem a check found in a draft, where it is, and how to fix it.

Every family of checks (frontmatter, structure, grounding, style, ...) reports
the same ``Finding``. Rule ids are ``family/name``; style findings that come
from a Vale rule keep Vale's own ``Style.Rule`` name after the family:
``style/Google.Passive``. ``format_line`` prints a finding the way Vale's
``--output=line`` does (``path:line:col:Style.Rule:message``), so a Vale
package's own test suite can be compared line for line.

Positions are 1-based and counted in characters (Unicode code points, as Vale
counts runes). ``end_line``/``end_column`` point at the last character of the
flagged text (inclusive, as in Vale's spans); a finding about the whole file
points at line 1, column 1.
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")

# Vale's three alert levels, mapped to Kurt's severities.
VALE_LEVELS = {"error": "error", "warning": "warning", "suggestion": "info"}


@dataclass(frozen=True)
class Evidence:
    """The source passage behind a finding: a file, a line range and what it says."""

    path: str
    line_start: int
    line_end: int
    quote: str

    @property
    def citation(self) -> str:
        return f"{self.path}:{self.line_start}-{self.line_end}"


@dataclass(frozen=True)
class Finding:
    rule: str  # "family/name", e.g. "grounding/specific" or "style/Google.Passive"
    severity: str  # "error" | "warning" | "info"
    path: str
    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    evidence: Evidence | None = None
    suggestion: str | None = None
    link: str | None = None  # where the rule is explained (a Vale rule's `link`)

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")
        if "/" not in self.rule:
            raise ValueError(f"rule id must be 'family/name', not {self.rule!r}")

    @property
    def family(self) -> str:
        return self.rule.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.rule.split("/", 1)[1]

    def to_dict(self) -> dict:
        """The finding as plain data (the JSON output's shape); empty optional keys are left out."""
        data = {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
        }
        if self.evidence is not None:
            data["evidence"] = {
                "path": self.evidence.path,
                "line_start": self.evidence.line_start,
                "line_end": self.evidence.line_end,
                "quote": self.evidence.quote,
            }
        if self.suggestion:
            data["suggestion"] = self.suggestion
        if self.link:
            data["link"] = self.link
        return data


def vale_rule_id(vale_name: str) -> str:
    """``Google.Passive`` -> ``style/Google.Passive``."""
    return f"style/{vale_name}"


def line_rule_name(finding: Finding) -> str:
    """The rule as Vale's line output names it: ``Google.Passive`` for a Vale rule, else the id."""
    if finding.family == "style" and "." in finding.name:
        return finding.name
    return finding.rule


def format_line(finding: Finding) -> str:
    """``path:line:col:Style.Rule:message``, Vale's ``--output=line`` form."""
    return (f"{finding.path}:{finding.line}:{finding.column}:"
            f"{line_rule_name(finding)}:{finding.message}")


def sort_key(finding: Finding) -> tuple:
    """Vale's order: by file, then line, then column (then rule, to make ties stable)."""
    return (finding.path, finding.line, finding.column, finding.rule)
