"""Table rows: a value a draft's table row gives that the sources' row of that name does not.

Reference tables (framework and prefix, plan and limit, region and identifier) are
copied into drafts row by row, and a value slips into the wrong row: "| Astro | `VITE_` |"
where the source's Astro row gives `PUBLIC_` and `VITE_` is the Vite row's. A draft
table cell is compared with the sources' table rows whose first cell is the draft row's
first cell (its label, as written, markup aside): when one of them states the cell's
specific, it stands; when none does and another row of the same source table does, the
specific is reported with that row. A label that joins two of the sources' rows ("Redis /
Redis HA", "MySQL and MySQL HA") is compared with both. A label no source row has is left
alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.finding import Evidence

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`]")
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

    def message(self, specific) -> str:
        return f'{self.kind} "{specific.text}" is what the sources give for "{self.other}", ' \
               f'not "{self.label}"'

    def suggestion(self) -> str:
        return f'the sources\' "{self.label}" row does not state it ({self.evidence.citation})'


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
    key = ("table rows", id(groups))
    rows = grounding.memo.get(key)
    if rows is None:
        passages = [p for group in groups for p in group if p.scope in ("section", "draft")]
        rows = grounding.memo[key] = (source_rows(passages), groups)
    rows = rows[0]
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
    return None
