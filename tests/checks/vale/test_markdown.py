"""Markdown as Vale sees it: which text is prose, its scopes, and where each character came from."""

from kurt.checks.vale.markdown import frontmatter_end, jsx_spans, read_markdown

DOC = """\
---
title: Draft
---
# Getting *started* `now`

- item **one** \\* star &amp; [link](https://a.example "t") and ![alt *x*](i.png)
  continued

| Name | Value |
|------|-------|
| a `b` | c |

> quoted text

Text <b>bold</b> <https://x.example> end. See https://example.com/x. He said "I win".
"""


def blocks(doc, kind=None):
    return [b for b in doc.blocks if kind is None or b.kind == kind]


def where(doc, block, start=0, end=None):
    end = len(block.text) if end is None else end
    first, last = block.span(start, end)
    return doc.position(first), doc.position(last)


def test_each_kind_of_prose_gets_its_vale_scope():
    doc = read_markdown(DOC)
    scopes = {b.kind: sorted(b.scope) for b in doc.blocks}
    assert scopes["heading"] == ["h1", "heading", "md", "text"]
    assert scopes["text"] == ["md", "text"]  # the last paragraph; the list item is text.list
    assert sorted(blocks(doc, "text")[0].scope) == ["list", "md", "text"]
    assert scopes["cell"] in (["cell", "md", "table", "text"], ["header", "md", "table", "text"])
    assert scopes["alt"] == ["alt", "attr", "md", "text"]
    assert scopes["link"] == ["link", "md"]
    assert scopes["strong"] == ["md", "strong"]
    assert scopes["emphasis"] == ["emphasis", "md"]
    assert scopes["paragraph"] == ["md", "paragraph"]
    assert scopes["sentence"] == ["md", "sentence"]


def test_text_keeps_prose_and_masks_inline_code_and_urls():
    doc = read_markdown(DOC)
    heading, item, last = blocks(doc, "heading")[0], *blocks(doc, "text")
    assert heading.text == "Getting started ***"
    assert item.text == "item one * star & link and \ncontinued"
    assert last.text == ('Text bold ***************** end. See *********************. '
                         'He said "I win".')
    assert [b.text for b in blocks(doc, "cell")] == ["Name", "Value", "a *", "c"]
    assert [b.text for b in blocks(doc, "alt")] == ["alt x"]
    assert [b.text for b in blocks(doc, "sentence")][-3:] == [
        "Text bold ***************** end.", "See *********************.", 'He said "I win".']


def column_of(line: int, piece: str) -> int:
    """1-based column of ``piece`` in line ``line`` of DOC, found by plain string search."""
    return DOC.splitlines()[line - 1].index(piece) + 1


def test_every_character_maps_back_to_its_line_and_column():
    doc = read_markdown(DOC)
    heading = blocks(doc, "heading")[0]
    start = column_of(4, "started")
    assert where(doc, heading, 8, 15) == ((4, start), (4, start + 6))
    item = blocks(doc, "text")[0]
    for piece in ("star", "link", "and"):  # after emphasis, an escape, an entity, a link
        at = item.text.index(piece)
        start = column_of(6, f" {piece} " if piece != "link" else "[link]") + 1
        assert where(doc, item, at, at + len(piece)) == ((6, start), (6, start + len(piece) - 1))
    assert where(doc, item, item.text.index("continued")) == ((7, 3), (7, 11))
    alt = blocks(doc, "alt")[0]
    start = column_of(6, "alt *x*")
    assert where(doc, alt) == ((6, start), (6, start + 5))
    cell = blocks(doc, "cell")[2]
    assert where(doc, cell) == ((11, 3), (11, 6))


def test_code_quotes_comments_frontmatter_and_urls_are_masked_in_the_file():
    doc = read_markdown(DOC + "\n```python\nprint('x')\n```\n\n<!-- a comment -->\n")
    text = doc.text
    for piece in ("title: Draft", "`now`", "https://a.example", "i.png", "quoted text",
                  "<https://x.example>", "https://example.com/x", "print('x')", "a comment"):
        start = text.index(piece)
        assert doc.is_masked(start, start + len(piece) - 1), piece
    prose = text.index("continued")
    assert not doc.is_masked(prose, prose + 8)
    assert "quoted" not in " ".join(b.text for b in doc.blocks)


def test_quotations_are_recorded_by_file_offset():
    doc = read_markdown(DOC)
    start = DOC.index("I win")
    assert doc.in_quotes(start, start + 4)
    assert not doc.in_quotes(start - 1, start + 4)


def test_counts_for_metric_rules():
    doc = read_markdown("# A\n\n## B\n\n- x\n- y\n\n> q\n\n```\ncode\n```\n\n    indented\n")
    assert doc.counts == {"heading_h1": 1, "heading_h2": 1, "list": 2, "blockquote": 1, "pre": 2}


def test_comment_controls_are_read_from_html_comments():
    doc = read_markdown("Text.\n\n<!-- vale off -->\n\nMore <!-- vale Google.Will = NO --> x.\n")
    assert [(c.kind, c.target) for c in doc.controls] == [("off", ""), ("set", "Google.Will")]


def test_frontmatter_end():
    assert frontmatter_end("---\na: 1\n---\nbody") == len("---\na: 1\n---\n")
    assert frontmatter_end("+++\na = 1\n+++\n") == len("+++\na = 1\n+++\n")
    assert frontmatter_end("---\nnever closed\n") == 0
    assert frontmatter_end("# no frontmatter") == 0


def test_jsx_components_and_their_code_are_not_prose():
    text = ('<Tabs items={["a", "b"]} title="x > y">\n\nProse inside.\n\n</Tabs>\n'
            "{`const x = \"a\";`}\n")
    spans = jsx_spans(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert '<Tabs items={["a", "b"]} title="x > y">' in covered
    assert "</Tabs>" in covered and '{`const x = "a";`}' in covered
    assert "Prose inside." not in covered
    doc = read_markdown(text)
    assert [b.text for b in doc.blocks if b.kind == "text"] == ["Prose inside."]


def test_generic_types_and_comparisons_stay_prose():
    text = "A List<String> holds x<Y values when a < B.\n"
    assert jsx_spans(text) == []


def test_mdx_import_lines_and_jsx_comments():
    text = "import Tabs from '@theme/Tabs';\n\n{/* vale off */}\n\nSome prose.\n"
    doc = read_markdown(text, mdx=True)
    assert [b.text for b in doc.blocks if b.kind == "text"] == ["Some prose."]
    assert [c.kind for c in doc.controls] == ["off"]


def test_ignored_scopes_mask_bold_text():
    doc = read_markdown("A **Product Name** here.", ignored_scopes={"strong"})
    assert blocks(doc, "text")[0].text == "A ************ here."


def test_token_and_block_ignores_are_masked():
    text = "Run {{< shortcode >}} now.\n\n{{% note %}}\nHidden text.\n{{% /note %}}\n\nShown.\n"
    token = text.index("{{<"), text.index(">}}") + 3
    block = text.index("{{%"), text.rindex("%}}") + 3
    doc = read_markdown(text, token_ignores=[token], block_ignores=[block])
    assert [b.text for b in blocks(doc, "text")] == ["Run ***************** now.", "Shown."]
