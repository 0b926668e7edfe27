"""kurt.writing.source_proposal: the sources a new draft's outline sections start from."""

from kurt.writing import drafts, frontmatter, projects
from tests.writing.conftest import OWN_PAGES, PAGES, make_corpus, site_with_chrome, stripe_draft


def test_proposed_sources_come_from_the_partner_pages(corpus):
    ws, _ = corpus
    result = stripe_draft(corpus)
    outline = frontmatter.read(ws.root / result.path).data["outline"]
    stripe = "sources/docs.example.com/docs/integrations/stripe.md"
    assert outline["overview"]["sources"][0] == stripe
    assert outline["prerequisites"]["sources"][0] == stripe
    assert stripe in outline["setup-guide"]["sources"]
    # the backups page never mentions Stripe, so it is never proposed
    assert all("backups" not in p for e in outline.values() for p in e["sources"])
    inventory = frontmatter.read(ws.root / result.path).data["sources"]
    assert {s["path"] for s in inventory} == {p for e in outline.values() for p in e["sources"]}
    assert all(s["document_id"] and s["url"].startswith("https://") for s in inventory)


def test_no_document_mentioning_the_variable_gives_a_warning(corpus):
    ws, store = corpus
    result = drafts.new_draft(ws, store, "launch", "integration-page", "zapier", {"partner": "Zapier"})
    assert result.sources == [] and result.warnings


def test_weak_mentions_in_other_documents_are_not_proposed(workspace, store):
    pages = dict(PAGES)
    pages["guides/bounties"] = """---
title: Bounties
---

## Withdraw earnings

Set up your payout account before starting: connect Stripe and withdraw step by step.
"""
    make_corpus(workspace, store, pages)
    projects.create_project(workspace, "launch", "Integration pages")
    result = stripe_draft((workspace, store))
    proposed = {p for e in result.outline for p in e.sources}
    assert not any("bounties" in p for p in proposed)  # one passing mention is not enough
    assert any("payments" not in p for p in proposed)


def test_project_sources_are_proposed_first_and_all_inventoried(corpus):
    workspace, store = corpus
    make_corpus(workspace, store, OWN_PAGES)
    cli = "sources/docs.example.com/guides/cli.md"
    pricing = "sources/docs.example.com/guides/pricing.md"
    projects.add_sources(workspace, store, "launch", [cli], "CLI setup steps")
    projects.add_sources(workspace, store, "launch", [pricing], "pricing facts")
    result = stripe_draft(corpus)
    by_key = {e.key: e.sources for e in result.outline}
    # the CLI page never names Stripe: only the project's record makes it a source, and first
    assert by_key["setup-guide"][0] == cli
    assert all(pricing not in sources for sources in by_key.values())
    data = frontmatter.read(workspace.root / result.path).data
    inventory = {item["path"]: item["purpose"] for item in data["sources"]}
    assert inventory[pricing] == "pricing facts"
    assert inventory[cli].startswith("CLI setup steps (for ") and "setup-guide" in inventory[cli]
    plan = (workspace.projects_dir / "launch" / "plan.md").read_text()
    assert plan.count("guides/cli.md") == 1 and plan.count("guides/pricing.md") == 1


def test_without_project_sources_the_corpus_alone_is_used(corpus):
    workspace, store = corpus
    make_corpus(workspace, store, OWN_PAGES)
    result = stripe_draft(corpus)
    assert all("guides/cli.md" not in s.path for s in result.sources)


def test_a_page_and_its_folder_copy_are_not_both_proposed(workspace, store):
    site_with_chrome(workspace, store)
    projects.create_project(workspace, "launch", "Integration pages")
    result = drafts.new_draft(workspace, store, "launch", "integration-page", "kestrel",
                              {"partner": "Kestrel"})
    paths = {s.path for s in result.sources}
    assert "sources/x.com/integrations/kestrel.md" in paths or "sources/local/export/kestrel.md" in paths
    assert not {"sources/x.com/integrations/kestrel.md", "sources/local/export/kestrel.md"} <= paths
