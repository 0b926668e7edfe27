"""Keyboard shortcuts in prose: "press Ctrl/Cmd+Shift+D", "Cmd + K", "Ctrl+Space".

A shortcut is compared by its parts, not its spelling: each modifier with the
alternatives written for it (``Ctrl/Cmd``; ``Command`` is ``Cmd``, ``Option`` is
``Alt``) and the final key. A draft's shortcut is stated by a source shortcut
with the same key and, for each of the draft's modifiers, a source modifier
sharing one of its alternatives ("Cmd+K" is stated by "Ctrl/Cmd+K").
"""

from __future__ import annotations

import re

_MOD = r"(?:Ctrl|Control|Cmd|Command|Alt|Option|Opt|Shift|Meta|Win|Super|⌘|⌥|⇧|⌃)"
_KEY = (r"(?:F\d{1,2}|Space|Enter|Return|Tab|Esc|Escape|Delete|Del|Backspace|Up|Down|Left|Right|"
        r"Home|End|PageUp|PageDown|[A-Za-z0-9](?![A-Za-z0-9])|[`,./;'\[\]\\=-])")
_GROUP = _MOD + r"(?:\s*/\s*" + _MOD + r")*"
SHORTCUT = re.compile(r"(?<![\w/+-])" + _GROUP + r"(?:\s*\+\s*(?:" + _GROUP + r"))*\s*\+\s*" + _KEY,
                      re.IGNORECASE)
_SAME = {"control": "ctrl", "command": "cmd", "⌘": "cmd", "option": "alt", "opt": "alt",
         "⌥": "alt", "⇧": "shift", "⌃": "ctrl", "win": "meta", "super": "meta"}

Shortcut = tuple[tuple[frozenset[str], ...], str]


def parse_shortcut(text: str) -> Shortcut:
    """``"Ctrl/Cmd + Shift + D"`` -> (({ctrl, cmd}, {shift}), "d")."""
    parts = [p.strip() for p in re.split(r"\s*\+\s*", text.strip())]
    mods = tuple(frozenset(_SAME.get(a.strip().lower(), a.strip().lower()) for a in p.split("/"))
                 for p in parts[:-1])
    key = parts[-1].lower()
    return mods, {"return": "enter", "escape": "esc", "del": "delete"}.get(key, key)


def find_shortcuts(text: str) -> list[tuple[int, int, Shortcut]]:
    return [(m.start(), m.end(), parse_shortcut(m.group(0))) for m in SHORTCUT.finditer(text)]


def stated(shortcut: Shortcut, source_text: str) -> bool:
    """Whether ``source_text`` gives the shortcut (see the module docstring)."""
    mods, key = shortcut
    for _, _, (their_mods, their_key) in find_shortcuts(source_text):
        if their_key != key or len(their_mods) != len(mods):
            continue
        if all(any(m & t for t in their_mods) for m in mods):
            return True
    return False
