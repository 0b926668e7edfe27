"""``conditional``: when ``first`` appears, ``second`` must appear too.

The classic use: an acronym (``first: '\\b([A-Z]{3,5})\\b'``) must be defined
(``second: '(?:\\b[A-Z][a-z]+ )+\\(([A-Z]{3,5})\\)'``). When ``second`` has a
capture group, what it captures anywhere earlier in the file (or in the same
block) counts as defined; without one, ``second`` must match in the same
block. Keys: ``first``, ``second``, ``ignorecase``, ``exceptions``, ``vocab``.
"""

from __future__ import annotations

import re

from kurt.checks.vale.rules.base import (
    Alert,
    Definition,
    FileState,
    Rule,
    RuleContext,
    RuleError,
    as_bool,
    as_list,
    compile_pattern,
    exceptions_regex,
    format_message,
    is_match,
    phrases_regex,
    within_phrase,
)

_CAPTURE = re.compile(r"(?<!\\)\((?!\?)")


class Conditional(Rule):
    keys = frozenset({"first", "second", "ignorecase", "exceptions", "vocab"})

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        super().__init__(definition)
        first, second = generic.get("first"), generic.get("second")
        if not first or not second:
            raise RuleError("'first' and 'second' are required for 'conditional' rules",
                            "first" if not first else "second")
        prefix = "(?i)" if as_bool(generic.get("ignorecase", False), "ignorecase") else ""
        self.first = compile_pattern(prefix + str(first), "first")
        self.second = compile_pattern(prefix + str(second), "second")
        self.second_has_group = bool(_CAPTURE.search(str(second)))
        vocab = as_bool(generic.get("vocab", True), "vocab")
        exceptions = as_list(generic.get("exceptions"), "exceptions")
        self.exceptions = exceptions_regex(exceptions, context.accepted, vocab)
        self.phrases = phrases_regex(exceptions, context.accepted, vocab)

    def run(self, block, state: FileState) -> list[Alert]:
        text = block.text
        if not self.second_has_group:
            if self.second.search(text):
                return []
            defined: list[str] = []
        else:
            for found in self.second.finditer(text):
                state.sequences.extend(g for g in found.groups() if g)
            defined = state.sequences
        alerts = []
        for found in self.first.finditer(text):
            start, end = found.span()
            match = found.group(0)
            if end == start or match in defined or is_match(self.exceptions, match) \
                    or within_phrase(self.phrases, text, start, end):
                continue
            alerts.append(Alert(start, end, format_message(self.definition.message, match),
                                match))
        return alerts
