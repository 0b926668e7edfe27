"""Extract: bytes of a page or file -> main content as markdown, plus metadata.

trafilatura does the HTML work; around it, Kurt decodes the bytes correctly
(HTTP charset, BOM, ``<meta charset>``, then detection), keeps code blocks
verbatim with their language (``kurt.ingest.codeblocks``), tidies the markdown,
and flags pages that are JavaScript shells or have no main content. PDFs go
through pypdf; local markdown/MDX files keep their frontmatter as metadata.

Everything here is pure and CPU-bound: ``kurt.ingest.fetch`` runs it in a
process pool.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from kurt.ingest.codeblocks import CODE_MARK, LIST_ITEM, restore_code_blocks, take_code_blocks

JS_SHELL_MIN_BYTES = 50_000  # a page this big ...
JS_SHELL_MAX_WORDS = 50  # ... with fewer words of text than this is a JavaScript shell

HTML_TYPES = ("text/html", "application/xhtml+xml")
MARKDOWN_TYPES = ("text/markdown", "text/x-markdown")
TEXT_TYPES = ("text/plain",)
PDF_TYPES = ("application/pdf", "application/x-pdf")
TEXT_SUFFIXES = (".html", ".htm", ".xhtml", ".md", ".mdx", ".markdown", ".txt")
SNIFF_BYTES = 1024  # how much of a body is looked at to tell text from binary
_MAGIC = ((b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip data"), (b"RIFF", "RIFF media"),
          (b"\x7fELF", "an executable"), (b"\x00asm", "WebAssembly"), (b"wOF2", "a font"),
          (b"wOFF", "a font"))
_TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D, 0x1B}  # tab, newline, form feed, carriage return, escape

_LANG_MARK = "kurtlang-0c1f:"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_IMPORT_LINE = re.compile(r"^\s*(?:import\s.+from\s+['\"].+['\"];?|import\s+['\"].+['\"];?|export\s+(?:const|default|function|let)\b.*)\s*$")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


@dataclass
class Extraction:
    """What extraction produced. ``problem`` set means: nothing worth keeping (skip it)."""

    markdown: str = ""
    title: str | None = None
    description: str | None = None
    author: str | None = None
    published_date: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    word_count: int = 0
    mime_type: str | None = None
    problem: str | None = None  # e.g. "javascript shell: 180 KB of HTML but 12 words of text"


# -- dispatch -------------------------------------------------------------------


def extract_content(
    body: bytes, url: str, *, content_type: str | None = None, charset: str | None = None
) -> Extraction:
    """Extract any supported content; non-text content comes back with a ``problem``."""
    kind = sniff_kind(body, url, content_type, charset)
    if kind == "html":
        return extract_html(body, url, charset=charset)
    if kind == "pdf":
        return extract_pdf(body)
    if kind == "markdown":
        return extract_markdown(decode_text(body, charset), mdx=url.lower().endswith(".mdx"))
    if kind == "text":
        return extract_text(decode_text(body, charset))
    size = _size(len(body))
    evidence = binary_evidence(body[:SNIFF_BYTES], charset)
    ctype = (content_type or "").split(";")[0].strip().lower()
    suffix = PurePosixPath(url.lower().split("?")[0].split("#")[0]).suffix
    if evidence and _declared_text(ctype, suffix):
        shown = ctype or f"a {suffix} file"
        return Extraction(mime_type=content_type,
                          problem=f"binary content served as {shown} ({evidence}: not text, {size})")
    shown = content_type or "binary data"
    return Extraction(mime_type=content_type, problem=f"not text: {shown} ({size})")


def _declared_text(ctype: str, suffix: str) -> bool:
    """Whether the type (or, without one, the file name) says the content is text."""
    if ctype:
        return ctype.startswith("text/") or ctype in HTML_TYPES
    return suffix in TEXT_SUFFIXES


def sniff_kind(body: bytes, url: str, content_type: str | None, charset: str | None = None) -> str:
    """'html', 'pdf', 'markdown', 'text' or 'binary', from the type, the name and the bytes.

    Bytes that are plainly not text (NUL or control bytes, an image's or an
    archive's signature) are 'binary' whatever the type says.
    """
    ctype = (content_type or "").split(";")[0].strip().lower()
    path = url.lower().split("?")[0].split("#")[0]
    head = body[:SNIFF_BYTES]
    if ctype in PDF_TYPES or head.startswith(b"%PDF-"):
        return "pdf"
    if binary_evidence(head, charset):
        return "binary"
    if ctype in HTML_TYPES or path.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if ctype in MARKDOWN_TYPES or path.endswith((".md", ".mdx", ".markdown")):
        return "markdown"
    if ctype in TEXT_TYPES or path.endswith(".txt"):
        return "text"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in lowered:
        return "html"
    if ctype.startswith("text/") or not ctype:
        return "text"
    return "binary"


def binary_evidence(head: bytes, charset: str | None = None) -> str | None:
    """Why the first bytes of a body are not text ("NUL bytes", "a PNG image", ...), or None."""
    if not head:
        return None
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or \
            (_codec(charset) or "").startswith(("utf-16", "utf-32")):
        return None  # NUL bytes are how these encodings write ASCII
    if b"\x00" in head:
        return "NUL bytes"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if controls * 20 > len(head):  # more than 5 % control bytes
        return "control bytes"
    return None


# -- decoding -------------------------------------------------------------------


def decode_text(body: bytes, charset: str | None = None) -> str:
    """Bytes -> text: a BOM, else the declared charset, else UTF-8, else detection.

    The declared charset is the HTTP one (``charset``), else ``<meta charset>``.
    Declared text is decoded as declared, a bad byte sequence becoming U+FFFD as
    in a browser: one bad byte in a UTF-8 page must not turn the whole page into
    mojibake ("CafÃ©"). Undeclared UTF-8 with a few bad bytes is read the same way
    (``_mostly_utf8``). Only undeclared bytes that are not UTF-8 are guessed
    (charset-normalizer; Western text is read as cp1252, as browsers do).
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    encoding = declared_encoding(body, charset)
    if encoding is not None:
        return body.decode(encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (mostly := _mostly_utf8(body)) is not None:
        return mostly
    from charset_normalizer import from_bytes

    matches = list(from_bytes(body[:200_000]))
    if any(m.encoding in ("cp1252", "latin_1", "iso8859_15") for m in matches):
        return body.decode("cp1252", errors="replace")  # Western text: what browsers assume
    if matches and matches[0].encoding:
        return body.decode(matches[0].encoding, errors="replace")
    return body.decode("cp1252", errors="replace")


def _mostly_utf8(body: bytes) -> str | None:
    """``body`` as UTF-8 with U+FFFD for its bad bytes, when it is UTF-8 text with a few bad
    bytes in it: its valid multi-byte characters outnumber its bad sequences two to one.
    Text in a single-byte charset (cp1252, ...) almost never forms a valid multi-byte UTF-8
    sequence, so it is left to detection; UTF-8 with one stray byte is not read as cp1252."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")  # minus U+FFFD written as such
    multibyte = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    return text if bad > 0 and multibyte >= 2 * bad else None


def declared_encoding(body: bytes, charset: str | None = None) -> str | None:
    """The Python codec the HTTP ``charset``, else the ``<meta charset>``, names; None when neither
    names one Python knows."""
    encoding = _browser_codec(_codec(charset))
    if encoding is not None:
        return encoding
    match = _META_CHARSET.search(body[:4096])
    encoding = _browser_codec(_codec(match.group(1).decode("ascii", "ignore"))) if match else None
    if encoding is not None and encoding.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a <meta> read as ASCII is not UTF-16: the HTML standard reads UTF-8 then
    return encoding


def _browser_codec(encoding: str | None) -> str | None:
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"  # what browsers do with a latin-1 or ASCII label
    return encoding


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None


# -- HTML -----------------------------------------------------------------------


def extract_html(body: bytes, url: str, *, charset: str | None = None) -> Extraction:
    """The main content of an HTML page as markdown, with its metadata."""
    import lxml.html
    from lxml import etree

    text = _repair_html(decode_text(body, charset))
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return Extraction(mime_type="text/html", problem="no main content found: the HTML is empty")
    language = (tree.get("lang") or tree.get("xml:lang") or "").strip() or None
    canonical = None
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = _absolute(url, link.get("href").strip())  # no credentials kept
            break
    _absolutize_links(tree, url)
    blocks = take_code_blocks(tree)

    markdown, meta = _trafilatura(tree, url)
    if not markdown.strip():
        markdown = _fallback_text(tree)
    markdown = tidy_markdown(restore_code_blocks(nest_list_items(markdown), blocks))
    words = count_words(markdown)
    result = Extraction(
        markdown=markdown,
        title=meta.get("title") or _html_title(tree),
        description=meta.get("description"),
        author=meta.get("author"),
        published_date=meta.get("date"),
        canonical_url=canonical,
        language=language or meta.get("language"),
        word_count=words,
        mime_type="text/html",
    )
    if len(body) >= JS_SHELL_MIN_BYTES and words < JS_SHELL_MAX_WORDS:
        result.problem = (f"javascript shell: {_size(len(body))} of HTML but {words} words of text "
                          "(the page is rendered by JavaScript in the browser)")
    elif words == 0:
        result.problem = "no main content found"
    return result


def _repair_html(text: str) -> str:
    """Close a ``<title>`` left open (it would swallow the whole page as its text)."""
    head = text[:20_000].lower()
    start = head.find("<title")
    if start != -1 and "</title" not in text.lower():
        end = text.find(">", start)
        line_end = text.find("\n", end)
        tag_end = text.find("<", end + 1)
        cut = min(p for p in (line_end, tag_end, len(text)) if p != -1)
        text = text[:cut] + "</title>" + text[cut:]
    return text


def _trafilatura(tree, url: str) -> tuple[str, dict]:
    from trafilatura.core import bare_extraction, determine_returnstring
    from trafilatura.settings import Extractor

    options = Extractor(output_format="markdown", comments=False, formatting=True, links=True,
                        tables=True, images=False, with_metadata=True, url=url)
    document = bare_extraction(tree, options=options, as_dict=False)
    if document is None:
        return "", {}
    meta = {
        "title": document.title, "description": document.description,
        "author": document.author, "date": document.date, "language": document.language,
    }
    options.with_metadata = False  # no metadata header in the markdown itself
    return determine_returnstring(document, options) or "", meta


def _absolutize_links(tree, url: str) -> None:
    """Resolve every ``<a href>`` against the page (or its ``<base href>``).

    trafilatura resolves relative links against the site's root, which breaks
    page-relative links (``setup``, ``../api``) and in-page anchors (``#usage``).
    """
    from urllib.parse import urljoin

    base = url
    for element in tree.iterfind(".//base[@href]"):
        base = urljoin(url, element.get("href").strip())
        break
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
            continue
        try:
            link.set("href", urljoin(base, href))
        except ValueError:  # a malformed URL (bad IPv6 literal, ...): leave it as it is
            continue


def nest_list_items(markdown: str) -> str:
    """Indent nested list items to their parent's content column.

    trafilatura indents a nested item by two spaces whatever its parent's
    marker; under ``1. `` that is not enough, and the sub-list would become a
    list of its own. Works on trafilatura's output, where each item is one line.
    """
    out: list[str] = []
    stack: list[tuple[int, int]] = []  # (indent in the input, content column in the output)
    for line in markdown.split("\n"):
        item = LIST_ITEM.match(line)
        if item is None:
            if CODE_MARK not in line:  # a code block placeholder stays in its item
                stack.clear()
            out.append(line)
            continue
        indent = len(item.group(1))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        new_indent = stack[-1][1] if stack else indent
        marker = len(item.group(0)) - len(item.group(1))
        stack.append((indent, new_indent + marker))
        out.append(" " * new_indent + line[indent:])
    return "\n".join(out)


def _fallback_text(tree) -> str:
    """Plain paragraphs of the main area when trafilatura found nothing."""
    for bad in tree.xpath("//script|//style|//noscript|//template|//nav|//header|//footer|//aside"):
        bad.drop_tree() if bad.getparent() is not None else None
    main = (tree.xpath("//main") or tree.xpath("//article") or tree.xpath("//body") or [tree])[0]
    blocks = []
    for element in main.iter("h1", "h2", "h3", "h4", "p", "li", "pre", "td"):
        text = " ".join(element.text_content().split())
        if not text:
            continue
        if element.tag in ("h1", "h2", "h3", "h4"):
            text = "#" * int(element.tag[1]) + " " + text
        elif element.tag == "li":
            text = "- " + text
        blocks.append(text)
    return "\n\n".join(blocks)


def _html_title(tree) -> str | None:
    h1 = tree.find(".//h1")
    if h1 is not None and h1.text_content().strip():
        return " ".join(h1.text_content().split())
    title = tree.find(".//title")
    if title is not None and title.text_content().strip():
        return " ".join(title.text_content().split())
    return None


def tidy_markdown(markdown: str) -> str:
    """Restore code languages, put blank lines around fences and tables, strip trailing blanks."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    in_fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if in_fence is None and match:
            indent, fence, info = match.groups()
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if following.startswith(_LANG_MARK) and not info.strip():
                info = following[len(_LANG_MARK):].strip()
            if out and out[-1].strip():
                out.append("")
            out.append(f"{indent}{fence}{info.strip()}")
            in_fence = fence
            continue
        if in_fence is not None:
            if line.startswith(_LANG_MARK) and out and _FENCE.match(out[-1]):
                continue  # the marker line, already folded into the fence
            if match and match.group(2).startswith(in_fence) and not match.group(3).strip():
                out.append(line.rstrip())
                out.append("")
                in_fence = None
                continue
            out.append(line)
            continue
        line = line.replace(_LANG_MARK, "").rstrip()
        is_row = line.lstrip().startswith("|")
        was_row = bool(out) and out[-1].lstrip().startswith("|")
        if is_row and out and out[-1].strip() and not was_row:
            out.append("")
        if not is_row and was_row and line.strip():
            out.append("")
        if not line.strip() and out and not out[-1].strip():
            continue  # one blank line is enough
        out.append(line)
    text = "\n".join(_add_table_separators(out)).strip("\n")
    return text + "\n" if text else ""


_SEPARATOR = re.compile(r"^\s*\|(\s*:?-+:?\s*\|)+\s*$")


def _add_table_separators(lines: list[str]) -> list[str]:
    """A markdown table needs a ``|---|`` line after its first row; add it when missing."""
    out: list[str] = []
    fenced = False
    for index, line in enumerate(lines):
        out.append(line)
        if _FENCE.match(line):
            fenced = not fenced
        is_row = not fenced and line.lstrip().startswith("|")
        starts = is_row and (index == 0 or not lines[index - 1].lstrip().startswith("|"))
        if starts and index + 1 < len(lines) and lines[index + 1].lstrip().startswith("|") \
                and not _SEPARATOR.match(lines[index + 1]):
            columns = max(1, line.strip().strip("|").count("|") + 1)
            out.append("|" + "---|" * columns)
    return out


# -- PDF, markdown, text -----------------------------------------------------------


def extract_pdf(body: bytes) -> Extraction:
    """The text of a PDF, page by page; scanned PDFs (no text layer) have a problem."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(body))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        return Extraction(mime_type="application/pdf", problem=f"unreadable PDF: {exc}")
    text = "\n\n".join(p for p in pages if p)
    title = _pdf_field(info, "/Title")
    markdown = tidy_markdown(text)
    result = Extraction(markdown=markdown, title=title, author=_pdf_field(info, "/Author"),
                        word_count=count_words(markdown), mime_type="application/pdf")
    if not result.word_count:
        result.problem = f"PDF without a text layer ({len(pages)} pages, probably scanned)"
    return result


def _pdf_field(info, key: str) -> str | None:
    try:
        value = info.get(key)
    except (AttributeError, TypeError):
        return None
    value = str(value).strip() if value else ""
    return value or None


def extract_markdown(text: str, *, mdx: bool = False) -> Extraction:
    """A markdown/MDX file: frontmatter fields become metadata; the body is kept as written
    (MDX import/export lines removed)."""
    meta, body = split_frontmatter(text)
    if mdx:
        body = _strip_mdx_imports(body)
    body = body.lstrip("\n")
    title = _str(meta.get("title"))
    if not title:
        match = _H1.search(body)
        title = match.group(1).strip() if match else None
    result = Extraction(
        markdown=body if body.endswith("\n") or not body else body + "\n",
        title=title,
        description=_str(meta.get("description") or meta.get("summary")),
        author=_author(meta.get("author") or meta.get("authors")),
        published_date=_str(meta.get("date") or meta.get("published") or meta.get("pubDate")),
        language=_str(meta.get("lang") or meta.get("language")),
        canonical_url=_no_credentials(_str(meta.get("canonical") or meta.get("canonical_url"))),
        word_count=count_words(body),
        mime_type="text/markdown",
    )
    if not result.word_count:
        result.problem = "empty file"
    return result


def extract_text(text: str) -> Extraction:
    """A plain-text file, kept as it is; the first line is its title."""
    body = text.replace("\r\n", "\n").strip("\n")
    first = next((line.strip() for line in body.splitlines() if line.strip()), None)
    result = Extraction(markdown=body + "\n" if body else "", title=first[:200] if first else None,
                        word_count=count_words(body), mime_type="text/plain")
    if not result.word_count:
        result.problem = "empty file"
    return result


def split_frontmatter(text: str) -> tuple[dict, str]:
    """``---`` YAML frontmatter -> (fields, body); a broken block is kept as body."""
    if not text.startswith("---"):
        return {}, text
    match = re.match(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?---[ \t]*(?:\r?\n|\Z)", text, re.S)
    if not match:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    return data, text[match.end():]


def _strip_mdx_imports(body: str) -> str:
    out, fence = [], None
    for line in body.split("\n"):
        match = _FENCE.match(line)
        if match:
            fence = None if fence and match.group(2).startswith(fence) else (fence or match.group(2))
        if fence is None and _IMPORT_LINE.match(line):
            continue
        out.append(line)
    return "\n".join(out)


def _str(value) -> str | None:
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip() or None


def _author(value) -> str | None:
    if isinstance(value, list):
        names = [_str(v.get("name") if isinstance(v, dict) else v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, dict):
        return _str(value.get("name"))
    return _str(value)


# -- small helpers -----------------------------------------------------------------


def count_words(markdown: str) -> int:
    return len(re.findall(r"\w+", markdown))


def _absolute(base: str, href: str) -> str:
    from urllib.parse import urljoin

    from kurt.ingest.urls import strip_userinfo

    try:
        return strip_userinfo(urljoin(base, href))
    except ValueError:  # a malformed href (e.g. a broken IPv6 host)
        return href


def _no_credentials(url: str | None) -> str | None:
    from kurt.ingest.urls import strip_userinfo

    return strip_userinfo(url) if url else url


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n // 1_000} KB"
    return f"{n} bytes"
