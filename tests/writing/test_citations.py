import pytest

from kurt.writing import citations, drafts
from kurt.writing.evidence import gather_evidence
from tests.writing.conftest import stripe_draft

STRIPE = "sources/docs.example.com/docs/integrations/stripe.md"


@pytest.mark.parametrize("raw,expected", [
    ("sources/x.md", ("sources/x.md", None, None)),
    ("/sources/x.md", ("sources/x.md", None, None)),
    ("sources/x.md:8", ("sources/x.md", 8, 8)),
    ("sources/x.md:8-10", ("sources/x.md", 8, 10)),
    ("sources/x.md#L8", ("sources/x.md", 8, 8)),
    ("sources/x.md#L8-L10", ("sources/x.md", 8, 10)),
    ("sources/x.md#L8-10", ("sources/x.md", 8, 10)),
])
def test_parse_citation(raw, expected):
    assert citations.parse_citation(raw) == expected


@pytest.fixture
def draft(corpus):
    workspace, store = corpus
    return workspace, store, workspace.root / stripe_draft(corpus).path


def _cite(path, *refs):
    with open(path, "a") as handle:
        for ref in refs:
            handle.write(f"\nClaim. <!-- Source: {ref} -->\n")


def _statuses(ws, store, path):
    return [(c.cited, c.status) for c in drafts.cited_sources(ws, store, str(path)).citations]


def test_line_ranges_inside_the_file_are_ok_and_outside_are_not(draft):
    ws, store, path = draft
    total = len((ws.root / STRIPE).read_text().split("\n")) - 1
    _cite(path, f"{STRIPE}:2-4", f"{STRIPE}#L{total}", f"{STRIPE}:3-{total + 1}", f"{STRIPE}:0",
          "sources/missing.md:1-2")
    assert _statuses(ws, store, path) == [
        (f"{STRIPE}:2-4", citations.OK),
        (f"{STRIPE}#L{total}", citations.OK),
        (f"{STRIPE}:3-{total + 1}", citations.OUT_OF_RANGE),
        (f"{STRIPE}:0", citations.OUT_OF_RANGE),
        ("sources/missing.md:1-2", citations.NOT_INGESTED),
    ]
    report = drafts.cited_sources(ws, store, str(path))
    assert [c.cited for c in report.unresolved] == [
        f"{STRIPE}:3-{total + 1}", f"{STRIPE}:0", "sources/missing.md:1-2"]
    assert report.citations[0].line_start == 2 and report.citations[0].line_end == 4
    assert STRIPE not in report.uncited


def test_a_source_changed_since_evidence_is_flagged(draft):
    ws, store, path = draft
    gather_evidence(ws, store, str(path))
    _cite(path, f"{STRIPE}:2-4")
    assert _statuses(ws, store, path) == [(f"{STRIPE}:2-4", citations.OK)]
    store.conn.execute("UPDATE documents SET content_hash = 'new' WHERE content_path = ?", (STRIPE,))
    report = drafts.cited_sources(ws, store, str(path))
    assert [(c.status, c.resolved) for c in report.citations] == [(citations.CHANGED, True)]
    assert report.unresolved == [] and len(report.changed) == 1


def test_a_cited_document_missing_from_the_inventory_is_reported(draft):
    ws, store, path = draft
    backups = "sources/docs.example.com/guides/backups.md"
    report = drafts.cited_sources(ws, store, str(path))
    assert backups not in report.inventory  # not proposed for a Stripe page
    _cite(path, f"{STRIPE}:2-4", backups, "sources/missing.md")
    report = drafts.cited_sources(ws, store, str(path))
    assert report.uninventoried == [backups]  # unresolved citations are reported elsewhere


@pytest.mark.parametrize("start,end,span,cited", [
    (8, 8, "line 8", "8"),
    (8, None, "line 8", "8"),
    (8, 10, "lines 8-10", "8-10"),
])
def test_line_span_and_range_say_one_line_once(start, end, span, cited):
    assert citations.line_span(start, end) == span
    assert citations.line_range(start, end) == cited
    assert citations.parse_citation(f"sources/x.md:{cited}")[1:] == (start, end or start)


# -- the syntax: paths with spaces, parentheses and other odd characters -----------------------

ODD_PATHS = [
    "sources/x.md",
    "sources/local/partner docs/data load tool (dlt).md",
    "sources/local/a (b)/c [d].md",
    "sources/docs.example.com/a:b/c.md",
    "sources/local/ünïcødé ß/日本語 ページ.md",
    "sources/local/issue #42.md",
    "sources/local/a > b.md",
    "sources/local/<angle>.md",
    "sources/local/back\\slash\\.md",
    "sources/local/a,b.md",
    "sources/local/tab\there.md",
    "sources/local/`tick`.md",
    "sources/local/a -->b.md",
    "sources/local/notes.md:3",  # a file whose name ends like a line range
    "sources/local/page.md#L4",
    "sources/local/v1.md:3/notes.md",  # '.md:3' inside a directory name
    "sources/local/trailing space .md",
]


