"""--format sarif: valid against the OASIS SARIF 2.1.0 schema, with the rules and regions."""

import json
from pathlib import Path

import jsonschema
import pytest

from kurt.checks.formats import render
from kurt.checks.registry import all_rules

SCHEMA = Path(__file__).resolve().parents[2] / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_the_log_is_schema_valid(report, validator):
    log = json.loads(render(report, "sarif"))
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == []


def test_an_invalid_log_is_refused_by_the_same_validator(report, validator):
    log = json.loads(render(report, "sarif"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["version"]
    assert len(list(validator.iter_errors(log))) >= 2


def test_rules_results_and_regions(report):
    run = json.loads(render(report, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids[:len(all_rules())] == [r.id for r in all_rules()]
    assert "style/Google.Will" in ids
    will = rules[ids.index("style/Google.Will")]
    assert will["helpUri"] == "https://developers.google.com/style/tense"
    placeholder = rules[ids.index("structure/placeholder")]
    assert placeholder["helpUri"].endswith("docs/checks.md#structureplaceholder")
    assert placeholder["shortDescription"]["text"]
    first = run["results"][0]
    assert first["ruleId"] == "structure/placeholder" and first["level"] == "error"
    assert ids[first["ruleIndex"]] == "structure/placeholder"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "projects/p/drafts/a%20b.md"
    assert location["region"] == {"startLine": 12, "startColumn": 9, "endLine": 12, "endColumn": 18}
    assert run["results"][2]["level"] == "note"
    related = run["results"][1]["relatedLocations"][0]["physicalLocation"]
    assert related["region"]["snippet"]["text"] == "Sixty requests, a minute."


def test_a_real_run_is_schema_valid(checks, validator):
    from tests.checks.conftest import BODY

    report = checks.run(BODY + "\nConnect [Partner]. TODO\n\n```\nx\n```\n")
    log = json.loads(render(report, "sarif"))
    assert log["runs"][0]["results"]
    assert list(validator.iter_errors(log)) == []
