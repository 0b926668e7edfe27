"""Interface paths: a path through the product's screens must be one the sources give.

A draft that says "turn it on under **Settings → Integrations → Labs**" where the sources
write **Settings → Account → Labs** names only labels the sources use, so no single name
is wrong; the path is. Paths are read where a writer writes one as a unit: inside one bold
or code span with arrows or ``>`` between its labels (``Settings > Build > Build
Command``), or bold and code spans joined by arrows (``**Settings** → **Networking**``).
Each label starts with a capital letter or ``+`` ("+ New"), and a code span holding
anything code would (``=``, ``/``, quotes...) is a command, not a path.

A draft path is backed when a source path holds its labels in the same order (a writer may
leave out a step). It is reported when no source path does, but one holds it with exactly
one label changed at one place: the draft's label there is the finding, the source's path
the suggestion. Labels are compared without case and without a trailing "tab", "page" or
"section" ("the Variables tab" is "Variables"). Where source paths differ from the draft's
at different places, the one on the line that shares most words with the draft's sentence
is compared (a tie is no finding). Left alone: paths of two labels ("Settings > Networking"
against "Settings > Volumes" tells nothing apart), a label the sources name on one line
with its neighbours on the path (prose such as "the Networking section under Settings >
Build" states the step too), and paths the sources never write as paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.finding import Evidence, Finding

_SPAN = re.compile(r"\*\*([^*\n]+?)\*\*|__([^_\n]+?)__|`([^`\n]+)`")
_SEPARATOR = re.compile(r"\s*(?:→|->|›|»|&gt;|>)\s*")
_JOIN = re.compile(r"^\s*(?:→|->|›|»|&gt;|>)\s*$")
_LABEL = re.compile(r"[A-Z+][\w&'.+ ()-]{0,39}")
_CODE_LIKE = re.compile(r"""[=$/\\|"'{}\[\];<]""")
_GENERIC = re.compile(r"\s+(?:tab|page|section|menu|panel|screen|button)s?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")
MAX_WORDS = 5
MIN_LABELS = 3  # "Settings > Networking" against "Settings > Volumes" tells nothing apart


@dataclass(frozen=True)
class Label:
    text: str
    start: int  # offsets in the line read
    end: int

    @property
    def key(self) -> str:
        return _GENERIC.sub("", " ".join(self.text.lower().split()))


def paths(line: str) -> list[list[Label]]:
    """The interface paths written in ``line`` (two labels or more each)."""
    found: list[list[Label]] = []
    current: list[Label] = []
    last_end = -1
    for span in _SPAN.finditer(line):
        content = next(g for g in span.groups() if g is not None)
        start = span.start(span.lastindex)
        labels = _labels(content, start, code=span.group(3) is not None)
        joined = current and _JOIN.match(line[last_end:span.start()]) is not None
        if labels is None:
            if len(current) >= 2:
                found.append(current)
            current, last_end = [], span.end()
            continue
        if joined:
            current += labels
        else:
            if len(current) >= 2:
                found.append(current)
            current = labels
        last_end = span.end()
    if len(current) >= 2:
        found.append(current)
    return found


def _labels(content: str, start: int, *, code: bool) -> list[Label] | None:
    """The labels of one span (one label when it has no separator); None when the span is
    not a label or a path of labels."""
    if code and _CODE_LIKE.search(content):
        return None
    labels, position = [], 0
    for part in [*_SEPARATOR.split(content)]:
        at = content.index(part, position) if part else position
        position = at + len(part)
        text = part.strip()
        if not _LABEL.fullmatch(text) or len(text.split()) > MAX_WORDS:
            return None
        offset = at + (len(part) - len(part.lstrip()))
        labels.append(Label(text, start + offset, start + offset + len(text)))
    return labels


@dataclass(frozen=True)
class SourcePath:
    keys: tuple[str, ...]
    text: str  # as written, labels joined by " → "
    path: str
    line: int
    quote: str


