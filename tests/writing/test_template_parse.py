"""Parsing the machine-readable parts of format templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from kurt.errors import FormatError
from kurt.writing.template_parse import (
    find_placeholders,
    parse_length,
    parse_template,
    skeleton_headings,
)
from kurt.writing.templates import builtin_templates

EXPECTED_BUILTINS = {
    "integration-page", "documentation-tutorial", "reference-page", "product-page",
    "solution-page", "homepage", "blog-post", "case-study", "product-update-newsletter",
    "marketing-email", "drip-email-sequence", "social-media-post", "video-script",
    "podcast-interview-plan", "positioning-messaging", "icp-segmentation",
    "persona-segmentation", "campaign-brief", "launch-plan",
}


def test_every_expected_format_ships():
    assert EXPECTED_BUILTINS <= set(builtin_templates())


@pytest.mark.parametrize("name", sorted(builtin_templates()))
def test_every_shipped_template_parses_into_its_parts(name):
    tpl = parse_template(builtin_templates()[name], name=name)
    assert tpl.title.endswith("Template")
    assert tpl.purpose and tpl.audience
    assert tpl.length is not None and 0 < tpl.length[0] < tpl.length[1]
    assert len(tpl.outline) >= 4
    assert all(section.purpose for section in tpl.outline)
    assert tpl.frontmatter["format_template"].endswith(f"/{name}.md")
    assert tpl.frontmatter["status"] == "outline"
    assert tpl.required_headings
    assert "created: YYYY-MM-DD" in tpl.frontmatter_text
    assert tpl.placeholders
    assert tpl.customized is False
    assert tpl.skeleton.startswith("# ")


@pytest.mark.parametrize("name", sorted(set(builtin_templates()) - {"integration-page"}))
def test_new_templates_have_one_heading_per_outline_section(name):
    tpl = parse_template(builtin_templates()[name], name=name)
    assert len(tpl.required_headings) == len(tpl.outline)


def test_seed_is_shipped_verbatim(fixtures_dir):
    seed = (fixtures_dir / "seed" / "integration-page.md").read_text(encoding="utf-8")
    assert builtin_templates()["integration-page"] == seed


def test_seed_structure_block_parses_despite_inner_fences(fixtures_dir):
    text = (fixtures_dir / "seed" / "integration-page.md").read_text(encoding="utf-8")
    tpl = parse_template(text, name="integration-page")
    assert tpl.length == (1000, 1500)
    assert [s.key for s in tpl.outline] == [
        "overview", "prerequisites", "setup-guide", "code-examples", "use-cases", "troubleshooting"]
    assert tpl.outline[2].sources == ["/sources/[partner]-api-docs.md", "/sources/your-api-docs.md"]
    assert tpl.outline[0].purpose == "what this integration does and why"
    # the skeleton runs to the LAST bare fence before the workflow, not the first inner one
    assert tpl.required_headings == [
        "Overview", "Prerequisites", "Setup Guide", "Common Use Cases", "Configuration Options",
        "Troubleshooting", "Security Best Practices", "Limits & Quotas", "Next Steps"]
    assert "## Workflow" not in tpl.skeleton
    assert "{{PLAN_LEVEL_IF_REQUIRED}}" in tpl.placeholders
    assert "[X]" in tpl.placeholders
    assert "['partner-signature']" not in tpl.placeholders  # req.headers['partner-signature']
    assert tpl.success_metrics == "Setup completion rate, time to first integration, support tickets"
    assert tpl.to_dict()["success_metrics"] == tpl.success_metrics
    assert "# Expected output:" in tpl.skeleton  # inside an inner fence: not a heading


def _seed_with(old: str, new: str) -> str:
    text = builtin_templates()["integration-page"]
    assert old in text
    return text.replace(old, new, 1)


def test_bad_yaml_reports_the_file_line():
    text = _seed_with('    purpose: "step-by-step configuration"', '    purpose: "step-by-step configuration')
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if "step-by-step configuration" in ln)
    with pytest.raises(FormatError) as err:
        parse_template(text, name="x", path=Path("kurt/templates/formats/x.md"))
    assert "bad YAML in the structure block" in str(err.value)
    assert str(err.value).startswith("kurt/templates/formats/x.md:")
    assert line <= err.value.line <= line + 3


def test_bad_indentation_reports_its_own_line():
    text = _seed_with("  prerequisites:\n", "  prerequisites:\n   bad: [\n")
    with pytest.raises(FormatError) as err:
        parse_template(text, name="x", path=Path("x.md"))
    lines = text.split("\n")
    assert err.value.line is not None
    assert 0 < err.value.line <= len(lines)
    assert abs(err.value.line - next(i for i, ln in enumerate(lines, 1) if "bad: [" in ln)) <= 2


def test_outline_entry_without_purpose_is_an_error_at_its_line():
    text = _seed_with('    purpose: "common scenarios and solutions"\n', "")
    with pytest.raises(FormatError) as err:
        parse_template(text, name="x", path=Path("x.md"))
    assert "use-cases" in str(err.value) and "purpose" in str(err.value)
    assert text.split("\n")[err.value.line - 1].strip() == "use-cases:"


def test_missing_structure_block_is_an_error():
    text = _seed_with("```markdown\n", "")
    with pytest.raises(FormatError, match="structure block"):
        parse_template(text, name="x", path=Path("x.md"))


def test_missing_outline_is_an_error():
    text = _seed_with("outline:\n", "outlines_gone:\n")
    with pytest.raises(FormatError, match="no outline"):
        parse_template(text, name="x", path=Path("x.md"))


@pytest.mark.parametrize("value, expected", [
    ("1000-1500 words + code examples", (1000, 1500)),
    ("50-300 words per post", (50, 300)),
    ("1,200-2,500 words", (1200, 2500)),
    ("600 to 900 words", (600, 900)),
    ("a few paragraphs", None),
    (None, None),
])
def test_parse_length(value, expected):
    assert parse_length(value) == expected


@pytest.mark.parametrize("text, expected", [
    ("# [Title]\n\n{{API_KEY}} on YYYY-MM-DD", ["[Title]", "{{API_KEY}}", "YYYY-MM-DD"]),
    ("- [ ] task [Thing] and [Thing]", ["[Thing]"]),
    ("see [docs](https://x) for ~[X] minutes", ["[X]"]),
    ("no placeholders here", []),
    # code indexing is not a placeholder; a bracket after a slash or space is
    ("req.headers['partner-signature'] items[0] ['x'] /sources/[partner]-docs.md",
     ["[partner]"]),
])
def test_find_placeholders(text, expected):
    assert find_placeholders(text) == expected


def test_headings_inside_inner_fences_are_ignored():
    skeleton = "# T\n\n## One\n\n```bash\n## not a heading\n```\n\n## Two\n"
    assert skeleton_headings(skeleton) == ["One", "Two"]


def test_an_unclosed_flow_list_in_a_user_template_is_reported_where_it_opens():
    text = _seed_with("status: outline\n", "status: [outline\n")
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if ln == "status: [outline")
    with pytest.raises(FormatError) as err:
        parse_template(text, name="x", path=Path("kurt/templates/formats/x.md"))
    assert err.value.line == line


def test_unclosed_structure_frontmatter_says_where_it_opened():
    text = builtin_templates()["integration-page"]
    lines = text.split("\n")
    opening = next(i for i, ln in enumerate(lines) if ln.startswith("```markdown")) + 1
    assert lines[opening].strip() == "---"
    closing = next(i for i in range(opening + 1, len(lines)) if lines[i].strip() == "---")
    broken = "\n".join(lines[:closing] + ["```", ""])  # the block ends before any '---'

    with pytest.raises(FormatError) as err:
        parse_template(broken, name="x", path=Path("kurt/templates/formats/x.md"))
    assert str(err.value).startswith(f"kurt/templates/formats/x.md:{opening + 1}: ")
    assert f"frontmatter opened at line {opening + 1} is never closed (no '---' line)" in str(err.value)
