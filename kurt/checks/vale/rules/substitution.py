"""``substitution``: flag a term and name the one to use instead.

Keys: ``swap`` (a map of pattern -> replacement; ``a|b`` offers several
replacements, ``$1`` reuses a group of the pattern), ``ignorecase``,
``nonword``, ``exceptions`` (a match that contains one, or is a word of a
multi-word one, is not flagged), ``vocab``, ``capitalize`` (capitalize the
replacement when the match is capitalized). Longer patterns are tried first;
a match already in an accepted form is not flagged. With ``action: replace``
and no params, the message's first ``'%s'`` lists the replacements
(``'phone' or 'mobile phone'``), as Vale prints it.
"""

from __future__ import annotations

import re

from kurt.checks.vale.actions import describe
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
    fill,
    format_message,
    is_match,
    make_regexp,
    phrases_regex,
    to_sentence,
    within_phrase,
)

_CAPTURE = re.compile(r"(?<!\\)\((?!\?)")
_METACHARS = set("\\^$.|?*+()[]{}")


def options(replacement: str) -> list[str]:
    """``'a|b'`` -> ``['a', 'b']`` (``\\|`` keeps a literal bar)."""
    return [o.replace("\0", "|") for o in replacement.replace(r"\|", "\0").split("|") if o]


def convert_message(message: str) -> str:
    """Drop the quotes around the first of two ``'%s'``: the list of replacements brings its own."""
    for spec in ("'%s'", '"%s"'):
        if message.count(spec) == 2:
            return message.replace(spec, "%s", 1)
    return message


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def matches_token(expected: str, observed: str, ignorecase: bool) -> bool:
    """Is ``observed`` already an accepted form of ``expected`` (a literal term or a pattern)?"""
    if not (set(expected) & _METACHARS):
        return expected == observed
    import kurt.checks.vale.goregex as goregex

    try:
        pattern = goregex.compile(("(?i)" if ignorecase else "") + f"^(?:{expected})$")
    except goregex.PatternError:
        return expected == observed
    return pattern.search(observed) is not None


class Substitution(Rule):
    keys = frozenset({"swap", "ignorecase", "nonword", "exceptions", "vocab", "capitalize", "pos"})

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        super().__init__(definition)
        swap = generic.get("swap") or {}
        if not isinstance(swap, dict):
            raise RuleError("'swap' must be a map of 'pattern: replacement'", "swap")
        self.ignorecase = as_bool(generic.get("ignorecase", False), "ignorecase")
        nonword = as_bool(generic.get("nonword", False), "nonword")
        self.capitalize = as_bool(generic.get("capitalize", False), "capitalize")
        vocab = as_bool(generic.get("vocab", True), "vocab")
        exceptions = as_list(generic.get("exceptions"), "exceptions")
        self.exceptions = exceptions_regex(exceptions, context.accepted, vocab)
        self.phrases = phrases_regex(exceptions, context.accepted, vocab)
        swap = {str(k): "" if v is None else str(v) for k, v in swap.items()}
        terms = sorted(swap, key=len, reverse=True)
        self.terms = terms
        self.replacements = [swap[t] for t in terms]
        body = "|".join(f"({_CAPTURE.sub('(?:', term)})" for term in terms)
        template = make_regexp(context.word_template, self.ignorecase, not nonword)
        self.pattern = compile_pattern(fill(template, body), "swap") if terms else None
        self.term_patterns: dict[int, object] = {}

    def _expected(self, index: int, observed: str) -> str:
        expected = self.replacements[index]
        if self.capitalize and observed == cap_first(observed):
            expected = cap_first(expected)
        if re.search(r"\$\d", expected):
            if index not in self.term_patterns:
                prefix = "(?i)" if self.ignorecase else ""
                self.term_patterns[index] = compile_pattern(prefix + self.terms[index], "swap")
            replacement = re.sub(r"\$(\d+)", r"\\g<\1>", expected.replace("\\", "\\\\"))
            try:
                expected = self.term_patterns[index].sub(replacement, observed)
            except (IndexError, re.error):
                pass
        return expected

    def run(self, block, state: FileState) -> list[Alert]:
        if self.pattern is None:
            return []
        alerts = []
        text = block.text
        action = self.definition.action
        for found in self.pattern.finditer(text):
            index = next((g for g in range(1, len(self.terms) + 1) if found.start(g) != -1), None)
            if index is None:
                continue
            start, end = found.span(index)
            if end == start:
                continue
            observed = text[start:end]
            expected = self._expected(index - 1, observed)
            if action.name == "replace":
                same = observed in options(expected)
            else:
                same = matches_token(expected, observed, False)
            if same or is_match(self.exceptions, observed) \
                    or within_phrase(self.phrases, text, start, end):
                continue
            message = self.definition.message
            choices = [expected]
            if action.name == "replace":
                choices = list(action.params) or options(expected)
                if not action.params:
                    if self.capitalize and observed == cap_first(observed):
                        choices = [cap_first(c) for c in choices]
                    message = convert_message(message)
                    shown = to_sentence(choices)
                else:
                    shown = expected
            else:
                shown = expected
            text_message = format_message(message, shown, observed)
            alerts.append(Alert(start, end, text_message, observed, describe(observed, choices)))
        return alerts
