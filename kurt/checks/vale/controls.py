"""Vale's comment controls: turning rules off and on inside a document.

In markdown, an HTML comment controls the rules for the text after it:

    <!-- vale off -->                          every rule off ...
    <!-- vale on -->                           ... and back on
    <!-- vale Google.Passive = NO -->          one rule off (YES turns it back on)
    <!-- vale Google = NO -->                  a whole style off
    <!-- vale Google.WordList["abort"] = NO --> one rule off for these matches only

A control applies from where it is written to the end of the file, or until
another control changes it (Vale applies it per block; Kurt per character,
which only differs for a comment in the middle of a paragraph).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_RULE = re.compile(r"^vale\s+([\w-]+(?:\.[\w.-]+)?)\s*(\[.+\])?\s*=\s*(YES|NO)$")


@dataclass(frozen=True)
class Control:
    offset: int
    kind: str  # "off", "on" or "set"
    target: str = ""  # "Style.Rule" or "Style"
    matches: tuple[str, ...] = ()
    enabled: bool = True


def parse_comment(body: str, offset: int) -> Control | None:
    """The control written in a comment's text (without ``<!--`` and ``-->``), if any."""
    text = " ".join(body.split())
    if text == "vale off":
        return Control(offset, "off")
    if text == "vale on":
        return Control(offset, "on")
    found = _RULE.match(text)
    if found is None:
        return None
    matches: tuple[str, ...] = ()
    if found.group(2):
        try:
            listed = json.loads(found.group(2))
        except ValueError:
            return None
        matches = tuple(str(m) for m in listed) if isinstance(listed, list) else ()
    return Control(offset, "set", found.group(1), matches, found.group(3) == "YES")


def silenced(controls: list[Control], offset: int, rule: str, match: str) -> bool:
    """True when the controls written before ``offset`` turn ``rule`` off for ``match``."""
    off = False
    status: dict[str, bool] = {}  # key -> disabled
    style = rule.split(".", 1)[0]
    for control in controls:
        if control.offset > offset:
            break
        if control.kind == "off":
            off = True
        elif control.kind == "on":
            off = False
        elif control.matches:
            for item in control.matches:
                status[f"{control.target}[{item}]"] = not control.enabled
        else:
            status[control.target] = not control.enabled
    if off:
        return True
    for key in (f"{rule}[{match}]", rule, style):
        if key in status:
            return status[key]
    return False
