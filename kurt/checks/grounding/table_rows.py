"""Table rows: a value a draft's table row gives that the sources' row of that name does not.

Reference tables (framework and prefix, plan and limit, region and identifier) are
copied into drafts row by row, and a value slips into the wrong row: "| Astro | `VITE_` |"
where the source's Astro row gives `PUBLIC_` and `VITE_` is the Vite row's. A draft
table cell is compared with the sources' table rows whose first cell is the draft row's
first cell (its label, as written, markup aside): when one of them states the cell's
specific, it stands; when none does and another row of the same source table does, the
specific is reported with that row. A label that joins two of the sources' rows ("Redis /
Redis HA", "MySQL and MySQL HA") is compared with both.

A label no source row has is compared the other way (``label_row``): when the rest of the
draft row is a source row as it is ("| `REDIS_URL` | `${{Redis.REDIS_URL}}` |" where the
source's row is "| `REDIS_CONNECTION_STRING` | `${{Redis.REDIS_URL}}` |"), the label is the
one that row gives. Rows whose other cells say little ("Yes", "-") prove nothing.

A cell whose specific neither the sources' row of its label nor another row of their table
states is compared by its column (``same_column``): when the sources' row gives a value
(a digit, a unit, code) under a column of the same header, the draft's cell is reported
with it: "| Hobby | 8 |" under "Replicas" where the source's Hobby row has 6 there, though
"8" is written elsewhere in the sources. Columns are matched by header, in any order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.finding import Evidence

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*`]|(?<![^\W_])_+|_+(?![^\W_])")  # emphasis, not REDIS_URL's
_JOINED = re.compile(r"\s*(?:/|,|&|\band\b|\bor\b)\s*")  # "Redis / Redis HA": two rows in one


def label_of(cell: str) -> str:
    """A first cell's text as a label: markup aside (``**Astro**``, ``[Astro](/x)``), lower case."""
    return _shown(cell).lower()  # [**Redis**](/x): its text, then markup


def _shown(cell: str) -> str:
    """A label as a message shows it: its text, without links and markup."""
    return " ".join(_MARKUP.sub("", _LINK.sub(lambda m: m.group(1), cell)).split())


def cells(line: str) -> list[str]:
    """The cells of a markdown table row (the outer pipes aside)."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


@dataclass(frozen=True)
class SourceRow:
    passage: object  # kurt.checks.passages.Passage
    line: int  # the row's line in its file
    text: str  # the row as written
    header: str  # the table's header row
    table: int  # which table of the passage


def source_rows(passages) -> dict[str, list[SourceRow]]:
    """Every body row of the passages' tables, by its label (``label_of`` its first cell)."""
    out: dict[str, list[SourceRow]] = {}
    for passage in passages:
        header, table, previous = None, 0, False
        for number, line in enumerate(passage.text.split("\n"), passage.line_start):
            row = line.lstrip().startswith("|")
            if not row:
                header, previous = None, False
                continue
            if not previous:
                header, previous, table = line, True, table + 1
                continue
            if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line):
                continue  # the separator
            label = label_of(cells(line)[0])
            if label:
                out.setdefault(label, []).append(SourceRow(passage, number, line, header, table))
    return out


@dataclass(frozen=True)
class OtherRow:
    """A cell's specific that the sources' row of its label does not state, another does."""
    kind: str  # the kind of specific, as a message names it ("Number")
    label: str  # the draft row's label, as written
    other: str  # the source row's label that states it
    evidence: Evidence
    relabelled: bool = False  # the specific is the draft row's label: its values are another's

    def message(self, specific) -> str:
        if self.relabelled:
            return f'{self.kind} "{specific.text}" labels a row the sources give as ' \
                   f'"{self.other}"'
        return f'{self.kind} "{specific.text}" is what the sources give for "{self.other}", ' \
               f'not "{self.label}"'

    def suggestion(self) -> str:
        if self.relabelled:
            return f'the sources\' row with these values is "{self.other}" ' \
                   f'({self.evidence.citation})'
        return f'the sources\' "{self.label}" row does not state it ({self.evidence.citation})'


def _rows(grounding, groups: list) -> dict[str, list[SourceRow]]:
    """The section's and draft's source rows by label, read once per scope."""
    return grounding.read_once(groups, "table rows", source_rows)


def _cell_key(cell: str) -> str:
    return " ".join(_shown(cell).lower().split())


_TELLING = re.compile(r"[\d_$/.:{}@-]")  # a cell with a value in it, not a word ("Yes")


def cell_index(text: str, unit) -> int:
    """Which cell of its table row a cell unit of the draft ``text`` is (0: the label), by
    its place in the line."""
    start = unit.offsets[0]
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    pipes = len(re.findall(r"(?<!\\)\|", before))
    return pipes - 1 if before.lstrip().startswith("|") else pipes


