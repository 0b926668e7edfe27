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
