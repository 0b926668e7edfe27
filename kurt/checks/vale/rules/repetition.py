"""``repetition``: flag a token repeated back to back ("the the").

Keys: ``tokens`` (patterns; each match is one token), ``max`` (repeats allowed;
default 0), ``ignorecase``, ``alpha`` (only repeated words made of letters),
``exceptions``, ``vocab``. A repetition that spans two sentences ("... about
that. That is ...") is not flagged. The message's ``%s`` is the repeated token.
"""

from __future__ import annotations

from kurt.checks.vale.rules.base import (
    Alert,
    Definition,
    FileState,
    Rule,
    RuleContext,
    as_bool,
    as_int,
    as_list,
    compile_pattern,
    exceptions_regex,
    format_message,
    is_match,
    phrases_regex,
    within_phrase,
)
from kurt.checks.vale.sentences import count_sentences


class Repetition(Rule):
    keys = frozenset({"tokens", "max", "ignorecase", "alpha", "exceptions", "vocab"})

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        super().__init__(definition)
        tokens = as_list(generic.get("tokens"), "tokens")
        self.ignorecase = as_bool(generic.get("ignorecase", False), "ignorecase")
        self.alpha = as_bool(generic.get("alpha", False), "alpha")
        self.max = as_int(generic.get("max", 0), "max")
        vocab = as_bool(generic.get("vocab", True), "vocab")
        exceptions = as_list(generic.get("exceptions"), "exceptions")
        prefix = "(?i)" if self.ignorecase else ""
        self.pattern = compile_pattern(prefix + "(" + "|".join(tokens) + ")", "tokens")
        self.exceptions = exceptions_regex(exceptions, context.accepted, vocab)
        self.phrases = phrases_regex(exceptions, context.accepted, vocab)

    def run(self, block, state: FileState) -> list[Alert]:
        alerts = []
        text = block.text
        previous, previous_start, count = "", 0, 0
        for found in self.pattern.finditer(text):
            current = found.group(0).strip()
            if self.ignorecase:
                hit = current != "" and current.casefold() == previous.casefold()
            else:
                hit = current != "" and current == previous
            if hit and self.alpha:
                hit = current.isalpha()
            count = count + 1 if hit else 0
            if hit and count > self.max:
                start, end = previous_start, found.end()
                span = text[start:end]
                if count_sentences(span) == 1 and not is_match(self.exceptions, span) \
                        and not within_phrase(self.phrases, text, start, end):
                    message = format_message(self.definition.message, current)
                    alerts.append(Alert(start, end, message, span))
                    count = 0
            previous, previous_start = current, found.start()
        return alerts
