"""DraftContext: positions of frontmatter keys, the template, sections and their passages."""

import pytest

from kurt.checks.context import (
    Passage,
    SectionSources,
    Shared,
    build_context,
    outline_key_for,
    yaml_positions,
)
from kurt.checks.corpus import Corpus
from tests.checks.conftest import LIMITS, SETUP


def test_yaml_positions_give_file_lines_and_columns():
    raw = "project: p\noutline:\n  setup:\n    sources:\n      - a.md\n"
    keys, values = yaml_positions(raw, 2)
    assert (keys[("outline", "setup")].line, keys[("outline", "setup")].column) == (4, 3)
    source = values[("outline", "setup", "sources", 0)]
    assert (source.line, source.column, source.end_column) == (6, 9, 12)


@pytest.mark.parametrize("heading,key", [
    ("Setup Guide", "setup-guide"),
    ("Step 3: Implement Integration (Code)", "code-examples"),
    ("Common Use Cases", "use-cases"),
    ("Troubleshooting", "troubleshooting"),
    ("Pricing", None),
])
def test_headings_map_to_outline_sections(heading, key):
    keys = ["overview", "setup-guide", "code-examples", "use-cases", "troubleshooting"]
    assert outline_key_for(heading, keys) == key


def test_section_sources_give_each_section_its_passages_by_scope(checks):
    path = checks.write()
    (checks.ws.root / "projects/p/plan.md").write_text(
        (checks.ws.root / "projects/p/plan.md").read_text())
    store = checks.ws.open_store()
    try:
        ctx = build_context(Shared(checks.ws, Corpus(checks.ws, store), checks.config()), path)
        sections = ctx.section_sources()
    finally:
        store.close()
    assert [s.heading for s in sections] == ["Example Mini Page", "Setup", "Limits"]
    setup = sections[1]
    assert isinstance(setup, SectionSources)
    line_start, line_end, heading, passages = setup  # unpacks as a tuple
    assert heading == "Setup" and line_start < line_end
    assert all(isinstance(p, Passage) for p in passages)
    by_scope = {(p.path, p.scope) for p in passages}
    assert (SETUP, "section") in by_scope and (LIMITS, "draft") in by_scope
    limits = sections[2]
    assert {(p.path, p.scope) for p in limits.passages} >= {(LIMITS, "section"), (SETUP, "draft")}
    text = (checks.ws.root / LIMITS).read_text().split("\n")
    passage = next(p for p in limits.passages if "60 requests" in p.text)
    assert "60 requests" in "\n".join(text[passage.line_start - 1:passage.line_end])
