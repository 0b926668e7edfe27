"""Which source passages back each part of a draft (kurt/checks/section_sources.py)."""

from kurt.checks.passages import Passage, SectionSources
from kurt.checks.section_sources import draft_sections
from kurt.index.sections import replace_sections, split_sections
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from tests.checks.conftest import BODY, FRONTMATTER, LIMITS, SETUP, replace, stored

PRICING = "sources/docs.example.com/docs/pricing.md"
PRICING_DOC = "Pricing.\n\n## Plans\n\nThe Hobby plan costs $5 a month.\n"


def sections_of(checks, body=BODY, frontmatter=FRONTMATTER):
    path = checks.write(body, frontmatter)
    store = checks.ws.open_store()
    try:
        return draft_sections(checks.ws, path, store)
    finally:
        store.close()


def ingest_pricing(checks) -> None:
    """A third ingested page, named by no draft of the fixture."""
    url = "https://docs.example.com/docs/pricing"
    text = stored(PRICING_DOC, "Pricing", url)
    (checks.ws.root / PRICING).write_text(text, encoding="utf-8")
    store = checks.ws.open_store()
    try:
        add_discovered(store, [Discovered(url=url, domain="docs.example.com")])
        doc = document_id(url)
        update_document(store, doc, status="FETCHED", content_path=PRICING, title="Pricing",
                        content_hash="hash-pricing")
        with store.transaction() as conn:
            replace_sections(conn, doc, split_sections(text, title="Pricing"))
    finally:
        store.close()


def scopes(section) -> set[tuple[str, str]]:
    return {(p.path, p.scope) for p in section.passages}


def test_each_section_gets_its_passages_by_scope(checks):
    sections = sections_of(checks)
    assert [s.heading for s in sections] == ["Example Mini Page", "Setup", "Limits"]
    setup = sections[1]
    assert isinstance(setup, SectionSources)
    line_start, line_end, heading, passages = setup  # unpacks as a tuple
    assert heading == "Setup" and line_start < line_end
    assert all(isinstance(p, Passage) for p in passages)
    assert (SETUP, "section") in scopes(setup) and (LIMITS, "draft") in scopes(setup)
    limits = sections[2]
    assert scopes(limits) >= {(LIMITS, "section"), (SETUP, "draft")}


def test_passages_keep_the_stored_files_line_numbers(checks):
    limits = sections_of(checks)[2]
    text = (checks.ws.root / LIMITS).read_text().split("\n")
    passage = next(p for p in limits.passages if "60 requests" in p.text)
    assert "60 requests" in "\n".join(text[passage.line_start - 1:passage.line_end])


def test_each_line_of_a_stored_passage_is_the_files_line_of_that_number(checks):
    # a stored section's range starts at its heading and its text after it: a fact's line
    # is counted from the text's first line, so evidence cites the line that says it
    text = (checks.ws.root / LIMITS).read_text().split("\n")
    for section in sections_of(checks):
        for passage in section.passages:
            if passage.heading is None and passage.line_start == 1:
                continue  # the page's title and description, read from its frontmatter
            for offset, line in enumerate(passage.text.split("\n")):
                if passage.path == LIMITS:
                    assert text[passage.line_start - 1 + offset] == line, (passage, offset)


def test_a_citation_with_lines_gives_exactly_those_lines(checks):
    frontmatter = FRONTMATTER.replace(f"      - {LIMITS}\n", "      - \n")
    limits = sections_of(checks, frontmatter=frontmatter)[2]
    cited = [p for p in limits.passages if p.path == LIMITS and p.scope == "section"]
    assert [(p.line_start, p.line_end, p.text) for p in cited] == [
        (10, 10, "The API accepts 60 requests per minute for each token."),
        (12, 12, "Larger workspaces can ask support for a higher limit.")]
    assert (LIMITS, "draft") in scopes(limits)  # the rest of the cited page, a scope wider


def test_the_plan_and_the_other_drafts_give_the_project_scope(checks):
    ingest_pricing(checks)
    plan = checks.ws.root / "projects/p/plan.md"
    assert PRICING not in plan.read_text()
    sections = sections_of(checks)
    assert all((PRICING, "project") not in scopes(s) for s in sections)
    other = checks.ws.root / "projects/p/drafts/other.md"
    other.write_text(f"---\nproject: p\nsources:\n  - path: {PRICING}\n---\n\n# Other\n")
    sections = sections_of(checks)
    assert all((PRICING, "project") in scopes(s) for s in sections)


def test_a_source_that_does_not_resolve_is_left_out(checks):
    body = replace(BODY, f"{LIMITS}:10", "sources/docs.example.com/gone.md:10")
    frontmatter = FRONTMATTER.replace(f"      - {LIMITS}\n", "      - sources/nowhere.md\n")
    sections = sections_of(checks, body, frontmatter)
    paths = {p.path for s in sections for p in s.passages}
    assert paths == {SETUP, LIMITS}  # LIMITS still in the inventory; the others resolve nothing


def test_a_draft_with_broken_yaml_gets_sections_without_passages(checks):
    sections = sections_of(checks, "# Title\n\nText.\n", "sources: [unclosed\n")
    assert [s.heading for s in sections] == ["Title"]
    assert all(s.passages == () for s in sections)
