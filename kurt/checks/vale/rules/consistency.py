"""``consistency``: of two spellings, use one throughout the file.

Keys: ``either`` (a map of ``spelling 1: spelling 2``, each a pattern),
``nonword``, ``ignorecase``. Once both spellings of a pair have appeared in the
file, each later block that uses either one is flagged at its last use there.
"""

from __future__ import annotations

from kurt.checks.vale.rules.base import (
    Alert,
    Definition,
    FileState,
    Rule,
    RuleContext,
    RuleError,
    as_bool,
    compile_pattern,
    fill,
    format_message,
    make_regexp,
)


class Consistency(Rule):
    keys = frozenset({"either", "nonword", "ignorecase"})

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        super().__init__(definition)
        either = generic.get("either") or {}
        if not isinstance(either, dict) or not either:
            raise RuleError("'either' must be a map of 'spelling: other spelling'", "either")
        ignorecase = as_bool(generic.get("ignorecase", False), "ignorecase")
        nonword = as_bool(generic.get("nonword", False), "nonword")
        template = make_regexp(context.word_template, ignorecase, not nonword)
        self.steps = []
        for index, (one, other) in enumerate(either.items()):
            body = f"(?P<a{index}>{one})|(?P<b{index}>{other})"
            keys = (f"{definition.name}:{index}:a", f"{definition.name}:{index}:b")
            self.steps.append((compile_pattern(fill(template, body), "either"), index, keys))

    def run(self, block, state: FileState) -> list[Alert]:
        alerts = []
        text = block.text
        for pattern, index, keys in self.steps:
            last = None
            for found in pattern.finditer(text):
                for group, key in ((f"a{index}", keys[0]), (f"b{index}", keys[1])):
                    if found.start(group) != -1:
                        last = found.span(group)
                        if key not in state.sequences:
                            state.sequences.append(key)
            if last is not None and keys[0] in state.sequences and keys[1] in state.sequences:
                start, end = last
                match = text[start:end]
                alerts.append(Alert(start, end, format_message(self.definition.message, match),
                                    match))
        return alerts
