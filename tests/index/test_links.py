"""Extracting links from stored markdown and resolving them to ingested documents."""

from __future__ import annotations

import pytest

from kurt.index.links import (
    Link,
    extract_links,
    normalize_url,
    replace_links,
    resolve_pending_links,
)
from kurt.store.documents import Discovered, add_discovered, document_id, update_document

BASE = "https://docs.x.test/guides/setup"


def targets(text, base=BASE):
    return [link.target_url for link in extract_links(text, base)]


@pytest.mark.parametrize("text, expected", [
    ("[a](https://other.test/p)", ["https://other.test/p"]),
    ("[a](/docs/api)", ["https://docs.x.test/docs/api"]),
    ("[a](deploy)", ["https://docs.x.test/guides/deploy"]),
    ("[a](../api/ 'Title')", ["https://docs.x.test/api/"]),
    ("[a](/api#auth)", ["https://docs.x.test/api"]),
    ("[a](<https://x.test/with space>)", ["https://x.test/with space"]),
    ("[wiki](https://en.x.test/Foo_(bar))", ["https://en.x.test/Foo_(bar)"]),
    ("<https://auto.test/link>", ["https://auto.test/"[:-1] + "/link"]),
    ("[r][ref]\n\n[ref]: https://ref.test/x \"t\"", ["https://ref.test/x"]),
    ("[Ref][]\n\n[ref]: https://ref.test/y", ["https://ref.test/y"]),
    ("[a](HTTPS://Upper.TEST/Path)", ["https://upper.test/Path"]),
    ("[a](https://q.test/s?x=1#frag)", ["https://q.test/s?x=1"]),
])
def test_link_forms(text, expected):
    assert targets(text) == expected


@pytest.mark.parametrize("text", [
    "![image](https://img.test/a.png)",
    "[mail](mailto:someone@x.test)",
    "[js](javascript:alert(1))",
    "[tel](tel:+123)",
    "[top](#top)",
    "[self](https://docs.x.test/guides/setup#part)",
    "`[code](https://code.test/)`",
    "```md\n[code](https://code.test/)\n```",
    "plain https://bare.test/url is not a markdown link",
    r"\[escaped](https://esc.test/)",
    "[broken](http://[bad)",
])
def test_non_links(text):
    assert targets(text) == []


def test_a_linked_image_is_one_link_with_the_alt_text_as_anchor():
    assert extract_links("[![Deploy](https://img.test/b.svg)](https://deploy.test/t)", BASE) == [
        Link("https://deploy.test/t", "Deploy")]


def test_duplicates_are_kept_once_with_the_first_non_empty_anchor():
    text = "<https://a.test/x> then [Alpha](https://a.test/x) and [Beta](https://a.test/x#y)"
    assert extract_links(text, BASE) == [Link("https://a.test/x", "Alpha")]


def test_anchor_loses_markdown_decoration():
    assert extract_links("[**Bold** `code`](https://a.test/)", BASE)[0].anchor == "Bold code"


def test_links_resolve_against_file_urls():
    assert targets("[b](../b.md)", "file:///data/notes/sub/a.md") == ["file:///data/notes/b.md"]


@pytest.mark.parametrize("href, expected", [
    ("https://a.test", "https://a.test/"),
    ("ftp://a.test/x", None),
    ("", None),
    ("https://user:secret@a.test/x", "https://a.test/x"),  # credentials are never stored
    ("//admin@a.test/y", "https://a.test/y"),
])
def test_normalize_url(href, expected):
    assert normalize_url(href, BASE) == expected


def test_railway_links_are_resolved_against_the_site(railway_corpus):
    text = (railway_corpus / "guides" / "nextjs.md").read_text()
    found = targets(text, "https://docs.railway.com/guides/nextjs")
    assert "https://docs.railway.com/databases/postgresql" in found
    assert "https://nextjs.org/" in found
    assert not any("#" in url for url in found)


# -- storing and resolving ---------------------------------------------------------

