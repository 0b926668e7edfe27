import subprocess

import pytest

from kurt.suggest import command, in_quotes, quote

ODD = ["plain", "projects/p/drafts/x.md", "a b", "data load tool (dlt).md", "it's", 'say "hi"',
       "$HOME", "`date`", "a;b", "ünï cødé", "#hash", "x > y", "*.md", "", "tab\there"]


@pytest.mark.parametrize("value", ODD)
def test_a_quoted_value_reaches_the_program_as_one_word(value):
    out = subprocess.run(["bash", "-c", f"printf '%s|' {quote(value)}"], capture_output=True,
                         text=True, check=True).stdout
    assert out == value + "|"


@pytest.mark.parametrize("words,expected", [
    (("projects/p/drafts/x.md",), "kurt draft sources projects/p/drafts/x.md"),
    (("sources/local/a b.md",), "kurt draft sources 'sources/local/a b.md'"),
    (("it's",), "kurt draft sources 'it'\"'\"'s'"),
])
def test_command_quotes_only_the_words_that_need_it(words, expected):
    assert command("kurt draft sources", *words) == expected


@pytest.mark.parametrize("cmd,expected", [
    ("kurt content list", "'kurt content list'"),
    ("kurt draft sources 'a b.md'", "kurt draft sources 'a b.md'"),
])
def test_a_command_holding_quotes_is_not_wrapped_in_more_quotes(cmd, expected):
    assert in_quotes(cmd) == expected
