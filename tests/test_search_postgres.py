"""Full-text search on a PostgreSQL store (kurt.search_postgres): the same behaviours as on
SQLite, and ranking quality on the judged query set close to BM25's."""

from __future__ import annotations

import pytest
from test_search import (  # noqa: F401 - the shared tests run here on PostgreSQL
    backups,
    docs,
    judged_metrics,
    languages,
    test_a_leading_symbol_is_part_of_the_form,
    test_entity_aliases_widen_the_search,
    test_exact_forms_rank_before_the_bare_pieces,
    test_excluding_a_symbol_form_keeps_the_lone_letter,
    test_filters_apply_inside_the_search,
    test_heading_matches_rank_above_body_matches,
    test_hits_carry_passage_heading_path_and_line_range,
    test_index_follows_a_refetch,
    test_limit,
    test_only_fetched_documents_are_searched,
    test_or_and_not,
    test_partial_matches_follow_full_matches,
    test_per_document_caps_passages_from_one_document,
    test_prefix_and_stemming,
    test_symbol_forms_are_checked_on_the_title_path,
    test_title_path_applies_filters,
    test_title_path_falls_back_when_titles_do_not_name_the_words,
    test_title_path_keeps_the_query_semantics,
    test_title_path_ranks_passages_of_documents_named_by_the_query,
    test_topic_aliases_do_not_widen_the_search,
    test_words_are_anded_and_phrases_are_exact,
    test_words_with_symbols_match_their_exact_form,
    title_path,
)

from kurt.query import parse_query
from kurt.search import search
from kurt.search_postgres import tsquery


@pytest.fixture
def store_kind() -> str:
    return "postgresql"


def test_deleted_documents_leave_the_postgresql_index(docs):  # noqa: F811 - the fixture
    with docs.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE url = 'https://x.test/docs/mysql'")
    assert search(docs, "weekly") == []
    assert docs.query_one("SELECT COUNT(*) FROM sections_fts")[0] == \
        docs.query_one("SELECT COUNT(*) FROM sections")[0]


@pytest.mark.parametrize("query, sql, params", [
    ("backups", "phraseto_tsquery('kurt_english', %s)", ["backups"]),
    ("daily OR weekly backups",
     "(phraseto_tsquery('kurt_english', %s) || phraseto_tsquery('kurt_english', %s))"
     " && phraseto_tsquery('kurt_english', %s)", ["daily", "weekly", "backups"]),
    ("deploy* -docker", "(to_tsquery('kurt_english', %s)) && !!(phraseto_tsquery('kurt_english', %s))",
     ["'deploy':*", "docker"]),
    ("'); DROP TABLE x; --", "phraseto_tsquery('kurt_english', %s) && phraseto_tsquery('kurt_english', %s)"
     " && phraseto_tsquery('kurt_english', %s)", ["DROP", "TABLE", "x"]),
])
def test_the_tsquery_is_built_from_parameters(query, sql, params):
    assert tsquery(parse_query(query)) == (sql, params)


@pytest.fixture(scope="module")
def railway_pg(railway_workspace_template):
    """The railway corpus copied into a PostgreSQL database of its own (kurt store copy)."""
    from kurt.store.copy import copy_workspace_store
    from kurt.store.postgres import PostgresStore
    from tests.pg import new_database

    with new_database() as url:
        assert copy_workspace_store(railway_workspace_template, url).ok
        store = PostgresStore.open(url)
        yield store
        store.close()


def test_railway_search_cites_passages_the_same_way(railway_pg, railway_workspace_template):
    hits = search(railway_pg, "healthcheck timeout")
    assert hits
    for hit in hits:
        assert hit.citation == f"{hit.content_path}:{hit.lines}"
        lines = (railway_workspace_template.root / hit.content_path).read_text().split("\n")
        passage = "\n".join(lines[hit.line_start - 1:hit.line_end]).lower()
        assert "healthcheck" in passage or "timeout" in passage
        assert "**" in hit.snippet


def test_judged_queries_rank_close_to_bm25(railway_pg, railway_workspace_template):
    sqlite_store = railway_workspace_template.open_store()
    try:
        bm25_mrr, bm25_recall, _ = judged_metrics(sqlite_store)
    finally:
        sqlite_store.close()
    mrr, recall, misses = judged_metrics(railway_pg)
    # Measured on the railway corpus: see bench/README.md (search on PostgreSQL).
    assert mrr >= bm25_mrr - 0.05, (mrr, bm25_mrr, misses)
    assert recall >= bm25_recall - 0.05, (recall, bm25_recall, misses)
