"""sources/*: sources and citations resolve, are cited, and have not changed since the evidence."""

from tests.checks.conftest import BODY, DRAFT, FRONTMATTER, LIMITS, SETUP, draft_line, replace


def sources(checks, body=BODY, frontmatter=FRONTMATTER, **kwargs):
    return [(f.rule, f.line) for f in
            checks.run(body, frontmatter, rules=["sources"], **kwargs).findings]


def test_the_valid_draft_has_no_source_finding(checks):
    assert sources(checks) == []


def test_a_citation_of_a_document_that_is_not_ingested(checks):
    body = replace(BODY, f"{LIMITS}:12", "sources/docs.example.com/docs/limit.md:12")
    report = checks.run(body, rules=["sources"])
    assert [(f.rule, f.line) for f in report.findings] == [
        ("sources/not-ingested", draft_line("docs/limit.md", body)),
        ("sources/uncited", draft_line(f"  - path: {LIMITS}", body))] or \
        [f.rule for f in report.findings][0] == "sources/not-ingested"
    finding = report.findings[0]
    assert finding.suggestion == f"did you mean {LIMITS}?"
    line = checks.draft_path.read_text().split("\n")[finding.line - 1]
    assert line[finding.column - 1:].startswith("sources/docs.example.com/docs/limit.md:12")


def test_a_line_range_past_the_end_of_the_file(checks):
    body = replace(BODY, f"{LIMITS}:12", f"{LIMITS}:12-99")
    found = checks.run(body, rules=["sources"]).findings
    assert [(f.rule, f.line) for f in found] == [("sources/line-range", draft_line(":12-99", body))]
    assert "the file has 12 lines" in found[0].message


def test_a_frontmatter_source_that_is_not_ingested(checks):
    frontmatter = replace(FRONTMATTER, f"      - {LIMITS}", "      - sources/nowhere.md")
    assert sources(checks, BODY, frontmatter) == [
        ("sources/not-ingested", draft_line("sources/nowhere.md", BODY, frontmatter))]


def test_a_source_whose_file_was_deleted(checks):
    (checks.ws.root / LIMITS).unlink()
    found = checks.run(rules=["sources"]).findings
    assert {f.rule for f in found} == {"sources/deleted"}
    assert "stored file is missing" in found[0].message and "--refetch" in found[0].message


def test_a_listed_source_never_cited(checks):
    body = BODY.replace(f" <!-- Source: {LIMITS}:10 -->", "").replace(
        f" <!-- Source: {LIMITS}:12 -->", "")
    assert sources(checks, body) == [("sources/uncited", draft_line(f"  - path: {LIMITS}", body))]


def test_a_draft_without_any_citation(checks):
    body = "\n".join(line.split(" <!--")[0] for line in BODY.split("\n"))
    assert sources(checks, body) == [("sources/no-citation", draft_line("# Example", body))]


def test_a_cited_document_missing_from_the_inventory(checks):
    frontmatter = replace(FRONTMATTER, f"  - path: {LIMITS}\n    purpose: \"rate limits\"\n", "")
    assert ("sources/uninventoried", draft_line(f"{LIMITS}:10", BODY, frontmatter)) in \
        sources(checks, BODY, frontmatter)


def test_an_outline_section_without_source(checks):
    frontmatter = replace(FRONTMATTER, f"    sources:\n      - {LIMITS}\n", "    sources: []\n")
    assert sources(checks, BODY, frontmatter) == [
        ("sources/section-without-source", draft_line("  limits:", BODY, frontmatter))]


def test_a_source_that_changed_since_the_evidence_quoted_it(checks):
    evidence = checks.ws.root / "projects/p/research/mini-example-evidence.md"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_text(f"# Evidence\n\n### 1. Limits\n\n- Source: `{LIMITS}` line 10\n"
                        "- Content hash: `an-older-hash`\n", encoding="utf-8")
    found = checks.run(rules=["sources"]).findings
    assert [f.rule for f in found] == ["sources/stale", "sources/stale"]
    assert found[0].evidence.path == LIMITS and "60 requests" in found[0].evidence.quote


def test_a_path_with_spaces_written_bare(checks):
    from kurt.store.documents import Discovered, add_discovered, document_id, update_document

    path = "sources/local/docs/rate limits (api).md"
    (checks.ws.root / path).parent.mkdir(parents=True)
    (checks.ws.root / path).write_text("Limits.\n\nSixty requests a minute.\n")
    store = checks.ws.open_store()
    add_discovered(store, [Discovered(url="file:///docs/rate", domain="local")])
    update_document(store, document_id("file:///docs/rate"), status="FETCHED", content_path=path)
    store.close()
    body = BODY + f"\nSixty a minute. <!-- Source: {path}:3 -->\n"
    found = checks.run(body, rules=["sources/citation-syntax"]).findings
    assert [f.rule for f in found] == ["sources/citation-syntax"]
    assert found[0].suggestion == "<!-- Source: <sources/local/docs/rate limits (api).md>:3 -->"


def test_an_empty_store_is_one_clear_finding(checks):
    import sqlite3

    with sqlite3.connect(checks.ws.db_path) as conn:
        conn.execute("UPDATE documents SET status = 'NOT_FETCHED'")
    found = checks.run(rules=["sources"]).findings
    assert [f.rule for f in found] == ["sources/empty-store"]
    assert "kurt content add" in found[0].message


def test_a_folder_source_resolves_to_the_documents_in_it(checks):
    frontmatter = replace(FRONTMATTER, f"      - {LIMITS}", "      - sources/docs.example.com/docs/")
    assert sources(checks, BODY, frontmatter) == []


def test_the_draft_path_is_where_findings_point(checks):
    report = checks.run(replace(BODY, f"{LIMITS}:12", f"{LIMITS}:99"), rules=["sources"])
    assert {f.path for f in report.findings} == {DRAFT}
    assert SETUP not in {f.path for f in report.findings}
