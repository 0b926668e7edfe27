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
    raise FormatError(path, 1, "frontmatter opened at line 1 is never closed (no '---' line): "
                               "add a '---' line after its last key")


def parse(text: str, path: object = "<text>") -> Frontmatter:
    """Parse the frontmatter of markdown ``text``; a file without one gets empty data."""
    import yaml

    raw, body = split(text, path)
    if raw is None:
        return Frontmatter({}, "", text, 0, has_frontmatter=False)
    try:
        data = yaml.load(raw, Loader=_loader())  # noqa: S506 - a SafeLoader (see _loader)
    except yaml.YAMLError as exc:
        from kurt.writing.template_parse import yaml_error_mark

        mark = yaml_error_mark(exc)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FormatError(path, line, f"invalid YAML frontmatter: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FormatError(path, 2, "the frontmatter must be YAML 'key: value' lines")
    return Frontmatter(data, raw, body, 2)


def _loader():
    """YAML's SafeLoader, except that a date that does not exist (``created: 2026-13-45``)
    stays the string it is written as, for the checks to report, instead of failing."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's when installed
        pass

    def timestamp(loader, node):
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return Loader


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
    from kurt.fileio import write_atomic

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


# -- nested edits: one key or one list item, every other line kept ----------------------

def set_in(text: str, keys: list[str] | tuple[str, ...], value, path: object = "<text>",
           *, comment: str = "") -> str:
    """``text`` with the nested frontmatter key ``keys`` (e.g. outline > setup-guide > sources)
    set to ``value``; only that key's lines change. ``comment`` (``# ...``) follows an
    inline value such as ``[]``. The key must exist.
    """
    raw, lines, offset = _yaml_lines(text, path)
    index, indent = _locate(lines, keys, path)
    end = _nested_end(lines, index, indent)
    key_text = lines[index].lstrip()
    key_text = key_text[: key_text.index(":")]
    pad = " " * indent
    note = f"  {comment}" if comment else ""
    if isinstance(value, list) and value:
        new = [f"{pad}{key_text}:\n"] + [f"{pad}  - {render_value(v)}\n" for v in value]
    else:
        new = [f"{pad}{key_text}: {render_value(value)}{note}\n"]
    lines[index:end] = new
    result = _join(text, lines, offset)
    check = parse(result, path).data
    for key in keys:
        check = check.get(key) if isinstance(check, dict) else None
    if _normal(check) != _normal(value):
        raise FormatError(path, None, f"could not set '{' > '.join(keys)}' in the frontmatter safely")
    return result


def append_item(text: str, key: str, item: dict, path: object = "<text>") -> str:
    """Add ``item`` (a flat mapping) at the end of the top-level list ``key`` (created when missing)."""
    raw, lines, offset = _yaml_lines(text, path)
    rendered = [f"  - {render_value(k)}: {render_value(v)}\n" if i == 0
                else f"    {render_value(k)}: {render_value(v)}\n"
                for i, (k, v) in enumerate(item.items())]
    before = parse(text, path).data.get(key) or []
    try:
        index, _ = _locate(lines, [key], path)
    except FormatError:
        lines = lines + [f"{key}:\n"] + rendered
    else:
        end = _nested_end(lines, index, 0)
        value_text, _comment = _split_comment(lines[index].rstrip("\r\n").split(":", 1)[1])
        if value_text.strip() in ("[]", "null", "~") or (not value_text.strip() and not before):
            lines[index:end] = [f"{key}:\n"] + rendered
        elif value_text.strip():
            raise FormatError(path, offset + index + 1,
                              f"'{key}' is written inline: write it as a '- item' list to let Kurt edit it")
        else:
            lines[end:end] = rendered
    result = _join(text, lines, offset)
    if (parse(result, path).data.get(key) or []) != [*before, item]:
        raise FormatError(path, None, f"could not add to '{key}' in the frontmatter safely")
    return result


def remove_items(text: str, key: str, drop, path: object = "<text>", *, comment: str = "") -> str:
    """Remove the items of the top-level list ``key`` for which ``drop(item)`` is true.

    An emptied list becomes ``key: []`` followed by ``comment``.
    """
    raw, lines, offset = _yaml_lines(text, path)
    items = parse(text, path).data.get(key) or []
    if not any(drop(item) for item in items):
        return text
    index, _ = _locate(lines, [key], path)
    end = _nested_end(lines, index, 0)
    starts = [i for i in range(index + 1, end) if re.match(r"^\s*- ", lines[i])
              and len(lines[i]) - len(lines[i].lstrip()) == _item_indent(lines, index, end)]
    if len(starts) != len(items):
        raise FormatError(path, offset + index + 1,
                          f"'{key}' is not a plain '- item' list: edit it by hand")
    bounds = list(zip(starts, [*starts[1:], end], strict=True))
    kept_lines = lines[: index + 1]
    kept = []
    for (first, last), item in zip(bounds, items, strict=True):
        if not drop(item):
            kept_lines += lines[first:last]
            kept.append(item)
    if not kept:
        note = f"  {comment}" if comment else ""
        kept_lines = lines[:index] + [f"{key}: []{note}\n"]
    lines = kept_lines + lines[end:]
    result = _join(text, lines, offset)
    if (parse(result, path).data.get(key) or []) != kept:
        raise FormatError(path, None, f"could not remove from '{key}' in the frontmatter safely")
    return result


def _yaml_lines(text: str, path: object) -> tuple[str, list[str], int]:
    current = parse(text, path)
    if not current.has_frontmatter:
        raise FormatError(path, 1, "no frontmatter: the file must start with a '---' block")
    lines = current.text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return current.text, lines, current.first_line - 1


def _join(text: str, yaml_lines: list[str], offset: int) -> str:
    current = parse(text)
    head_end = len(text) - len(current.body)
    closing = text[:head_end].splitlines(keepends=True)[-1]
    return f"{text.splitlines(keepends=True)[0]}{''.join(yaml_lines)}{closing}{current.body}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _locate(lines: list[str], keys, path) -> tuple[int, int]:
    """(line index, indentation) of the nested key ``keys`` in block-style YAML lines."""
    start, end, indent = 0, len(lines), 0
    index = -1
    for depth, key in enumerate(keys):
        if depth:
            children = [i for i in range(start, end) if _content(lines[i])]
            if not children:
                break
            indent = _indent(lines[children[0]])
        names = {str(key), render_value(str(key))}
        index = next((i for i in range(start, end) if _content(lines[i])
                      and _indent(lines[i]) == indent
                      and lines[i].strip().split(":", 1)[0].strip() in names
                      and ":" in lines[i]), -1)
        if index < 0:
            break
        start, end = index + 1, _nested_end(lines, index, indent)
    else:
        return index, indent
    raise FormatError(path, None, f"no '{' > '.join(map(str, keys))}' in the frontmatter")


def _nested_end(lines: list[str], index: int, indent: int) -> int:
    """Index after the last line of the key at ``index`` (indentation ``indent``)."""
    end, last = index + 1, index + 1
    while end < len(lines):
        line = lines[end]
        if not line.strip():
            end += 1
            continue
        deeper = _indent(line) > indent
        same_level_item = _indent(line) == indent and line.lstrip().startswith("- ")
        if deeper or same_level_item:
            end += 1
            last = end
            continue
        if line.strip().startswith("#") and end + 1 < len(lines):
            # a comment line belongs to the key only when the block goes on after it
            nxt = next((ln for ln in lines[end + 1:] if ln.strip()), "")
            if nxt and (_indent(nxt) > indent):
                end += 1
                continue
        break
    return last


def _item_indent(lines: list[str], index: int, end: int) -> int:
    for i in range(index + 1, end):
        if lines[i].lstrip().startswith("- "):
            return _indent(lines[i])
    return -1
