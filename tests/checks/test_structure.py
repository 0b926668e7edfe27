"""structure/*: sections of the template present and in order, nothing left from the template."""

import pytest

from tests.checks.conftest import BODY, FRONTMATTER, draft_line, replace


def structure(checks, body, frontmatter=FRONTMATTER):
    return [(f.rule, f.line) for f in checks.run(body, frontmatter, rules=["structure"]).findings]


def test_the_valid_draft_has_no_structure_finding(checks):
    assert structure(checks, BODY) == []


@pytest.mark.parametrize("text,rule,shown", [
    ("Connect [Partner] to the API.", "structure/placeholder", "[Partner]"),
    ("Setup takes ~[X] minutes.", "structure/placeholder", "[X]"),
    ("Ask your {{ACCOUNT_MANAGER}} for access.", "structure/placeholder", "{{ACCOUNT_MANAGER}}"),
    ("Last updated: YYYY-MM-DD.", "structure/placeholder", "YYYY-MM-DD"),
    ("Difficulty: [Beginner / Intermediate / Advanced]", "structure/choice", "[Beginner"),
    ("- [EXAMPLE: Webhook triggers an event to Stripe]", "structure/example", "[EXAMPLE:"),
    ("TODO: add the quota of the free plan.", "structure/todo", "TODO"),
    ("The free plan quota is TBD.", "structure/todo", "TBD"),
])
def test_a_leftover_of_the_template_is_reported_where_it_is(checks, text, rule, shown):
    body = BODY + f"\n{text}\n"
    report = checks.run(body, rules=["structure"])
    assert [(f.rule, f.line) for f in report.findings] == [(rule, draft_line(text, body))]
    finding = report.findings[0]
    line = (checks.draft_path.read_text().split("\n"))[finding.line - 1]
    assert line[finding.column - 1:].startswith(shown)


@pytest.mark.parametrize("text", [
    "See the [Railway docs](https://docs.railway.com) for more.",
    "Read [the guide][guide] first.\n\n[guide]: https://docs.railway.com/guides",
    "Read [the guide] first.\n\n[the guide]: https://docs.railway.com/guides",
    "A footnote.[^1]\n\n[^1]: The note.",
    "- [ ] a task\n- [x] a done task",
    "> [!NOTE]\n> A GitHub alert.",
    "Use `headers['x-token']` and `items[0]` in code.",
    "![A diagram](diagram.png)",
    "Citations such as [1] and [2] point at the references.",
    "Todo lists are fine in lower case: a todo app.",
    "<!-- TODO: a comment is not prose [Partner] -->",
])
def test_what_only_looks_like_a_placeholder_is_not_reported(checks, text):
    assert structure(checks, BODY + f"\n{text}\n") == []


def test_placeholders_in_code_blocks_are_code_but_example_markers_are_not(checks):
    body = BODY + "\n```bash\necho [Partner] TODO\n# [EXAMPLE: run it]\n```\n"
    assert [r for r, _ in structure(checks, body)] == ["structure/example"]


def test_a_missing_section_is_reported_where_it_belongs(checks):
    body = replace(BODY, "## Limits\n", "## Quotas\n")
    found = structure(checks, body)
    last = len(f"---\n{FRONTMATTER}---\n\n{body}".rstrip("\n").split("\n"))
    assert ("structure/required-section", last) in found  # Limits is last: at the end
    assert {r for r, _ in found} == {"structure/required-section", "structure/outline-coverage"}
    first = replace(BODY, "## Setup\n", "## Install\n")
    assert ("structure/required-section", draft_line("## Limits", first)) in structure(checks, first)


def test_sections_out_of_order_are_reported_on_the_misplaced_heading(checks):
    setup, limits = BODY.split("## Limits\n")
    head, setup_part = setup.split("## Setup\n")
    body = f"{head}## Limits\n{limits}\n## Setup\n{setup_part}"
    found = structure(checks, body)
    assert found == [("structure/section-order", draft_line("## Limits", body))] or \
        found == [("structure/section-order", draft_line("## Setup", body))]


@pytest.mark.parametrize("heading", ["## Setup guide for the CLI", "## setup", "### Setup"])
def test_a_section_heading_written_differently_still_counts(checks, heading):
    assert structure(checks, replace(BODY, "## Setup\n", f"{heading}\n")) == []


def test_an_outline_section_without_a_heading_is_reported_at_its_outline_key(checks):
    frontmatter = replace(FRONTMATTER, "outline:\n", "outline:\n  pricing:\n    sources: []\n"
                          "    purpose: \"what it costs\"\n")
    found = structure(checks, BODY, frontmatter)
    assert found == [("structure/outline-coverage", draft_line("  pricing:", BODY, frontmatter))]


def test_an_inline_comment_silences_the_next_paragraph_only(checks):
    body = BODY + ("\n<!-- kurt: ignore structure/placeholder -->\nKeep [Partner] here,\nand "
                   "[Partner] here.\n\nBut not [Partner] here.\n")
    report = checks.run(body, rules=["structure"])
    assert [(f.rule, f.line) for f in report.findings] == [
        ("structure/placeholder", draft_line("But not", body))]
    assert report.suppressed == 2