def _add(store, url, **cols):
    add_discovered(store, [Discovered(url=url, domain="x.test")])
    doc = document_id(url)
    if cols:
        update_document(store, doc, **cols)
    return doc


def _stored(store, doc):
    rows = store.query("SELECT target_url, target_id, anchor FROM links WHERE document_id = ?"
                       " ORDER BY target_url", (doc,))
    return [tuple(r) for r in rows]


def test_replace_links_resolves_by_url_with_or_without_trailing_slash(store):
    a = _add(store, "https://x.test/a")
    b = _add(store, "https://x.test/b/")
    c = _add(store, "https://x.test/c")
    with store.transaction() as conn:
        replace_links(conn, a, [Link("https://x.test/b", "B"), Link("https://x.test/c/", "C"),
                                Link("https://ext.test/", "")])
    assert _stored(store, a) == [("https://ext.test/", None, None),
                                 ("https://x.test/b", b, "B"), ("https://x.test/c/", c, "C")]


def test_replace_links_resolves_by_canonical_url(store):
    a = _add(store, "https://x.test/a")
    b = _add(store, "https://x.test/b?utm=1", canonical_url="https://x.test/b")
    with store.transaction() as conn:
        replace_links(conn, a, [Link("https://x.test/b", "")])
    assert _stored(store, a)[0][1] == b


def test_replace_links_deletes_the_old_links(store):
    a = _add(store, "https://x.test/a")
    with store.transaction() as conn:
        replace_links(conn, a, [Link("https://one.test/", "")])
        replace_links(conn, a, [Link("https://two.test/", "")])
    assert [r[0] for r in _stored(store, a)] == ["https://two.test/"]


def test_pending_links_resolve_when_the_target_is_ingested_later(store):
    a = _add(store, "https://x.test/a")
    with store.transaction() as conn:
        replace_links(conn, a, [Link("https://x.test/later", "L"), Link("https://ext.test/", "")])
    assert _stored(store, a)[1][1] is None
    later = _add(store, "https://x.test/later")
    with store.transaction() as conn:
        assert resolve_pending_links(conn) == 1
        assert resolve_pending_links(conn) == 0
    assert dict((r[0], r[1]) for r in _stored(store, a))["https://x.test/later"] == later


# -- links between the files of a mapped folder ------------------------------------

SITE = "/site"
SITE_FILES = [
    "README.md", "docs/variables.md", "docs/api.md", "docs/integrations/api.md",
    "docs/integrations/oauth/quickstart.md", "guides/django.md", "docs/guides/django.md",
    "docs/cli/index.md", "docs/a/deploy.md", "docs/z/deploy.md", "extra/deploy.md",
    "more/y/setup.md", "docs/y/setup.md", "docs/notes.mdx",
]
SOURCE = "docs/integrations/api.md"


def _add_folder(store, root, files):
    add_discovered(store, [Discovered(url=f"file://{root}/{f}", domain="local", source_kind="file",
                                      via="folder", source_path=f"{root}/{f}", source_root=root)
                           for f in files])
    return {f: document_id(f"file://{root}/{f}") for f in files}


def _link_from_source(store, href, *, pending=True):
    """Store the links of SOURCE written as ``href``; the stored (target_url, target_id)."""
    ids = _add_folder(store, SITE, SITE_FILES)
    _add_folder(store, "/other", ["docs/variables.md", "deploy.md"])
    with store.transaction() as conn:
        replace_links(conn, ids[SOURCE], extract_links(f"[x]({href})", f"file://{SITE}/{SOURCE}"))
        if pending:
            resolve_pending_links(conn)
    return ids, [r[:2] for r in _stored(store, ids[SOURCE])]


