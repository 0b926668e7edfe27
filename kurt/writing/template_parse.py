"""A format template's machine-readable parts, parsed from its markdown.

A template is markdown with a known anatomy: ``# X Template``; ``## Overview``
bullets (purpose, length, audience, success metrics); ``## Style Guidelines``;
research and source requirements; ``## Structure`` holding ONE fenced block
(opened by a ```` ```markdown ```` line) with the draft's YAML frontmatter and
body skeleton; ``## Workflow: Outline to Draft``; one-time customization.

The structure block contains fenced code of its own, so it is closed by the
LAST bare ```` ``` ```` line before the workflow heading, not by the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import FormatError

CUSTOMIZATION_MARKER = "[CUSTOMIZATION NEEDED"
STYLE_HEADING = "## Style Guidelines"
STRUCTURE_HEADING = "## Structure"
WORKFLOW_HEADING = "## Workflow"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_OVERVIEW_ITEM = re.compile(r"^\s*[-*]\s+\*\*([^*:]+):\*\*\s*(.*)$")
_LENGTH = re.compile(r"(\d[\d,]*)\s*(?:-|–|to)\s*(\d[\d,]*)\s*words", re.IGNORECASE)
EXAMPLE_MARKER = "[EXAMPLE: "  # example text a draft must still replace (kurt.writing.placeholders)
_EXAMPLE = re.compile(r"\[EXAMPLE: (?:[^\[\]\n]|\[[^\[\]\n]*\])*\]")  # one level of [...] inside
_PLACEHOLDER = re.compile(
    _EXAMPLE.pattern + "|"            # [EXAMPLE: text], marked by kurt draft new
    r"\{\{[A-Z0-9_]+\}\}"          # {{UPPER_SNAKE}}
    r"|YYYY-MM-DD"                 # dates to fill
    r"|(?<![\w\])])\[(?!['\"])[^\[\]\n]+\](?!\()"  # [Bracketed text], not a markdown link,
)                                  # nor code indexing (headers['x'], items[0])
_CHECKBOX = {"[ ]", "[x]"}  # task-list boxes; "[X]" (upper case) is a placeholder


@dataclass
class OutlineSection:
    key: str
    purpose: str
    sources: list[str] = field(default_factory=list)


@dataclass
class Template:
    name: str
    path: Path | None
    origin: str  # "workspace" | "builtin"
    text: str
    title: str
    purpose: str | None
    audience: str | None
    length: tuple[int, int] | None
    frontmatter: dict
    frontmatter_text: str
    outline: list[OutlineSection]
    skeleton: str
    required_headings: list[str]
    placeholders: list[str]
    customized: bool
    success_metrics: str | None = None

    def to_dict(self) -> dict:
        """The parsed parts, for ``--format json`` (without the full text)."""
        return {
            "name": self.name,
            "origin": self.origin,
            "path": str(self.path) if self.path else None,
            "title": self.title,
            "purpose": self.purpose,
            "audience": self.audience,
            "success_metrics": self.success_metrics,
            "length": list(self.length) if self.length else None,
            "customized": self.customized,
            "outline": [
                {"key": s.key, "purpose": s.purpose, "sources": s.sources} for s in self.outline
            ],
            "required_headings": self.required_headings,
            "placeholders": self.placeholders,
        }


def parse_template(
    text: str, *, name: str, path: Path | None = None, origin: str = "builtin"
) -> Template:
    """Parse a template's markdown; a malformed one raises FormatError naming the file line."""
    where = path if path is not None else f"template '{name}'"
    lines = text.split("\n")
    title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), name)
    overview = _overview_items(lines)
    block_open, block_close = find_structure_block(lines, where)
    body = lines[block_open + 1 : block_close]
    fm_text, fm_first, fm_end = _frontmatter(body, where, first_line=block_open + 2)
    frontmatter = _load_yaml(fm_text, where, first_line=fm_first)
    outline = _outline(frontmatter, fm_text, where, first_line=fm_first, start=block_open + 2)
    skeleton = "\n".join(body[fm_end + 1 :]).strip("\n") + "\n"
    return Template(
        name=name,
        path=path,
        origin=origin,
        text=text,
        title=title,
        purpose=overview.get("purpose"),
        audience=overview.get("audience"),
        length=parse_length(overview.get("length")),
        frontmatter=frontmatter,
        frontmatter_text=fm_text,
        outline=outline,
        skeleton=skeleton,
        required_headings=skeleton_headings(skeleton),
        placeholders=find_placeholders(skeleton),
        customized=not needs_customization(text),
        success_metrics=overview.get("success metrics"),
    )


