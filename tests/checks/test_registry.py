"""The rule registry: ids are family/name, unique, documented, and each family module runs."""

import importlib
import re
from pathlib import Path

from kurt.checks.registry import FAMILIES, all_rules, rule_info

DOCS = Path(__file__).resolve().parents[2] / "docs" / "checks.md"


def test_rule_ids_are_family_slash_name_and_unique():
    ids = [rule.id for rule in all_rules()]
    assert len(ids) == len(set(ids))
    for family in FAMILIES:
        for rule in family.rules:
            assert re.fullmatch(rf"{family.name}/[a-z]+(?:-[a-z]+)*", rule.id), rule.id
            assert rule.severity in ("error", "warning", "info") and rule.summary


def test_every_family_module_has_a_check_function():
    for family in FAMILIES:
        assert callable(importlib.import_module(family.module).check), family.module


def test_every_rule_is_documented_with_an_example_and_a_fix():
    text = DOCS.read_text(encoding="utf-8")
    for rule in all_rules():
        heading = f"### `{rule.id}`"
        assert heading in text, f"{rule.id} is not documented in docs/checks.md"
        section = text.split(heading, 1)[1].split("\n### ", 1)[0]
        assert "Example" in section and "Fix" in section, rule.id


def test_a_vale_rule_has_a_row_of_its_own():
    info = rule_info("style/Google.Passive")
    assert info is not None and info.family == "style"
    assert rule_info("nothing/at-all") is None
