import pytest

from kurt.checks.vale.globs import compile_glob
from kurt.errors import ConfigError


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    ("*.md", "intro.md", True),
    ("*.md", "docs/deep/intro.md", True),
    ("*.md", "intro.mdx", False),
    ("*.{md,txt}", "notes.txt", True),
    ("*.{md,rst}", "a.rst", True),
    ("*.{md,{txt,text}}", "a.text", True),
    ("docs/*.md", "docs/a.md", True),
    ("docs/*.md", "blog/a.md", False),
    ("docs/**", "docs/a/b.md", True),
    ("draft-?.md", "draft-1.md", True),
    ("draft-?.md", "draft-10.md", False),
    ("[!_]*.md", "_hidden.md", False),
    ("[!_]*.md", "shown.md", True),
    ("*", "anything/at/all", True),
])
def test_glob_matching(pattern, path, matches):
    assert compile_glob(pattern).match(path) is matches


def test_windows_separators_match_like_slashes():
    assert compile_glob("docs/*.md").match("docs\\a.md")


@pytest.mark.parametrize("pattern", ["*.{md", "[abc"])
def test_a_malformed_glob_names_the_section(pattern):
    with pytest.raises(ConfigError, match=r"section \["):
        compile_glob(pattern)
