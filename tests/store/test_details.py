"""Document details for ``kurt content get``: outline, entities, links, clusters, content."""

from __future__ import annotations

import pytest
from index import build_sections

from kurt.errors import NotFound, UsageError
from kurt.index.links import Link, replace_links
from kurt.index.sections import Section
from kurt.store.details import _outline, document_details, document_links, read_content
from kurt.store.documents import Discovered, add_discovered, document_id, update_document

OAUTH = "https://docs.railway.com/docs/integrations/oauth"


@pytest.fixture(scope="module")
def railway(railway_workspace_template):
    build_sections(railway_workspace_template)
    store = railway_workspace_template.open_store()
    yield railway_workspace_template, store
    store.close()


def test_outline_lists_headings_with_their_lines(railway):
    ws, store = railway
    details = document_details(store, OAUTH, ws.root)
    assert [e.heading for e in details.outline] == [
        "Use cases", "OIDC configuration", "Getting started", "API access"]
    lines = read_content(store, details.document, ws.root).split("\n")
    assert lines[details.outline[1].line_start - 1] == "## OIDC configuration"
    assert details.sections == 5


def test_links_out_resolve_to_ingested_documents(railway):
    ws, store = railway
    details = document_details(store, "https://docs.railway.com/guides/nextjs", ws.root)
    targets = {link.url: link for link in details.links_out}
    assert "https://nextjs.org/" in targets and targets["https://nextjs.org/"].document_id is None
    deploy = targets["https://docs.railway.com/guides/fullstack-nextjs"]
    assert deploy.document_id == document_id("https://docs.railway.com/guides/fullstack-nextjs")


def test_links_in_come_from_other_documents(railway):
    ws, store = railway
    _, links = document_links(store, "https://docs.railway.com/guides/fullstack-nextjs", ws.root, "in")
    assert links and all(link.direction == "in" and link.document_id for link in links)
    assert "https://docs.railway.com/guides/nextjs" in {link.url for link in links}


def test_document_is_found_by_path_and_id(railway):
    ws, store = railway
    by_url = document_details(store, OAUTH, ws.root).document
    by_path = document_details(store, by_url.content_path, ws.root).document
    by_prefix = document_details(store, by_url.id[:8], ws.root).document
    assert by_url.id == by_path.id == by_prefix.id


def test_with_content_reads_the_stored_markdown(railway):
    ws, store = railway
    details = document_details(store, OAUTH, ws.root, with_content=True)
    assert details.content.startswith("---\n") and "## OIDC configuration" in details.content


def test_unknown_document_is_not_found(railway):
    ws, store = railway
    with pytest.raises(NotFound):
        document_details(store, "https://nowhere.test/x", ws.root)


def test_unknown_direction_is_a_usage_error(railway):
    ws, store = railway
    with pytest.raises(UsageError):
        document_links(store, OAUTH, ws.root, "sideways")


def _doc(store, url, **cols):
    add_discovered(store, [Discovered(url=url, domain="x.test")])
    update_document(store, document_id(url), **cols) if cols else None
    return document_id(url)


def test_entities_and_clusters_are_listed_with_counts(workspace, store):
    doc = _doc(store, "https://x.test/a")
    with store.transaction() as conn:
        conn.execute("INSERT INTO entities (id, type, name, key) VALUES (1, 'Technology', 'Redis', 'redis'),"
                     " (2, 'Topic', 'caching', 'caching')")
        conn.execute("INSERT INTO document_entities (document_id, entity_id, mentions) VALUES (?, 1, 7), (?, 2, 3)",
                     (doc, doc))
        conn.execute("INSERT INTO clusters (id, name, created_at) VALUES (4, 'data', 'now')")
        conn.execute("INSERT INTO document_clusters (document_id, cluster_id, score) VALUES (?, 4, 0.9)", (doc,))
    details = document_details(store, doc, workspace.root)
    assert [(e.type, e.name, e.mentions) for e in details.entities] == [
        ("Technology", "Redis", 7), ("Topic", "caching", 3)]
    assert [(c.id, c.name) for c in details.clusters] == [(4, "data")]


def test_unresolved_links_naming_the_url_count_as_links_in(workspace, store):
    a = _doc(store, "https://x.test/a")
    b = _doc(store, "https://x.test/b/")
    with store.transaction() as conn:
        replace_links(conn, a, [Link("https://x.test/b", "to b")])
        conn.execute("UPDATE links SET target_id = NULL")
    _, links = document_links(store, b, workspace.root, "in")
    assert [(link.url, link.anchor) for link in links] == [("https://x.test/a", "to b")]


def test_content_of_an_unfetched_document_is_not_found(workspace, store):
    doc = _doc(store, "https://x.test/a")
    with pytest.raises(NotFound, match="kurt content fetch"):
        document_details(store, doc, workspace.root, with_content=True)


def test_a_missing_content_file_is_not_found(workspace, store):
    doc = _doc(store, "https://x.test/a", status="FETCHED", content_path="sources/x.test/a.md")
    with pytest.raises(NotFound, match="missing"):
        document_details(store, doc, workspace.root, with_content=True)


def test_outline_extends_a_heading_over_its_continuation_passages():
    rows = [dict(heading=s.heading, heading_path=s.heading_path, level=s.level,
                 line_start=s.line_start, line_end=s.line_end) for s in [
        Section(0, None, "T", 0, 1, 2, "intro"),
        Section(1, "Long", "T > Long", 2, 4, 20, "a"),
        Section(2, None, "T > Long", 2, 22, 40, "b"),
        Section(3, "Next", "T > Next", 2, 42, 44, "c"),
    ]]
    assert [(e.heading, e.line_start, e.line_end) for e in _outline(rows)] == [
        ("Long", 4, 40), ("Next", 42, 44)]
