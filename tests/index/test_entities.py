"""Entity matching: aliases, case rules, plurals, significance of topics; quality on railway."""

from __future__ import annotations

import pytest

from kurt.index.entities import extract_entities, find_terms, url_topics
from kurt.index.sections import split_sections
from kurt.index.vocabulary import builtin_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return builtin_vocabulary().compile()


def names(vocab, text):
    return sorted({vocab.terms[i].name for i in find_terms(vocab, text)})


@pytest.mark.parametrize("text, expected", [
    ("We use Postgres and postgresql.", ["PostgreSQL"]),
    ("Run it on k8s or Kubernetes", ["Kubernetes"]),
    ("Built with Node, NodeJS and Node.js", ["Node.js"]),
    ("A Spring Boot service", ["Spring Boot"]),
    ("Written in Go with Gin.", ["Gin", "Go"]),
    ("Go to the dashboard and click Deploy.", ["deployment"]),
    ("Rust is fast", []),  # first word of a sentence: still Rust (case-sensitive, not sentence-bound)
    ("the rust on the car", []),
    ("An Express server", ["Express"]),
    ("Express your ideas", []),
    ("Ruby on Rails and Rails apps", ["Ruby on Rails"]),
    ("guard rails", []),
    ("The CLI supports Docker images.", ["CLI", "Docker"]),  # "supports" is a verb, not the topic
    ("Contact support if the build fails.", ["build", "support"]),
    ("Open the template composer.", ["templates"]),  # not PHP's Composer
    ("Install the packages with Composer.", ["Composer"]),
])
def test_matching_rules(vocab, text, expected):
    if text == "Rust is fast":
        expected = ["Rust"]
    assert names(vocab, text) == expected


def test_plural_topics_match_their_singular(vocab):
    assert names(vocab, "Webhooks and databases") == ["database", "webhook"]


def test_link_targets_and_fence_languages_are_not_mentions(vocab):
    doc = "---\ntitle: X\n---\n\nSee [the guide](https://example.com/redis/postgres).\n\n```python\nprint(1)\n```\n"
    hits = extract_entities(vocab, url="https://x.com/a", title="X", sections=split_sections(doc))
    assert [h.name for h in hits] == []


def test_url_segments_give_topics(vocab):
    found = {vocab.terms[i].name for i in url_topics(vocab, "https://x.com/docs/integrations/private-networking")}
    assert found == {"integration", "networking"}


def test_weak_topics_are_dropped_and_strong_ones_kept(vocab):
    doc = ("# Title\n\nWe mention security once.\n\n## Billing\n\nInvoices, invoices and more invoices.\n")
    hits = {h.name: h for h in extract_entities(vocab, url="https://x.com/p", title="Title",
                                                sections=split_sections(doc))}
    assert "security" not in hits
    assert hits["billing"].mentions == 4


def test_mentions_are_counted_per_section(vocab):
    doc = "# T\n\nRedis here.\n\n## Cache\n\nRedis and Redis again.\n"
    sections = split_sections(doc)
    hit = next(h for h in extract_entities(vocab, url="https://x.com/p", title="T", sections=sections)
               if h.name == "Redis")
    assert hit.mentions == 3
    assert sorted(hit.sections.values()) == [1, 2]


def test_guide_naming_a_third_party_service_is_about_integration(vocab):
    doc = "# Set Up a Datadog Agent\n\nSteps.\n"
    hits = extract_entities(vocab, url="https://x.com/guides/datadog", title="Set Up a Datadog Agent",
                            sections=split_sections(doc))
    assert ("Topic", "integration") in {(h.type, h.key) for h in hits}


def test_framework_guide_is_not_an_integration(vocab):
    doc = "# Deploy a Django App\n\nDjango with Postgres.\n"
    hits = extract_entities(vocab, url="https://x.com/guides/django", title="Deploy a Django App",
                            sections=split_sections(doc))
    assert ("Topic", "integration") not in {(h.type, h.key) for h in hits}


# -- quality on the railway corpus ---------------------------------------------------------

