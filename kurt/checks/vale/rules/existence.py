"""``existence``: flag every match of a list of tokens.

Keys: ``tokens`` (alternatives, each a pattern), ``raw`` (pattern pieces put
before the tokens, or after them with ``append: true``), ``ignorecase``,
``nonword`` (no ``\\b`` around the tokens), ``exceptions`` (a match containing
one of these is not flagged), ``vocab`` (accepted vocabulary terms are
exceptions too, for word rules; default true).
"""

from __future__ import annotations

from kurt.checks.vale.actions import describe, fixes
from kurt.checks.vale.rules.base import (
    Alert,
    Definition,
    FileState,
    Rule,
    RuleContext,
    as_bool,
    as_list,
    compile_pattern,
    exceptions_regex,
    fill,
    format_message,
    is_match,
    make_regexp,
    phrases_regex,
    within_phrase,
)


class Existence(Rule):
    keys = frozenset({"tokens", "raw", "ignorecase", "nonword", "exceptions", "vocab", "append"})

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        super().__init__(definition)
        tokens = [t for t in as_list(generic.get("tokens"), "tokens") if t.strip()]
        raw = "".join(as_list(generic.get("raw"), "raw"))
        ignorecase = as_bool(generic.get("ignorecase", False), "ignorecase")
        nonword = as_bool(generic.get("nonword", False), "nonword")
        append = as_bool(generic.get("append", False), "append")
        vocab = as_bool(generic.get("vocab", True), "vocab")
        exceptions = as_list(generic.get("exceptions"), "exceptions")
        word = not nonword and bool(tokens)
        template = make_regexp(context.word_template, ignorecase, word, raw, append)
        self.pattern = compile_pattern(fill(template, "|".join(tokens)), "tokens")
        words_only = vocab and not nonword
        self.exceptions = exceptions_regex(exceptions, context.accepted, words_only)
        self.phrases = phrases_regex(exceptions, context.accepted, words_only)

    def run(self, block, state: FileState) -> list[Alert]:
        alerts = []
        text = block.text
        action = self.definition.action
        for found in self.pattern.finditer(text):
            start, end = found.span()
            if end == start:
                continue
            match = found.group(0)
            if is_match(self.exceptions, match.strip()) or within_phrase(self.phrases, text,
                                                                         start, end):
                continue
            options = fixes(action, match) if action.name else []
            message = format_message(self.definition.message, match,
                                     *(options[:1] if len(options) == 1 else []))
            alerts.append(Alert(start, end, message, match, describe(match, options)))
        return alerts
