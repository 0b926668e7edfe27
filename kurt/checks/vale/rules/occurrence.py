"""``occurrence``: flag a block where a token appears more than ``max`` or fewer than ``min`` times.

Keys: ``token`` (a pattern), ``max``, ``min``, ``ignorecase``. The message's
``%s``/``%d`` takes the count. The finding points at the first match (or at
the block when there is none, for ``min``); with ``scope: sentence`` and
``token: '[^\\s]+'`` this is the usual sentence-length rule.
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
    as_int,
    compile_pattern,
    format_message,
)


class Occurrence(Rule):
    keys = frozenset({"token", "max", "min", "ignorecase"})

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        super().__init__(definition)
        token = generic.get("token")
        if not token:
            raise RuleError("'token' is required for 'occurrence' rules", "token")
        ignorecase = as_bool(generic.get("ignorecase", False), "ignorecase")
        self.max = as_int(generic.get("max", 0), "max")
        self.min = as_int(generic.get("min", 0), "min")
        self.pattern = compile_pattern(("(?i)" if ignorecase else "") + f"(?:{token})", "token")

    def run(self, block, state: FileState) -> list[Alert]:
        spans = [m.span() for m in self.pattern.finditer(block.text)]
        count = len(spans)
        if not ((self.max > 0 and count > self.max) or (self.min > 0 and count < self.min)):
            return []
        message = format_message(self.definition.message, count)
        if count == 0:
            return [Alert(0, min(1, len(block.text)), message, block.text[:1])]
        for start, end in spans:
            match = block.text[start:end]
            if match.strip() and "`" not in match:
                return [Alert(start, end, message, match)]
        return []
