"""``metric`` and ``readability``: a score computed over the whole file's prose.

``metric`` keys: ``formula`` (an expression over the variables below) and
``condition`` (``> 8``): the file is flagged when ``<score> <condition>`` holds,
and the message's ``%s`` is the score with two decimals. Variables: ``words``,
``sentences``, ``paragraphs``, ``characters``, ``syllables``,
``polysyllabic_words``, ``complex_words``, ``long_words`` (see
kurt.checks.vale.textstats), and counts of blocks: ``pre`` (code blocks),
``list`` (list items), ``blockquote``, ``heading_h1`` .. ``heading_h6``
(``heading.h1`` is accepted too).

``readability`` (Vale's older type) keys: ``metrics`` (any of ``Gunning Fog``,
``Coleman-Liau``, ``Flesch-Kincaid``, ``SMOG``, ``Automated Readability``)
and ``grade``: the file is flagged when the average grade is above it.

Both read Vale's ``summary`` scope: paragraphs and list items, not headings,
tables, code or quotations. The finding is about the file, at line 1.
"""

from __future__ import annotations

import math

from kurt.checks.vale.formula import Formula, FormulaError
from kurt.checks.vale.rules.base import (
    Alert,
    Definition,
    FileState,
    Rule,
    RuleContext,
    RuleError,
    as_float,
    as_list,
    format_message,
)
from kurt.checks.vale.scope import Scope
from kurt.checks.vale.textstats import stats

COUNTS = ("pre", "list", "blockquote", "heading_h1", "heading_h2", "heading_h3", "heading_h4",
          "heading_h5", "heading_h6")
VARIABLES = frozenset({"words", "sentences", "paragraphs", "characters", "syllables",
                       "polysyllabic_words", "complex_words", "long_words", *COUNTS})


def grade(name: str, s: dict[str, float]) -> float:
    words, sentences = s["words"], s["sentences"]
    if name == "Gunning Fog":
        return 0.4 * (words / sentences + 100 * s["complex_words"] / words)
    if name == "Coleman-Liau":
        return 0.0588 * (s["characters"] / words * 100) \
            - 0.296 * (sentences / words * 100) - 15.8
    if name == "Flesch-Kincaid":
        return 0.39 * words / sentences + 11.8 * s["syllables"] / words - 15.59
    if name == "SMOG":
        return 1.043 * math.sqrt(s["polysyllabic_words"] * 30 / sentences) + 3.1291
    return 4.71 * s["characters"] / words + 0.5 * words / sentences - 21.43


def variables(block, state: FileState) -> dict[str, float] | None:
    """The formula variables for this file, or None when it has no words."""
    if state.stats is None:
        state.stats = stats(block.text)
    if not state.stats["words"] or not state.stats["sentences"]:
        return None
    values = dict(state.stats)
    for name in COUNTS:
        values[name] = float(state.counts.get(name, 0))
    return values


class Metric(Rule):
    keys = frozenset({"formula", "condition"})

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        definition.scope = Scope.parse("summary")
        super().__init__(definition)
        if not generic.get("formula") or not generic.get("condition"):
            raise RuleError("'formula' and 'condition' are required for 'metric' rules",
                            "formula" if not generic.get("formula") else "condition")
        try:
            self.formula = Formula(str(generic["formula"]))
        except FormulaError as exc:
            raise RuleError(f"'formula': {exc}", "formula") from None
        unknown = sorted(self.formula.names - VARIABLES)
        if unknown:
            raise RuleError(f"'formula': unknown variable '{unknown[0]}' "
                            f"(variables: {', '.join(sorted(VARIABLES))})", "formula")
        self.condition = str(generic["condition"]).strip()
        try:
            Formula(f"0 {self.condition}")
        except FormulaError as exc:
            raise RuleError(f"'condition': {exc}", "condition") from None

    def run(self, block, state: FileState) -> list[Alert]:
        values = variables(block, state)
        if values is None:
            return []
        try:
            score = float(self.formula.evaluate(values))
            flagged = Formula(f"{score!r} {self.condition}").evaluate({})
        except (FormulaError, TypeError):
            return []
        if not flagged:
            return []
        return [Alert(None, 0, format_message(self.definition.message, f"{score:.2f}"))]


class Readability(Rule):
    keys = frozenset({"metrics", "grade"})
    NAMES = ("Gunning Fog", "Coleman-Liau", "Flesch-Kincaid", "SMOG", "Automated Readability")

    def __init__(self, definition: Definition, generic: dict, context: RuleContext):
        definition.scope = Scope.parse("summary")
        super().__init__(definition)
        self.metrics = as_list(generic.get("metrics"), "metrics")
        unknown = [m for m in self.metrics if m not in self.NAMES]
        if not self.metrics or unknown:
            raise RuleError(f"'metrics' must list some of {', '.join(self.NAMES)}", "metrics")
        self.grade = as_float(generic.get("grade", 0), "grade")

    def run(self, block, state: FileState) -> list[Alert]:
        values = variables(block, state)
        if values is None:
            return []
        score = sum(grade(name, values) for name in self.metrics) / len(self.metrics)
        if score <= self.grade:
            return []
        return [Alert(None, 0, format_message(self.definition.message, f"{score:.2f}"))]
