"""YAML frontmatter of markdown files: read it, and edit it without touching the rest.

Kurt rewrites only the lines of the keys it changes: the body stays byte for
byte, and the other keys keep their order, quoting and comments. A file whose
frontmatter does not parse raises FormatError naming the file line, and the
file is never left half-written.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

from kurt.errors import FormatError

FENCE = "---"


@dataclass
class Frontmatter:
    data: dict
    text: str  # the raw YAML between the fences
    body: str  # everything after the closing fence line
    first_line: int  # file line number (1-based) of the first YAML line
    has_frontmatter: bool = True


def split(text: str, path: object = "<text>") -> tuple[str | None, str]:
    """(raw YAML or None, body). A file that opens a fence must close it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != FENCE:
        return None, text
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") in (FENCE, "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:])
    raise FormatError(path, 1, "the frontmatter opens with '---' but never closes: add a '---' line after it")


def parse(text: str, path: object = "<text>") -> Frontmatter:
    """Parse the frontmatter of markdown ``text``; a file without one gets empty data."""
    import yaml

    raw, body = split(text, path)
    if raw is None:
        return Frontmatter({}, "", text, 0, has_frontmatter=False)
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FormatError(path, line, f"invalid YAML frontmatter: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FormatError(path, 2, "the frontmatter must be YAML 'key: value' lines")
    return Frontmatter(data, raw, body, 2)


def read(path: Path) -> Frontmatter:
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), path)


def render_value(value) -> str:
    """One YAML scalar on one line: ``outline``, ``"a: b"``, ``2026-01-02``, ``[]``."""
    import yaml

    if isinstance(value, _dt.date):
        return value.isoformat()
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    dumped = dumped.strip()
    if dumped.endswith("\n..."):
        dumped = dumped[: -len("\n...")]
    elif dumped.endswith("..."):
        dumped = dumped[:-3].rstrip()
    return dumped


def render_block(key: str, value) -> str:
    """``key: value`` as YAML lines (nested values in block style)."""
    import yaml

    if _is_scalar(value) or value in ([], {}):
        return f"{key}: {render_value(value)}\n"
    return yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=10_000,
                          default_flow_style=False)


def set_values(text: str, updates: dict, path: object = "<text>") -> str:
    """``text`` with the top-level frontmatter keys in ``updates`` set, everything else kept.

    A scalar on one line is replaced in place (a trailing ``# comment`` stays);
    any other value replaces that key's block; a new key goes at the end of the
    frontmatter. A file without frontmatter gets one.
    """
    current = parse(text, path)
    if not current.has_frontmatter:
        block = "".join(render_block(k, v) for k, v in updates.items())
        return f"{FENCE}\n{block}{FENCE}\n\n{text}"
    lines = current.text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for key, value in updates.items():
        lines = _set_one(lines, key, value)
    new_yaml = "".join(lines)
    head_end = len(text) - len(current.body)
    closing = text[:head_end].splitlines(keepends=True)[-1]
    result = f"{text.splitlines(keepends=True)[0]}{new_yaml}{closing}{current.body}"
    check = parse(result, path)  # never write something we cannot read back
    for key, value in updates.items():
        if _normal(check.data.get(key)) != _normal(value):
            raise FormatError(path, None, f"could not set '{key}' in the frontmatter safely")
    return result


def update_file(path: Path, updates: dict) -> Frontmatter:
    """Set frontmatter keys of the file at ``path`` atomically; returns the new frontmatter."""
    from kurt.workspace import write_atomic

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    new_text = set_values(text, updates, path)
    if new_text != text:
        write_atomic(path, new_text)
    return parse(new_text, path)


def _set_one(lines: list[str], key: str, value) -> list[str]:
    key_re = re.compile(rf"^{re.escape(key)}\s*:(.*)$")
    for index, line in enumerate(lines):
        match = key_re.match(line.rstrip("\r\n"))
        if not match:
            continue
        end = _block_end(lines, index)
        rest = match.group(1)
        value_text, comment = _split_comment(rest)
        inline = value_text.strip() and value_text.strip()[0] not in "|>&!"
        if _is_scalar(value) and inline and end == index + 1:
            newline = line[len(line.rstrip("\r\n")):]
            lead = rest[: len(rest) - len(rest.lstrip())] or " "
            lines[index] = f"{key}:{lead}{render_value(value)}{comment}{newline}"
            return lines
        return lines[:index] + [render_block(key, value)] + lines[end:]
    return lines + [render_block(key, value)]


def _block_end(lines: list[str], index: int) -> int:
    """Index after the last line belonging to the key at ``index`` (trailing blanks excluded)."""
    end = index + 1
    last = index + 1
    while end < len(lines):
        line = lines[end]
        stripped = line.strip()
        if not stripped:
            end += 1
            continue
        if line[0] in " \t" or line.startswith("- ") or stripped == "-":
            end += 1
            last = end
            continue
        break
    return last


def _split_comment(rest: str) -> tuple[str, str]:
    """Split ' value  # note' into (' value', '  # note'), respecting quotes."""
    quote = None
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or rest[i - 1] in " \t"):
            start = i
            while start > 0 and rest[start - 1] in " \t":
                start -= 1
            return rest[:start], rest[start:]
    return rest, ""


def _is_scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool | _dt.date)


def _normal(value):
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value
