import pytest

from kurt.index.links import extract_links, replace_links
from kurt.store.documents import document_id
from kurt.writing.source_facts import SourceFacts, menu_paths
from tests.writing.conftest import make_corpus

BASE = "https://docs.example.com/"
PARTNER_PAGE = "sources/docs.example.com/ecosystem/fivetran.md"
BLOG = "sources/docs.example.com/blog/support roundup.md"
OWN = "sources/docs.example.com/guides/api keys.md"
PAGES = {
    "ecosystem/fivetran": """---
title: Fivetran
---

INGESTION

Fivetran moves data from hundreds of sources into your warehouse.

## Fivetran + Quackbase

Create an API key in **Settings > API Keys**, then paste it into Quackbase.
Read the [Fivetran documentation](https://fivetran.com/docs/getting-started).
""",
    "blog/support roundup": """---
title: Support roundup
---

## Where to get help

Fivetran users can open a ticket at [Fivetran support](https://support.fivetran.com/hc/en-us).
Our own help lives at [our help center](https://docs.example.com/help).
See also [the Fivetran blog](https://fivetran.com/blog).
""",
    "guides/api keys": """---
title: API keys
---

## Create a key

In Quackbase, open Settings > API to create a key.
""",
}


@pytest.fixture
def facts(workspace, store):
    make_corpus(workspace, store, PAGES)
    with store.transaction() as conn:
        for rel, text in PAGES.items():
            replace_links(conn, document_id(BASE + rel), extract_links(text, BASE + rel))
    return SourceFacts(workspace, store, [document_id(BASE + "guides/api keys")])


def _line(workspace, path, needle):
    lines = (workspace.root / path).read_text().split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_a_support_link_anywhere_in_the_corpus_is_the_support_url(facts, workspace):
    fact = facts.support_url("Fivetran", "support")
    assert (fact.value, fact.path) == ("https://support.fivetran.com/hc/en-us", BLOG)
    assert fact.line == _line(workspace, BLOG, "support.fivetran.com")


def test_the_docs_url_comes_from_the_partners_own_page(facts, workspace):
    fact = facts.support_url("Fivetran", "docs")
    assert (fact.value, fact.path) == ("https://fivetran.com/docs/getting-started", PARTNER_PAGE)
    assert fact.line == _line(workspace, PARTNER_PAGE, "fivetran.com/docs")


def test_without_a_support_link_the_partner_pages_own_link_stands_in(workspace, store):
    pages = {k: v for k, v in PAGES.items() if not k.startswith("blog/")}
    make_corpus(workspace, store, pages)
    with store.transaction() as conn:
        for rel, text in pages.items():
            replace_links(conn, document_id(BASE + rel), extract_links(text, BASE + rel))
    fact = SourceFacts(workspace, store, []).support_url("Fivetran", "support")
    assert (fact.value, fact.path) == ("https://fivetran.com/docs/getting-started", PARTNER_PAGE)


def test_no_link_to_the_partners_site_means_no_url(facts):
    assert facts.support_url("Airbyte", "support") is None
    assert facts.support_url("Quackbase", "support") is None  # only links to the site itself


def test_a_menu_path_comes_from_a_source_about_the_partner(facts, workspace):
    fact = facts.menu_path("Fivetran", "API")
    assert (fact.value, fact.path) == ("Settings > API Keys", PARTNER_PAGE)
    assert fact.line == _line(workspace, PARTNER_PAGE, "Settings > API Keys")


def test_a_menu_path_of_another_product_is_not_the_partners(facts):
    # the draft's own source says "Settings > API", but about Quackbase, not Airbyte
    assert facts.menu_path("Airbyte", "API") is None
    assert facts.menu_path("Fivetran", "Webhooks") is None  # no path leads there


@pytest.mark.parametrize("line,paths", [
    ("Create an API key in Settings > API Keys and store it.", [["Settings", "API Keys"]]),
    ("Go to **Settings > API keys** and copy the key.", [["Settings", "API keys"]]),
    ("Open Dashboard > Settings > API, then click New.", [["Dashboard", "Settings", "API"]]),
    ("Integrations → Fivetran → Connect", [["Integrations", "Fivetran", "Connect"]]),
    ("Use Account Settings > API Config. Then Users > Roles.",
     [["Account Settings", "API Config"], ["Users", "Roles"]]),
    ("| Settings > API | x |", [["Settings", "API"]]),
    ("latency > 100ms is bad", []),
    ("if a > b > c then", []),
])
def test_menu_paths(line, paths):
    assert menu_paths(line) == paths
