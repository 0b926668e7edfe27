import pytest

from kurt.errors import NotFound, UsageError
from kurt.writing import draft_sources, drafts, frontmatter
from tests.writing.conftest import stripe_draft

STRIPE = "sources/docs.example.com/docs/integrations/stripe.md"
PAYMENTS = "sources/docs.example.com/guides/payments.md"
BACKUPS = "sources/docs.example.com/guides/backups.md"


@pytest.fixture
def draft(corpus):
    workspace, store = corpus
    result = stripe_draft(corpus)
    path = workspace.root / result.path
    # the writer's own words and comments must survive every edit
    path.write_text(path.read_text().replace("status: outline", "status: outline  # my note")
                    + "\nMy prose. <!-- keep me -->\n")
    return workspace, store, result.path


def _plan(ws):
    return (ws.projects_dir / "launch" / "plan.md").read_text()


def test_add_source_updates_section_inventory_and_plan(draft):
    ws, store, path = draft
    before = (ws.root / path).read_text()
    result = draft_sources.add_source(ws, store, path, "troubleshooting", [BACKUPS],
                                      purpose="Restore steps")
    assert [r.path for r in result.added] == [BACKUPS]
    fm = frontmatter.read(ws.root / path)
    assert fm.data["outline"]["troubleshooting"]["sources"] == [BACKUPS]
    item = next(s for s in fm.data["sources"] if s["path"] == BACKUPS)
    assert item["purpose"] == "Restore steps" and item["document_id"]
    assert "integration-page-stripe: troubleshooting; Restore steps" in _plan(ws)
    after = (ws.root / path).read_text()
    assert after.endswith("\nMy prose. <!-- keep me -->\n")
    assert "status: outline  # my note" in after
    assert fm.body == frontmatter.parse(before).body
    # only lines of the edited keys changed: every other line is kept, in order
    kept = [line for line in before.splitlines() if line in after.splitlines()]
    assert len(kept) >= len(before.splitlines()) - 1


def test_add_source_accepts_id_url_and_is_idempotent(draft):
    ws, store, path = draft
    doc = store.query_one("SELECT id, url FROM documents WHERE content_path = ?", (BACKUPS,))
    draft_sources.add_source(ws, store, path, "use-cases", [doc["id"]])
    again = draft_sources.add_source(ws, store, path, "use-cases", [doc["url"]])
    assert again.added == [] and [r.path for r in again.already] == [BACKUPS]
    fm = frontmatter.read(ws.root / path)
    assert fm.data["outline"]["use-cases"]["sources"].count(BACKUPS) == 1
    assert [s["path"] for s in fm.data["sources"]].count(BACKUPS) == 1
    assert _plan(ws).count(f"`{doc['id']}`") == 1


def test_unknown_document_writes_nothing(draft):
    ws, store, path = draft
    before, plan = (ws.root / path).read_text(), _plan(ws)
    with pytest.raises(NotFound, match="sources/none.md"):
        draft_sources.add_source(ws, store, path, "use-cases", [BACKUPS, "sources/none.md"])
    assert (ws.root / path).read_text() == before and _plan(ws) == plan


def test_unknown_section_lists_the_sections(draft):
    ws, store, path = draft
    with pytest.raises(UsageError, match="its sections are overview, prerequisites"):
        draft_sources.add_source(ws, store, path, "nope", [BACKUPS])


def test_remove_source_clears_unused_inventory_and_plan_lines(draft):
    ws, store, path = draft
    draft_sources.add_source(ws, store, path, "troubleshooting", [BACKUPS])
    result = draft_sources.remove_source(ws, store, path, "troubleshooting", BACKUPS)
    assert result.inventory_removed == [BACKUPS]
    text = (ws.root / path).read_text()
    assert f"  troubleshooting:\n    sources: []  {drafts.NO_SOURCE}" in text
    assert BACKUPS not in text and BACKUPS not in _plan(ws)
    assert text.endswith("\nMy prose. <!-- keep me -->\n")


def test_remove_source_keeps_a_document_other_sections_use(draft):
    ws, store, path = draft
    result = draft_sources.remove_source(ws, store, path, "overview", STRIPE)
    assert result.inventory_removed == []
    fm = frontmatter.read(ws.root / path)
    assert STRIPE not in fm.data["outline"]["overview"]["sources"]
    assert STRIPE in [s["path"] for s in fm.data["sources"]]
    line = next(ln for ln in _plan(ws).splitlines() if STRIPE in ln)
    assert "overview" not in line and "prerequisites" in line


def test_remove_source_not_in_section_is_refused(draft):
    ws, store, path = draft
    with pytest.raises(UsageError, match="not a source of 'troubleshooting'"):
        draft_sources.remove_source(ws, store, path, "troubleshooting", BACKUPS)


def test_user_written_plan_lines_are_never_touched(draft):
    ws, store, path = draft
    plan = ws.projects_dir / "launch" / "plan.md"
    mine = "- `abcdef123456` sources/mine.md — integration-page-stripe: my own reasons"
    plan.write_text(plan.read_text().replace("## Research Required", f"{mine}\n\n## Research Required"))
    draft_sources.add_source(ws, store, path, "troubleshooting", [BACKUPS])
    draft_sources.remove_source(ws, store, path, "troubleshooting", BACKUPS)
    assert mine in _plan(ws)


def test_remove_source_all_clears_every_section_and_the_inventory(draft):
    ws, store, path = draft
    result = draft_sources.remove_source(ws, store, path, "all", STRIPE)
    assert result.section == "all" and result.inventory_removed == [STRIPE]
    fm = frontmatter.read(ws.root / path)
    assert all(STRIPE not in e["sources"] for e in fm.data["outline"].values())
    assert STRIPE not in [s["path"] for s in fm.data["sources"]]
    assert STRIPE not in _plan(ws)
    assert (ws.root / path).read_text().endswith("\nMy prose. <!-- keep me -->\n")


def test_remove_source_all_drops_a_source_only_the_inventory_lists(corpus):
    from kurt.writing import projects
    from tests.writing.conftest import OWN_PAGES, make_corpus

    ws, store = corpus
    make_corpus(ws, store, OWN_PAGES)
    pricing = "sources/docs.example.com/guides/pricing.md"
    projects.add_sources(ws, store, "launch", [pricing], "pricing facts")
    path = stripe_draft(corpus).path
    assert pricing in [s["path"] for s in frontmatter.read(ws.root / path).data["sources"]]
    with pytest.raises(UsageError, match="not a source of 'overview'"):
        draft_sources.remove_source(ws, store, path, "overview", pricing)
    result = draft_sources.remove_source(ws, store, path, "all", pricing)
    assert result.inventory_removed == [pricing]
    assert pricing not in [s["path"] for s in frontmatter.read(ws.root / path).data["sources"]]


def test_remove_source_all_refuses_a_document_the_draft_does_not_list(draft):
    ws, store, path = draft
    with pytest.raises(UsageError, match="not a source of projects/launch/drafts/"):
        draft_sources.remove_source(ws, store, path, "all", BACKUPS)
