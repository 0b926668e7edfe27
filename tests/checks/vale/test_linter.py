import textwrap
from pathlib import Path

import pytest

from kurt.checks.vale import lint
from kurt.errors import ConfigError, FormatError, UsageError

EVERY_WORD = """\
    extends: existence
    message: "'%s'"
    nonword: true
    scope: {scope}
    tokens: ['[A-Za-z]+']
    """

NOT_PROSE = """\
---
title: Simply the best
tags: [will, abort]
---
# Simply a heading

Prose with `inline code` and <https://example.com/simply/will> and
https://docs.example.com/kill/abort and [a link](https://example.com/will "will").

```bash
echo "simply will abort" # e.g. this
```

    indented code will abort

<!-- a comment that will abort -->

<div>
html will abort
</div>

> A quote that will simply abort.
"""


def test_code_urls_frontmatter_comments_html_and_quotes_are_never_flagged(ws):
    ws.rule("Every", EVERY_WORD.format(scope="text"))
    ws.config()
    words = {(f.line, f.message) for f in ws.lint(NOT_PROSE)}
    lines = {line for line, _ in words}
    assert lines == {5, 7, 8}
    assert {m for _, m in words} == {"'Simply'", "'a'", "'heading'", "'Prose'", "'with'",
                                      "'and'", "'link'"}


def test_the_whole_google_style_never_flags_what_is_not_prose(google_config):
    found = lint(NOT_PROSE, google_config, path="draft.md")
    assert {f.line for f in found} <= {5, 7, 8}
    assert not any(f.line in (7, 8) and f.column > 18 and f.name == "Google.WordList"
                   for f in found)


def test_raw_scope_reads_the_file_with_non_prose_blanked(ws):
    ws.rule("Todo", """\
        extends: existence
        message: "Resolve '%s'."
        scope: raw
        tokens: [TODO]
        """)
    ws.config()
    text = "TODO: write this.\n\n```\nTODO in code\n```\n\nInline `TODO` and TODO.\n"
    assert ws.results(text) == [(1, 1, "Test.Todo", "Resolve 'TODO'."),
                                (7, 19, "Test.Todo", "Resolve 'TODO'.")]


def test_a_match_inside_quotation_marks_is_not_flagged_one_around_them_is(ws):
    ws.rule("Will", """\
        extends: existence
        message: "Avoid '%s'."
        ignorecase: true
        tokens: [will]
        """)
    ws.rule("Quotes", """\
        extends: existence
        message: "Punctuation goes inside quotes."
        nonword: true
        tokens: ['"[^"]+"[.,?]']
        """)
    ws.config()
    text = 'The CEO said "we will win". We will see “what will be”.\n'
    assert ws.results(text) == [
        (1, 14, "Test.Quotes", "Punctuation goes inside quotes."),
        (1, 32, "Test.Will", "Avoid 'will'."),
    ]


def test_comment_controls_turn_rules_off_and_on(ws):
    ws.rule("Every", EVERY_WORD.format(scope="heading"))
    ws.rule("Other", EVERY_WORD.format(scope="heading"))
    ws.config()
    text = """\
        # One

        <!-- vale off -->

        # Two

        <!-- vale on -->
        <!-- vale Test.Other = NO -->

        # Three

        <!-- vale Test.Every["Four"] = NO -->

        # Four and five
        """
    assert ws.results(text) == [
        (1, 3, "Test.Every", "'One'"), (1, 3, "Test.Other", "'One'"),
        (10, 3, "Test.Every", "'Three'"),
        (14, 8, "Test.Every", "'and'"), (14, 12, "Test.Every", "'five'"),
    ]


def test_one_place_is_reported_once_per_rule_and_limit_caps_a_rule(ws):
    ws.rule("Both", EVERY_WORD.format(scope="[paragraph, text]"))
    ws.rule("Capped", EVERY_WORD.format(scope="text") + "limit: 2\n")
    ws.config()
    found = ws.results("Alpha beta gamma.\n")
    assert [r[:3] for r in found] == [
        (1, 1, "Test.Both"), (1, 1, "Test.Capped"), (1, 7, "Test.Both"), (1, 7, "Test.Capped"),
        (1, 12, "Test.Both")]


def test_token_and_block_ignores_from_the_ini(ws):
    ws.rule("Every", EVERY_WORD.format(scope="text"))
    ws.config(body="TokenIgnores = (\\{\\{<[^>]*>\\}\\})\n"
                   "BlockIgnores = (?s)(\\{\\{% note %\\}\\}.*?\\{\\{% /note %\\}\\})\n")
    text = "Run {{< shortcode here >}} now.\n\n{{% note %}}\nHidden words.\n{{% /note %}}\n"
    assert [r[3] for r in ws.results(text)] == ["'Run'", "'now'"]


def test_plain_text_files_are_read_as_paragraphs(ws):
    ws.rule("Every", EVERY_WORD.format(scope="sentence"))
    ws.config(styles="", body="[*.txt]\nBasedOnStyles = Test\n")
    assert ws.results("One. Two\nthree.\n", name="notes.txt") == [
        (1, 1, "Test.Every", "'One'"), (1, 6, "Test.Every", "'Two'"),
        (2, 1, "Test.Every", "'three'")]


