"""The glob patterns of ``.vale.ini`` section names: ``[*.md]``, ``[*.{md,txt}]``, ``[docs/**]``.

Vale matches a section's pattern against the path of the file it lints. As in
Vale's glob library, ``*`` matches any run of characters, path separators
included (so ``*.md`` matches ``docs/intro.md``), ``?`` one character,
``[abc]``/``[!abc]`` a class, and ``{a,b}`` alternatives (nesting allowed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.errors import ConfigError


@dataclass(frozen=True)
class Glob:
    pattern: str
    regex: re.Pattern

    def match(self, path: str) -> bool:
        return self.regex.fullmatch(path.replace("\\", "/")) is not None


def _translate(pattern: str) -> str:
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            while i + 1 < len(pattern) and pattern[i + 1] == "*":
                i += 1
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                raise ValueError(f"missing ']' in {pattern!r}")
            body = pattern[i + 1:end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        elif char == "{":
            depth += 1
            out.append("(?:")
        elif char == "}" and depth:
            depth -= 1
            out.append(")")
        elif char == "," and depth:
            out.append("|")
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(char))
        i += 1
    if depth:
        raise ValueError(f"missing '}}' in {pattern!r}")
    return "".join(out)


def compile_glob(pattern: str) -> Glob:
    """Compile a section name; a malformed one raises ConfigError naming it."""
    try:
        return Glob(pattern, re.compile(_translate(pattern.strip()), re.DOTALL))
    except (ValueError, re.error) as exc:
        raise ConfigError(f"the .vale.ini section [{pattern}] is not a valid glob: {exc}") from None
