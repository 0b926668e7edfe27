"""The body as the checks read it: file positions, prose with code blanked, word count."""

import pytest

from kurt.checks.body import read_body, word_count

TEXT = """---
title: x
---

# Title

Hello `code` world <!-- Source: `x.md`:3 --> [X] minutes.

```python
x = 1
```

## Next *step*

    indented code
"""


@pytest.fixture(scope="module")
def body():
    return read_body(TEXT, 4)


def test_headings_and_code_blocks_keep_file_lines(body):
    assert [(h.line, h.level, h.text, h.column) for h in body.headings] == [
        (5, 1, "Title", 3), (13, 2, "Next *step*", 4)]
    assert [(b.line_start, b.line_end, b.language, b.fenced) for b in body.code_blocks] == [
        (9, 11, "python", True), (15, 15, "", False)]


def test_prose_blanks_code_comments_and_frontmatter_keeping_offsets(body):
    assert len(body.prose) == len(TEXT)
    assert "title" not in body.prose and "x = 1" not in body.prose and "code" not in body.prose
    assert "Source" not in body.prose and "[X] minutes." in body.prose
    assert "Source: `x.md`:3" in body.citable
    offset = body.prose.index("[X]")
    assert body.position(offset) == (7, TEXT.split("\n")[6].index("[X]") + 1)


def test_backticks_do_not_pair_across_paragraphs():
    text = "A stray ` here.\n\nAnd [Partner] there `code`.\n"
    assert "[Partner]" in read_body(text).prose


@pytest.mark.parametrize("text,words", [
    ("Three little words.", 3),
    ("A `code span` counts once.", 4),
    ("```\nnot counted at all\n```\nTwo words.", 2),
    ("<!-- not counted -->\nOne.", 1),
    ("# Heading Words\n\n- item one\n\n| a | b |\n|---|---|\n| c | d |", 8),
    ("It's 1,500 words, e.g. here.", 5),
])
def test_word_count(text, words):
    assert word_count(text) == words
