"""Which rules run, and at which severity: ``--rule``, ``--skip`` and ``[checks]`` in kurt.toml.

A selector is a family (``style``) or a rule id (``structure/placeholder``,
``style/Google.Passive``). The order of precedence:

1. ``--rule`` (repeatable, or comma-separated): only the rules it names run;
   without it, ``[checks] enable`` plays that part (empty: every rule);
2. ``--skip`` and ``[checks] disable`` take rules out; a rule named exactly
   with ``--rule`` still runs even when kurt.toml disables its family;
3. ``[checks.severity]`` sets a rule's (or a family's) severity, or ``off``;
   a rule id wins over its family.

Unknown selectors are usage errors that name the close matches.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from kurt.checks.finding import SEVERITIES
from kurt.checks.registry import all_rules, family_names
from kurt.errors import ConfigError, UsageError

OFF = "off"


def split_selectors(values) -> list[str]:
    """``("style,links", "code/syntax")`` -> ``["style", "links", "code/syntax"]``."""
    out: list[str] = []
    for value in values or ():
        out += [part.strip() for part in str(value).split(",") if part.strip()]
    return out


def validate(selector: str, *, where: str, error=UsageError) -> str:
    """``selector`` when it names a family or a rule; else ``error`` with close matches."""
    known_families = family_names()
    known_ids = [rule.id for rule in all_rules()]
    if selector in known_families or selector in known_ids:
        return selector
    if selector.startswith("style/") and "." in selector[6:]:
        return selector  # a Vale rule, Style.Rule: the workspace's styles decide
    close = difflib.get_close_matches(selector, known_families + known_ids, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise error(f"{where}: no rule or family '{selector}': {hint}"
                f"families are {', '.join(known_families)} (docs/checks.md lists every rule)")


def matches(selector: str, rule_id: str) -> bool:
    return rule_id == selector or rule_id.split("/", 1)[0] == selector


@dataclass
class Selection:
    only: list[str] = field(default_factory=list)  # --rule, else [checks] enable
    explicit: list[str] = field(default_factory=list)  # what --rule named (wins over disable)
    skip: list[str] = field(default_factory=list)  # --skip and [checks] disable
    severity: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, rules=(), skip=(), config=None) -> Selection:
        """From the command line (``rules``, ``skip``) and a ``ChecksConfig``."""
        cli_rules = [validate(s, where="--rule") for s in split_selectors(rules)]
        cli_skip = [validate(s, where="--skip") for s in split_selectors(skip)]
        enable = disable = []
        severity: dict[str, str] = {}
        if config is not None:
            where = "kurt.toml [checks]"
            enable = [validate(s, where=f"{where} enable", error=ConfigError)
                      for s in config.enable]
            disable = [validate(s, where=f"{where} disable", error=ConfigError)
                       for s in config.disable]
            for key, value in (config.severity or {}).items():
                validate(key, where="kurt.toml [checks.severity]", error=ConfigError)
                level = str(value).strip().lower()
                if level not in (*SEVERITIES, OFF):
                    raise ConfigError(f"kurt.toml [checks.severity] {key} = '{value}': use "
                                      "error, warning, info or off")
                severity[key] = level
        return cls(only=cli_rules or list(enable), explicit=cli_rules,
                   skip=[*cli_skip, *disable], severity=severity)

    def severity_of(self, rule_id: str, default: str) -> str:
        """The severity configured for ``rule_id`` (``off`` when turned off), else ``default``."""
        if rule_id in self.severity:
            return self.severity[rule_id]
        family = rule_id.split("/", 1)[0]
        return self.severity.get(family, default)

    def runs(self, rule_id: str) -> bool:
        """Whether findings of ``rule_id`` are kept."""
        if rule_id in self.explicit:
            return True
        if self.only and not any(matches(s, rule_id) for s in self.only):
            return False
        if any(matches(s, rule_id) for s in self.skip):
            return False
        return self.severity_of(rule_id, "warning") != OFF

    def family_runs(self, family) -> bool:
        """Whether any rule of ``family`` (a registry Family) can run (saves running it)."""
        if family.name == "style":  # Vale rules have ids no table lists
            if any(s == "style" or s.startswith("style/") for s in self.explicit):
                return True
            if self.only and not any(s == "style" or s.startswith("style/") for s in self.only):
                return False
            return not any(s == "style" for s in self.skip) \
                and self.severity.get("style") != OFF
        return any(self.runs(rule.id) for rule in family.rules)
