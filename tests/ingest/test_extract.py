"""kurt.ingest.extract: HTML, PDF, markdown and text to markdown plus metadata."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kurt.ingest.extract import (
    binary_evidence,
    decode_text,
    extract_content,
    extract_html,
    extract_markdown,
    extract_pdf,
    nest_list_items,
    sniff_kind,
    tidy_markdown,
)
from kurt.sample_site import build_png, build_text_pdf, load_markdown_site


@pytest.fixture(scope="module")
def railway_site(railway_corpus: Path):
    return load_markdown_site(railway_corpus, misbehaving=True)


def _bad(site, route: str):
    return site.respond("GET", f"/bad/{route}", {}, "http://site.test", threading.Event())


def _page(site, path: str) -> bytes:
    return site.render(path, "http://site.test").body


def test_rendered_page_keeps_code_language(railway_site):
    result = extract_html(_page(railway_site, "/docs/cli/postgres"), "http://site.test/docs/cli/postgres")
    assert "```bash\nrailway postgres [OPTIONS] <COMMAND>\n```" in result.markdown
    assert "kurtlang" not in result.markdown


def test_rendered_page_keeps_tables_headings_and_lists(railway_site):
    md = extract_html(_page(railway_site, "/docs/cli/postgres"), "http://x/docs/cli/postgres").markdown
    assert "## Usage" in md
    assert "| Command | Description |\n|---|---|\n| `pitr` |" in md
    assert "- `ghcr.io/railwayapp-templates/postgres-ssl`" in md


def test_rendered_page_keeps_links(railway_site):
    page = "/docs/integrations/api"
    md = extract_html(_page(railway_site, page), "http://site.test" + page).markdown
    assert "[Introduction to GraphQL](http://site.test/docs/integrations/api/graphql-overview)" in md


def test_boilerplate_is_left_out(railway_site):
    md = extract_html(_page(railway_site, "/docs/cli/postgres"), "http://x/docs/cli/postgres").markdown
    assert "Subscribe to our newsletter" not in md
    assert "In this section" not in md


def test_metadata_from_page(railway_site):
    result = extract_html(_page(railway_site, "/docs/cli/postgres"), "http://site.test/docs/cli/postgres")
    assert result.title == "railway postgres"
    assert result.description and "PostgreSQL" in result.description
    assert result.canonical_url == "http://site.test/docs/cli/postgres"
    assert result.language == "en"
    assert result.word_count > 500
    assert result.problem is None


def test_latin1_page_is_decoded(railway_site):
    resp = _bad(railway_site, "latin1")
    result = extract_content(resp.body, "http://x/bad/latin1", content_type="text/html", charset="iso-8859-1")
    assert "Café déjà vu: a naïve façade, crème brûlée" in result.markdown


def test_latin1_page_without_http_charset_uses_meta_charset(railway_site):
    result = extract_html(_bad(railway_site, "latin1").body, "http://x/bad/latin1")
    assert "crème brûlée" in result.markdown


def test_malformed_html_keeps_its_text(railway_site):
    result = extract_html(_bad(railway_site, "malformed").body, "http://x/bad/malformed")
    assert result.problem is None
    assert "The text content survives even though the markup is broken." in result.markdown
    assert result.title == "Malformed markup"


def test_javascript_shell_is_flagged(railway_site):
    result = extract_html(_bad(railway_site, "js-shell").body, "http://x/bad/js-shell")
    assert result.problem.startswith("javascript shell: ")
    assert "KB of HTML but" in result.problem


def test_empty_page_has_no_main_content():
    result = extract_html(b"<html><head><title>T</title></head><body><script>var a = 1;</script><div></div></body></html>", "http://x/")
    assert result.problem == "no main content found"


def test_binary_content_is_refused():
    result = extract_content(build_png(), "http://x/image", content_type="image/png")
    assert result.problem.startswith("not text: image/png")


def test_octet_stream_zip_is_refused():
    result = extract_content(b"PK\x03\x04" + b"\x00" * 100, "http://x/a.zip",
                             content_type="application/octet-stream")
    assert result.problem.startswith("not text: application/octet-stream")


def test_pdf_text_is_extracted():
    result = extract_pdf(build_text_pdf(["First line of the PDF.", "Second line here."]))
    assert "First line of the PDF." in result.markdown
    assert result.title == "Sample PDF"
    assert result.problem is None


def test_broken_pdf_is_a_problem_not_a_crash():
    result = extract_pdf(b"%PDF-1.4\nthis is not really a pdf")
    assert result.problem


def test_markdown_frontmatter_becomes_metadata():
    text = ("---\ntitle: Deploy with Docker\ndescription: How to deploy\nauthor: Ada\n"
            "date: 2024-05-01\n---\n\n# Heading\n\nBody text.\n")
    result = extract_markdown(text)
    assert (result.title, result.description, result.author, result.published_date) == (
        "Deploy with Docker", "How to deploy", "Ada", "2024-05-01")
    assert result.markdown == "# Heading\n\nBody text.\n"


def test_mdx_import_lines_are_removed_but_code_is_kept():
    text = ("import { Tabs } from '@/components/tabs';\n\n# Title\n\n```js\n"
            "import x from 'y';\n```\n")
    result = extract_markdown(text, mdx=True)
    assert "@/components" not in result.markdown
    assert "import x from 'y';" in result.markdown


def test_markdown_title_falls_back_to_first_heading():
    assert extract_markdown("Intro\n\n# The Title\n\ntext\n").title == "The Title"


@pytest.mark.parametrize(
    ("body", "url", "ctype", "kind"),
    [
        (b"<!doctype html><html></html>", "http://x/a", None, "html"),
        (b"%PDF-1.4 ...", "http://x/a", "application/octet-stream", "pdf"),
        (b"# Title", "http://x/readme.md", None, "markdown"),
        (b"hello", "http://x/a.txt", None, "text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "http://x/a", None, "binary"),
        (b"<html><body>x</body></html>", "http://x/a", "text/html", "html"),
        (b"\x00\x01\x02", "http://x/a", "application/octet-stream", "binary"),
    ],
)
def test_sniff_kind(body, url, ctype, kind):
    assert sniff_kind(body, url, ctype) == kind


@pytest.mark.parametrize(
    ("body", "charset", "text"),
    [
        ("déjà".encode(), None, "déjà"),
        ("déjà".encode("latin-1"), "iso-8859-1", "déjà"),
        (b'<meta charset="windows-1252"><p>' + "€uro".encode("cp1252"), None, "€uro"),
        (b"\xef\xbb\xbfBOM text", None, "BOM text"),
        ("naïve café crème brûlée à la façon".encode("latin-1"), None, "naïve café"),
    ],
)
def test_decode_text(body, charset, text):
    assert text in decode_text(body, charset)


BAD_UTF8 = "<p>Café au lait, déjà vu</p><p>one bad byte: ".encode() + b"\xff\xfe" + b" end</p>"


@pytest.mark.parametrize(
    ("body", "charset"),
    [
        (BAD_UTF8, "utf-8"),  # the HTTP header says UTF-8
        (b'<meta charset="utf-8">' + BAD_UTF8, None),  # <meta charset>
        (b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">' + BAD_UTF8, None),
        (b'<meta charset="windows-1252">' + BAD_UTF8, "utf8"),  # the header wins over <meta>
        (b'<meta charset="utf-8">' + BAD_UTF8, "no-such-charset"),  # an unknown label is no declaration
        (b'<meta charset="utf-16">' + BAD_UTF8, None),  # a <meta> read as ASCII cannot mean UTF-16
    ],
)
def test_declared_utf8_with_bad_bytes_keeps_the_rest(body, charset):
    text = decode_text(body, charset)
    assert "Café au lait, déjà vu" in text
    assert "one bad byte: \ufffd\ufffd end" in text
    assert "Ã" not in text


def test_undeclared_bytes_that_are_not_utf8_are_guessed():
    assert "Café déjà vu" in decode_text("<p>Café déjà vu, à la façon de crème brûlée</p>".encode("cp1252"))


def test_declared_utf8_page_with_a_bad_byte_is_extracted_with_its_accents():
    page = ('<html><head><meta charset="utf-8"><title>Café</title></head><body><main><article>'
            "<h1>Café</h1><p>Un café crème, déjà servi, and a stray byte: ").encode() \
        + b"\xe9" + b" that follows. Enough words to make this paragraph the main content.</p>" \
        + b"</article></main></body></html>"
    result = extract_content(page, "http://x/cafe", content_type="text/html")
    assert result.problem is None
    assert "Un café crème, déjà servi" in result.markdown and "\ufffd that follows" in result.markdown


@pytest.mark.parametrize(
    ("body", "evidence"),
    [
        (b"<html>" + b"\x00" * 64 + b"<body>text</body></html>", "NUL bytes"),
        (build_png(), "a PNG image"),
        (bytes(range(1, 32)) * 8, "control bytes"),
        (b"\x1f\x8b\x08\x00" + b"x" * 100, "gzip data"),
    ],
)
def test_binary_served_as_html_says_binary(body, evidence):
    result = extract_content(body * 20, "http://x/page", content_type="text/html; charset=utf-8")
    assert result.problem.startswith(f"binary content served as text/html ({evidence}: not text, ")
    assert "javascript" not in result.problem


def test_binary_in_a_local_markdown_file_says_binary():
    result = extract_content(b"\x00\x01binary", "file:///docs/notes.md")
    assert result.problem.startswith("binary content served as a .md file (NUL bytes")


@pytest.mark.parametrize(
    ("body", "charset", "binary"),
    [
        ("<html><body>été</body></html>".encode("utf-16-le"), "utf-16", False),
        ("<html><body>été</body></html>".encode("utf-16-le"), None, True),
        (b"<html><body>\x1b[1mbold\x1b[0m\ttabbed\r\n\x0cpage</body></html>", None, False),
        ("<p>crème brûlée</p>".encode("cp1252"), None, False),
    ],
)
def test_binary_evidence(body, charset, binary):
    assert (binary_evidence(body, charset) is not None) == binary


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("text\n```\nkurtlang-0c1f:python\nprint(1)\n```\nafter", "text\n\n```python\nprint(1)\n```\n\nafter\n"),
        ("| a | b | \n| c | d | ", "| a | b |\n|---|---|\n| c | d |\n"),
        ("para\n| a |\n|---|\n| b |\nnext", "para\n\n| a |\n|---|\n| b |\n\nnext\n"),
        ("a\n\n\n\nb", "a\n\nb\n"),
        ("```\n| not a table\n| at all\n```", "```\n| not a table\n| at all\n```\n"),
    ],
)
def test_tidy_markdown(markdown, expected):
    assert tidy_markdown(markdown) == expected


def _article(body: str) -> bytes:
    return ("<html><body><main><article><h1>Page</h1><p>An introduction with enough words to be "
            "kept as the main content of this article by the extractor.</p>" + body
            + "<p>A closing paragraph with a few more words of text.</p></article></main></body></html>"
            ).encode()


def test_rendered_guide_keeps_code_inside_list_items(railway_site):
    page = "/guides/deploy-an-otel-collector-stack"
    md = extract_html(_page(railway_site, page), "http://site.test" + page).markdown
    assert "  ```npm\n  npm i express" in md
    assert 'require("./dice.js");\n\n  const PORT' in md  # the blank line in the code is kept


@pytest.mark.parametrize(
    ("href", "resolved"),
    [
        ("setup", "http://x/docs/guide/setup"),
        ("../api", "http://x/docs/api"),
        ("#usage", "http://x/docs/guide/page#usage"),
        ("/root", "http://x/root"),
        ("https://other.test/p", "https://other.test/p"),
    ],
)
def test_links_resolve_against_the_page_not_the_site_root(href, resolved):
    html = _article(f'<p>Read <a href="{href}">the link</a> for more words here.</p>')
    assert f"[the link]({resolved})" in extract_html(html, "http://x/docs/guide/page").markdown


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("1. one\n  - sub\n2. two", "1. one\n   - sub\n2. two"),
        ("10. ten\n  - sub\n    - deeper", "10. ten\n    - sub\n      - deeper"),
        ("- a\n  - b\n- c", "- a\n  - b\n- c"),
        ("text\n  - alone", "text\n  - alone"),
        ("1. one\n  - a\nkurtcode0c1f0x\n  - b", "1. one\n   - a\nkurtcode0c1f0x\n   - b"),
    ],
)
def test_nest_list_items(markdown, expected):
    assert nest_list_items(markdown) == expected


def test_a_canonical_url_keeps_no_credentials():
    page = (b'<html><head><title>T</title><link rel="canonical" href="https://u:p@site.test/a">'
            b"</head><body><main><h1>T</h1>" + b"<p>Some words of text here.</p>" * 20
            + b"</main></body></html>")
    assert extract_html(page, "https://site.test/a").canonical_url == "https://site.test/a"
    md = extract_markdown("---\ncanonical: https://u:p@site.test/b\n---\n# B\n\nText.\n")
    assert md.canonical_url == "https://site.test/b"
