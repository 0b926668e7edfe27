"""Document filters: one SQL WHERE clause, AND-combined, shared by list, search and delete."""

from __future__ import annotations

import pytest

from kurt.errors import UsageError
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.store.filters import (
    DocumentFilter,
    canonical_entity_type,
    check_filter,
    count_documents,
    filter_hints,
    glob_to_like,
    normalize_content_type,
    parse_entity_spec,
    select_documents,
)

DOCS = [
    # url, status, content type, words, changed
    ("https://docs.x.test/guides/setup", "FETCHED", "tutorial", 500, "2024-03-01T00:00:00Z"),
    ("https://docs.x.test/integrations/slack", "FETCHED", "integration", 300, "2024-05-01T00:00:00Z"),
    ("https://docs.x.test/integrations/github", "FETCHED", "integration", 900, "2024-06-01T00:00:00Z"),
    ("https://docs.x.test/api/reference", "FETCHED", "api-reference", 2000, "2024-01-01T00:00:00Z"),
    ("https://blog.x.test/2024/launch", "ERROR", None, None, None),
    ("https://blog.x.test/2024/postgres-tips", "NOT_FETCHED", None, None, None),
]


@pytest.fixture
def db(store):
    add_discovered(store, [Discovered(url=u, domain=u.split("/")[2]) for u, *_ in DOCS])
    for url, status, ctype, words, changed in DOCS:
        update_document(store, document_id(url), status=status, content_type=ctype,
                        word_count=words, changed_at=changed, title=url.rsplit("/", 1)[1].title(),
                        content_path=f"sources/{url.split('/', 2)[2]}.md" if words else None)
    with store.transaction() as conn:
        conn.execute("INSERT INTO entities (id, type, name, key) VALUES"
                     " (1, 'Topic', 'integration', 'integration'),"
                     " (2, 'Technology', 'PostgreSQL', 'postgresql'),"
                     " (3, 'Technology', 'Slack', 'slack')")
        conn.execute("INSERT INTO entity_aliases (alias_key, entity_id) VALUES ('postgres', 2)")
        for url, entity in [(DOCS[1][0], 1), (DOCS[2][0], 1), (DOCS[1][0], 3), (DOCS[0][0], 2)]:
            conn.execute("INSERT INTO document_entities (document_id, entity_id, mentions) VALUES (?, ?, 2)",
                         (document_id(url), entity))
        conn.execute("INSERT INTO clusters (id, name, created_at) VALUES (7, 'connectors', 'now')")
        conn.execute("INSERT INTO document_clusters (document_id, cluster_id) VALUES (?, 7)",
                     (document_id(DOCS[2][0]),))
    return store


def paths(db, **kwargs):
    return [d.url.split("/", 3)[3] for d in select_documents(db, DocumentFilter(**kwargs))]


@pytest.mark.parametrize("kwargs, expected", [
    ({}, ["2024/launch", "2024/postgres-tips", "api/reference", "guides/setup",
          "integrations/github", "integrations/slack"]),
    ({"statuses": ["fetched"]}, ["api/reference", "guides/setup", "integrations/github",
                                 "integrations/slack"]),
    ({"statuses": ["error", "NOT-FETCHED"]}, ["2024/launch", "2024/postgres-tips"]),
    ({"url_prefix": "https://docs.x.test/integrations/"}, ["integrations/github", "integrations/slack"]),
    ({"url_contains": ["/integrations/"]}, ["integrations/github", "integrations/slack"]),
    ({"url_contains": ["/integrations/", "git"]}, ["integrations/github"]),
    ({"include": ["*/integrations/*"]}, ["integrations/github", "integrations/slack"]),
    ({"include": ["/api/*", "*/guides/*"]}, ["api/reference", "guides/setup"]),
    ({"exclude": ["*blog*"]}, ["api/reference", "guides/setup", "integrations/github",
                               "integrations/slack"]),
    ({"with_entities": ["Topic:integration"]}, ["integrations/github", "integrations/slack"]),
    ({"with_entities": ["topic:Integrations"]}, ["integrations/github", "integrations/slack"]),
    ({"with_entities": ["Technology:Postgres"]}, ["guides/setup"]),
    ({"with_entities": ["Technology:post*"]}, ["guides/setup"]),
    ({"with_entities": ["Topic:integration", "Technology:Slack"]}, ["integrations/slack"]),
    ({"with_entities": ["Topic:nothing"]}, []),
    ({"content_types": ["integration"]}, ["integrations/github", "integrations/slack"]),
    ({"content_types": ["API reference"]}, ["api/reference"]),
    ({"clusters": ["connectors"]}, ["integrations/github"]),
    ({"clusters": ["7"]}, ["integrations/github"]),
    ({"domains": ["BLOG.x.test"]}, ["2024/launch", "2024/postgres-tips"]),
    ({"changed_since": "2024-05-01"}, ["integrations/github", "integrations/slack"]),
    ({"url_contains": ["%"]}, []),
    ({"url_contains": ["_"]}, []),
    ({"statuses": ["FETCHED"], "url_contains": ["integrations"], "with_entities": ["Technology:slack"]},
     ["integrations/slack"]),
])
def test_filters(db, kwargs, expected):
    assert paths(db, **kwargs) == expected


