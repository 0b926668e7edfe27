"""Page shapes and the judgement of a directory of similar pages."""

from __future__ import annotations

import pytest

from kurt.index.names import NameHit
from kurt.index.sections import split_sections
from kurt.index.shapes import PageShape, directory_of, judge_directory, page_shape


@pytest.mark.parametrize("url, expected", [
    ("https://x.com/ecosystem/airbyte", "x.com/ecosystem/"),
    ("https://x.com/ecosystem/airbyte/", "x.com/ecosystem/"),
    ("https://X.com/a/b/c.html", "x.com/a/b/"),
    ("https://x.com/pricing", "x.com/"),
    ("https://x.com/", "x.com/"),
    ("https://x.com/tools/sunhollow%20data", "x.com/tools/"),
    ("file:///home/me/posts/a b.md", "file:/home/me/posts/"),
])
def test_the_directory_of_a_page_is_its_host_and_parent_path(url, expected):
    assert directory_of(url) == expected


def test_a_page_shape_counts_words_headings_and_its_name():
    text = "# Tidewell\n\nTidewell integrates with Quackbase Cloud.\n\n## Tidewell + Quackbase Cloud\n\nPaste a token.\n"
    names = [NameHit("tidewell", "Tidewell", title=True, plus_left=True)]
    shape = page_shape(url="https://x.com/ecosystem/tidewell", title="Tidewell",
                       sections=split_sections(text, title="Tidewell"), names=names)
    assert shape.directory == "x.com/ecosystem/"
    assert shape.outline == "1,2"
    assert shape.title_name == "Tidewell"
    assert shape.integration_words == 1 and shape.plus_title and not shape.anchor_title
    assert 8 <= shape.words <= 12


def partner(name, words=120, said=1, plus=False, anchor=False, outline="1,2"):
    return PageShape("x.com/d/", words, outline, name, said, plus, anchor)


def names_(n):
    return [f"Partner{chr(65 + i)}" for i in range(n)]


def test_short_named_pages_that_say_integration_are_a_directory_of_integrations():
    verdict = judge_directory("x.com/stack/", [partner(n, 100 + 10 * i) for i, n in enumerate(names_(8))])
    assert verdict.similar and verdict.integration
    assert verdict.items == list(range(8))


def test_pages_that_never_say_it_are_items_of_a_directory_that_does():
    shapes = [partner(n, said=int(i < 4)) for i, n in enumerate(names_(8))]  # half say it
    verdict = judge_directory("x.com/stack/", shapes)
    assert verdict.integration and len(verdict.items) == 8


def test_the_url_directory_alone_is_not_enough_without_named_similar_pages():
    shapes = [partner(None, said=0) for _ in range(8)]
    assert not judge_directory("x.com/integrations/", shapes).integration


@pytest.mark.parametrize("segment", ["integrations", "ecosystem", "partners", "connectors", "apps", "marketplace"])
def test_an_integration_directory_name_counts_as_evidence(segment):
    shapes = [partner(n, said=0) for n in names_(6)]
    assert judge_directory(f"x.com/{segment}/", shapes).integration
    assert not judge_directory("x.com/team/", shapes).integration


def test_people_pages_are_similar_but_no_integrations():
    people = ["Jane Okafor", "Mateo Alvarez", "Priya Raman", "Tomasz Wojcik", "Hannah Lindqvist", "Kenji Watanabe"]
    shapes = [partner(name, said=0) for name in people]
    verdict = judge_directory("x.com/authors/", shapes)
    assert verdict.similar and not verdict.integration


def test_plus_headings_and_own_domain_links_are_evidence():
    plus = [partner(n, said=0, plus=True) for n in names_(6)]
    anchor_and_some_words = [partner(n, said=int(i < 2), anchor=True) for i, n in enumerate(names_(6))]
    assert judge_directory("x.com/stack/", plus).integration
    assert judge_directory("x.com/stack/", anchor_and_some_words).integration


def test_question_titles_long_pages_and_few_pages_are_no_directory():
    questions = [partner(None) for _ in range(10)]
    long_pages = [partner(n, words=2000) for n in names_(10)]
    few = [partner(n) for n in names_(4)]
    for shapes in (questions, long_pages, few):
        verdict = judge_directory("x.com/integrations/", shapes)
        assert not verdict.similar and not verdict.integration


def test_pages_of_another_length_or_outline_are_not_items():
    shapes = [partner(n) for n in names_(8)] + [partner("Long One", words=3000)]
    verdict = judge_directory("x.com/stack/", shapes)
    assert verdict.integration and 8 not in verdict.items
    mixed = [partner(n, outline=str(i)) for i, n in enumerate(names_(8))]  # no common heading structure
    assert not judge_directory("x.com/stack/", mixed).similar


def test_numbered_pages_are_no_directory_of_names():
    shapes = [partner(f"Release {i}") for i in range(10)]
    assert not judge_directory("x.com/integrations/", shapes).similar
