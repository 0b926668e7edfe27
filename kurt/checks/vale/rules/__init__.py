"""Vale's rule types, one module each; ``RULE_TYPES`` maps a rule's ``extends`` to its class.

``spelling`` (needs Hunspell dictionaries), ``sequence`` (needs a
part-of-speech tagger) and ``script`` (Tengo programs) are not run: a rule of
those types becomes a notice when the configuration is loaded, never a silent
gap.
"""

from __future__ import annotations

from kurt.checks.vale.rules.base import Alert, Definition, FileState, Rule, RuleContext, RuleError
from kurt.checks.vale.rules.capitalization import Capitalization
from kurt.checks.vale.rules.conditional import Conditional
from kurt.checks.vale.rules.consistency import Consistency
from kurt.checks.vale.rules.existence import Existence
from kurt.checks.vale.rules.metric import Metric, Readability
from kurt.checks.vale.rules.occurrence import Occurrence
from kurt.checks.vale.rules.repetition import Repetition
from kurt.checks.vale.rules.substitution import Substitution

RULE_TYPES: dict[str, type[Rule]] = {
    "existence": Existence,
    "substitution": Substitution,
    "occurrence": Occurrence,
    "repetition": Repetition,
    "capitalization": Capitalization,
    "conditional": Conditional,
    "consistency": Consistency,
    "metric": Metric,
    "readability": Readability,
}
UNSUPPORTED = {
    "spelling": "it needs Hunspell dictionaries",
    "sequence": "it needs a part-of-speech tagger",
    "script": "it runs Tengo programs",
}

__all__ = ["RULE_TYPES", "UNSUPPORTED", "Alert", "Definition", "FileState", "Rule",
           "RuleContext", "RuleError"]