def needs_customization(text: str) -> bool:
    """True while the Style Guidelines section still holds the ``[CUSTOMIZATION NEEDED`` marker.

    (The closing "Customizing This Template" section mentions the marker too; it does not count.)
    """
    lines = text.split("\n")
    span = section_span(lines, STYLE_HEADING)
    scope = lines[span[0] : span[1]] if span else lines
    return any(CUSTOMIZATION_MARKER in line for line in scope)


def parse_length(value: str | None) -> tuple[int, int] | None:
    """``"1000-1500 words + code"`` -> (1000, 1500); None when no word range is given."""
    if not value:
        return None
    match = _LENGTH.search(value)
    if not match:
        return None
    low, high = (int(g.replace(",", "")) for g in match.groups())
    return (min(low, high), max(low, high))


def skeleton_headings(skeleton: str) -> list[str]:
    """The ``## `` headings of a body skeleton, ignoring lines inside fenced code."""
    headings, fence = [], None
    for line in skeleton.split("\n"):
        fence, is_code = _track_fence(line, fence)
        if not is_code and line.startswith("## "):
            headings.append(line[3:].strip())
    return headings


def find_placeholders(text: str) -> list[str]:
    """Distinct placeholders (``[Bracketed]``, ``{{UPPER_SNAKE}}``, ``YYYY-MM-DD``,
    ``[EXAMPLE: ...]``) in order."""
    seen: dict[str, None] = {}
    for match in _PLACEHOLDER.finditer(text):
        token = match.group(0)
        if token not in _CHECKBOX:
            seen.setdefault(token, None)
    return list(seen)


def placeholder_spans(text: str) -> list[tuple[int, int, str]]:
    """Every placeholder of ``text`` with where it is: (start, end, token), task-list boxes
    left out (``find_placeholders`` gives the distinct tokens)."""
    return [(m.start(), m.end(), m.group(0)) for m in _PLACEHOLDER.finditer(text)
            if m.group(0) not in _CHECKBOX]


def find_examples(text: str) -> list[str]:
    """The ``[EXAMPLE: ...]`` markers of ``text`` (code blocks included), in order."""
    return [m.group(0) for m in _EXAMPLE.finditer(text)]


def find_structure_block(lines: list[str], where) -> tuple[int, int]:
    """(index of the ```` ```markdown ```` line, index of its closing fence), 0-based."""
    heading = _find_heading(lines, STRUCTURE_HEADING, 0)
    if heading is None:
        raise FormatError(where, None, "no '## Structure' section: add one holding a ```markdown block")
    opening = next(
        (i for i in range(heading + 1, len(lines)) if re.match(r"^`{3,}\s*markdown\s*$", lines[i])),
        None,
    )
    if opening is None:
        raise FormatError(where, heading + 1,
                          "no structure block: '## Structure' needs a block opened by a ```markdown line")
    workflow = next(
        (i for i in range(opening + 1, len(lines)) if lines[i].startswith(WORKFLOW_HEADING)),
        len(lines),
    )
    closing = next(
        (i for i in range(workflow - 1, opening, -1) if lines[i].rstrip() in ("```", "````")),
        None,
    )
    if closing is None:
        raise FormatError(where, opening + 1,
                          "the structure block is never closed: end it with a ``` line "
                          "before '## Workflow: Outline to Draft'")
    return opening, closing


def section_span(lines: list[str], heading: str) -> tuple[int, int] | None:
    """(first line after ``heading``, index of the next ``## `` heading), 0-based, or None."""
    start = _find_heading(lines, heading, 0)
    if start is None:
        return None
    fence = None
    for i in range(start + 1, len(lines)):
        fence, is_code = _track_fence(lines[i], fence)
        if not is_code and lines[i].startswith("## "):
            return start + 1, i
    return start + 1, len(lines)


def _find_heading(lines: list[str], heading: str, start: int) -> int | None:
    fence = None
    for i in range(start, len(lines)):
        fence, is_code = _track_fence(lines[i], fence)
        if not is_code and lines[i].rstrip() == heading:
            return i
    return None


def _track_fence(line: str, fence: str | None) -> tuple[str | None, bool]:
    """Update the open-fence state for ``line``; returns (new state, line is code or a fence)."""
    match = _FENCE.match(line)
    if fence is None:
        if match:
            return match.group(1), True
        return None, False
    if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
            and not line.strip()[len(match.group(1)):].strip():
        return None, True
    return fence, True


