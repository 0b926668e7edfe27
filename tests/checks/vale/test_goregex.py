import pytest

from kurt.checks.vale.goregex import PatternError, compile, translate


@pytest.mark.parametrize(("vale", "python"), [
    (r"(?i)(?m)\bfoo\b", r"(?im)\bfoo\b"),
    (r"(?i)\b(am|is)\b\s*(?m)\bbroken\b", r"(?i)\b(am|is)\b[\t\n\f\r ]*(?m:\bbroken\b)"),
    (r"(?m)\b(?:(?-i)Azure|(?-i)CLI)\b", r"(?m)\b(?:(?-i:Azure)|(?-i:(?-i:CLI)))\b"),
    (r"a(?i)b|c", r"a(?i:b)|(?i:c)"),
    (r"[[:alpha:]_]+", r"[A-Za-z_]+"),
    (r"\Qa.b\E", r"a\.b"),
    (r"(?<name>x)\k<name>", r"(?P<name>x)(?P=name)"),
    (r"(?'name'x)", r"(?P<name>x)"),
    (r"foo$", r"foo\Z"),
    (r"(?m)foo$", r"(?m)foo$"),
    (r"a\z", r"a\Z"),
    (r"\y", "y"),
    (r"[[a]", r"[\[a]"),
    (r"a(?#comment)b", "ab"),
    (r"\x{e9}", r"\U000000E9"),
])
def test_translate(vale, python):
    assert translate(vale) == python


def test_an_inline_flag_covers_the_rest_of_its_group_and_every_alternative():
    pattern = compile(r"a(?i)b|c")
    assert pattern.findall("aB ab C c AB") == ["aB", "ab", "C", "c"]


def test_w_d_and_s_are_ascii_as_in_re2_mode():
    assert compile(r"\w+").findall("naïve") == ["na", "ve"]
    assert compile(r"\d").findall("3٣") == ["3"]
    assert compile(r"a\sb").search("a\u00a0b") is None
    assert compile(r"[^\W]+").findall("é1") == ["1"]


def test_word_boundaries_stay_unicode():
    assert compile(r"\bcaf\b").search("café") is None


def test_dollar_without_multiline_matches_only_at_the_very_end():
    assert compile(r"foo$").search("foo\n") is None
    assert compile(r"(?m)foo$").search("foo\nbar")
    assert compile(r"foo\Z").search("foo\n")


def test_lookbehind_of_any_length_works_as_in_regexp2():
    colons = compile(r"(?<!:[^ ]+?):\s[A-Z]")
    assert colons.findall("Tone: Concise") == [": C"]
    assert colons.findall("http://x: Y") == []


@pytest.mark.parametrize("pattern", ["(a", "a)", "[ab", r"(?U)a", "\\"])
def test_invalid_patterns_raise_pattern_error(pattern):
    with pytest.raises(PatternError):
        compile(pattern)
