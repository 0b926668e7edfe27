import pytest

from kurt.checks.vale.textstats import is_complex, stats, syllables


@pytest.mark.parametrize(("word", "count"), [
    ("the", 1), ("cat", 1), ("make", 1), ("code", 1), ("table", 2), ("simple", 2),
    ("jumped", 1), ("wanted", 2), ("makes", 1), ("nation", 2), ("information", 4),
    ("radio", 3), ("media", 3), ("actual", 3), ("equal", 2), ("language", 2),
    ("question", 2), ("readability", 5), ("documentation", 5), ("beautiful", 3),
    ("everything", 4), ("database", 3), ("environment", 4), ("variable", 4),
    ("Railway", 2), ("3", 1), ("", 0),
])
def test_syllables(word, count):
    assert syllables(word) == count


def test_complex_words_do_not_count_an_inflection():
    assert is_complex("beautiful", 3)
    assert not is_complex("created", 3)  # cre-at-ed: 2 once -ed is dropped


def test_stats_count_words_sentences_and_paragraphs():
    text = "The cat sat on the mat. It was happy.\n\nDocumentation is important."
    counts = stats(text)
    assert counts["words"] == 12
    assert counts["sentences"] == 3
    assert counts["paragraphs"] == 2
    assert counts["long_words"] == 2  # documentation, important
    assert counts["polysyllabic_words"] == 2
    assert counts["characters"] == sum(len(w) for w in text.replace(".", " ").split())


def test_code_masked_as_stars_is_not_words():
    assert stats("Run **** now.")["words"] == 2
