import pytest

from kurt.checks.vale.scope import Scope

HEADING = frozenset({"text", "heading", "h2", "md"})
SENTENCE = frozenset({"sentence", "md"})
LIST_TEXT = frozenset({"text", "list", "md"})
PLAIN_TEXT = frozenset({"text", "md"})
RAW = frozenset({"raw", "md"})


@pytest.mark.parametrize(("scope", "block", "parent", "matches"), [
    (None, PLAIN_TEXT, PLAIN_TEXT, True),
    (None, HEADING, HEADING, True),  # the default scope (text) covers headings, as in Vale
    (None, SENTENCE, PLAIN_TEXT, False),
    ("heading", HEADING, HEADING, True),
    ("heading.h2", HEADING, HEADING, True),
    ("heading.h1", HEADING, HEADING, False),
    (["heading.h1", "heading.h2"], HEADING, HEADING, True),
    ("sentence", SENTENCE, LIST_TEXT, True),
    ("sentence & ~list", SENTENCE, LIST_TEXT, False),
    ("sentence & ~list", SENTENCE, PLAIN_TEXT, True),
    ("~heading", PLAIN_TEXT, PLAIN_TEXT, True),
    ("~heading", HEADING, HEADING, False),
    ("~heading", RAW, frozenset(), False),  # a negated scope never matches raw or summary
    ("raw", RAW, frozenset(), True),
    ("text", RAW, frozenset(), False),
    ("list", LIST_TEXT, LIST_TEXT, True),
    ("table.cell", frozenset({"text", "table", "cell", "md"}), frozenset(), True),
])
def test_scope_matching(scope, block, parent, matches):
    assert Scope.parse(scope).matches(block, parent) is matches


def test_names_lists_every_scope_a_rule_mentions():
    assert Scope.parse(["heading.h1", "sentence & ~list"]).names() == {"heading", "h1",
                                                                       "sentence", "list"}


def test_never_built_names_the_scopes_kurt_does_not_lint():
    assert Scope.parse(["blockquote", "sentence & ~code"]).never_built() == {"blockquote"}
    assert Scope.parse("heading.h1").never_built() == set()
