import pytest

from kurt.checks.finding import (
    VALE_LEVELS,
    Evidence,
    Finding,
    format_line,
    line_rule_name,
    sort_key,
    vale_rule_id,
)


def finding(**changes) -> Finding:
    values = dict(rule="style/Google.Passive", severity="info", path="docs/a.md", line=3,
                  column=6, message="In general, use active voice.")
    values.update(changes)
    return Finding(**values)


def test_a_vale_finding_prints_as_vale_does():
    assert format_line(finding()) == "docs/a.md:3:6:Google.Passive:In general, use active voice."


def test_a_kurt_finding_keeps_its_whole_rule_id_in_line_form():
    f = finding(rule="grounding/specific", severity="error", message="60, not 100")
    assert format_line(f) == "docs/a.md:3:6:grounding/specific:60, not 100"
    assert line_rule_name(finding(rule="style/dont-list")) == "style/dont-list"


def test_family_and_name_split_the_rule_id():
    f = finding()
    assert (f.family, f.name) == ("style", "Google.Passive")
    assert vale_rule_id("Google.Passive") == f.rule


@pytest.mark.parametrize(("vale", "kurt"), [("error", "error"), ("warning", "warning"),
                                            ("suggestion", "info")])
def test_vale_levels_map_to_severities(vale, kurt):
    assert VALE_LEVELS[vale] == kurt


@pytest.mark.parametrize("changes", [{"severity": "suggestion"}, {"rule": "Google.Passive"}])
def test_a_finding_refuses_an_unknown_severity_or_a_rule_without_family(changes):
    with pytest.raises(ValueError):
        finding(**changes)


def test_to_dict_leaves_out_empty_optional_keys_and_keeps_evidence():
    plain = finding().to_dict()
    assert "evidence" not in plain and "suggestion" not in plain and "link" not in plain
    evidence = Evidence("sources/pricing.md", 10, 12, "60 requests per minute")
    full = finding(evidence=evidence, suggestion="Use 60.").to_dict()
    assert full["evidence"] == {"path": "sources/pricing.md", "line_start": 10, "line_end": 12,
                                "quote": "60 requests per minute"}
    assert full["suggestion"] == "Use 60."
    assert evidence.citation == "sources/pricing.md:10-12"


def test_findings_sort_by_path_line_then_column():
    a, b, c = finding(line=2, column=9), finding(line=2, column=1), finding(path="z.md", line=1)
    assert sorted([a, c, b], key=sort_key) == [b, a, c]
