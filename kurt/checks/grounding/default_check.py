"""``grounding/specific`` on default values: the draft's default for a setting must be the
one its sources give (``kurt.checks.grounding.defaults`` reads them).

Each default the draft's prose or tables state is compared with the defaults its
section's sources (then the draft's) state for the same setting; one the sources
give another value for is an error, with the source's default as the suggestion.
A setting the sources give no default for is left to the other checks.
"""

from __future__ import annotations

import re

from kurt.checks.finding import Evidence, Finding
from kurt.checks.grounding.defaults import Default, contradicted, defaults_in
from kurt.checks.grounding.prepared import Grounding
from kurt.checks.grounding.prose import FENCED_BLOCK
from kurt.checks.passages import passages_for_line

RULE = "grounding/specific"
_FRONTMATTER = re.compile(r"\A---\n.*?\n---[ \t]*\n", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _prose_only(text: str) -> str:
    """The draft with its frontmatter, fenced code and comments blanked (offsets kept)."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    for pattern in (_FRONTMATTER, FENCED_BLOCK, _COMMENT):
        text = pattern.sub(blank, text)
    return text


def check_defaults(grounding: Grounding, reported: list[Finding]) -> list[Finding]:
    """Findings for the draft's defaults its sources contradict (none twice where
    ``reported`` already has a finding on the value)."""
    text = grounding.prose.text
    mine = defaults_in(_prose_only(text))
    if not mine:
        return []
    cache = grounding.facts.defaults
    findings = []
    for default in mine:
        line, column = grounding.prose.position(default.start)
        _, end_column = grounding.prose.position(default.end - 1)
        if any(f.line == line and f.column <= end_column and column <= (f.end_column or f.column)
               for f in reported):
            continue
        passages = passages_for_line(grounding.sections, line)
        for scope in ("section", "draft"):
            theirs: list[tuple[Default, object]] = []
            for passage in passages:
                if passage.scope != scope:
                    continue
                key = (passage.path, passage.line_start, passage.line_end)
                if key not in cache:
                    cache[key] = defaults_in(passage.text)
                theirs += [(d, passage) for d in cache[key]]
            if not any(d.keys & default.keys for d, _ in theirs):
                continue  # this scope says nothing of the setting: the wider one may
            other = contradicted(default, [d for d, _ in theirs])
            if other is not None:
                passage = next(p for d, p in theirs if d is other)
                findings.append(_finding(grounding, default, other, passage, line, column,
                                         end_column))
            break
    return findings


def _finding(grounding: Grounding, default: Default, other: Default, passage, line: int,
             column: int, end_column: int) -> Finding:
    at = passage.line_start + passage.text.count("\n", 0, other.start)
    quote = passage.text.split("\n")[at - passage.line_start].strip()
    evidence = Evidence(passage.path, at, at, quote)
    setting = sorted(default.keys, key=len)[-1]
    message = f'Default "{default.value.strip("`")}" of "{setting}" is not what the sources give'
    suggestion = f'the source gives the default "{other.value.strip("`")}" ({evidence.citation})'
    return Finding(RULE, "error", grounding.path, line, column, message, end_line=line,
                   end_column=end_column, evidence=evidence, suggestion=suggestion)
