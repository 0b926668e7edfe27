"""Aligned support: a specific the sources state, but not in the passage the sentence retells.

A sentence that retells one source passage closely (nine tenths of its term weight, the
specific's own words included, in one window of the section's or the draft's sources) takes
its specifics from that passage; a specific that the passages of its three closest windows
do not state, though other passages do, was moved in from elsewhere: another command's
subcommand, another screen's label, another plan's price. Decided: 0.9, the closeness at
which no correct sentence of the read benchmark sets was reported (0.8 and 0.7 caught more
and raised false alarms on sentences that merge two passages).
"""

from __future__ import annotations

from dataclasses import dataclass

from kurt.checks.finding import Evidence

MIN_SCORE = 0.9  # the share of the sentence's term weight its closest window must hold
TOP = 3  # the windows whose passages may state the specific
MIN_TERMS = 8  # distinct terms a sentence needs for its closest window to say where it is from


@dataclass(frozen=True)
class Elsewhere:
    """A specific the passages a sentence retells do not state."""
    label: str
    evidence: Evidence

    def message(self, specific) -> str:
        return f'{self.label} "{specific.text}" is not in the passage this sentence retells'

    def suggestion(self) -> str:
        return f"the sentence follows {self.evidence.citation}, which does not state it"


def elsewhere(grounding, unit, specific, supports, *, label: str) -> Elsewhere | None:
    """An ``Elsewhere`` for a ``specific`` of the sentence ``unit`` that the sources state
    (the caller knows) but not the passages of the sentence's closest windows, when the
    closest retells it (``MIN_SCORE``); ``supports(facts, specific)``: whether facts state
    it."""
    from kurt.checks.grounding.prepared import evidence_of

    if len(set(grounding.terms(unit))) < MIN_TERMS:
        return None  # a short sentence ("Click **Add to group**.") fits many windows
    matches = grounding.nearest(unit, limit=TOP)
    if not matches or matches[0].score < MIN_SCORE \
            or matches[0].window.passage.scope not in ("section", "draft"):
        return None
    near = list({id(m.window.passage): m.window.passage for m in matches}.values())
    if supports(grounding.facts.group(near), specific):  # read as the scopes are read
        return None
    return Elsewhere(label, evidence_of(matches[0]))
