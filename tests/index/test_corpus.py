"""The corpus pass on a real SQLite store: directories of integrations and discovered names.

The site is ``variant_site`` (Nimbus): partners under ``/tools/`` in a layout
unlike the generated company site's, beside look-alike directories that are
no integrations.
"""

from __future__ import annotations

import hashlib

import pytest

from kurt.index.pipeline import index_documents
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.store.filters import DocumentFilter, select_documents
from tests.index.variant_site import PARTNERS, PEOPLE, partner_path, variant_pages

BASE = "https://nimbus.test"


def put(ws, store, path, markdown, *, author=None):
    url = BASE + path
    add_discovered(store, [Discovered(url=url, domain="nimbus.test")])
    title = markdown.split("\n", 1)[0].lstrip("# ").strip()
    rel = f"sources/nimbus.test{path.rstrip('/') or '/index'}.md"
    if path.endswith("/") and path != "/":
        rel = f"sources/nimbus.test{path}index.md"
    (ws.root / rel).parent.mkdir(parents=True, exist_ok=True)
    (ws.root / rel).write_text(f"---\nurl: {url}\ntitle: {title}\n---\n\n{markdown}", encoding="utf-8")
    update_document(store, document_id(url), status="FETCHED", title=title, content_path=rel, author=author,
                    content_hash=hashlib.sha256(markdown.encode()).hexdigest())
    return document_id(url)


@pytest.fixture
def nimbus(workspace, store):
    for path, markdown in variant_pages().items():
        put(workspace, store, path, markdown, author="Maya Lindgren" if path.startswith("/blog/") else None)
    index_documents(workspace, store)
    return workspace, store


def urls(store, **flt):
    return {d.url.removeprefix(BASE) for d in select_documents(store, DocumentFilter(**flt))}


def test_partner_pages_of_an_unnamed_directory_are_integration_pages(nimbus):
    _, store = nimbus
    partners = {partner_path(p) for p in PARTNERS}
    assert urls(store, content_types=["integration"]) == partners
    assert partners <= urls(store, with_entities=["Topic:integration"])


def test_topic_integration_is_not_given_to_look_alike_directories(nimbus):
    _, store = nimbus
    tagged = urls(store, with_entities=["Topic:integration"])
    assert not {u for u in tagged if u.startswith(("/team/", "/glossary/", "/blog/"))}
    row = store.query_one("SELECT integration, evidence FROM directory_shapes WHERE directory = ?",
                          ("nimbus.test/tools/",))
    assert row[0] == 1 and "link to their own domain" in row[1]


def test_every_partner_is_a_company_that_finds_its_page(nimbus):
    _, store = nimbus
    missed = [name for name in PARTNERS if partner_path(name) not in urls(store, with_entities=[f"Company:{name}"])]
    assert missed == []


def test_partners_named_in_passing_find_those_pages_too(nimbus):
    _, store = nimbus
    found = urls(store, with_entities=["Company:Orbitly"])
    assert "/features/live-tail" in found and any(u.startswith("/blog/") for u in found)


def test_a_technology_is_found_from_what_follows_its_name(nimbus):
    from kurt.index.entities import list_entities

    _, store = nimbus
    techs = {e.name for e in list_entities(store, "Technology")}
    assert "Avrotic" in techs


def test_people_features_and_chrome_are_not_entities(nimbus):
    from kurt.index.entities import list_entities

    _, store = nimbus
    names = {e.name for e in list_entities(store)}
    assert not names & set(PEOPLE)
    assert not names & {"Live Tail", "Audit Trails", "Nimbus Cloud", "Nimbus", "Dublin", "March"}


def test_reindexing_one_page_keeps_the_corpus_entities(nimbus):
    ws, store = nimbus
    before = urls(store, with_entities=["Company:Orbitly"])
    put(ws, store, partner_path("Orbitly"), variant_pages()[partner_path("Orbitly")] + "\nUpdated.\n")
    report = index_documents(ws, store)
    assert report.indexed == 1
    assert urls(store, with_entities=["Company:Orbitly"]) == before
    assert partner_path("Orbitly") in urls(store, content_types=["integration"])


def test_a_directory_that_stops_being_one_gives_its_pages_their_own_type_back(nimbus):
    """Four partner pages left are no directory: they are typed and tagged as pages alone."""
    ws, store = nimbus
    from kurt.store.delete import delete_documents

    doomed = [document_id(BASE + partner_path(p)) for p in PARTNERS[4:]]
    delete_documents(store, ws.root, DocumentFilter(ids=doomed))
    assert not urls(store, content_types=["integration"]) & {partner_path(p) for p in PARTNERS[:4]}
    assert not urls(store, with_entities=[f"Company:{PARTNERS[1]}"])


def test_a_word_also_written_in_lowercase_is_no_entity_a_name_is(workspace, store):
    for k in range(4):
        put(workspace, store, f"/notes/{k}",
            f"# Note {k}\n\nThe nightly job wrote Vaultine files and pushed the Image files to the bucket.\n\n"
            "Every image is small, and the image cache keeps images warm.\n")
    index_documents(workspace, store)
    from kurt.index.entities import list_entities

    found = {(e.type, e.name) for e in list_entities(store)}
    assert ("Technology", "Vaultine") in found
    assert not {name for _, name in found} & {"Image", "Note"}


def test_a_page_added_later_gets_the_names_the_corpus_knows(nimbus):
    ws, store = nimbus
    put(ws, store, "/blog/later", "# Later notes\n\nWe now send every alert to Tarnwick and nobody misses one.\n")
    index_documents(ws, store)
    assert "/blog/later" in urls(store, with_entities=["Company:Tarnwick"])
    again = index_documents(ws, store)  # nothing changed: the corpus pass has nothing to do
    assert again.indexed == 0 and "/blog/later" in urls(store, with_entities=["Company:Tarnwick"])