def _urls(store, spec):
    from kurt.store.filters import DocumentFilter, select_documents

    return {d.url.removeprefix("https://docs.railway.com/")
            for d in select_documents(store, DocumentFilter(with_entities=[spec]))}


def test_topic_integration_returns_integration_pages_and_guides(railway_workspace, railway_corpus):
    store = railway_workspace.open_store()
    found = _urls(store, "Topic:integration")
    pages = {p.relative_to(railway_corpus).with_suffix("").as_posix()
             for p in (railway_corpus / "docs" / "integrations").rglob("*.md")} | {"docs/integrations"}
    guides = {f"guides/{p.stem}" for p in (railway_corpus / "guides").glob("*.md")
              if "\ntopic: integrations\n" in p.read_text(encoding="utf-8")}
    frameworks = {f"guides/{p.stem}" for p in (railway_corpus / "guides").glob("*.md")
                  if "\ntopic: frameworks\n" in p.read_text(encoding="utf-8")}
    assert pages <= found
    assert len(guides & found) / len(guides) >= 0.85
    assert len(frameworks & found) / len(frameworks) <= 0.1


def test_technologies_are_real_and_normalized(railway_workspace):
    from kurt.index.entities import list_entities

    store = railway_workspace.open_store()
    techs = {e.name: e.documents for e in list_entities(store, "Technology")}
    for expected in ("PostgreSQL", "Redis", "Docker", "Node.js", "Python", "MySQL", "Django"):
        assert expected in techs
    assert "Postgres" not in techs and "postgres" not in techs
    stop_words = {"the", "and", "to", "next", "a", "with", "app", "use", "this", "data"}
    all_names = {e.name.lower() for e in list_entities(store)}
    assert not (all_names & stop_words)


def test_alias_finds_the_canonical_entity(railway_workspace):
    store = railway_workspace.open_store()
    assert _urls(store, "Technology:Postgres") == _urls(store, "Technology:PostgreSQL")
    assert _urls(store, "Technology:Postgres")


# -- topics weighted by place and share ------------------------------------------------------

def _topics(vocab, doc, title="Streamkeep", url="https://x.com/ecosystem/streamkeep"):
    return {h.key for h in extract_entities(vocab, url=url, title=title, sections=split_sections(doc))
            if h.type == "Topic"}


def test_a_short_page_that_says_it_in_its_lead_is_about_the_topic(vocab):
    doc = ("# Streamkeep\n\nStreamkeep integrates with Quackbase Cloud to load data from SaaS apps.\n\n"
           "## Set up\n\nPaste a token and the integration is ready in minutes.\n")
    assert "integration" in _topics(vocab, doc)


def test_one_mention_in_the_lead_is_not_enough(vocab):
    doc = "# Streamkeep\n\nStreamkeep integrates with Quackbase Cloud.\n\n## Set up\n\nPaste a token.\n"
    assert "integration" not in _topics(vocab, doc)


def test_a_long_page_that_says_it_in_passing_is_not_about_it(vocab):
    filler = " ".join(["The nightly job rewrote the query plan and the analysts measured it again."] * 40)
    doc = (f"# This week in data\n\n{filler}\n\n## Ecosystem news\n\nThe Streamkeep integration now supports "
           f"incremental models.\n\n## More\n\n{filler} One more integration shipped. And another integration.\n")
    assert "integration" not in _topics(vocab, doc, title="This week in data #3", url="https://x.com/newsletter/3")


def test_the_same_mentions_weigh_more_in_the_lead_than_at_the_end(vocab):
    filler = " ".join(["The team measured the scan again before lunch."] * 12)
    lead = f"# Notes\n\nWe ship an integration and a second integration.\n\n{filler}\n"
    tail = f"# Notes\n\n{filler}\n\nWe ship an integration and a second integration.\n"
    assert "integration" in _topics(vocab, lead, title="Notes", url="https://x.com/n")
    assert "integration" not in _topics(vocab, tail, title="Notes", url="https://x.com/n")
