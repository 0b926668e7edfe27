"""Splitting stored markdown into sections, and storing them (FTS follows)."""

from __future__ import annotations

import pytest

from kurt.index.sections import MAX_WORDS, Section, clean_heading, replace_sections, split_sections
from kurt.store.documents import Discovered, add_discovered, document_id

FRONT = "---\nurl: https://x.test/a\ntitle: Guide\n---\n\n"


def outline(sections):
    return [(s.heading, s.heading_path, s.level, s.line_start, s.line_end) for s in sections]


def test_frontmatter_is_skipped_and_line_numbers_stay_true_to_the_file():
    text = FRONT + "Intro line.\n\n## Setup\n\nInstall it.\n"
    sections = split_sections(text, title="Guide")
    assert outline(sections) == [
        (None, "Guide", 0, 6, 6),
        ("Setup", "Guide > Setup", 2, 8, 10),
    ]
    lines = text.split("\n")
    assert lines[sections[1].line_start - 1] == "## Setup"
    assert lines[sections[1].line_end - 1] == "Install it."
    assert sections[1].body == "Install it."


def test_headings_nest_into_a_path_and_pop_at_the_same_level():
    text = "# Guide\n## Setup\n### Step 1\none\n### Step 2\ntwo\n## Usage\nthree\n"
    paths = [s.heading_path for s in split_sections(text, title="Guide")]
    assert paths == ["Guide", "Guide > Setup", "Guide > Setup > Step 1",
                     "Guide > Setup > Step 2", "Guide > Usage"]


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_headings_inside_fenced_code_are_not_headings(fence):
    text = f"## Real\n{fence}bash\n# a shell comment\n## not a heading\n{fence}\nafter\n"
    sections = split_sections(text)
    assert [s.heading for s in sections] == ["Real"]
    assert "# a shell comment" in sections[0].body


def test_an_unclosed_fence_runs_to_the_end():
    sections = split_sections("## A\n```\n## inside\n")
    assert [s.heading for s in sections] == ["A"]


@pytest.mark.parametrize("raw, expected", [
    ("Setup ##", "Setup"),
    ("**Bold** and `code`", "Bold and code"),
    ("[Link text](https://x.test) here", "Link text here"),
    ("C# basics", "C# basics"),
    ("  spaced   out  ", "spaced out"),
    ("<Badge>New</Badge> API", "New API"),
    ("`timeout[Symbol.toPrimitive]()`", "timeout[Symbol.toPrimitive]()"),  # code, not a link
    ("Class: `net.Server` and [docs](https://x.test)", "Class: net.Server and docs"),
])
def test_clean_heading(raw, expected):
    assert clean_heading(raw) == expected


@pytest.mark.parametrize("line, is_heading", [
    ("## Setup", True),
    ("###### Six", True),
    ("####### Seven", False),
    ("#hashtag", False),
    ("    ## indented code", False),
    ("   ## three spaces", True),
])
def test_atx_heading_rules(line, is_heading):
    sections = split_sections(f"intro\n{line}\nbody\n")
    assert (len(sections) == 2) is is_heading


def test_empty_text_before_the_first_heading_makes_no_section():
    sections = split_sections(FRONT + "\n\n## Only\nbody\n", title="Guide")
    assert [s.heading for s in sections] == ["Only"]


def test_a_heading_equal_to_the_title_is_not_repeated_in_the_path():
    sections = split_sections("# Guide\n\n## Next\nx\n", title="Guide")
    assert [s.heading_path for s in sections] == ["Guide", "Guide > Next"]


def test_no_title_and_no_headings_gives_one_section_with_an_empty_path():
    assert outline(split_sections("just text\n")) == [(None, "", 0, 1, 1)]


def test_empty_file_and_frontmatter_only_give_no_sections():
    assert split_sections("") == []
    assert split_sections(FRONT) == []


def test_an_empty_section_keeps_its_heading_line():
    sections = split_sections("## A\n## B\ntext\n")
    assert outline(sections)[0] == ("A", "A", 2, 1, 1)


def test_long_sections_are_cut_into_passages_on_paragraph_boundaries():
    paragraph = " ".join(["word"] * 100)
    body = "\n\n".join([paragraph] * 12)  # 1,200 words
    text = "## Long\n\n" + body + "\n## Next\nshort\n"
    sections = split_sections(text, title="T")
    long = [s for s in sections if s.heading_path == "T > Long"]
    assert len(long) >= 3
    assert long[0].heading == "Long" and all(s.heading is None for s in long[1:])
    assert all(len(s.body.split()) <= MAX_WORDS for s in long)
    assert sum(len(s.body.split()) for s in long) == 1200
    lines = text.split("\n")
    for s in long[1:]:
        assert lines[s.line_start - 1] == paragraph
        assert "\n".join(lines[s.line_start - 1:s.line_end]) == s.body
    assert [s.position for s in sections] == list(range(len(sections)))
    assert long[-1].line_end < sections[-1].line_start


