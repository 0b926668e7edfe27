import pytest

from kurt.errors import UsageError
from kurt.index.sections import replace_sections, split_sections
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.writing import drafts, evidence, projects, queries

STRIPE = """---
title: Stripe Provisioning
---

Railway is a provider in the Stripe marketplace.

## Prerequisites

Before starting you need a Stripe account and the Stripe CLI installed.

## Setup

Step by step configuration: run stripe projects init, then stripe projects add railway/postgres.

```bash
stripe projects init
```
"""


def add_page(workspace, store, rel, text, *, index=True):
    url = "https://docs.example.com/" + rel
    add_discovered(store, [Discovered(url=url, domain="docs.example.com")])
    path = f"sources/docs.example.com/{rel}.md"
    (workspace.root / path).parent.mkdir(parents=True, exist_ok=True)
    (workspace.root / path).write_text(text)
    doc = document_id(url)
    update_document(store, doc, status="FETCHED", content_path=path, title="Stripe Provisioning",
                    content_hash="sha-" + rel)
    if index:
        with store.transaction() as conn:
            replace_sections(conn, doc, split_sections(text, title="Stripe Provisioning"))
    return doc, path


@pytest.fixture
def draft(workspace, store):
    doc, path = add_page(workspace, store, "docs/integrations/stripe", STRIPE)
    projects.create_project(workspace, "launch", "Integration pages")
    result = drafts.new_draft(workspace, store, "launch", "integration-page", "stripe",
                              {"partner": "Stripe"})
    return result.path, doc, path


@pytest.mark.parametrize("texts,terms", [
    (("setup-guide", "step-by-step configuration"), ["setup", "guide", "step", "configuration"]),
    (("what users need before starting", "Stripe"), ["users", "need", "starting", "stripe"]),
    (("Node.js and the API", "node.js"), ["node.js", "api"]),
])
def test_query_terms(texts, terms):
    assert queries.query_terms(*texts) == terms


def test_build_query_drops_operators_and_punctuation():
    assert queries.build_query(["node.js", "or", "c++"]) == "nodejs c"


def test_evidence_quotes_passages_verbatim_with_their_origin(workspace, store, draft):
    draft_path, doc, source_path = draft
    result = evidence.gather_evidence(workspace, store, draft_path)
    assert result.path == "projects/launch/research/integration-page-stripe-evidence.md"
    setup = next(s for s in result.sections if s.key == "setup-guide")
    assert setup.method == "search" and setup.passages
    lines = (workspace.root / source_path).read_text().split("\n")
    for section in result.sections:
        for p in section.passages:
            assert p.document_id == doc and p.content_hash == "sha-docs/integrations/stripe"
            assert p.text == "\n".join(lines[p.line_start - 1:p.line_end])
    assert any("stripe projects init" in p.text for p in setup.passages)
    written = (workspace.root / result.path).read_text()
    assert "> Step by step configuration: run stripe projects init" in written
    assert f"`{doc}`" in written and "https://docs.example.com/docs/integrations/stripe" in written
    assert "Stripe Provisioning > Setup" in written


def test_evidence_falls_back_to_the_files_when_the_index_is_empty(workspace, store, draft):
    draft_path, doc, source_path = draft
    with store.transaction() as conn:
        conn.execute("DELETE FROM sections")
    result = evidence.gather_evidence(workspace, store, draft_path, per_section=1)
    prereq = next(s for s in result.sections if s.key == "prerequisites")
    assert prereq.method == "fallback"
    assert "Before starting you need a Stripe account" in prereq.passages[0].text
    lines = (workspace.root / source_path).read_text().split("\n")
    p = prereq.passages[0]
    assert p.text == "\n".join(lines[p.line_start - 1:p.line_end])


def test_sections_without_sources_say_what_to_do(workspace, store, draft):
    draft_path, _, _ = draft
    result = evidence.gather_evidence(workspace, store, draft_path)
    empty = [s for s in result.sections if not s.sources]
    assert empty and all(s.method == "none" for s in empty)
    assert "No passages: add sources" in (workspace.root / result.path).read_text()


def test_sources_not_in_the_store_are_reported(workspace, store, draft):
    draft_path, _, _ = draft
    path = workspace.root / draft_path
    path.write_text(path.read_text().replace(
        "  troubleshooting:\n    sources: []", "  troubleshooting:\n    sources: [sources/gone.md]"))
    result = evidence.gather_evidence(workspace, store, draft_path)
    trouble = next(s for s in result.sections if s.key == "troubleshooting")
    assert trouble.missing_sources == ["sources/gone.md"]


