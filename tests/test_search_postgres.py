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
    test_diacritics_are_folded,
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
    test_stop_words_count_in_phrases_and_alone,
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


PHRASE = "phraseto_tsquery('kurt_english', kurt_fold(%s))"
PREFIX = "to_tsquery('kurt_english', kurt_fold(%s))"


@pytest.mark.parametrize("query, sql, params", [
    ("backups", PHRASE, ["backups"]),
    ("daily OR weekly backups", f"({PHRASE} || {PHRASE}) && {PHRASE}", ["daily", "weekly", "backups"]),
    ("deploy* -docker", f"({PREFIX}) && !!({PHRASE})", ["'deploy':*", "docker"]),
    ("'); DROP TABLE x; --", f"{PHRASE} && {PHRASE} && {PHRASE}", ["DROP", "TABLE", "x"]),
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


def test_kurt_fold_folds_the_letters_fts5_folds(store):
    """migration postgresql/0017's kurt_fold() against SQLite's FTS5 (remove_diacritics 2),
    letter by letter over the Latin blocks."""
    import sqlite3

    letters = [chr(cp) for cp in [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x1E00, 0x1F00)]
               if chr(cp).isalpha()]
    fts = sqlite3.connect(":memory:")
    fts.execute("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize='unicode61 remove_diacritics 2')")
    fts.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
    fts.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)",
                    [(n, f"a{ch}a") for n, ch in enumerate(letters, 1)])
    sqlite_fold = {letters[n - 1]: term[1:-1] for term, n in fts.execute("SELECT term, doc FROM v")}
    pg_fold = dict(store.query("SELECT ch, lower(kurt_fold(ch)) FROM unnest(?::text[]) ch", (letters,)))
    # a letter either folds to the same ASCII letter on both, or to an ASCII letter on neither
    # (FTS5 also folds case beyond ASCII: the micro sign to mu, both kept as they are here)
    differ = {ch: (sqlite_fold.get(ch), pg_fold[ch]) for ch in letters
              if (sqlite_fold[ch].isascii() or pg_fold[ch].isascii())
              and sqlite_fold[ch] != pg_fold[ch]}
    assert not differ and len(sqlite_fold) == len(letters)
    assert pg_fold["é"] == "e" and pg_fold["Ṩ"] == "s" and pg_fold["ø"] == "ø"
