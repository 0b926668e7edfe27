"""What a draft may rely on: source passages, grouped by the part of the draft they back.

The one definition of ``Passage`` and ``SectionSources`` for every check: the
draft context builds them (``kurt.checks.section_sources``) and the grounding
rules read them (``kurt.checks.grounding``).

A ``Passage`` is a piece of an ingested file (workspace-relative path, 1-based
inclusive line range, its text) with the scope it was given in:
``section`` (cited or listed for this part of the draft), ``draft`` (in the
draft's sources inventory) or ``project`` (any source of the draft's project).
``SectionSources`` gives the passages for one range of draft lines, usually the
body under one outline heading. A fact is looked up in the narrowest scope first.

``file_passages`` cuts a stored file into passages the way the index does
(``kurt.index.sections.split_sections``: at headings, long sections in about
320-word pieces), so evidence cites the same line ranges that search shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCOPES = ("section", "draft", "project")


@dataclass(frozen=True)
class Passage:
    path: str  # workspace-relative, e.g. sources/docs.railway.com/docs/x.md
    line_start: int  # 1-based, inclusive, in that file
    line_end: int
    text: str  # the file's lines line_start..line_end
    scope: str = "section"  # 'section', 'draft' or 'project'
    heading: str | None = None  # the heading path, when known

    @property
    def citation(self) -> str:
        return f"{self.path}:{self.line_start}-{self.line_end}"

    def with_scope(self, scope: str) -> Passage:
        return Passage(self.path, self.line_start, self.line_end, self.text, scope, self.heading)


@dataclass(frozen=True)
class SectionSources:
    """One part of the draft's body (draft lines, 1-based, inclusive) and the passages behind
    it. Unpacks as ``(line_start, line_end, heading, passages)``."""

    line_start: int
    line_end: int
    heading: str | None
    passages: tuple[Passage, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "passages", tuple(self.passages))

    def __iter__(self):
        return iter((self.line_start, self.line_end, self.heading, self.passages))

    def covers(self, line: int) -> bool:
        return self.line_start <= line <= self.line_end


def file_passages(path: str, text: str, *, scope: str = "section",
                  title: str | None = None) -> list[Passage]:
    """The passages of one stored file (``text``), as the index cuts it."""
    from kurt.index.sections import split_sections

    lines = text.split("\n")
    passages = []
    about = about_passage(path, text, scope=scope)
    if about is not None:
        passages.append(about)
    for section in split_sections(text, title=title):
        body = "\n".join(lines[section.line_start - 1:section.line_end])
        passages.append(Passage(path, section.line_start, section.line_end, body, scope,
                                section.heading_path or None))
    return passages


_ABOUT = re.compile(r"^(?:title|description|summary):\s*\S")


def about_passage(path: str, text: str, *, scope: str = "section", title: str | None = None,
                  description: str | None = None) -> Passage | None:
    """What a stored page says it is about: the ``title:`` and ``description:`` of its
    frontmatter, with the ``title`` and ``description`` the store recorded at fetch time
    (``kurt fetch`` keeps the page's meta description in the store, not in the file). The
    passage spans the frontmatter's lines; None for a file with no frontmatter or nothing
    to say."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    found, end = [], None
    for number, line in enumerate(lines[1:], 2):
        if line.strip() == "---":
            end = number
            break
        if _ABOUT.match(line):
            found.append(line.strip())
    if end is None:
        return None
    for key, value in (("title", title), ("description", description)):
        if value and not any(f.startswith(key + ":") and value in f for f in found):
            found.append(f"{key}: {' '.join(str(value).split())}")
    if not found:
        return None
    return Passage(path, 1, end, "\n".join(found), scope, None)


def line_passage(path: str, text: str, line_start: int, line_end: int | None = None, *,
                 scope: str = "section") -> Passage:
    """A passage of exactly the cited lines of a file (clamped to the file)."""
    lines = text.split("\n")
    first = max(1, min(line_start, len(lines)))
    last = max(first, min(line_end or line_start, len(lines)))
    return Passage(path, first, last, "\n".join(lines[first - 1:last]), scope)


def passages_for_line(sections: list[SectionSources], line: int) -> list[Passage]:
    """The passages that back draft line ``line``: its section's, else every section's."""
    for section in sections:
        if section.covers(line):
            return list(section.passages)
    seen: dict[tuple, Passage] = {}
    for section in sections:
        for passage in section.passages:
            seen.setdefault((passage.path, passage.line_start, passage.line_end), passage)
    return list(seen.values())