def test_lint_reads_a_path_or_takes_text(ws):
    ws.rule("Every", EVERY_WORD.format(scope="heading"))
    config = ws.config()
    draft = ws.root / "drafts" / "launch.md"
    draft.parent.mkdir()
    draft.write_bytes(b"# Hello\r\n\r\n# World\r\n")
    from_file = lint(draft, config)
    assert [(f.path, f.line, f.column) for f in from_file] == [
        (str(draft), 1, 3), (str(draft), 3, 3)]
    assert [f.path for f in lint(draft, config, path="drafts/launch.md")] == \
        ["drafts/launch.md"] * 2
    assert [f.path for f in lint("# Hello\n", config)] == ["stdin.md"]


def test_without_a_config_lint_uses_the_nearest_vale_ini(ws, tmp_path):
    ws.rule("Every", EVERY_WORD.format(scope="heading"))
    ws.config()
    draft = ws.root / "drafts" / "a.md"
    draft.parent.mkdir()
    draft.write_text("# Found\n")
    assert [f.message for f in lint(draft)] == ["'Found'"]
    lonely = tmp_path.parent / f"{tmp_path.name}-lonely.md"
    lonely.write_text("# Alone\n")
    try:
        with pytest.raises(ConfigError, match="no .vale.ini"):
            lint(lonely)
    finally:
        lonely.unlink()


def test_a_file_kurt_cannot_read_is_a_one_line_error(ws):
    ws.rule("Every", EVERY_WORD.format(scope="heading"))
    config = ws.config(styles="", body="[*]\nBasedOnStyles = Test\n")
    with pytest.raises(UsageError, match=r"notes.rst: style checks read markdown") as caught:
        lint("Title\n=====\n", config, path="notes.rst")
    assert caught.value.exit_code == 2
    binary = ws.root / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(FormatError, match="binary file"):
        lint(binary, config)
    latin = ws.root / "latin.md"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(FormatError, match="not a UTF-8"):
        lint(latin, config)


def test_a_file_no_rule_applies_to_gives_nothing(ws):
    ws.rule("Every", EVERY_WORD.format(scope="text"))
    config = ws.config()
    assert lint("Some words.\n", config, path="notes.txt") == []


def test_findings_carry_end_positions_links_and_suggestions(ws):
    ws.rule("Latin", """\
        extends: substitution
        message: "Use '%s' instead of '%s'."
        link: https://example.com/latin
        ignorecase: true
        nonword: true
        action:
          name: replace
        swap:
          '\\b(?:eg|e\\.g\\.)(?=[\\s,;])': for example
        """)
    ws.config()
    [finding] = ws.lint(textwrap.dedent("""\
        Intro.

        Tools, e.g. Vale.
        """))
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (3, 8, 3, 11)
    assert finding.link == "https://example.com/latin"
    assert finding.suggestion == "Replace 'e.g.' with 'for example'."
    assert finding.to_dict()["rule"] == "style/Test.Latin"


def test_a_paragraph_over_several_lines_reports_the_right_line(google_config):
    text = "We ship fast.\nI think it works\nand it will.\n"
    found = [(f.line, f.column, f.name) for f in lint(text, google_config, path=Path("a.md"))]
    assert (2, 1, "Google.FirstPerson") in found
    assert (3, 8, "Google.Will") in found


PIECES = [
    "# Heading one\n", "Setext\n======\n", "- a list item will\n  - nested *em* item\n",
    "1. step\n2. step two\n", "> quote\n> > nested quote\n",
    "| a | b \\| c |\n|---|---|\n| `x` | [l](u) |\n", "[ref link][1] and [x]\n\n[1]: https://x.y\n",
    "[![img](a.png)](http://l)\n", "text <!-- multi\nline --> more\n", "\ttabbed text will\n",
    "line with trailing  \nhard break\n", "emoji 🎉 will café naïve\n", "```\ncode\n",
    "<details>\n<summary>Sum</summary>\n\nInside will.\n</details>\n", "***\n",
    "Text with \\`escaped\\` ticks and ``double `tick` code``.\n",
    "*unclosed emphasis and [unclosed link\n", "term &copy; &#169; &nbsp;x\n", "---\n",
    "https://bare.url/x?y=1. Next sentence will.\n", "<Comp prop={x}>text</Comp>\n",
    "    indented code\n", "Final line without newline",
]


def test_any_mix_of_markdown_gives_positions_inside_the_file(google_config):
    import random

    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.2:
            text = text.replace("\n", "\r\n")
        lines = text.replace("\r\n", "\n").split("\n")
        for f in lint(text, google_config, path="mix.md"):
            assert 1 <= f.line <= len(lines), (text, f)
            assert 1 <= f.column <= len(lines[f.line - 1]) + 1, (text, f)
            assert (f.end_line, f.end_column) >= (f.line, f.column), (text, f)
