"""The syntax of a ``.vale.ini`` file: sections of ``key = value`` lines.

Vale reads its configuration with a loose INI dialect (go-ini with shadows):
keys are case-sensitive, a key may repeat (``StylesPath`` twice, or
``BasedOnStyles`` on two lines) and every value is kept, ``#`` and ``;`` start
a comment at the start of a line or after a space, and a value may be wrapped
in quotes or backquotes. Keys before the first ``[section]`` belong to the
root section, whose name is ``""``. What the keys mean is kurt.checks.vale.config's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import FormatError


@dataclass(frozen=True)
class Entry:
    key: str
    value: str
    line: int


@dataclass
class Section:
    name: str  # "" for the keys above the first [section]
    line: int
    entries: list[Entry] = field(default_factory=list)

    def values(self, key: str) -> list[str]:
        """Every value given for ``key`` in this section, in order (shadows included)."""
        return [e.value for e in self.entries if e.key == key]

    def last(self, key: str) -> Entry | None:
        found = [e for e in self.entries if e.key == key]
        return found[-1] if found else None


@dataclass
class IniFile:
    path: Path | None
    sections: list[Section]

    def section(self, name: str) -> Section | None:
        for section in self.sections:
            if section.name == name:
                return section
        return None


def _strip_comment(value: str) -> str:
    for index, char in enumerate(value):
        if char in "#;" and index > 0 and value[index - 1] in " \t":
            return value[:index].rstrip()
    return value


def _unquote(value: str) -> str:
    for quote in ('"""', '"', "`"):
        if len(value) >= 2 * len(quote) and value.startswith(quote) and value.endswith(quote):
            return value[len(quote):-len(quote)]
    return value


def parse(text: str, path: Path | None = None) -> IniFile:
    """Parse ``.vale.ini`` text; a line that is neither a section, a key nor a comment is an error."""
    where = path if path is not None else "<.vale.ini>"
    root = Section("", 0)
    sections = [root]
    by_name = {"": root}
    current = root
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            end = line.rfind("]")
            if end <= 1:
                raise FormatError(where, number, f"section header {line!r} has no name or no ']'")
            name = line[1:end].strip()
            # A section named twice continues where it left off, as in go-ini.
            current = by_name.get(name)
            if current is None:
                current = Section(name, number)
                by_name[name] = current
                sections.append(current)
            continue
        if "=" not in line:
            raise FormatError(where, number, f"expected 'key = value', got {line!r}")
        key, value = line.split("=", 1)
        key = key.strip()
        if not key:
            raise FormatError(where, number, f"a key is missing before '=' in {line!r}")
        value = _unquote(_strip_comment(value.strip()))
        current.entries.append(Entry(key, value, number))
    return IniFile(path, sections)


def read(path: Path) -> IniFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(path, None, "not a UTF-8 text file") from None
    return parse(text, path)


def split_list(value: str) -> list[str]:
    """A comma-separated value: ``Vale, Google`` -> ``["Vale", "Google"]`` (``\\,`` keeps a comma)."""
    items, current, i = [], [], 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value) and value[i + 1] == ",":
            current.append(",")
            i += 2
            continue
        if char == ",":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    items.append("".join(current))
    seen: list[str] = []
    for item in (item.strip() for item in items):
        if item and item not in seen:
            seen.append(item)
    return seen