def test_long_passages_are_cut_without_leaving_a_code_fence_open(workspace, store):
    body = "\n".join(f"line {i} about setup" for i in range(40))
    text = f"---\ntitle: Long\n---\n\n## Setup\n\n{body}\n\n```bash\necho hi\n```\n"
    doc, _ = add_page(workspace, store, "long", text)
    from kurt.store.documents import get_document

    passage = evidence.quote(workspace, store, get_document(store, doc), "Long > Setup", 5, 50)
    assert passage.truncated and passage.text.count("```") % 2 == 0
    assert passage.line_end - passage.line_start + 1 <= evidence.MAX_QUOTE_LINES


def test_per_section_must_be_positive(workspace, store, draft):
    with pytest.raises(UsageError):
        evidence.gather_evidence(workspace, store, draft[0], per_section=0)


def test_a_one_line_passage_is_cited_as_one_line(workspace, store, draft):
    draft_path, doc, source_path = draft
    result = evidence.gather_evidence(workspace, store, draft_path)
    single = [p for s in result.sections for p in s.passages if p.line_start == p.line_end]
    assert single, "the corpus has a one-line opening passage"
    written = (workspace.root / result.path).read_text()
    n = single[0].line_start
    assert f"- Source: `{source_path}` line {n}\n" in written
    assert f"<!-- Source: {source_path}:{n} -->" in written
    assert f"lines {n}-{n}" not in written and f":{n}-{n} " not in written


def test_a_documents_passages_for_evidence_leave_boilerplate_out(workspace, store):
    import hashlib

    from kurt.index.pipeline import index_documents
    from kurt.store.documents import get_document

    banner = "Join us at DataConf 2026, register now."
    for n in range(6):
        url = f"https://x.com/p{n}"
        body = f"{banner}\n\n# Page {n}\n\nThe page {n} explains the setup of feature {n} in detail."
        add_discovered(store, [Discovered(url=url, domain="x.com")])
        (workspace.root / f"sources/x.com/p{n}.md").parent.mkdir(parents=True, exist_ok=True)
        (workspace.root / f"sources/x.com/p{n}.md").write_text(f"---\nurl: {url}\n---\n\n{body}\n")
        update_document(store, document_id(url), status="FETCHED", title=f"Page {n}",
                        content_path=f"sources/x.com/p{n}.md",
                        content_hash=hashlib.sha256(body.encode()).hexdigest())
    index_documents(workspace, store)
    doc = get_document(store, document_id("https://x.com/p2"), workspace.root)
    bodies = [s["body"] for s in evidence.document_sections(workspace, store, doc)]
    assert bodies and not any("DataConf" in b for b in bodies)
    assert any("feature 2" in b for b in bodies)


def test_a_quote_leaves_out_a_call_to_action_ending_a_content_passage(workspace, store):
    """A site's call to action written into the last passage of each page (not a passage of
    its own, so not flagged) is no part of the quote, nor of its line range; a heading every
    page shares stays (issue 8)."""
    import hashlib

    from kurt.index.pipeline import index_documents
    from kurt.store.documents import get_document

    cta = "Ready to route incidents smarter? Start your free trial of Relay today."
    for n in range(6):
        url = f"https://y.com/apps/p{n}"
        body = (f"# Partner {n}\n\nPartner {n} sends events to Relay.\n\n## Set it up\n\n"
                f"Open Admin > Tokens in Partner {n}, create a token with the events:read scope, then paste"
                f" it into Relay under Connections > Partner {n} and send a test event.\n\n{cta}")
        add_discovered(store, [Discovered(url=url, domain="y.com")])
        (workspace.root / f"sources/y.com/p{n}.md").parent.mkdir(parents=True, exist_ok=True)
        (workspace.root / f"sources/y.com/p{n}.md").write_text(f"---\nurl: {url}\n---\n\n{body}\n")
        update_document(store, document_id(url), status="FETCHED", title=f"Partner {n}",
                        content_path=f"sources/y.com/p{n}.md",
                        content_hash=hashlib.sha256(body.encode()).hexdigest())
    index_documents(workspace, store)
    doc = get_document(store, document_id("https://y.com/apps/p2"), workspace.root)
    setup = next(s for s in evidence.document_sections(workspace, store, doc) if "Set it up" in s["heading_path"])
    assert cta in setup["body"]  # in the passage: the index keeps it (one line of three)
    passage = evidence.quote(workspace, store, doc, setup["heading_path"], setup["line_start"],
                             setup["line_end"], setup["body"])
    assert passage.text.startswith("## Set it up\n\nOpen Admin > Tokens in Partner 2,")
    assert passage.text.endswith("send a test event.") and "trial" not in passage.text
    lines = (workspace.root / doc.content_path).read_text().split("\n")
    assert lines[passage.line_end - 1].endswith("send a test event.")
