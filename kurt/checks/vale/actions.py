"""A rule's ``action``: how to fix what it found, turned into a suggestion for the writer.

Vale's actions: ``replace`` (with one of the params, or a substitution's
replacement), ``remove``, ``edit`` (``regex`` pattern replacement, ``trim``,
``trim_left``, ``trim_right``, ``truncate``, ``split``), ``convert``
(``simple``: lower case, words only) and ``suggest`` (spelling suggestions or a
script, which Kurt does not run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str = ""
    params: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value) -> Action:
        if not value:
            return cls()
        if not isinstance(value, dict):
            raise ValueError("'action' must be a mapping with 'name' and 'params'")
        params = value.get("params") or []
        if isinstance(params, str):
            params = [params]
        return cls(str(value.get("name") or ""), tuple("" if p is None else str(p) for p in params))


def _go_replacement(template: str) -> str:
    """Go's ``$1``/``${1}``/``${name}`` in a replacement, as Python's ``\\g<..>``."""
    text = template.replace("\\", "\\\\")
    return re.sub(r"\$\{(\w+)\}|\$(\d+)", lambda m: f"\\g<{m.group(1) or m.group(2)}>", text)


def fixes(action: Action, match: str) -> list[str]:
    """The fixed text(s) the action proposes for ``match`` (``[""]`` means remove it)."""
    params = list(action.params)
    if action.name == "replace":
        return params
    if action.name == "remove":
        return [""]
    if action.name == "convert":
        if params and params[0] == "simple":
            return [" ".join(re.findall(r"[^\W_]+", match)).lower()]
        return [match]
    if action.name != "edit" or not params:
        return []
    kind, fixed = params[0], match
    try:
        if kind == "regex" and len(params) == 3:
            import kurt.checks.vale.goregex as goregex

            fixed = goregex.compile(params[1]).sub(_go_replacement(params[2]), match)
        elif kind == "trim_right" and len(params) == 2:
            fixed = match.rstrip(params[1])
        elif kind == "trim_left" and len(params) == 2:
            fixed = match.lstrip(params[1])
        elif kind == "trim" and len(params) == 2:
            fixed = match.strip(params[1])
        elif kind == "truncate" and len(params) == 2:
            fixed = match.split(params[1])[0]
        elif kind == "split" and len(params) == 3:
            fixed = match.split(params[1])[int(params[2])]
        else:
            return []
    except (ValueError, IndexError, re.error):
        return []
    return [fixed.strip()]


def describe(match: str, options: list[str]) -> str | None:
    """A one-line suggestion: ``Replace 'x' with 'y'.`` or ``Remove 'x'.``"""
    shown = " ".join(match.split())
    if not options:
        return None
    if options == [""]:
        return f"Remove '{shown}'."
    quoted = [f"'{o}'" for o in options]
    choices = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"Replace '{shown}' with {choices}."
