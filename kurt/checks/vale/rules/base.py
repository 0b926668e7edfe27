"""What every Vale rule shares: its definition, the alerts it reports, and their building blocks.

A rule file is YAML with ``extends`` (the rule type), ``message`` (``%s`` takes
the matched text), ``level`` (``suggestion``, ``warning`` or ``error``; default
``warning``), ``scope`` (default ``text``), ``link``, ``description``, ``limit``
(report at most this many per file) and ``action`` (how to fix it), plus the
keys of its type. ``RuleContext`` carries what the configuration adds: the
word template and the accepted vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import kurt.checks.vale.goregex as goregex
from kurt.checks.vale.actions import Action
from kurt.checks.vale.blocks import Block
from kurt.checks.vale.scope import Scope

LEVELS = ("suggestion", "warning", "error")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
WORD_TEMPLATE = r"(?m)\b(?:%s)\b"
NONWORD_TEMPLATE = r"(?m)(?:%s)"
COMMON_KEYS = frozenset({
    "extends", "message", "level", "scope", "link", "description", "limit", "action", "name",
    "code", "tests", "matchcase",
})
_PLACEHOLDER = re.compile(r"%(?:\[\d+\])?[sdvq%]")
_SPACES = re.compile(r" +")


class RuleError(ValueError):
    """A rule file that cannot be compiled; ``key`` names the offending key when known."""

    def __init__(self, problem: str, key: str | None = None):
        super().__init__(problem)
        self.key = key


@dataclass
class RuleContext:
    word_template: str = ""
    accepted: list[str] = field(default_factory=list)


@dataclass
class Definition:
    name: str  # "Google.Passive"
    extends: str
    message: str
    level: str
    scope: Scope
    link: str = ""
    description: str = ""
    limit: int = 0
    action: Action = field(default_factory=Action)
    path: Path | None = None


@dataclass
class Alert:
    """One problem a rule found in a block: a character range of its text, or the whole file."""

    start: int | None  # index into block.text; None: about the whole file
    end: int
    message: str
    match: str = ""
    suggestion: str | None = None


@dataclass
class FileState:
    """What rules remember while they read one file, block after block."""

    sequences: list[str] = field(default_factory=list)  # conditional definitions, consistency uses
    counts: dict[str, int] = field(default_factory=dict)
    stats: dict[str, float] | None = None


def format_message(message: str, *values: object) -> str:
    """Go's Sprintf as Vale uses it: each ``%s``/``%d`` takes the next value; missing ones are empty."""
    remaining = list(values)

    def take(found: re.Match) -> str:
        token = found.group(0)
        if token == "%%":
            return "%"
        return str(remaining.pop(0)) if remaining else ""

    return _PLACEHOLDER.sub(take, message)


def whitespace_to_space(message: str) -> str:
    """Vale prints messages on one line: newlines become spaces, runs of spaces one space."""
    return _SPACES.sub(" ", message.replace("\n", " "))


def to_sentence(words: list[str], conjunction: str = "or") -> str:
    """``['a']`` -> ``'a'``; ``['a', 'b']`` -> ``'a' or 'b'``; three -> ``'a', 'b', or 'c'``."""
    if len(words) == 1:
        return f"'{words[0]}'"
    if len(words) == 2:
        return f"'{words[0]}' {conjunction} '{words[1]}'"
    quoted = [f"'{w}'" for w in words]
    quoted[-1] = f"{conjunction} {quoted[-1]}"
    return ", ".join(quoted)


def make_regexp(template: str, ignorecase: bool, word: bool, raw: str = "",
                append: bool = False) -> str:
    """Vale's pattern skeleton: the word (or non-word) template, raw text before or after it."""
    regex = (template or WORD_TEMPLATE) if word else NONWORD_TEMPLATE
    regex = regex + raw if append else raw + regex
    return ("(?i)" + regex) if ignorecase else regex


def fill(template: str, body: str) -> str:
    return template.replace("%s", body, 1)


def compile_pattern(pattern: str, key: str):
    try:
        return goregex.compile(pattern)
    except goregex.PatternError as exc:
        raise RuleError(f"'{key}': {exc}", key) from None


def exceptions_regex(exceptions: list[str], accepted: list[str], use_vocab: bool):
    """Vale's exception pattern: any listed term (case-sensitive unless it starts with ``(?i)``)."""
    terms = list(exceptions) + (list(accepted) if use_vocab else [])
    terms = [str(t) for t in terms if str(t).strip()]
    if not terms:
        return None
    terms.sort(key=len, reverse=True)
    terms = [t if t.startswith("(?i)") else f"(?-i){t}" for t in terms]
    return compile_pattern(fill(WORD_TEMPLATE, "|".join(terms)), "exceptions")


def phrases_regex(exceptions: list[str], accepted: list[str], use_vocab: bool):
    """The multi-word exceptions, to drop a match that is one word of an accepted phrase."""
    terms = list(exceptions) + (list(accepted) if use_vocab else [])
    phrases = [str(t) for t in terms if " " in str(t) or "\t" in str(t) or r"\s" in str(t)]
    if not phrases:
        return None
    try:
        return goregex.compile(r"(?i)\b(?:" + "|".join(phrases) + r")\b")
    except goregex.PatternError:
        return None


def is_match(pattern, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def within_phrase(pattern, text: str, start: int, end: int) -> bool:
    if pattern is None:
        return False
    return any(m.start() <= start and end <= m.end() for m in pattern.finditer(text))


def as_list(value, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return ["" if v is None else str(v) for v in value]
    raise RuleError(f"'{key}' must be a list of strings", key)


def as_bool(value, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no"):
        return value.lower() in ("true", "yes")
    if isinstance(value, int):
        return bool(value)
    raise RuleError(f"'{key}' must be true or false", key)


def as_int(value, key: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RuleError(f"'{key}' must be a whole number", key) from None


def as_float(value, key: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RuleError(f"'{key}' must be a number", key) from None


def unknown_keys(generic: dict, allowed: frozenset[str]) -> list[str]:
    """Keys of a rule file that its type does not read (Vale refuses them; Kurt warns)."""
    return sorted(str(k) for k in set(generic) - COMMON_KEYS - allowed)


class Rule:
    """A compiled rule: ``run`` reads one block and returns what it found."""

    keys: frozenset[str] = frozenset()

    def __init__(self, definition: Definition):
        self.definition = definition

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def scope(self) -> Scope:
        return self.definition.scope

    def run(self, block: Block, state: FileState) -> list[Alert]:
        raise NotImplementedError

    def alert(self, start: int, end: int, text: str, *values: object,
              suggestion: str | None = None) -> Alert:
        match = text[start:end]
        message = format_message(self.definition.message, *(values or (match,)))
        return Alert(start, end, message, match, suggestion)
