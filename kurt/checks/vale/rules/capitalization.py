"""``capitalization``: flag a block (usually a heading) that is not in the expected case.

Keys: ``match`` (``$title``, ``$sentence``, ``$lower``, ``$upper`` or a pattern
the text must match), ``style`` (``AP`` or ``Chicago``, for ``$title``),
``exceptions`` (terms kept as written, e.g. product names), ``indicators``
(a word ending with one, like ``:``, makes the next word start a sentence),
``threshold`` (the share of words that must be right; default 0.8), ``prefix``
(a pattern for a leading part to ignore, like ``a. ``) and ``vocab``.

The text passes when at least ``threshold`` of its words are right. For
``$sentence`` (Vale's algorithm, the one the Google package's tests expect): a
word is right when it is in lowercase, in capitals (``API``), an exception,
or follows an indicator (or a step number such as ``1.``); the first word
must be capitalized, or the text fails outright. For ``$title``: a word is right when it matches the title-cased
text, is an exception, or is in capitals. The suggestion is the text
converted to the expected case (exceptions kept as written).
"""

from __future__ import annotations

import re

from kurt.checks.vale.actions import describe
from kurt.checks.vale.casing import Vocab, go_title, sentence_case, title_case
from kurt.checks.vale.rules.base import (
    WORD_TEMPLATE,
    Alert,
    Definition,
    FileState,
    Rule,
    RuleContext,
    RuleError,
    as_bool,
    as_float,
    as_list,
    compile_pattern,
    fill,
    format_message,
    is_match,
)

TOKEN = r"[\p{N}\p{L}*]+[^\s]*"
NUMBERED = re.compile(r"\d+\.")  # "1. Install the CLI": the word after a step number starts it


class Capitalization(Rule):
    keys = frozenset({"match", "style", "exceptions", "indicators", "threshold", "vocab", "prefix"})

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        super().__init__(definition)
        self.match = str(generic.get("match") or "")
        if not self.match:
            raise RuleError("'match' is required for 'capitalization' rules", "match")
        self.chicago = str(generic.get("style") or "AP") == "Chicago"
        self.indicators = as_list(generic.get("indicators"), "indicators")
        self.threshold = as_float(generic.get("threshold", 0) or 0.8, "threshold")
        vocab = as_bool(generic.get("vocab", True), "vocab")
        terms = [t for t in as_list(generic.get("exceptions"), "exceptions") if t.strip()]
        if vocab:
            terms += [t for t in context.accepted if t not in terms]
        prefix = generic.get("prefix")
        self.prefix = compile_pattern(str(prefix), "prefix") if prefix else None
        self.vocab = Vocab(terms)
        if terms:
            body = "|".join(t if t.startswith("(?i)") else f"(?-i){t}"
                            for t in sorted(terms, key=len, reverse=True))
            exceptions = fill(WORD_TEMPLATE, body)
            self.exceptions = compile_pattern(exceptions, "exceptions")
            self.tokens = compile_pattern(exceptions + "|" + TOKEN, "exceptions")
        else:
            self.exceptions = None
            self.tokens = compile_pattern(TOKEN, "match")
        self.pattern = None
        if self.match not in ("$title", "$sentence", "$lower", "$upper"):
            self.pattern = compile_pattern(self.match, "match")

    def check(self, text: str) -> tuple[str, bool]:
        """(the text in the expected case, whether ``text`` passes)."""
        if self.match == "$lower":
            return text.lower(), text == text.lower() or is_match(self.exceptions, text)
        if self.match == "$upper":
            return text.upper(), text == text.upper() or is_match(self.exceptions, text)
        if self.pattern is not None:
            return text, bool(self.pattern.search(text)) or is_match(self.exceptions, text)
        if self.match == "$title":
            return self._title(text)
        return self._sentence(text)

    def _title(self, text: str) -> tuple[str, bool]:
        expected = title_case(text, self.vocab, self.chicago, self.prefix)
        wanted = [m.group(0) for m in self.tokens.finditer(expected)]
        words = count = 0
        for index, word in enumerate(m.group(0) for m in self.tokens.finditer(text)):
            words += 1
            if index >= len(wanted) or word == wanted[index] or is_match(self.exceptions, word) \
                    or word == word.upper():
                count += 1
        return expected, words == 0 or count / words >= self.threshold

    def _sentence(self, text: str) -> tuple[str, bool]:
        expected = sentence_case(text, self.vocab, self.tokens, self.indicators,
                                 self.prefix)
        body = text
        if self.prefix is not None:
            found = self.prefix.match(body)
            body = body[found.end():] if found else body
        tokens = [m.group(0) for m in self.tokens.finditer(body.rstrip("?!.:"))]
        words = count = 0
        for index, token in enumerate(tokens):
            previous = tokens[index - 1] if index else ""
            word = token
            for mark in ("-", "'", "’"):
                if mark in word:
                    word = word.split(mark)[0]
                    break
            if word == word.upper() or is_match(self.exceptions, word) \
                    or any(previous.endswith(i) for i in self.indicators if i) \
                    or (index == 1 and NUMBERED.fullmatch(previous)):
                count += 1
            elif index == 0 and word != go_title(word.lower()):
                return expected, False
            elif index == 0 or word == word.lower():
                count += 1
            words += 1
        return expected, words == 0 or count / words >= self.threshold

    def run(self, block, state: FileState) -> list[Alert]:
        text = block.text
        expected, ok = self.check(text)
        if ok:
            return []
        message = format_message(self.definition.message, text, expected)
        suggestion = None
        if self.match in ("$title", "$sentence") and expected != text:
            suggestion = describe(text, [expected])
        return [Alert(0, len(text), message, text, suggestion)]
