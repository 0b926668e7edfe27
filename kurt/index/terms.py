"""Words as search and subject matching see them: tokens and a light stem.

``TOKEN`` is what SQLite FTS5's unicode61 tokenizer calls a token (letters and
digits, no underscore). ``stem`` is a light suffix stripper for matching in
Python (regexes over passages, titles and URLs): FTS5's porter stemmer does the
real work in SQL, so this only needs to agree with it on common endings
(deploying -> deploy, backups -> backup).
"""

from __future__ import annotations

import re

__all__ = ["SUFFIXES", "TOKEN", "stem"]

TOKEN = re.compile(r"[^\W_]+")
SUFFIXES = ("ments", "ment", "ings", "ing", "ied", "ies", "ed", "es", "s")


def stem(token: str) -> str:
    """A light stem, lowercase: deploying -> deploy, backups -> backup (short words stay)."""
    token = token.lower()
    for suffix in SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token
