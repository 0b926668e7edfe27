"""Inline suppressions: which lines a comment silences, for which rules."""

import pytest

from kurt.checks.suppress import parse

TEXT = """---
status: draft  # kurt: ignore frontmatter/status
# kurt: ignore frontmatter/date
created: soon
---

# Title

<!-- kurt: ignore structure/placeholder -->
First [A] line,
second [B] line.

Third [C] paragraph.

A line [D] with its own. <!-- kurt: ignore structure -->
Next [E] line.

<!-- kurt: ignore -->
```python
def f(:
```

<!-- kurt: ignore-start style/banned-phrase, links -->
Region one.

Region two.
<!-- kurt: ignore-end -->
After the region.

```markdown
<!-- kurt: ignore-file code -->
```
"""


@pytest.fixture(scope="module")
def silenced():
    return parse(TEXT, body_line=6, yaml_lines=(2, 4))


def number(needle: str) -> int:
    return next(i for i, line in enumerate(TEXT.split("\n"), 1) if needle in line)


@pytest.mark.parametrize("rule,needle,expected", [
    ("frontmatter/status", "status: draft", True),
    ("frontmatter/date", "created: soon", True),
    ("frontmatter/date", "status: draft", False),
    ("structure/placeholder", "First [A]", True),
    ("structure/placeholder", "second [B]", True),
    ("structure/placeholder", "Third [C]", False),
    ("structure/choice", "First [A]", False),
    ("structure/todo", "A line [D]", True),
    ("structure/todo", "Next [E]", False),
    ("code/syntax", "def f(:", True),
    ("style/banned-phrase", "Region one", True),
    ("links/anchor", "Region two", True),
    ("style/banned-phrase", "After the region", False),
    ("style/person", "Region one", False),
    ("code/syntax", "Title", False),  # a directive inside a code block is code
])
def test_what_a_comment_silences(silenced, rule, needle, expected):
    assert silenced.silences(rule, number(needle)) is expected


def test_ignore_file_and_an_open_region_run_to_the_end():
    text = "# T\n\n<!-- kurt: ignore-file style/Google.Passive -->\n\nx\n\n<!-- kurt: ignore-start -->\n\ny\n"
    found = parse(text)
    assert found.silences("style/Google.Passive", 1)
    assert not found.silences("style/Google.Will", 5)
    assert found.silences("anything/at-all", 9)
