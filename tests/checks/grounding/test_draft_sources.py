"""The sources each part of a Kurt draft relies on (kurt/checks/grounding/draft_sources.py)."""

from pathlib import Path

from kurt.checks.grounding import draft_sections

SETUP = """---
url: https://docs.example.com/setup
---

# Setup

Install the CLI with npm.

## Tokens

Create a project token in the settings.
"""
LIMITS = "# Limits\n\nThe API allows 60 requests per minute.\nPro gets 1,000.\n"
PLAN_ONLY = "# Pricing\n\nHobby costs $5 a month.\n"

DRAFT = """---
project: p
document: guide
status: draft
sources:
  - path: sources/docs.example.com/setup.md
  - path: sources/docs.example.com/limits.md
outline:
  getting-started:
    sources:
      - sources/docs.example.com/setup.md
    purpose: setup
  limits:
    sources: [sources/docs.example.com/limits.md]
  missing:
    sources:
      - sources/docs.example.com/deleted.md
---

# A guide

Intro text.

## Getting Started

Install it.

### Step 1: Tokens

Make a token. <!-- Source: sources/docs.example.com/limits.md:3-3 -->

## Limits

Sixty a minute.

```md
## Not A Heading
```
"""


def workspace(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "ws"
    for name, text in (("setup.md", SETUP), ("limits.md", LIMITS), ("pricing.md", PLAN_ONLY)):
        path = root / "sources" / "docs.example.com" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    drafts = root / "projects" / "p" / "drafts"
    drafts.mkdir(parents=True)
    (drafts / "guide.md").write_text(DRAFT)
    (root / "projects" / "p" / "plan.md").write_text(
        "## Sources of Ground Truth\n\n- `abc123def456` sources/docs.example.com/pricing.md — rates\n")
    return root, drafts / "guide.md"


def by_heading(sections):
    return {s.heading: s for s in sections}


def scopes(section):
    return sorted({(p.path.rsplit("/", 1)[-1], p.scope) for p in section.passages})


def test_each_outline_heading_gets_its_sources(tmp_path):
    root, draft = workspace(tmp_path)
    sections = by_heading(draft_sections(root, draft))
    assert set(sections) == {None, "A guide", "Getting Started", "Step 1: Tokens", "Limits"}
    assert scopes(sections["Getting Started"]) == [
        ("limits.md", "draft"), ("pricing.md", "project"), ("setup.md", "section")]
    assert scopes(sections["Limits"]) == [
        ("limits.md", "section"), ("pricing.md", "project"), ("setup.md", "draft")]


def test_a_deeper_heading_belongs_to_the_section_above_and_citations_narrow_it(tmp_path):
    root, draft = workspace(tmp_path)
    step = by_heading(draft_sections(root, draft))["Step 1: Tokens"]
    cited = [p for p in step.passages if p.scope == "section" and p.path.endswith("limits.md")]
    assert [(p.line_start, p.line_end, p.text) for p in cited] == [
        (3, 3, "The API allows 60 requests per minute.")]
    assert any(p.path.endswith("setup.md") and p.scope == "section" for p in step.passages)


def test_text_before_the_first_outline_heading_relies_on_the_draft_scope(tmp_path):
    root, draft = workspace(tmp_path)
    intro = by_heading(draft_sections(root, draft))["A guide"]
    assert {p.scope for p in intro.passages} == {"draft", "project"}


def test_line_ranges_cover_the_body_and_fenced_headings_are_not_headings(tmp_path):
    root, draft = workspace(tmp_path)
    sections = draft_sections(root, draft)
    lines = DRAFT.split("\n")
    limits = by_heading(sections)["Limits"]
    assert lines[limits.line_start - 1] == "## Limits"
    assert limits.line_end == len(lines)
    for earlier, later in zip(sections, sections[1:], strict=False):
        assert earlier.line_end == later.line_start - 1


def test_passages_keep_the_stored_files_line_numbers(tmp_path):
    root, draft = workspace(tmp_path)
    getting = by_heading(draft_sections(root, draft))["Getting Started"]
    tokens = [p for p in getting.passages if p.path.endswith("setup.md") and "token" in p.text]
    [passage] = tokens
    file_lines = SETUP.split("\n")
    assert file_lines[passage.line_start - 1] == "## Tokens"
    assert passage.text.split("\n")[-1] == file_lines[passage.line_end - 1]


def test_a_draft_without_frontmatter_or_with_broken_yaml_still_gets_sections(tmp_path):
    root, draft = workspace(tmp_path)
    draft.write_text("---\nsources: [unclosed\n---\n\n# Title\n\nText.\n")
    sections = draft_sections(root, draft)
    assert [s.heading for s in sections] == [None, "Title"]
    assert all(s.passages == [] or {p.scope for p in s.passages} == {"project"}
               for s in sections)