@pytest.mark.parametrize("href, expected", [
    ("/variables", "docs/variables.md"),  # suffix: docs/ + the site path
    ("/guides/django#deploy", "guides/django.md"),  # exact path beats the longer docs/guides/django
    ("/cli", "docs/cli/index.md"),  # a folder's index page
    ("/docs/notes", "docs/notes.mdx"),
    ("/docs/api.md", "docs/api.md"),
    ("../api.md", "docs/api.md"),  # relative to the file's folder
    ("./oauth/quickstart", "docs/integrations/oauth/quickstart.md"),  # without extension
    ("oauth/quickstart.md", "docs/integrations/oauth/quickstart.md"),
    ("/", "README.md"),
    ("/deploy", "extra/deploy.md"),  # ambiguous suffix: the shortest path wins
    ("/y/setup", "docs/y/setup.md"),  # ... then the alphabetically first
    ("/missing", None),
    ("./variables", None),  # relative links name one path: no suffix match
    ("/other/deploy", None),  # another folder's files are not this site's pages
])
def test_folder_links_resolve_to_the_files_of_the_same_folder(store, href, expected):
    ids, stored = _link_from_source(store, href)
    if expected is None:
        assert stored[0][1] is None
    else:
        assert stored == [(f"file://{SITE}/{expected}", ids[expected])]


def test_a_relative_link_to_a_file_of_another_folder_resolves_by_its_url(store):
    _, stored = _link_from_source(store, "../../../other/deploy.md", pending=False)
    assert stored == [("file:///other/deploy.md", document_id("file:///other/deploy.md"))]


def test_replace_links_resolves_exact_folder_paths_at_once(store):
    ids, stored = _link_from_source(store, "/guides/django", pending=False)
    assert stored == [(f"file://{SITE}/guides/django.md", ids["guides/django.md"])]


def test_suffix_matches_are_resolved_by_resolve_pending_links(store):
    ids, stored = _link_from_source(store, "/variables", pending=False)
    assert stored == [("file:///variables", None)]
    with store.transaction() as conn:
        assert resolve_pending_links(conn) == 1
    assert [r[:2] for r in _stored(store, ids[SOURCE])] == [
        (f"file://{SITE}/docs/variables.md", ids["docs/variables.md"])]


def test_folder_links_to_the_same_page_are_kept_once(store):
    ids = _add_folder(store, SITE, SITE_FILES)
    text = "[a](/variables) [b](../variables.md) [c](/guides/django) [d](/guides/django.md)"
    with store.transaction() as conn:
        replace_links(conn, ids[SOURCE], extract_links(text, f"file://{SITE}/{SOURCE}"))
        resolve_pending_links(conn)
    assert [r[1] for r in _stored(store, ids[SOURCE])] == [ids["docs/variables.md"], ids["guides/django.md"]]


def test_a_folder_link_to_the_page_itself_is_dropped(store):
    ids = _add_folder(store, SITE, SITE_FILES)
    with store.transaction() as conn:
        replace_links(conn, ids[SOURCE], extract_links("[me](/integrations/api) [v](/variables)",
                                                       f"file://{SITE}/{SOURCE}"))
        resolve_pending_links(conn)
    assert [r[1] for r in _stored(store, ids[SOURCE])] == [ids["docs/variables.md"]]


def test_railway_folder_links_resolve(kurt, railway_corpus, tmp_path):
    assert kurt("init", "ws", cwd=tmp_path).exit_code == 0
    added = kurt("content", "add", str(railway_corpus), cwd=tmp_path / "ws")
    assert added.exit_code == 0, added.stderr
    from kurt.store.db import Store

    store = Store.open(tmp_path / "ws" / ".kurt" / "kurt.db")
    try:
        total, resolved = store.query_one(
            "SELECT COUNT(*), COUNT(target_id) FROM links WHERE target_url LIKE 'file:%'")
        api = store.query_one("SELECT id FROM documents WHERE url LIKE '%/docs/integrations/api.md'")[0]
    finally:
        store.close()
    assert total > 1800 and resolved / total > 0.99
    shown = kurt("content", "links", api, "--format", "json", cwd=tmp_path / "ws")
    assert shown.exit_code == 0, shown.stderr
    assert any(row.get("url", "").endswith("/docs/integrations/api/manage-projects.md")
               for row in shown.json()["links"]), shown.stdout
