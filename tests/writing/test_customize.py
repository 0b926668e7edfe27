"""Customizing a template's Style Guidelines from real pages (library level)."""

from __future__ import annotations

import pytest

from kurt.errors import KurtError
from kurt.store.filters import DocumentFilter
from kurt.writing import style
from kurt.writing.customize import choose, customize_template
from kurt.writing.template_parse import STYLE_HEADING, section_span


def _metrics(**values) -> style.StyleMetrics:
    m = style.StyleMetrics(pages=1, sentences=10)
    for key, value in values.items():
        setattr(m, key, value)
    return m


@pytest.mark.parametrize("label, options, metrics, expected", [
    ("Voice", ["Active", "Passive"], {"passive_ratio": 0.1}, "Active"),
    ("Voice", ["Active", "Passive"], {"passive_ratio": 0.8}, "Passive"),
    ("Person", ['Second person "you"', 'First person plural "we"', "Imperative only"],
     {"person_you": 0.6, "person_we": 0.1, "imperative_ratio": 0.2}, 'Second person "you"'),
    ("Code examples", ["Full files", "Snippets", "Minimal"],
     {"code_blocks": 9, "full_file_ratio": 0.9}, "Full files"),
    ("Code examples", ["Full files", "Snippets", "Minimal"],
     {"code_blocks": 9, "full_file_ratio": 0.1}, "Snippets"),
    ("Code examples", ["Full files", "Snippets", "Minimal"], {"code_blocks": 0}, "Minimal"),
    ("Technical", ["Casual", "Professional", "Academic"], {"fk_grade": 16.0}, "Academic"),
    ("Technical", ["Casual", "Professional", "Academic"],
     {"fk_grade": 5.0, "contractions_per_sentence": 0.5}, "Casual"),
    ("Troubleshooting", ["Comprehensive", "Common issues", "Minimal"],
     {"troubleshooting_headings": 3, "error_sentence_ratio": 0.4}, "Comprehensive"),
    ("Explanations", ["Step-by-step", "Assumed knowledge", "Brief"],
     {"numbered_items": 12, "step_headings": 2}, "Step-by-step"),
    ("Explanations", ["Step-by-step", "Assumed knowledge", "Brief"], {}, "Brief"),
])
def test_choose_follows_the_measurements(label, options, metrics, expected):
    choice = choose(label, options, _metrics(**metrics))
    assert choice.value == expected and choice.measurement


def test_choose_leaves_unmeasurable_dimensions_alone():
    choice = choose("Sender persona", ["Named person", "Company brand", "Team"], _metrics())
    assert choice.value is None


def _outside_style(text: str) -> list[str]:
    lines = text.split("\n")
    start, end = section_span(lines, STYLE_HEADING)
    return lines[:start] + ["<style>"] + lines[end:]


def test_customize_fills_only_the_style_section(railway_workspace):
    ws = railway_workspace
    path = ws.templates_dir / "integration-page.md"
    before = path.read_text(encoding="utf-8")
    store = ws.open_store()
    try:
        report = customize_template(ws, store, "integration-page",
                                    flt=DocumentFilter(url_contains=["/integrations/"]))
    finally:
        store.close()
    after = path.read_text(encoding="utf-8")
    assert "[CUSTOMIZATION NEEDED -" not in after
    assert _outside_style(after) == _outside_style(before)
    assert 2 <= len(report.pages) <= 3
    assert all("/integrations/" in page.url for page in report.pages)
    dos = [ex for ex in report.examples if ex.kind == "do"]
    assert len(dos) >= 2
    for ex in dos:
        page = next(p for p in report.pages if p.document_id == ex.document_id)
        assert ex.sentence in (ws.root / page.path).read_text(encoding="utf-8")
        assert f'"{ex.sentence}"' in after
    assert any(ex.kind == "dont" for ex in report.examples)


def test_customize_is_deterministic(railway_workspace):
    ws = railway_workspace
    store = ws.open_store()
    try:
        first = customize_template(ws, store, "integration-page", dry_run=True)
        second = customize_template(ws, store, "integration-page", dry_run=True)
    finally:
        store.close()
    assert first.section == second.section
    assert "[CUSTOMIZATION NEEDED" in (ws.templates_dir / "integration-page.md").read_text()


def test_customize_twice_needs_force(railway_workspace):
    ws = railway_workspace
    store = ws.open_store()
    try:
        customize_template(ws, store, "integration-page")
        with pytest.raises(KurtError, match="--force"):
            customize_template(ws, store, "integration-page")
        report = customize_template(ws, store, "integration-page", force=True)
    finally:
        store.close()
    text = (ws.templates_dir / "integration-page.md").read_text()
    assert text.count("**Customized from:**") == 1
    assert report.written


def test_customized_copy_counts_as_edited_for_update(railway_workspace):
    from kurt.writing.templates import update_templates

    ws = railway_workspace
    store = ws.open_store()
    try:
        customize_template(ws, store, "integration-page")
    finally:
        store.close()
    report = update_templates(ws)
    assert {e.name: e.action for e in report.entries}["integration-page"] == "kept-edited"


@pytest.mark.parametrize("required, headings, expected", [
    (["Prerequisites", "Troubleshooting", "Next Steps"], ["Prerequisites", "Next steps"], 2 / 3),
    (["Prerequisites", "Troubleshooting"], ["Why sandboxes", "The loop"], 0.0),
    (["Set Up The Project"], ["1. Create a Railway project"], 1.0),  # "project" echoes
    (["Examples"], ["Example: translating a Compose file"], 1.0),  # plural and singular
    ([], ["Anything"], 0.0),
])
def test_anatomy_match_counts_echoed_headings(required, headings, expected):
    from kurt.writing.customize import anatomy_match

    assert anatomy_match(required, headings) == pytest.approx(expected)


def test_tutorial_pages_are_picked_for_their_anatomy_not_their_url(railway_workspace):
    """Among 128 guides, the chosen ones have tutorial sections (not merely the first URLs)."""
    from kurt.writing.customize import pick_pages
    from kurt.writing.templates import load_template

    ws = railway_workspace
    template = load_template(ws, "documentation-tutorial")
    store = ws.open_store()
    try:
        picked = pick_pages(ws, store, template,
                            flt=DocumentFilter(url_prefix="https://docs.railway.com/guides/"))
    finally:
        store.close()
    assert len(picked) == 3
    for cand in picked:
        headings = [h.lower() for _, h in style.split_page(cand.text).headings]
        assert any("prerequisite" in h or "next step" in h for h in headings), cand.doc.url


# -- boilerplate and copies (kurt.index.boilerplate, kurt.index.duplicates) --------------------

from tests.writing.conftest import NOTICE, site_with_chrome  # noqa: E402


def test_customize_never_learns_from_boilerplate_nor_twice_from_one_page(workspace, store):
    from kurt.writing.customize import pick_pages
    from kurt.writing.templates import load_template

    site_with_chrome(workspace, store)
    chosen = pick_pages(workspace, store, load_template(workspace, "integration-page"),
                        query="kestrel integration", pages=10)
    assert chosen and all(NOTICE not in c.text for c in chosen)
    titles = [c.doc.title for c in chosen]
    assert titles.count("Kestrel integration") == 1  # the site's page or its export, not both
