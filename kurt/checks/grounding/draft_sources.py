"""The sources each part of a draft may rely on, read from the draft and its project.

``draft_sections(root, draft_path, text)`` cuts the draft's body at its
headings. A heading whose slug is an outline key (``## Set Up The Project`` ->
``set-up-the-project``) starts that section; a deeper heading belongs to the
section above it. Each part gets:

- ``section`` scope: the stored files its outline entry lists, cut into
  passages as the index cuts them, and the exact lines of each
  ``<!-- Source: path:12-30 -->`` citation inside it;
- ``draft`` scope: the files of the frontmatter ``sources`` inventory (and of
  every outline entry);
- ``project`` scope: the files of the project's plan.md and of its other drafts.

Text before the first outline heading relies on the draft scope. A listed file
that does not exist is left out (the ``sources/*`` rules report it). Paths are
workspace-relative, as the draft writes them.
"""

from __future__ import annotations

import re
from pathlib import Path

from kurt.checks.grounding.sources import Passage, SectionSources, file_passages, line_passage

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CITATION = re.compile(r"<!--\s*Sources?\s*:\s*(.*?)\s*-->", re.IGNORECASE | re.DOTALL)
_CITED = re.compile(r"^(?P<path>.+?)(?::(?P<a>\d+)(?:-(?P<b>\d+))?|#L(?P<c>\d+)(?:-L?(?P<d>\d+))?)?$")
_SOURCE_PATH = re.compile(r"(?<![\w/])(sources/[^\s`'\"<>)]+?\.(?:md|mdx|txt|html))")


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", str(text).strip().lower())
    return value.strip("-")[:80].strip("-")


def _frontmatter(text: str) -> tuple[dict, int]:
    """(data, number of lines it takes); empty data when there is none or it is broken."""
    import yaml

    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            try:
                data = yaml.safe_load("\n".join(lines[1:index]))
            except yaml.YAMLError:
                data = None
            return (data if isinstance(data, dict) else {}), index + 1
    return {}, 0


def _paths(items) -> list[str]:
    out = []
    for item in items or []:
        value = item.get("path") if isinstance(item, dict) else item
        if isinstance(value, str) and value.strip():
            out.append(value.strip())
    return out


class _Files:
    """Stored files read and cut into passages once."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.cache: dict[str, tuple[str, list[Passage]] | None] = {}

    def get(self, path: str) -> tuple[str, list[Passage]] | None:
        if path not in self.cache:
            target = self.root / path
            try:
                text = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self.cache[path] = None
            else:
                self.cache[path] = (text, file_passages(path, text))
        return self.cache[path]

    def passages(self, path: str, scope: str) -> list[Passage]:
        found = self.get(path)
        return [] if found is None else [p.with_scope(scope) for p in found[1]]


def project_paths(root: Path, draft_path: Path) -> list[str]:
    """Every stored file the draft's project names: in plan.md and in its other drafts."""
    folder = draft_path.parent
    project = folder.parent if folder.name == "drafts" else folder
    found: list[str] = []
    candidates = [project / "plan.md", *sorted((project / "drafts").glob("*.md"))]
    for candidate in candidates:
        if candidate.resolve() == draft_path.resolve() or not candidate.is_file():
            continue
        try:
            text = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found.extend(m.group(1) for m in _SOURCE_PATH.finditer(text))
    return list(dict.fromkeys(found))


def draft_sections(root: Path, draft_path: Path, text: str | None = None, *,
                   files: _Files | None = None) -> list[SectionSources]:
    """The ``SectionSources`` of a draft (see the module docstring)."""
    root, draft_path = Path(root), Path(draft_path)
    if text is None:
        text = draft_path.read_text(encoding="utf-8")
    files = files or _Files(root)
    data, body_from = _frontmatter(text)
    outline = data.get("outline") if isinstance(data.get("outline"), dict) else {}
    outline_paths = {str(key): _paths((entry or {}).get("sources") if isinstance(entry, dict)
                                      else entry) for key, entry in outline.items()}
    inventory = list(dict.fromkeys(_paths(data.get("sources")) +
                                   [p for paths in outline_paths.values() for p in paths]))
    project = [p for p in project_paths(root, draft_path) if p not in inventory]

    lines = text.split("\n")
    regions = _regions(lines, body_from, set(outline_paths))
    draft_level = [p for path in inventory for p in files.passages(path, "draft")]
    project_level = [p for path in project for p in files.passages(path, "project")]
    sections = []
    for first, last, heading, key in regions:
        section_files = outline_paths.get(key, []) if key else []
        passages = [p for path in section_files for p in files.passages(path, "section")]
        passages += _cited(lines[first - 1:last], files)
        listed = set(section_files)
        passages += [p for p in draft_level if p.path not in listed]
        passages += project_level
        sections.append(SectionSources(first, last, heading, passages))
    return sections


def _regions(lines: list[str], body_from: int, keys: set[str]) -> list[tuple]:
    """(first line, last line, heading, outline key) of each part of the body."""
    headings: list[tuple[int, int, str]] = []  # (line index, level, text)
    fence = None
    for index in range(body_from, len(lines)):
        line = lines[index]
        marker = _FENCE.match(line)
        if fence is not None:
            if marker and marker.group(1)[0] == fence:
                fence = None
            continue
        if marker:
            fence = marker.group(1)[0]
            continue
        found = _HEADING.match(line)
        if found:
            headings.append((index, len(found.group(1)), found.group(2).strip()))
    regions = []
    stack: list[tuple[int, str | None]] = []  # (level, key)
    starts = [(body_from, 0, None)] + headings
    for n, (index, level, heading) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        key = None
        if heading is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            own = slug(heading)
            key = own if own in keys else next((k for _, k in reversed(stack) if k), None)
            stack.append((level, own if own in keys else None))
        if end > index:
            regions.append((index + 1, end, heading, key))
    return regions


def _cited(lines: list[str], files: _Files) -> list[Passage]:
    passages = []
    for match in _CITATION.finditer("\n".join(lines)):
        for item in re.split(r"[,;]\s*|\s+", match.group(1)):
            cited = _CITED.match(item.strip())
            if not cited or not item.strip():
                continue
            path = cited.group("path")
            found = files.get(path)
            if found is None:
                continue
            start = cited.group("a") or cited.group("c")
            if start is None:
                passages.extend(p.with_scope("section") for p in found[1])
                continue
            end = cited.group("b") or cited.group("d") or start
            passages.append(line_passage(path, found[0], int(start), int(end), scope="section"))
    return passages
