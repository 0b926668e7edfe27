"""Shared by the writing tests: a small corpus of stored pages and a Stripe draft over it."""

import pytest

from kurt.index.sections import replace_sections, split_sections
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.writing import drafts, projects

PAGES = {
    "docs/integrations/stripe": """---
title: Stripe Provisioning
---

Railway is a provider in the Stripe marketplace.

## Prerequisites

Before starting you need a Stripe account and the Stripe CLI installed.

## Setup

Step by step configuration: run stripe projects init, then stripe projects add railway/postgres.
""",
    "guides/payments": """---
title: Payments backend
---

## Webhooks

Receive Stripe webhooks on a Railway service and verify each signature before starting work.
""",
    "guides/backups": """---
title: Postgres backups
---

## Restore

Restore a Postgres backup step by step from the dashboard.
""",
}


OWN_PAGES = {
    "guides/cli": """---
title: Railway CLI
---

## Install and configure

Install the Railway CLI, then run railway link for step-by-step configuration of your project.
""",
    "guides/pricing": """---
title: Pricing
---

## Plans

The hobby plan costs five dollars a month per seat, billed monthly.
""",
}


def make_corpus(workspace, store, pages=PAGES):
    """Store pages as FETCHED documents with their sections indexed (real rows, real FTS)."""
    base = "https://docs.example.com/"
    add_discovered(store, [Discovered(url=base + p, domain="docs.example.com") for p in pages])
    for rel, text in pages.items():
        path = f"sources/docs.example.com/{rel}.md"
        (workspace.root / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace.root / path).write_text(text)
        title = text.split("title: ", 1)[1].split("\n", 1)[0]
        doc = document_id(base + rel)
        update_document(store, doc, status="FETCHED", content_path=path, title=title,
                        content_hash="h-" + rel)
        with store.transaction() as conn:
            replace_sections(conn, doc, split_sections(text, title=title))


@pytest.fixture
def corpus(workspace, store):
    make_corpus(workspace, store)
    projects.create_project(workspace, "launch", "Integration pages")
    return workspace, store


def stripe_draft(corpus, **options) -> drafts.DraftResult:
    """``kurt draft new launch --template integration-page --name stripe --var partner=Stripe``."""
    workspace, store = corpus
    return drafts.new_draft(workspace, store, "launch", "integration-page", "stripe",
                            {"partner": "Stripe"}, **options)


# -- boilerplate and copies (kurt.index.boilerplate, kurt.index.duplicates) --------------------

NOTICE = "Start your free trial today and see how easy your analytics can be."


def site_with_chrome(ws, store, n: int = 8):
    """``n`` integration pages that end with the same call to action, and a folder copy of one."""
    import hashlib

    from kurt.index.pipeline import index_documents
    from kurt.store.documents import Discovered, add_discovered, document_id, update_document

    def put(url, domain, path, body, title):
        add_discovered(store, [Discovered(url=url, domain=domain)])
        (ws.root / path).parent.mkdir(parents=True, exist_ok=True)
        (ws.root / path).write_text(f"---\nurl: {url}\ntitle: {title}\n---\n\n{body}\n", encoding="utf-8")
        update_document(store, document_id(url), status="FETCHED", title=title, content_path=path,
                        content_hash=hashlib.sha256(body.encode()).hexdigest())
        return document_id(url)

    names = ["Kestrel", "Marmot", "Heron", "Otter", "Badger", "Lynx", "Puffin", "Walrus"][:n]
    ids = []
    for name in names:
        body = (f"# {name} integration\n\nConnect {name} to your warehouse in a few minutes."
                f" {name} sends every event as it happens. You pick the tables {name} writes to."
                f" Each sync of {name} is logged with its row count. You can pause {name} at any time."
                f" Errors from {name} show up in the activity feed.\n\n## Set up {name}\n\n"
                f"Create a token, paste it into {name}, and choose a schedule for {name}.\n\n"
                f"### Ready to try it?\n\n{NOTICE}")
        ids.append(put(f"https://x.com/integrations/{name.lower()}", "x.com",
                       f"sources/x.com/integrations/{name.lower()}.md", body, f"{name} integration"))
        if name == "Kestrel":
            put("file:///export/kestrel.md", "local", "sources/local/export/kestrel.md",
                body.replace(f"\n\n### Ready to try it?\n\n{NOTICE}", ""), "Kestrel integration")
    index_documents(ws, store)
    return ids