def test_passages_never_cut_inside_a_code_block():
    code = "```\n" + "\n\n".join(["x = 1 " * 50] * 12) + "\n```"
    sections = split_sections("## Code\n" + code + "\n")
    assert len(sections) == 1


def test_railway_page_sections(railway_corpus):
    text = (railway_corpus / "docs" / "integrations" / "oauth.md").read_text()
    sections = split_sections(text, title="Login with Railway")
    assert [s.heading for s in sections] == [
        None, "Use cases", "OIDC configuration", "Getting started", "API access"]
    lines = text.split("\n")
    assert lines[sections[2].line_start - 1] == "## OIDC configuration"


def _doc(store, url="https://x.test/a"):
    add_discovered(store, [Discovered(url=url, domain="x.test")])
    return document_id(url)


def test_replace_sections_returns_ids_in_order_and_replaces_old_rows(store):
    doc = _doc(store)
    with store.transaction() as conn:
        first = replace_sections(conn, doc, split_sections("## A\nalpha\n## B\nbravo\n"))
    assert len(first) == 2 and first == sorted(first)
    with store.transaction() as conn:
        second = replace_sections(conn, doc, split_sections("## C\ncharlie\n"))
    rows = store.query("SELECT id, heading FROM sections WHERE document_id = ?", (doc,))
    assert [(r["id"], r["heading"]) for r in rows] == [(second[0], "C")]


@pytest.mark.parametrize("store_kind", ["sqlite"])  # SQLite's FTS5 tables (PostgreSQL: tests/test_search_postgres.py)
def test_the_full_text_index_follows_replaced_and_deleted_sections(store):
    doc = _doc(store)
    with store.transaction() as conn:
        replace_sections(conn, doc, split_sections("## A\nzebrafish\n"))
    match = "SELECT COUNT(*) FROM sections_fts WHERE sections_fts MATCH ?"
    assert store.query_one(match, ("zebrafish",))[0] == 1
    with store.transaction() as conn:
        replace_sections(conn, doc, [Section(0, "B", "B", 2, 1, 2, "okapi")])
    assert store.query_one(match, ("zebrafish",))[0] == 0
    assert store.query_one(match, ("okapi",))[0] == 1
    with store.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE id = ?", (doc,))
    assert store.query_one(match, ("okapi",))[0] == 0
    assert store.query_one("SELECT COUNT(*) FROM sections")[0] == 0


def _integrity(store) -> None:
    """FTS5's own check that its index holds exactly the content table's rows."""
    store.conn.execute("INSERT INTO sections_fts (sections_fts) VALUES ('integrity-check')")


@pytest.mark.parametrize("store_kind", ["sqlite"])  # SQLite's FTS5 tables (PostgreSQL: tests/test_search_postgres.py)
def test_the_full_text_index_holds_exactly_the_passages_stored_in_bulk(store):
    docs = [_doc(store, f"https://x.test/{n}") for n in range(3)]
    with store.transaction() as conn:
        for n, doc in enumerate(docs):
            replace_sections(conn, doc, split_sections(f"## A{n}\nwombat {n}\n## B\nquokka\n"))
    with store.transaction() as conn:  # a document indexed again: its old ids are free
        replace_sections(conn, docs[2], split_sections("## C\nnumbat\n"))
        replace_sections(conn, docs[0], [])
    _integrity(store)
    match = "SELECT COUNT(*) FROM sections_fts WHERE sections_fts MATCH ?"
    assert store.query_one(match, ("wombat",))[0] == 1
    assert store.query_one(match, ("quokka",))[0] == 1
    assert store.query_one(match, ("numbat",))[0] == 1
    assert store.query_one("SELECT COUNT(*) FROM search_pending")[0] == 0


@pytest.mark.parametrize("store_kind", ["sqlite"])  # SQLite's FTS5 tables (PostgreSQL: tests/test_search_postgres.py)
def test_a_passage_stored_by_another_tool_still_reaches_the_index_and_leaves_it(store):
    """Rows inserted without replace_sections (the sqlite3 shell, an older Kurt) go through
    the trigger: deleting them later must not damage the FTS5 index."""
    doc = _doc(store)
    with store.transaction() as conn:
        replace_sections(conn, doc, split_sections("## A\nwombat\n"))
        conn.execute("INSERT INTO sections (document_id, position, line_start, line_end, body,"
                     " search_body) VALUES (?, 9, 1, 2, 'platypus', 'platypus')", (doc,))
    match = "SELECT COUNT(*) FROM sections_fts WHERE sections_fts MATCH ?"
    assert store.query_one(match, ("platypus",))[0] == 1
    with store.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE id = ?", (doc,))
    _integrity(store)
    assert store.query_one(match, ("platypus OR wombat",))[0] == 0


