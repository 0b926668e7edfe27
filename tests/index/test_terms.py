"""kurt.index.terms: tokens and the light stem shared by search and subject matching."""

from __future__ import annotations

import pytest

from kurt.index.terms import TOKEN, stem


@pytest.mark.parametrize("word, stemmed", [
    ("deploying", "deploy"),
    ("Backups", "backup"),
    ("deployments", "deploy"),
    ("libraries", "librar"),
    ("configured", "configur"),
    ("uses", "uses"),  # too short to strip: the stem keeps four letters at least
    ("postgres", "postgr"),  # light: "es" goes before "s" is tried
    ("API", "api"),
])
def test_stem(word, stemmed):
    assert stem(word) == stemmed


@pytest.mark.parametrize("text, tokens", [
    ("node.js", ["node", "js"]),
    ("API_KEY", ["API", "KEY"]),
    ("c++ and C#", ["c", "and", "C"]),
    ("café 東京", ["café", "東京"]),
])
def test_tokens_are_letters_and_digits(text, tokens):
    assert TOKEN.findall(text) == tokens