@pytest.mark.parametrize("sort, first", [
    ("url", "https://blog.x.test/2024/launch"),
    ("-words", "https://docs.x.test/api/reference"),
    ("changed", "https://blog.x.test/2024/launch"),  # NULL first ascending
    ("-changed", "https://docs.x.test/integrations/github"),
    ("title", "https://docs.x.test/integrations/github"),
])
def test_sort(db, sort, first):
    assert select_documents(db, DocumentFilter(), sort=sort)[0].url == first


def test_limit_offset_and_count(db):
    page = select_documents(db, DocumentFilter(), sort="url", limit=2, offset=2)
    assert [d.url for d in page] == ["https://docs.x.test/api/reference", "https://docs.x.test/guides/setup"]
    assert count_documents(db, DocumentFilter(statuses=["FETCHED"])) == 4


def test_unknown_sort_and_status_are_usage_errors(db):
    with pytest.raises(UsageError):
        select_documents(db, DocumentFilter(), sort="size")
    with pytest.raises(UsageError):
        select_documents(db, DocumentFilter(statuses=["DONE"]))


@pytest.mark.parametrize("spec, parsed", [
    ("Topic:integration", ("Topic", "integration", False)),
    ("technologies:Post*", ("Technology", "Post", True)),
    ("Feature: Preview environments ", ("Feature", "Preview environments", False)),
    ("persona:developer", ("Persona", "developer", False)),
])
def test_parse_entity_spec(spec, parsed):
    assert parse_entity_spec(spec) == parsed


@pytest.mark.parametrize("spec", ["integration", "Topic:", "Topic:*", "???:x"])
def test_bad_entity_specs_are_usage_errors(spec):
    with pytest.raises(UsageError):
        parse_entity_spec(spec)


@pytest.mark.parametrize("value, expected", [("topic", "Topic"), ("TECHNOLOGY", "Technology"),
                                             ("technologies", "Technology"), ("Companies", "Company"),
                                             ("products", "Product")])
def test_canonical_entity_type(value, expected):
    assert canonical_entity_type(value) == expected


@pytest.mark.parametrize("pattern, like", [
    ("*/blog/*", "%/blog/%"),
    ("/docs/*", "%/docs/%"),
    ("https://x.test/a?c", "https://x.test/a_c"),
    ("*100%*", "%100\\%%"),
])
def test_glob_to_like(pattern, like):
    assert glob_to_like(pattern) == like


@pytest.mark.parametrize("value, expected", [("API reference", "api-reference"),
                                             ("blog_post", "blog-post"), ("Tutorial", "tutorial")])
def test_normalize_content_type(value, expected):
    assert normalize_content_type(value) == expected


def test_hints_name_what_the_workspace_does_not_know(db):
    hints = filter_hints(db, DocumentFilter(with_entities=["Topic:nothing"], content_types=["pricing"],
                                            clusters=["nope"], domains=["other.test"]))
    assert len(hints) == 4
    assert "list-entities topic" in hints[0]
    assert "known: api-reference, integration, tutorial" in hints[1]
    assert "list-clusters" in hints[2]
    assert "docs.x.test" in hints[3]
    assert filter_hints(db, DocumentFilter(with_entities=["Topic:integration"])) == []


@pytest.mark.parametrize("flt, message", [
    (DocumentFilter(with_entities=["Gizmo:x"]), "Unknown entity type 'Gizmo'"),
    (DocumentFilter(content_types=["blog"]), "Unknown content type 'blog'"),
])
def test_unknown_entity_or_content_type_is_a_usage_error(db, flt, message):
    with pytest.raises(UsageError, match=message):
        select_documents(db, flt)


def test_known_names_that_match_nothing_are_no_error(db):
    with db.transaction() as conn:
        conn.execute("INSERT INTO entities (type, name, key) VALUES ('Gizmo', 'Widget', 'widget')")
    check_filter(db, DocumentFilter(with_entities=["Gizmo:other", "Topic:nothing"],
                                    content_types=["pricing", "Blog Post"]))
    assert select_documents(db, DocumentFilter(with_entities=["gizmo:widget"])) == []


def test_title_sort_ignores_case(db):
    update_document(db, document_id(DOCS[2][0]), title="github")
    titles = [d.title for d in select_documents(db, DocumentFilter(), sort="title")]
    assert titles[0] == "github" and titles == sorted(titles, key=str.lower)
