"""``grounding/specific``: every specific fact of the prose must be stated by a source.

Each specific (``kurt.checks.grounding.specifics``) is looked up in the
section's sources, then the draft's, then the project's. One that none states
is an error, with the source window closest to its sentence as evidence and,
where that window (or its passage) states a fact of the same kind, a suggestion
saying what the source says instead.
"""

from __future__ import annotations

from kurt.checks.finding import Finding
from kurt.checks.grounding.facts import alternatives, supports
from kurt.checks.grounding.prepared import Grounding, evidence_of
from kurt.checks.grounding.prose import is_metadata
from kurt.checks.grounding.specifics import Specific, find_specifics

RULE = "grounding/specific"

KIND_LABELS = {
    "number": "Number", "percent": "Percentage", "multiplier": "Multiplier", "price": "Price",
    "duration": "Duration", "size": "Size", "bandwidth": "Bandwidth", "version": "Version",
    "date": "Date", "endpoint": "Endpoint", "http-method": "HTTP method", "command": "Command",
    "flag": "Flag", "env-var": "Environment variable", "scope": "Scope",
    "config-key": "Configuration key", "identifier": "Identifier", "url": "URL", "name": "Name",
    "time": "Time",
}
NUMERIC = frozenset({"number", "percent", "multiplier", "price", "duration", "size", "bandwidth",
                     "date", "version", "time"})


def unsupported_specifics(grounding: Grounding) -> list[tuple]:
    """(unit, specific) for every specific no source in scope states."""
    out = []
    for unit in grounding.prose.units:
        if unit.kind == "heading" or is_metadata(unit):
            continue
        scopes = None
        for specific in find_specifics(unit.text, code=unit.code, urls=unit.urls,
                                       vocabulary=grounding.vocabulary):
            if specific.kind in NUMERIC and _in_link(unit, specific):
                continue
            if specific.kind == "name" and _shown_in_code(grounding, specific):
                continue
            if scopes is None:
                scopes = [grounding.facts.group(group) for group in grounding.scoped(unit)]
            if not scopes:
                continue  # nothing to check against: the sources/* rules report that
            if any(supports(facts, specific, grounding.vocabulary) for facts in scopes):
                continue
            out.append((unit, specific))
    return out


def _shown_in_code(grounding: Grounding, specific: Specific) -> bool:
    """A language the draft's own code blocks are written in ("A Python service reads it:"
    above a ```python block)."""
    languages = grounding.prose.languages
    if not languages:
        return False
    names = {specific.text.lower(), (specific.key or "").lower()}
    vocabulary = grounding.vocabulary
    if vocabulary is not None and specific.term is not None:
        term = vocabulary.terms[specific.term]
        names |= {term.name.lower(), *(s.text.lower() for s in term.surfaces)}
    return bool(names & languages)


def _in_link(unit, specific: Specific) -> bool:
    return any(start <= specific.start and specific.end <= end for start, end in unit.links)


def check_specifics_in(grounding: Grounding) -> list[Finding]:
    findings = []
    for unit, specific in unsupported_specifics(grounding):
        findings.append(_finding(grounding, unit, specific))
    return findings


def _finding(grounding: Grounding, unit, specific: Specific) -> Finding:
    line, column, end_line, end_column = grounding.prose.span(unit, specific.start, specific.end)
    label = KIND_LABELS.get(specific.kind, specific.kind)
    shown = specific.key if specific.kind in ("flag", "env-var") and specific.key else specific.text
    message = f'{label} "{shown}" is not in the sources'
    matches = grounding.nearest_section_first(unit)
    evidence = evidence_of(matches[0]) if matches else None
    suggestion = None
    for match in matches:  # the closest window that states something of the same kind
        others: list[str] = []
        for source in (grounding.window_facts(match), grounding.facts.passage(match.window.passage)):
            others = alternatives(source, source, specific, grounding.vocabulary)
            if others:
                break
        if others:
            evidence = evidence_of(match)
            said = " or ".join(f'"{o}"' for o in others[:2])
            verb = "names" if specific.kind == "name" else "says"
            suggestion = f"the source {verb} {said} ({evidence.citation})"
            break
    if suggestion is None and evidence is not None:
        suggestion = f"check it against {evidence.citation}, or cite a source that states it"
    return Finding(RULE, "error", grounding.path, line, column, message, end_line=end_line,
                   end_column=end_column, evidence=evidence, suggestion=suggestion)