# CommonMark block structure, read from markdown-it-py's tokens (issue 8). Each case:
# the markdown, then (heading, level, line_start, line_end) of every section, 1-based inclusive.
COMMONMARK_CASES = [
    pytest.param("Title\n=====\n\nIntro.\n\nSetup\n-----\nInstall it.\n",
                 [("Title", 1, 1, 4), ("Setup", 2, 6, 8)], id="setext"),
    pytest.param("A title that\nruns on two lines\n===\nbody\n",
                 [("A title that runs on two lines", 1, 1, 4)], id="setext-two-lines"),
    pytest.param("# Top\n\n---\n\nafter the rule\n",
                 [("Top", 1, 1, 5)], id="thematic-break-after-blank-is-not-a-heading"),
    pytest.param("# Top\ntext\n\n- item\n---\n",
                 [("Top", 1, 1, 5)], id="dashes-after-a-list-item-are-a-rule"),
    pytest.param("## Real\n```bash\n# comment\nSetup\n-----\n```\nafter\n",
                 [("Real", 2, 1, 7)], id="setext-and-atx-inside-a-fence"),
    pytest.param("## Real\n\n    # indented code\n    ## more code\n",
                 [("Real", 2, 1, 4)], id="indented-code"),
    pytest.param("## Steps\n\n1. Install:\n\n     ```bash\n     # not a heading\n     ```\n\n# Next\nx\n",
                 [("Steps", 2, 1, 7), ("Next", 1, 9, 10)], id="fence-in-a-list-item"),
    pytest.param("- item\n  ```\n  code\n# Heading\n  ```\n",
                 [(None, 0, 1, 3), ("Heading", 1, 4, 5)], id="list-item-ends-inside-its-fence"),
    pytest.param("intro\n\n<div>\n# not a heading\n</div>\n\n# Heading\nx\n",
                 [(None, 0, 1, 5), ("Heading", 1, 7, 8)], id="html-block"),
    pytest.param("intro\n\n<!--\n\n# commented out\n\n-->\n\n## After\nx\n",
                 [(None, 0, 1, 7), ("After", 2, 9, 10)], id="html-comment-over-blank-lines"),
    pytest.param("intro\n\n<Note>\n\n## Inside an MDX component\n\n</Note>\n",
                 [(None, 0, 1, 3), ("Inside an MDX component", 2, 5, 7)], id="html-block-ends-at-a-blank-line"),
    pytest.param("> ## Quoted\n> text\n\n## Real\nx\n",
                 [(None, 0, 1, 2), ("Real", 2, 4, 5)], id="heading-in-a-block-quote"),
    pytest.param("- ## In a list\n\n## Real\nx\n",
                 [(None, 0, 1, 1), ("Real", 2, 3, 4)], id="heading-in-a-list-item"),
    pytest.param("   ## Three spaces\nx\n", [("Three spaces", 2, 1, 2)], id="atx-indented-three"),
    pytest.param("## Closed ##\nx\n### \\#5 ###\ny\n",
                 [("Closed", 2, 1, 2), ("\\#5", 3, 3, 4)], id="atx-closing-sequence"),
    pytest.param("#hashtag\n\n#\nempty heading above\n",
                 [(None, 0, 1, 1), ("", 1, 3, 4)], id="not-atx-and-empty-atx"),
    pytest.param("---\ntitle: x\n---\nSetext under front matter\n===\nbody\n",
                 [("Setext under front matter", 1, 4, 6)], id="front-matter-then-setext"),
    pytest.param("---\ntitle: x\n---\n\n## A\n\n\n## B\n\nbody\n\n\n",
                 [("A", 2, 5, 5), ("B", 2, 8, 10)], id="front-matter-and-blank-lines"),
    pytest.param("````\n```\n# inside\n```\n````\n# out\n",
                 [(None, 0, 1, 5), ("out", 1, 6, 6)], id="longer-fence-holds-shorter"),
    pytest.param("```\n# unclosed fence runs to the end\n", [(None, 0, 1, 2)], id="unclosed-fence"),
    pytest.param("Windows\r\n=======\r\nline\r\n", [("Windows", 1, 1, 3)], id="crlf"),
]


@pytest.mark.parametrize("text, expected", COMMONMARK_CASES)
def test_sections_follow_commonmark(text, expected):
    sections = split_sections(text)
    assert [(s.heading, s.level, s.line_start, s.line_end) for s in sections] == expected
    lines = text.split("\n")
    for s in sections:  # the body is the file's own lines, after the heading
        body = "\n".join(lines[s.line_start - 1:s.line_end]).strip()
        assert s.body.strip() in body


def _both_readings(text: str):
    from kurt.index.sections import _parse, _scan, frontmatter_end

    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start = frontmatter_end(lines)
    return _scan(lines, start), _parse(lines, start)


@pytest.mark.parametrize("text, expected", COMMONMARK_CASES)
def test_the_line_scan_agrees_with_markdown_it_or_stands_aside(text, expected):
    scanned, parsed = _both_readings(text)
    assert scanned is None or scanned == parsed


def test_the_line_scan_agrees_with_markdown_it_on_a_whole_corpus(railway_corpus):
    scanned_count = 0
    for path in sorted(railway_corpus.rglob("*.md")):
        scanned, parsed = _both_readings(path.read_text(encoding="utf-8"))
        if scanned is not None:
            scanned_count += 1
            assert scanned == parsed, path
    assert scanned_count > 300  # the fast path is the common one (the bench corpus)
