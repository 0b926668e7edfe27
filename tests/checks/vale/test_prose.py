from kurt.checks.vale.blocks import Document
from kurt.checks.vale.prose import BlockMaker, Collector, blank_spans, read_plain_text


def collected(text: str, start: int = 0) -> Collector:
    c = Collector()
    c.add(text, range(start, start + len(text)))
    return c


def test_a_paragraph_becomes_paragraph_sentence_and_text_blocks():
    doc = Document("One. Two.", "md")
    BlockMaker(doc).finish(collected("One. Two."), frozenset({"text", "md"}), "text",
                           sentences=True, summary=True)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "One. Two."), ("sentence", "One."), ("sentence", "Two."), ("text", "One. Two.")]
    assert doc.summary_parts[0].text == "One. Two."


def test_bare_urls_and_token_ignores_become_stars_and_are_masked():
    text = "See https://example.com/a. And {{x}} here."
    doc = Document(text, "md")
    ignore = (text.index("{{"), text.index("}}") + 2)
    BlockMaker(doc, [ignore]).finish(collected(text), frozenset({"text", "md"}), "text")
    assert doc.blocks[0].text == "See *********************. And ***** here."
    url = text.index("https")
    assert doc.is_masked(url, url + 20)


def test_blank_prose_or_only_masked_text_makes_no_block():
    doc = Document("`code`", "md")
    BlockMaker(doc).finish(collected("****"), frozenset({"text", "md"}), "text")
    BlockMaker(doc).finish(collected(" \n "), frozenset({"text", "md"}), "text")
    assert doc.blocks == []


def test_quotations_are_recorded():
    text = 'He said "go now" and “stop”.'
    doc = Document(text, "md")
    BlockMaker(doc).finish(collected(text), frozenset({"text", "md"}), "text")
    assert [text[a:b] for a, b in doc.quotes] == ["go now", "stop"]


def test_plain_text_paragraphs_and_blank():
    doc = read_plain_text("First line\nsame paragraph.\n\nSecond one. Two sentences.\n")
    texts = [b.text for b in doc.blocks if b.kind == "text"]
    assert texts == ["First line\nsame paragraph.", "Second one. Two sentences."]
    assert [b.text for b in doc.blocks if b.kind == "sentence"][-2:] == ["Second one.",
                                                                         "Two sentences."]
    assert doc.ext == "txt" and all("txt" in b.scope for b in doc.blocks)
    assert blank_spans("ab\ncd", [(1, 4)]) == "a \n d"