def source_paths(passages) -> tuple[list[SourcePath], list[str]]:
    """The interface paths of ``passages`` and their lines (lowercase, for the prose test)."""
    found, lines = [], []
    for passage in passages:
        for number, line in enumerate(passage.text.split("\n"), passage.line_start):
            lines.append(line.lower())
            if ">" not in line and "→" not in line and "›" not in line and "»" not in line:
                continue
            for labels in paths(line):
                found.append(SourcePath(tuple(label.key for label in labels),
                                        " → ".join(label.text for label in labels),
                                        passage.path, number, " ".join(line.split())[:280]))
    return found, lines


def _holds(keys: tuple[str, ...], ours: list[str]) -> bool:
    """Whether ``keys`` holds ``ours`` in order (steps may be left out between them)."""
    position = 0
    for key in ours:
        try:
            position = keys.index(key, position) + 1
        except ValueError:
            return False
    return True


def changed_label(ours: list[str], theirs: list[SourcePath],
                  words: frozenset[str] = frozenset()) -> tuple[int, SourcePath] | None:
    """The one place where a source path differs from the draft's, when no source path holds
    the draft's and one holds it but for one label; else None. Where several do, at
    different places, the one whose line shares most ``words`` (the draft sentence's) wins;
    a tie is no finding."""
    if len(ours) < MIN_LABELS or any(_holds(p.keys, ours) for p in theirs):
        return None
    found: dict[int, tuple[int, SourcePath]] = {}
    for source in theirs:
        for first in range(len(source.keys) - len(ours) + 1):
            window = source.keys[first:first + len(ours)]
            changed = [i for i, (a, b) in enumerate(zip(window, ours, strict=True)) if a != b]
            if len(changed) == 1 and not _same(window[changed[0]], ours[changed[0]]):
                fit = len(words & _words(source.quote))
                if changed[0] not in found or fit > found[changed[0]][0]:
                    found[changed[0]] = (fit, source)
    if not found:
        return None
    ranked = sorted(found.items(), key=lambda item: -item[1][0])
    if len(ranked) > 1 and ranked[0][1][0] == ranked[1][1][0]:
        return None  # two places the draft may have changed: no telling which
    index, (_, source) = ranked[0]
    return index, source


def _words(text: str) -> frozenset[str]:
    from kurt.checks.grounding.lexical import STOPWORDS, normal_token

    return frozenset(normal_token(w) for w in _WORD.findall(text)
                     if w.lower() not in STOPWORDS and len(w) > 2)


def _same(a: str, b: str) -> bool:
    """"Service Settings" and "Settings" name one screen."""
    return bool(re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", b)
                or re.search(r"(?<!\w)" + re.escape(b) + r"(?!\w)", a))


def _said_in_prose(lines: list[str], label: str, neighbours: list[str]) -> bool:
    """Whether a line of the sources names the label with its neighbours on the path."""
    wanted = [re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)") for n in [label, *neighbours]]
    return any(all(w.search(line) for w in wanted) for line in lines)


def check_ui_paths(grounding) -> list[Finding]:
    """``grounding/specific`` findings for interface paths the sources give otherwise."""
    prose = grounding.prose
    findings = []
    for unit in prose.units:
        if not unit.offsets:
            continue
        first, last = unit.offsets[0], unit.offsets[-1] + 1
        raw = prose.text[first:last]
        if ">" not in raw and "→" not in raw and "›" not in raw and "»" not in raw:
            continue
        drafted = paths(raw)
        if not drafted:
            continue
        theirs, lines = grounding.read_once(grounding.scoped(unit), "interface paths",
                                            source_paths)
        if not theirs:
            continue
        for labels in drafted:
            keys = [label.key for label in labels]
            found = changed_label(keys, theirs, _words(unit.prose()))
            if found is None:
                continue
            index, source = found
            neighbours = keys[max(0, index - 1):index] + keys[index + 1:index + 2]
            if _said_in_prose(lines, keys[index], neighbours):
                continue
            label = labels[index]
            line, column = prose.position(first + label.start)
            end_line, end_column = prose.position(first + label.end - 1)
            evidence = Evidence(source.path, source.line, source.line, source.quote)
            findings.append(Finding(
                "grounding/specific", "error", grounding.path, line, column,
                f'Name "{label.text}" is not on this path in the sources', end_line=end_line,
                end_column=end_column, evidence=evidence,
                suggestion=f'the source gives "{source.text}" ({evidence.citation})'))
    return findings
