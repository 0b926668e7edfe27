"""Content gaps: topics and technologies one set of pages covers and the other does not.

Each side is a ``DocumentFilter`` (``side_filter`` turns a command-line
PREFIX into one: a URL prefix, a glob, or a part of the URL). For every
entity of the wanted types, the report counts the documents of each side that
mention it; an entity is a gap when one side has at least ``min_docs``
documents about it and the other has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kurt.errors import UsageError
from kurt.store.db import Store
from kurt.store.filters import DocumentFilter

DEFAULT_TYPES = ("Topic", "Technology")


@dataclass
class Gap:
    type: str
    name: str
    ours: int  # documents of our side that mention it
    theirs: int
    side: str  # 'theirs-only' (a gap in our content), 'ours-only', or 'both'


@dataclass
class GapReport:
    ours_documents: int
    theirs_documents: int
    gaps: list[Gap] = field(default_factory=list)

    @property
    def missing(self) -> list[Gap]:
        return [g for g in self.gaps if g.side == "theirs-only"]


def side_filter(spec: str, base: DocumentFilter | None = None) -> DocumentFilter:
    """'https://a.com/docs/' -> URL prefix; '*/blog/*' -> glob; '/guides/' -> URL contains."""
    spec = spec.strip()
    if not spec:
        raise UsageError("--ours and --theirs need a URL prefix, a glob or a part of the URL")
    flt = replace(base) if base is not None else DocumentFilter()
    if any(ch in spec for ch in "*?"):
        return replace(flt, include=[*flt.include, spec])
    if spec.startswith(("http://", "https://", "file:")):
        return replace(flt, url_prefix=spec)
    return replace(flt, url_contains=[*flt.url_contains, spec])


def find_gaps(
    store: Store,
    ours: DocumentFilter,
    theirs: DocumentFilter,
    *,
    types: tuple[str, ...] | list[str] = DEFAULT_TYPES,
    min_docs: int = 1,
    include_shared: bool = False,
) -> GapReport:
    """Compare the entities of two sets of documents (see the module docstring)."""
    ours = replace(ours, statuses=ours.statuses or ["FETCHED"])
    theirs = replace(theirs, statuses=theirs.statuses or ["FETCHED"])
    our_counts, our_total = _counts(store, ours, types)
    their_counts, their_total = _counts(store, theirs, types)
    if our_total == 0:
        raise UsageError("--ours matches no fetched document: check the prefix with 'kurt content list'")
    if their_total == 0:
        raise UsageError("--theirs matches no fetched document: check the prefix with 'kurt content list'")
    gaps = []
    for key in sorted(set(our_counts) | set(their_counts)):
        name, mine = our_counts.get(key, (None, 0))
        other_name, theirs_n = their_counts.get(key, (None, 0))
        name = name or other_name
        if mine and theirs_n:
            side = "both"
            if not include_shared or max(mine, theirs_n) < min_docs:
                continue
        elif theirs_n >= min_docs:
            side = "theirs-only"
        elif mine >= min_docs:
            side = "ours-only"
        else:
            continue
        gaps.append(Gap(key[0], name, mine, theirs_n, side))
    order = {"theirs-only": 0, "ours-only": 1, "both": 2}
    gaps.sort(key=lambda g: (order[g.side], -(g.theirs + g.ours), g.type, g.name.lower()))
    return GapReport(our_total, their_total, gaps)


def _counts(store: Store, flt: DocumentFilter, types) -> tuple[dict, int]:
    where, params = flt.where("d")
    total = int(store.query_one(f"SELECT COUNT(*) FROM documents d WHERE {where}", params)[0])
    marks = ", ".join("?" * len(types))
    rows = store.query(
        "SELECT e.type, e.key, e.name, COUNT(DISTINCT d.id) AS n FROM documents d"
        " JOIN document_entities de ON de.document_id = d.id JOIN entities e ON e.id = de.entity_id"
        f" WHERE {where} AND e.type IN ({marks}) GROUP BY e.id, e.type, e.key, e.name",
        [*params, *types],
    )
    return {(r["type"], r["key"]): (r["name"], r["n"]) for r in rows}, total
