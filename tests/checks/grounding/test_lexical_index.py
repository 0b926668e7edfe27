"""The lexical index shared by a run's drafts gives each draft what its own index would."""

from pathlib import Path

import pytest

from kurt.checks.grounding.lexical import LexicalIndex, terms_of
from kurt.checks.passages import Passage, file_passages

RAILWAY = Path(__file__).resolve().parents[2] / "fixtures" / "corpora" / "railway-docs"


def railway_passages(count: int) -> list[Passage]:
    files = sorted(RAILWAY.rglob("*.md"))[:count]
    out = []
    for path in files:
        out += file_passages(path.relative_to(RAILWAY).as_posix(), path.read_text("utf-8"))
    return out


def passage(path: str, text: str) -> Passage:
    return Passage(path, 1, text.count("\n") + 1, text)


def found(matches):
    return [(m.window.passage.path, m.window.line_start, m.window.line_end, m.score)
            for m in matches]


QUERIES = [
    "Volumes keep your data between deployments of a service.",
    "Set the PORT variable so Railway can route traffic to your app.",
    "Private networking lets services talk to each other over IPv6.",
    "The CLI links a local folder to a project and deploys it with railway up.",
]


@pytest.fixture(scope="module")
def corpus():
    return railway_passages(40)


def test_a_view_scores_and_ranks_as_an_index_of_its_passages_alone(vocabulary, corpus):
    mine = corpus[5:140][::-1]  # another order than the shared index's
    other = corpus[100:]  # passages of other drafts, partly the same
    alone = LexicalIndex(mine, vocabulary)
    shared = LexicalIndex(other, vocabulary, wanted=set())
    view = shared.view(mine, {t for q in QUERIES for t in terms_of(q, vocabulary)})
    section = mine[:30]
    for query in QUERIES:
        terms = terms_of(query, vocabulary)
        assert found(view.best(terms, mine, limit=5)) == found(alone.best(terms, mine, limit=5))
        assert found(view.best(terms, section)) == found(alone.best(terms, section))
        assert view.scope_coverage(terms, section) == alone.scope_coverage(terms, section)
        assert [view.idf(t) for t in terms] == [alone.idf(t) for t in terms]


def test_ties_are_broken_in_the_drafts_own_passage_order(vocabulary):
    text = "Backups of a volume are taken every day and kept for a week."
    first, second = passage("a.md", text), passage("b.md", text)
    filler = [passage(f"f{i}.md", f"Unrelated words number {i} about cats.") for i in range(5)]
    shared = LexicalIndex([first, *filler, second], vocabulary, wanted=set())
    terms = terms_of("Volume backups are kept for a week.", vocabulary)
    for order in ([first, second, *filler], [second, first, *filler]):
        view = shared.view(order, terms)
        alone = LexicalIndex(order, vocabulary)
        got = found(view.best(terms, order, limit=2))
        assert got == found(alone.best(terms, order, limit=2))
        assert got[0][0] == order[0].path  # equal scores: the draft's first passage first


def test_terms_outside_the_wanted_ones_are_still_answered(vocabulary, corpus):
    full = LexicalIndex(corpus, vocabulary)
    narrow = LexicalIndex(corpus, vocabulary, wanted={"volum"})
    assert narrow.postings.keys() <= {"volum"}
    for query in QUERIES:
        terms = terms_of(query, vocabulary)
        assert found(narrow.best(terms, corpus)) == found(full.best(terms, corpus))
        assert narrow.scope_coverage(terms, corpus[:50]) == full.scope_coverage(terms,
                                                                                corpus[:50])


def test_a_stored_sections_heading_counts_in_its_windows():
    """A workspace's stored section starts below its heading; the heading still names what
    the section is about, as a heading line inside a passage does."""
    from kurt.checks.grounding.lexical import terms_of, windows_of
    from kurt.checks.passages import Passage

    text = "Sets the start time to now. It reuses the same object."
    stored = Passage("sources/x/timers.md", 12, 12, text, "section", "Timers > timeout.refresh()")
    inline = Passage("sources/x/timers.md", 11, 12, "## `timeout.refresh()`\n" + text, "section",
                     "Timers > timeout.refresh()")
    heading = set(terms_of("timeout.refresh()"))
    assert heading and heading <= set(windows_of(stored)[0].terms)
    assert set(windows_of(stored)[0].terms) == set(windows_of(inline)[0].terms)