def label_row(grounding, unit, specific, groups: list, *, kind: str) -> OtherRow | None:
    """An ``OtherRow`` for the label of a draft table row (``unit``: its first cell) that no
    source row has, when the rest of the row is a row of the sources as it is, with another
    label; None otherwise."""
    if unit.kind != "cell":
        return None
    lines = grounding.prose.text.split("\n")
    row = cells(lines[unit.line - 1]) if unit.line <= len(lines) else []
    if len(row) < 2 or not unit.offsets or cell_index(grounding.prose.text, unit) != 0:
        return None  # not a table row's label cell
    rows = _rows(grounding, groups)
    label = label_of(row[0])
    if label in rows or any(part in rows for part in _JOINED.split(label) if part):
        return None  # a row of the sources: its cells are compared with theirs
    rest = [_cell_key(c) for c in row[1:]]
    if not any(len(c) >= 4 and _TELLING.search(c) for c in rest):
        return None
    found = [r for others in rows.values() for r in others
             if [_cell_key(c) for c in cells(r.text)[1:]] == rest]
    if len({label_of(cells(r.text)[0]) for r in found}) != 1:
        return None  # no such row, or several rows with another label each
    other = found[0]
    if specific.text.lower() in _cell_key(cells(other.text)[0]):
        return None  # the source's label holds it (`--port` in "`-p, --port`")
    quote = " ".join(other.text.split())[:280]
    return OtherRow(kind, _shown(row[0]), _shown(cells(other.text)[0]),
                    Evidence(other.passage.path, other.line, other.line, quote),
                    relabelled=True)


def other_row(grounding, unit, specific, groups: list, states, *,
              kind: str) -> OtherRow | None:
    """An ``OtherRow`` for a specific of a table cell (``unit``) when the sources' rows of the
    draft row's label do not state it and another row of their table does; ``states(text,
    specific)``: whether a source table (header and one row, as text) states it; ``kind``:
    the specific's kind as a message names it."""
    if unit.kind != "cell":
        return None
    lines = grounding.prose.text.split("\n")
    row = cells(lines[unit.line - 1]) if unit.line <= len(lines) else []
    if len(row) < 2 or label_of(row[0]) == label_of(unit.text):
        return None  # not a table row, or the label cell itself
    label = label_of(row[0])
    rows = _rows(grounding, groups)
    labels = [label] if label in rows else [p for p in _JOINED.split(label) if p]
    own = [r for part in labels for r in rows.get(part, ())]
    if not own or (len(labels) > 1 and len(own) < len(labels)):
        return None  # a row the sources do not have, or one of a joined label's is missing
    if any(states(f"{r.header}\n{r.text}", specific) for r in own):
        return None
    tables = {(r.passage.path, r.passage.line_start, r.table) for r in own}
    for other_label, others in rows.items():
        if other_label in labels:
            continue
        for other in others:
            where = (other.passage.path, other.passage.line_start, other.table)
            if where in tables and states(f"{other.header}\n{other.text}", specific):
                quote = " ".join(other.text.split())[:280]
                return OtherRow(kind, _shown(row[0]), _shown(cells(other.text)[0]),
                                Evidence(other.passage.path, other.line, other.line, quote))
    return same_column(grounding.prose.text, lines, unit, own, kind=kind,
                       label=_shown(row[0]))


@dataclass(frozen=True)
class OtherValue:
    """A cell's specific where the sources' row of its label gives another value under the
    same column."""
    kind: str
    label: str  # the row's label
    column: str  # the column's header
    value: str  # the source's cell
    evidence: Evidence

    def message(self, specific) -> str:
        return f'{self.kind} "{specific.text}" is not what the sources give for ' \
               f'"{self.label}" under "{self.column}"'

    def suggestion(self) -> str:
        return f'the source gives "{self.value}" ({self.evidence.citation})'


def same_column(text: str, lines: list[str], unit, own: list[SourceRow], *, kind: str,
                label: str) -> OtherValue | None:
    """An ``OtherValue`` for a draft table cell (``unit`` of the draft ``text``, split in
    ``lines``; none of the sources' rows of its label, ``own``, states its specific) when one
    of those rows gives a value under a column of the same header: "| Hobby | 8 |" under
    "Replicas" where the source's Hobby row has 6 there."""
    first = unit.line - 1
    while first > 0 and lines[first - 1].lstrip().startswith("|"):
        first -= 1
    header = cells(lines[first])
    index = cell_index(text, unit)
    if first == unit.line - 1 or not 0 < index < len(header):
        return None  # the header itself, or a cell out of its columns
    column = _cell_key(header[index])
    for source in own:
        theirs = [_cell_key(c) for c in cells(source.header)]
        if not column or theirs.count(column) != 1:
            continue
        row = cells(source.text)
        at = theirs.index(column)
        value = _cell_key(row[at]) if at < len(row) else ""
        if value and _TELLING.search(value):
            quote = " ".join(source.text.split())[:280]
            return OtherValue(kind, label, _shown(header[index]), _shown(row[at]),
                              Evidence(source.passage.path, source.line, source.line, quote))
    return None
