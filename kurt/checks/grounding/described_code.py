"""Operations a reference describes one by one: the draft must name the one it describes.

API and SDK references give each operation a section: a heading and a first line that say
what it does ("## Restart a deployment" / "Restart a running deployment without
rebuilding") above the code that runs it (``deploymentRestart``). A draft that names a
sibling operation (``deploymentRedeploy``, of the same family: the same first word) beside
that description names code the sources have, so no token check sees it. Here each inline
code span of the draft that is one camelCase identifier is compared by its sentence with
the descriptions of the sections that write it and those that write its siblings: when a
sibling's description shares clearly more of the sentence's words, the sibling is the one
the sentence describes.
"""

from __future__ import annotations

import re

from kurt.checks.grounding.lexical import STOPWORDS, normal_token

_IDENTIFIER = re.compile(r"(?<![\w$.])([a-z][a-z0-9]*)((?:[A-Z][a-z0-9]+)+)(?![\w$])")
_FENCE = re.compile(r"^\s*(```|~~~)")
SHARED = 3  # words a sibling's description must share with the sentence
MARGIN = 2  # ... more than the draft identifier's own descriptions do


def terms(text: str) -> set[str]:
    return {normal_token(w) for w in re.findall(r"[a-z][a-z-]+", text.lower())
            if w not in STOPWORDS} - {""}


def code_descriptions(passages) -> dict[str, list[tuple[frozenset[str], str]]]:
    """For each camelCase identifier a passage writes, the descriptions of the passages
    writing it: (the other identifiers of the passage, its heading's last part and first
    line of prose)."""
    out: dict[str, list[tuple[frozenset[str], str]]] = {}
    for passage in passages:
        names = frozenset(m.group(0) for m in _IDENTIFIER.finditer(passage.text))
        if not names:
            continue
        heading = (passage.heading or "").split(" > ")[-1]
        out_of_code, fenced = [], False
        for line in passage.text.split("\n"):
            if _FENCE.match(line):
                fenced = not fenced
                continue
            if not fenced and line.strip() and not line.lstrip().startswith(("#", "<", "|")):
                out_of_code.append(line.strip())
                break
        description = " ".join([heading, *out_of_code])
        for name in names:
            out.setdefault(name, []).append((names, description))
        for paragraph in _paragraphs(passage.text):  # what the passage says where it names it
            for name in {m.group(0) for m in _IDENTIFIER.finditer(paragraph)}:
                out.setdefault(name, []).append((_MENTION, paragraph))
    return out


_MENTION = frozenset({"\0mention"})  # an entry that is a paragraph naming the identifier


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a passage outside fenced code, wrapped lines joined."""
    out, current, fenced = [], [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not line.strip():
            if current:
                out.append(" ".join(current))
            current = []
            continue
        current.append(line.strip())
    if current:
        out.append(" ".join(current))
    return out


def described_sibling(name: str, sentence: str, descriptions) -> tuple[str, str] | None:
    """(sibling, its description) when the sentence describes a sibling of ``name``."""
    found = _IDENTIFIER.fullmatch(name)
    if found is None or name not in descriptions:
        return None
    family = found.group(1)
    words = terms(sentence)
    # its descriptions, and what the sources say in the paragraphs naming it (a sentence the
    # sources write about it is its own, whatever a sibling's description shares)
    own = max((len(words & terms(d)) for _, d in descriptions[name]), default=0)
    best, best_shared, said = None, 0, ""
    for other, entries in descriptions.items():
        match = _IDENTIFIER.fullmatch(other)
        if other == name or match is None or match.group(1) != family:
            continue
        for names, description in entries:
            if name in names or names is _MENTION:
                continue  # a section about both says nothing of which is which
            shared = len(words & terms(description))
            if shared > best_shared:
                best, best_shared, said = other, shared, description
    if best is None or best_shared < SHARED or best_shared < own + MARGIN:
        return None
    return best, said


def check_described_code(grounding) -> list:
    """``grounding/specific`` findings for inline identifiers whose sentence describes a
    sibling operation (``grounding``: a ``prepared.Grounding``)."""
    from kurt.checks.finding import Finding

    findings = []
    for unit in grounding.prose.units:
        if unit.kind != "sentence" or not unit.code:
            continue
        spans = [(s, e, c.strip()) for s, e, c in unit.code if _IDENTIFIER.fullmatch(c.strip())]
        if len(spans) != 1:
            continue  # several operations in one sentence: no telling which is described
        descriptions = grounding.read_once(grounding.scoped(unit), "code descriptions",
                                           code_descriptions)
        start, end, name = spans[0]
        found = described_sibling(name, unit.text, descriptions)
        if found is None:
            continue
        sibling, description = found
        line, column, end_line, end_column = grounding.prose.span(unit, start, end)
        findings.append(Finding(
            "grounding/specific", "error", grounding.path, line, column,
            f'Identifier "{name}" is not what the sources describe here', end_line=end_line,
            end_column=end_column,
            suggestion=f'the sources describe "{sibling}" so: "{description.strip()}"'))
    return findings
