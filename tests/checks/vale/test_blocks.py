from kurt.checks.vale.blocks import Block, Document


def test_position_is_one_based_line_and_column_in_characters():
    doc = Document("ab\ncafé x\n\nend", "md")
    assert doc.position(0) == (1, 1)
    assert doc.position(3) == (2, 1)
    assert doc.position(8) == (2, 6)  # "x" after the four characters of "café" and a space
    assert doc.position(11) == (4, 1)


def test_masked_ranges_merge_and_must_cover_the_whole_match():
    doc = Document("x" * 40, "md")
    doc.mask(5, 10)
    doc.mask(8, 15)
    doc.mask(20, 22)
    assert doc.is_masked(5, 14)
    assert not doc.is_masked(4, 6)
    assert not doc.is_masked(14, 20)
    assert doc.is_masked(21, 21)


def test_in_quotes_needs_the_whole_match_inside_one_quotation():
    doc = Document('say "a b" and "c"', "md")
    doc.quotes = [(5, 8), (15, 16)]
    assert doc.in_quotes(5, 7)
    assert not doc.in_quotes(4, 7)
    assert not doc.in_quotes(7, 15)


def test_span_maps_a_text_range_to_first_and_last_file_offsets():
    block = Block("ab c", [10, 11, 20, 21], frozenset({"text"}), frozenset(), "text")
    assert block.span(0, 2) == (10, 11)
    assert block.span(3, 4) == (21, 21)
    assert block.slice(1, 3, frozenset({"sentence"}), frozenset(), "sentence").offsets == [11, 20]


def test_summary_and_raw_blocks():
    doc = Document("Para one.\n\n```\ncode\n```\n\nPara two.\n", "md")
    doc.summary_parts = [
        Block("Para one.", list(range(0, 9)), frozenset({"text", "md"}), frozenset(), "text"),
        Block("Para two.", list(range(25, 34)), frozenset({"text", "md"}), frozenset(), "text"),
    ]
    summary = doc.summary()
    assert summary.text == "Para one.\n\nPara two."
    assert summary.scope == frozenset({"summary", "md"})
    assert summary.span(11, 15) == (25, 28)
    doc.mask(11, 23)
    raw = doc.raw()
    assert raw.text == "Para one.\n\n   \n    \n   \n\nPara two.\n"
    assert raw.scope == frozenset({"raw", "md"})
