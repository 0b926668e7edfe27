"""--rule, --skip and [checks] in kurt.toml: which rules run, at which severity."""

import pytest

from kurt.checks.registry import FAMILIES
from kurt.checks.selection import Selection, split_selectors
from kurt.config import ChecksConfig
from kurt.errors import ConfigError, UsageError


def selection(rules=(), skip=(), **config):
    return Selection.build(rules, skip, ChecksConfig(**config))


@pytest.mark.parametrize("built,rule,runs", [
    (selection(), "structure/placeholder", True),
    (selection(rules=["structure"]), "structure/placeholder", True),
    (selection(rules=["structure"]), "sources/uncited", False),
    (selection(rules=["structure/todo"]), "structure/placeholder", False),
    (selection(rules=["style,links"]), "links/anchor", True),
    (selection(skip=["style"]), "style/Google.Passive", False),
    (selection(skip=["style/person"]), "style/banned-phrase", True),
    (selection(enable=["sources"]), "structure/todo", False),
    (selection(rules=["structure"], enable=["sources"]), "structure/todo", True),
    (selection(disable=["structure"]), "structure/todo", False),
    (selection(rules=["structure/todo"], disable=["structure"]), "structure/todo", True),
    (selection(severity={"length": "off"}), "length/too-short", False),
    (selection(rules=["style/Google.Passive"]), "style/Google.Passive", True),
])
def test_which_rules_run(built, rule, runs):
    assert built.runs(rule) is runs


def test_severity_overrides_a_family_and_a_rule_id_wins():
    built = selection(severity={"length": "error", "length/too-long": "info"})
    assert built.severity_of("length/too-short", "warning") == "error"
    assert built.severity_of("length/too-long", "warning") == "info"
    assert built.severity_of("code/syntax", "error") == "error"


@pytest.mark.parametrize("rules,skip,message", [
    (["structur"], (), "did you mean structure"),
    (["structure/placeholders"], (), "did you mean structure/placeholder"),
    ((), ["nothing-like-it"], "families are"),
    (["grounding/specifics"], (), "did you mean grounding/specific"),
])
def test_an_unknown_selector_is_a_usage_error(rules, skip, message):
    with pytest.raises(UsageError, match=message):
        selection(rules=rules, skip=skip)


@pytest.mark.parametrize("config,message", [
    ({"enable": ["nope"]}, "enable"),
    ({"severity": {"length": "loud"}}, "error, warning, info or off"),
    ({"severity": {"nope/rule": "error"}}, "severity"),
])
def test_a_bad_checks_table_is_a_config_error(config, message):
    with pytest.raises(ConfigError, match=message):
        selection(**config)


@pytest.mark.parametrize("rules,skip,specific,claim", [
    ((), (), True, True),
    (["grounding"], (), True, True),
    (["grounding/specific"], (), True, False),
    ((), ["grounding/claim"], True, False),
    ((), ["grounding"], False, False),
])
def test_the_grounding_rules_are_selected_like_the_others(rules, skip, specific, claim):
    built = selection(rules=rules, skip=skip)
    assert built.runs("grounding/specific") is specific
    assert built.runs("grounding/claim") is claim


def test_style_runs_for_any_vale_rule_named():
    style = next(f for f in FAMILIES if f.name == "style")
    assert selection(rules=["style/House.Simply"]).family_runs(style)
    assert not selection(rules=["structure"]).family_runs(style)
    assert not selection(skip=["style"]).family_runs(style)


def test_selectors_split_on_commas():
    assert split_selectors(["style, links", "code/syntax"]) == ["style", "links", "code/syntax"]


def test_kurt_toml_checks_table_is_read(tmp_path):
    from kurt.config import load_config

    path = tmp_path / "kurt.toml"
    path.write_text('[checks]\ndisable = ["style"]\nmax_sentence_words = 30\n\n'
                    '[checks.severity]\nlength = "error"\n')
    config = load_config(path).checks
    assert config.disable == ["style"] and config.max_sentence_words == 30
    assert config.severity == {"length": "error"}
    path.write_text("[checks]\ndisable = \"style\"\n")
    with pytest.raises(ConfigError, match="list of strings"):
        load_config(path)
