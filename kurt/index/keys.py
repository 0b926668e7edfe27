"""Normalized keys for entity names: case, spacing, plurals and punctuation."""

from __future__ import annotations

import re

_SPACE = re.compile(r"[\s_]+")


def entity_key(name: str) -> str:
    """The key two spellings of one entity share: 'Integrations' and 'integration' -> 'integration'."""
    key = _SPACE.sub(" ", name.strip().lower())
    key = key.replace("’", "'")
    words = key.split(" ")
    words[-1] = _singular(words[-1])
    return " ".join(words)


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word