def _overview_items(lines: list[str]) -> dict[str, str]:
    span = section_span(lines, "## Overview")
    if span is None:
        return {}
    items = {}
    for line in lines[span[0] : span[1]]:
        match = _OVERVIEW_ITEM.match(line)
        if match:
            items.setdefault(match.group(1).strip().lower(), match.group(2).strip())
    return items


def _frontmatter(body: list[str], where, *, first_line: int) -> tuple[str, int, int]:
    """(YAML text, its first file line (1-based), index in ``body`` of the closing ``---``)."""
    start = next((i for i, ln in enumerate(body) if ln.strip()), None)
    if start is None or body[start].rstrip() != "---":
        line = first_line + (start or 0)
        raise FormatError(where, line,
                          "the structure block must start with the draft's YAML frontmatter "
                          "between '---' lines")
    end = next((i for i in range(start + 1, len(body)) if body[i].rstrip() == "---"), None)
    if end is None:
        raise FormatError(where, first_line + start,
                          f"frontmatter opened at line {first_line + start} is never closed "
                          "(no '---' line): add a '---' line after the structure block's frontmatter")
    return "\n".join(body[start + 1 : end]) + "\n", first_line + start + 1, end


def load_placeholder_yaml(fm_text: str):
    """``yaml.safe_load`` that also accepts the placeholder idiom of templates.

    ``sources: [/sources/[partner]-api-docs.md]`` is not valid YAML (a flow list
    holding brackets); such lists are read as lists of plain strings. Any other
    error propagates as ``yaml.YAMLError``.
    """
    import yaml

    try:
        return yaml.safe_load(fm_text)
    except yaml.YAMLError:
        repaired = _FLOW_LIST.sub(_quote_flow_items, fm_text)
        if repaired == fm_text:
            raise
        # the repair keeps every line in place, so a remaining error has the right line
        return yaml.safe_load(repaired)


_FLOW_LIST = re.compile(r"^(\s*[^\s#:][^:#]*:\s*)\[(.*\[.*)\]\s*$", re.MULTILINE)


def _quote_flow_items(match: re.Match) -> str:
    items = [item.strip() for item in match.group(2).split(",")]
    quoted = ", ".join('"' + item.strip("'\"").replace('"', '\\"') + '"' for item in items if item)
    return f"{match.group(1)}[{quoted}]"


def yaml_error_mark(exc):
    """Where a YAML error is: an unclosed ``[``/``{`` is reported where it opens,
    not on the later line where the parser gave up; otherwise the problem itself."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    if context is not None and "flow" in str(getattr(exc, "context", "") or ""):
        return context
    return problem or context


def _load_yaml(fm_text: str, where, *, first_line: int) -> dict:
    import yaml

    try:
        data = load_placeholder_yaml(fm_text)
    except yaml.YAMLError as exc:
        mark = yaml_error_mark(exc)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise FormatError(where, line, f"bad YAML in the structure block: {problem}") from None
    if not isinstance(data, dict):
        raise FormatError(where, first_line,
                          "bad YAML in the structure block: the frontmatter must be a mapping")
    return data


def _outline(frontmatter: dict, fm_text: str, where, *, first_line: int, start: int
             ) -> list[OutlineSection]:
    outline = frontmatter.get("outline")
    if not isinstance(outline, dict) or not outline:
        line = _yaml_key_line(fm_text, "outline", first_line) or start
        raise FormatError(where, line,
                          "no outline in the structure block: add 'outline:' with one entry per "
                          "section (purpose and sources)")
    sections = []
    for key, entry in outline.items():
        line = _yaml_key_line(fm_text, str(key), first_line)
        if not isinstance(entry, dict) or not str(entry.get("purpose") or "").strip():
            raise FormatError(where, line, f"outline section '{key}' has no purpose: "
                              "add 'purpose: \"what this section does\"'")
        sources = entry.get("sources") or []
        if isinstance(sources, str):
            sources = [sources]
        if not isinstance(sources, list):
            raise FormatError(where, line, f"outline section '{key}': sources must be a list")
        sections.append(OutlineSection(str(key), str(entry["purpose"]).strip(),
                                       [str(s) for s in sources]))
    return sections


def _yaml_key_line(fm_text: str, key: str, first_line: int) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    for i, line in enumerate(fm_text.split("\n")):
        if pattern.match(line):
            return first_line + i
    return None
