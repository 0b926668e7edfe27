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
