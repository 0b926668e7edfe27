"""Odd and hostile input to ``kurt content search``, ``list`` and ``get`` that holds today:
FTS5 syntax, operators with nothing to search, empty and 10 KB queries, emoji, SQL
injection strings, hostile ids, paths and filters.

Every case runs on a copy of the indexed railway docs and checks the exit code, that a
refusal is one line saying what to do, that JSON output stays JSON, and that the database
is unchanged afterwards.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.faults.conftest import db_rows, integrity

RESULTS, NONE, ANY = "results", "none", "any"  # what a query that runs must give
INJECTIONS = ["'; DROP TABLE documents; --", '"; SELECT * FROM documents; --',
              "deploy); DELETE FROM sections; --"]

SEARCHES = [  # (query, RESULTS / NONE / ANY, or the start of the one-line refusal)
    ('"deploy', RESULTS),  # an unbalanced quote
    ("AND OR NOT", "Error: 'AND OR NOT' has no words to search for: use letters or digits"),
    ("*", "Error: '*' has no words to search for"),
    ("🚀🚀", "Error: '🚀🚀' has no words to search for"),
    ("NOT deploy", "Error: 'NOT deploy' only excludes words: add at least one word"),
    ("", "Error: Give words to search for"),
    ("NEAR(", ANY),
    ("NEAR(deploy service, 5)", RESULTS),
    ("deploy AND NOT", RESULTS),
    ("(deploy", RESULTS),
    ("{deploy service}", RESULTS),
    ("title:deploy", ANY),
    ("col:term", NONE),
    ("^deploy", ANY),
    ("*deploy*", RESULTS),
    ("🚀 deploy", RESULTS),
    ("部署 déploiement", ANY),
    ("x" * 10_240, NONE),
    (" ".join(["deploy"] * 2000), RESULTS),
]


@pytest.fixture(scope="module")
def corpus(railway_workspace_template, tmp_path_factory):
    """A private copy of the indexed railway docs, shared by this module's read-only cases."""
    target = tmp_path_factory.mktemp("queries") / "ws"
    shutil.copytree(railway_workspace_template.root, target)
    return target


def snapshot(root) -> tuple:
    return db_rows(root, "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM sections),"
                         " (SELECT group_concat(name) FROM sqlite_master WHERE type = 'table')")[0]


def assert_refused(result, message: str) -> None:
    assert result.exit_code == 2 and result.stdout == "", result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    assert lines[-1].startswith(message), result.stderr


@pytest.mark.parametrize("query, expect", SEARCHES,
                         ids=[q[:24] or "empty" for q, _ in SEARCHES])
def test_an_odd_query_returns_cleanly(kurt, corpus, query, expect):
    result = kurt("content", "search", "--format", "json", "--limit", "3", "--", query, cwd=corpus)
    assert "Traceback" not in result.output
    if expect not in (RESULTS, NONE, ANY):  # refused: one JSON error on stderr
        assert result.exit_code == 2 and result.stdout == "", result.output
        error = json.loads(result.stderr)["error"]
        assert error["code"] == "usage" and f"Error: {error['message']}".startswith(expect)
        return
    assert result.exit_code == 0 and result.stderr == "", result.output
    passages = result.json()["passages"]
    assert isinstance(passages, list)
    if expect == RESULTS:
        assert passages and all(p["url"].startswith("https://docs.railway.com/") for p in passages)
    elif expect == NONE:
        assert passages == [] and result.json()["total"] == 0


@pytest.mark.parametrize("query", INJECTIONS)
def test_sql_in_a_query_is_searched_for_not_run(kurt, corpus, query):
    before = snapshot(corpus)
    for mode in ("json", "table"):
        result = kurt("content", "search", "--format", mode, "--", query, cwd=corpus)
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert snapshot(corpus) == before
    assert integrity(corpus) == "ok"


HOSTILE_IDS = ["'; DROP TABLE documents; --", "../../../etc/passwd",
               "sources/../../../../etc/passwd", "%", "a" * 5000, "😀",
               "bb12a8d436d3' OR '1'='1"]


@pytest.mark.parametrize("ident", HOSTILE_IDS, ids=[i[:20] for i in HOSTILE_IDS])
def test_get_with_a_hostile_id_says_no_such_document(kurt, corpus, ident):
    before = snapshot(corpus)
    result = kurt("content", "get", "--", ident, cwd=corpus)
    assert result.exit_code == 1 and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("Error: No document ") and "see 'kurt content list'" in lines[0]
    assert "root:" not in result.output  # /etc/passwd was not read
    assert snapshot(corpus) == before


FILTERS = [  # (list arguments, exit code, what the one line starts with / what stdout says)
    (["--url-contains", "%"], 0, "No documents match these filters."),
    (["--url-contains", "_"], 0, "No documents match these filters."),
    (["--url-prefix", "' OR 1=1 --"], 0, "No documents match these filters."),
    (["--include", "["], 0, "No documents match these filters."),
    (["--domain", "../.."], 0, "No documents match these filters."),
    (["--in-cluster", "' OR 1=1"], 0, "No documents match these filters."),
    (["--with-entity", "Topic:%"], 0, "No documents match these filters."),
    (["--with-entity", "nocolon"], 2, "Error: --with-entity takes Type:Name"),
    (["--with-entity", "Topic:"], 2, "Error: --with-entity 'Topic:' has no name after the type"),
    (["--with-entity", ":x"], 2, "Error: Unknown entity type ''"),
    (["--sort", "title; DROP TABLE documents"], 2, "Error: Unknown sort"),
    (["--status", "FETCHED' OR '1'='1"], 2, "Error: Unknown status"),
    (["--with-content-type", "x' OR 1=1"], 2, "Error: Unknown content type"),
    (["--changed-since", "2024-13-45"], 2, "Error: Invalid value for --changed-since"),
    (["--limit", "-1"], 2, "Error: Invalid value for '--limit'"),
]


@pytest.mark.parametrize("args, code, says", FILTERS, ids=[" ".join(a)[:30] for a, _, _ in FILTERS])
def test_list_with_a_hostile_filter_answers_in_one_line(kurt, corpus, args, code, says):
    before = snapshot(corpus)
    result = kurt("content", "list", *args, cwd=corpus)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if code == 0:  # nothing matched: said on stderr, and JSON gives an empty page
        assert result.stdout == "" and result.stderr.startswith(says)
        empty = kurt("content", "list", "--format", "json", *args, cwd=corpus).json()
        assert empty["documents"] == [] and empty["total"] == 0
    else:
        assert result.stdout == ""
        assert [line for line in result.stderr.splitlines() if line.startswith("Error:")] and \
            result.stderr.strip().splitlines()[-1].startswith(says)
    assert snapshot(corpus) == before


@pytest.mark.parametrize("command", [["list", "--offset"], ["list", "--limit"],
                                     ["search", "deploy", "--limit"]],
                         ids=["list-offset", "list-limit", "search-limit"])
def test_a_limit_beyond_64_bits_is_refused_or_clamped(kurt, corpus, command):
    result = kurt("content", *command, "99999999999999999999", cwd=corpus)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output
