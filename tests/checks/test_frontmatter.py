"""frontmatter/*: each rule reports its problem at its line, and stays silent on the valid draft."""

import pytest

from tests.checks.conftest import BODY, FRONTMATTER, replace


def frontmatter_findings(checks, frontmatter, body=BODY):
    return [(f.rule, f.line, f.message) for f in
            checks.run(body, frontmatter, rules=["frontmatter"]).findings]


def test_the_valid_draft_has_no_frontmatter_finding(checks):
    assert frontmatter_findings(checks, FRONTMATTER) == []


@pytest.mark.parametrize("old,new,rule,line,words", [
    ("status: draft\n", "status: reviewing\n", "frontmatter/status", 6, "reviewing"),
    ("created: 2026-01-05\n", "created: 2026-13-45\n", "frontmatter/date", 5, "2026-13-45"),
    ("created: 2026-01-05\n", "created: YYYY-MM-DD\n", "frontmatter/date", 5, "fill it in"),
    ("created: 2026-01-05\n", "created: 2026-01-05\nupdated: last week\n", "frontmatter/date", 6,
     "last week"),
    ("created: 2026-01-05\n", "", "frontmatter/required-key", 2, "'created' is missing"),
    ("document: mini-example\n", "document:\n", "frontmatter/required-key", 3, "'document' is empty"),
    ("format_template: kurt/templates/formats/mini.md\n",
     "format_template: kurt/templates/formats/nothing.md\n", "frontmatter/template", 4, "nothing"),
    ("  limits:\n    sources:\n", "  limit-notes:\n    sources:\n", "frontmatter/outline-section", 14,
     "'limits'"),
])
def test_a_frontmatter_problem_is_reported_at_its_line(checks, old, new, rule, line, words):
    found = frontmatter_findings(checks, replace(FRONTMATTER, old, new))
    assert [(r, n) for r, n, _ in found] == [(rule, line)]
    assert words in found[0][2]


def test_a_draft_without_frontmatter_gets_one_finding_that_says_what_to_do(checks):
    found = frontmatter_findings(checks, None, "# Notes\n\nJust prose.\n")
    assert len(found) == 1 and found[0][0] == "frontmatter/missing"
    assert "kurt draft new" in found[0][2] and "--rule style" in found[0][2]


@pytest.mark.parametrize("frontmatter,line", [
    ("project: p\n  bad: [\n", 3),
    ("project: p\ndocument: [unclosed\nstatus: draft\n", 3),
])
def test_frontmatter_that_is_not_yaml_is_one_finding_with_its_line(checks, frontmatter, line):
    found = frontmatter_findings(checks, frontmatter)
    assert [(r, n) for r, n, _ in found] == [("frontmatter/invalid", line)]


def test_an_unclosed_frontmatter_is_reported_not_raised(checks):
    found = frontmatter_findings(checks, None, "---\nproject: p\n\n# Title\n")
    assert [r for r, _, _ in found] == ["frontmatter/invalid"]
    assert "never closed" in found[0][2]


def test_a_template_that_does_not_parse_is_named(checks):
    (checks.ws.templates_dir / "broken.md").write_text("# Broken\n\nNo structure here.\n")
    found = frontmatter_findings(checks, replace(FRONTMATTER, "formats/mini.md", "formats/broken.md"))
    assert [r for r, _, _ in found] == ["frontmatter/template"]
    assert "does not parse" in found[0][2] and "Structure" in found[0][2]


@pytest.mark.parametrize("outside", ["../elsewhere/mini.md", "kurt/../../elsewhere/mini.md"])
def test_a_template_path_climbing_out_of_the_workspace_is_never_read(checks, outside):
    """A draft is text anyone (or any agent) may write: its format_template must not make
    a check read a file outside the workspace."""
    elsewhere = checks.ws.root.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "mini.md").write_text((checks.ws.templates_dir / "mini.md").read_text())
    found = frontmatter_findings(checks, replace(FRONTMATTER, "kurt/templates/formats/mini.md", outside))
    assert [r for r, _, _ in found] == ["frontmatter/template"]
    assert "outside the workspace" in found[0][2]


def test_a_template_linked_in_from_a_shared_folder_is_read(checks):
    shared = checks.ws.root.parent / "shared-templates"
    shared.mkdir(exist_ok=True)
    (shared / "mini.md").write_text((checks.ws.templates_dir / "mini.md").read_text())
    (checks.ws.templates_dir / "linked.md").symlink_to(shared / "mini.md")
    frontmatter = replace(FRONTMATTER, "kurt/templates/formats/mini.md", "kurt/templates/formats/linked.md")
    assert frontmatter_findings(checks, frontmatter) == []


def test_a_builtin_template_named_by_a_path_that_is_gone_still_resolves(checks):
    (checks.ws.templates_dir / "integration-page.md").unlink()
    frontmatter = replace(FRONTMATTER, "formats/mini.md", "formats/integration-page.md")
    rules = {r for r, _, _ in frontmatter_findings(checks, frontmatter)}
    assert "frontmatter/template" not in rules
    assert "frontmatter/outline-section" in rules  # the built-in's outline is checked


def test_a_yaml_comment_silences_a_frontmatter_line(checks):
    frontmatter = replace(FRONTMATTER, "status: draft\n",
                          "status: reviewing  # kurt: ignore frontmatter/status\n")
    report = checks.run(BODY, frontmatter, rules=["frontmatter"])
    assert report.findings == [] and report.suppressed == 1