@pytest.mark.parametrize("path", ODD_PATHS)
@pytest.mark.parametrize("start,end", [(None, None), (8, 8), (8, 12)])
def test_a_formatted_citation_reads_back_as_the_same_path_and_lines(path, start, end):
    item = citations.format_item(path, start, end)
    assert citations.parse_item(item) == (path, start, end)
    found = citations.find_citations(f"Claim. {citations.format_citation(path, start, end)} More.")
    assert [(c.path, c.start, c.end) for c in found] == [(path, start, end)]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_several_odd_paths_share_one_comment(path):
    other = "sources/local/second file (2).md"
    comment = f"<!-- Source: {citations.format_item(path, 3, 9)}, {citations.format_item(other, 1)} -->"
    assert [(c.path, c.start, c.end) for c in citations.find_citations(comment)] == [
        (path, 3, 9), (other, 1, 1)]


@pytest.mark.parametrize("path,bracketed", [
    ("sources/x.md", False),
    ("sources/local/v1.md:3/notes.md", False),  # the range-like part is not at the end
    ("sources/a(b)[c]#d.md", False),  # nothing that splits items or looks like a range
    ("sources/a b.md", True),
    ("sources/a,b.md", True),
    ("sources/notes.md:3", True),
    ("sources/notes.md#L3-L4", True),
    ("sources/a<b.md", True),
    ("/abs.md", True),  # a bare path loses its leading '/'
])
def test_brackets_are_written_only_when_the_path_needs_them(path, bracketed):
    assert citations.needs_brackets(path) is bracketed
    assert citations.format_target(path).startswith("<") is bracketed


@pytest.mark.parametrize("raw,expected", [
    ("<sources/a b.md>:8-12", ("sources/a b.md", 8, 12)),
    ("<sources/a b.md>#L8-L12", ("sources/a b.md", 8, 12)),
    ("<sources/a b.md>", ("sources/a b.md", None, None)),
    (r"<sources/a \> b.md>:3", ("sources/a > b.md", 3, 3)),
    (r"<C:\docs\x.md>", (r"C:\docs\x.md", None, None)),  # a lone backslash stays itself
    ("`sources/x.md:8`", ("sources/x.md", 8, 8)),  # the bare form may sit in backticks
    ("sources/v1.md:3/notes.md:5", ("sources/v1.md:3/notes.md", 5, 5)),
])
def test_parse_item_reads_both_forms(raw, expected):
    assert citations.parse_item(raw) == expected


def test_items_are_split_on_commas_and_spaces_but_not_inside_brackets():
    content = "sources/a.md:1, <sources/b c.md>:2-3 sources/d.md#L4"
    assert [(i.path, i.start, i.bracketed) for i in citations.split_items(content)] == [
        ("sources/a.md", 1, False), ("sources/b c.md", 2, True), ("sources/d.md", 4, False)]


@pytest.mark.parametrize("text", ["sources/x.md", "a `b` c", "``x``", "`start", "end`"])
def test_code_span_keeps_any_backticks(text):
    line = citations.evidence_source_line(text) + " lines 1-2\n- Content hash: `h1`"
    assert citations.evidence_hashes(line) == {text: "h1"}


SPACED = "sources/docs.example.com/guides/data load tool (dlt).md"


@pytest.fixture
def spaced_draft(corpus):
    from tests.writing.conftest import make_corpus

    workspace, store = corpus
    make_corpus(workspace, store, {"guides/data load tool (dlt)": """---
title: data load tool (dlt)
---

## Setup

Install dlt with pip, then run dlt init to create a pipeline.
"""})
    return workspace, store, workspace.root / stripe_draft(corpus).path


def test_a_bracketed_path_with_spaces_resolves(spaced_draft):
    ws, store, path = spaced_draft
    _cite(path, citations.format_item(SPACED, 5, 7), f"{STRIPE}:2")
    report = drafts.cited_sources(ws, store, str(path))
    assert [(c.path, c.status) for c in report.citations] == [
        (SPACED, citations.OK), (STRIPE, citations.OK)]
    assert report.unresolved == []


def test_a_path_with_spaces_written_bare_is_reported_with_the_form_to_write(spaced_draft):
    ws, store, path = spaced_draft
    _cite(path, f"{SPACED}:5-7, {STRIPE}:2")
    report = drafts.cited_sources(ws, store, str(path))
    assert [(c.path, c.status, c.fix) for c in report.citations] == [
        (SPACED, citations.NEEDS_BRACKETS, f"<{SPACED}>:5-7"),
        (STRIPE, citations.OK, None)]
    assert [c.cited for c in report.unresolved] == [f"{SPACED}:5-7"]
    assert report.citations[0].document_id is not None


def test_evidence_cites_a_path_with_spaces_in_the_bracketed_form(spaced_draft):
    ws, store, path = spaced_draft
    from kurt.writing.draft_sources import add_source

    add_source(ws, store, str(path), "troubleshooting", [SPACED])
    result = gather_evidence(ws, store, str(path))
    text = (ws.root / result.path).read_text()
    cites = [line for line in text.splitlines() if line.startswith("- Cite:") and "dlt" in line]
    assert cites and all(f"<!-- Source: <{SPACED}>:" in line for line in cites)
    assert SPACED in citations.evidence_hashes(text)
    # the quoted comment, pasted into the draft as is, resolves
    comment = cites[0].split("`", 1)[1].rsplit("`", 1)[0]
    _cite(path, comment.removeprefix("<!-- Source: ").removesuffix(" -->"))
    assert [c.status for c in drafts.cited_sources(ws, store, str(path)).citations] == [citations.OK]
