"""kurt.query: what a person types, translated to safe FTS5 expressions and exact forms."""

from __future__ import annotations

import re

import pytest

from kurt.errors import UsageError
from kurt.query import parse_query


@pytest.mark.parametrize("query, strict", [
    ("integration", '"integration"'),
    ("custom domain", '"custom" AND "domain"'),
    ('"exact phrase" here', '"exact phrase" AND "here"'),
    ("postgres OR mysql backup", '("postgres" OR "mysql") AND "backup"'),
    ("deploy -docker", '("deploy") NOT ("docker")'),
    ("deploy NOT docker", '("deploy") NOT ("docker")'),
    ('deploy -"docker compose"', '("deploy") NOT ("docker compose")'),
    ("integr*", '"integr"*'),
    ("node.js", '"node js"'),
    ("c++", '"c"'),
    ("--flag", '"flag"'),
    ("API_KEY", '"API KEY"'),
    ('"unclosed phrase', '"unclosed phrase"'),
    ("how to connect to the database", '"connect" AND "database"'),
    ("the", '"the"'),
    ("AND near NEAR", '"near" AND "NEAR"'),
    ('x"y', '"x" AND "y"'),
    ("(postgres OR mysql)", '("postgres" OR "mysql")'),
    ("café", '"café"'),
    ("sections_fts:body", '"sections fts body"'),
])
def test_parse_query_translates_user_syntax_to_safe_fts(query, strict):
    assert parse_query(query).strict == strict


@pytest.mark.parametrize("query, relaxed", [
    ("connect postgres", '("connect" OR "postgres")'),
    ("one", None),
    ('"a phrase" word', None),
    ("a OR b c", None),
    ("x -y z", None),
])
def test_relaxed_query_only_for_plain_words(query, relaxed):
    assert parse_query(query).relaxed == relaxed


def test_synonyms_widen_a_plain_word():
    parsed = parse_query("connect postgres", {"postgres": ["PostgreSQL", "pg database"]})
    assert parsed.strict == '"connect" AND ("postgres" OR "postgresql" OR "pg database")'


@pytest.mark.parametrize("query", ["", "   ", "-foo", "NOT foo", "!!! ---", '""', "*"])
def test_queries_without_words_are_usage_errors(query):
    with pytest.raises(UsageError):
        parse_query(query)


@pytest.mark.parametrize("query, text, required, found", [
    ("c++", "we write c++ daily", True, True),
    ("c++", "we write c daily", True, False),
    (".net", "built on .net core", True, True),
    ("node.js", "runs on node.js", False, True),
    ("node.js", "runs on nodejs", False, False),
])
def test_words_with_symbols_keep_their_exact_form(query, text, required, found):
    term = parse_query(query).groups[0][0]
    assert term.required is required
    assert bool(re.search(term.literal, text)) is found


def test_plain_words_have_no_exact_form():
    assert parse_query("postgres backup").exact() is None


@pytest.mark.parametrize("query, passage, matched", [
    ("deploying", "how to deploy a service", True),
    ("postgres backup", "backups of postgres", True),
    ("postgres backup", "postgres only", False),
])
def test_patterns_match_suffix_tolerant_words(query, passage, matched):
    groups, negatives, _ = parse_query(query).patterns()
    assert not negatives
    assert all(any(re.search(p, passage) for p in group) for group in groups) is matched
