import pytest

from kurt.index.sections import replace_sections, split_sections
from kurt.store.documents import Discovered, add_discovered, document_id, update_document

STRIPE = """---
title: Stripe Provisioning
---

Railway is a provider in the Stripe marketplace.

## Prerequisites

Before starting you need a Stripe account and the Stripe CLI installed.

## Setup

Step by step configuration: run stripe projects init.
"""
DRAFT = "projects/launch/drafts/integration-page-stripe.md"


@pytest.fixture
def ws(kurt, workspace):
    store = workspace.open_store()
    url = "https://docs.example.com/docs/integrations/stripe"
    add_discovered(store, [Discovered(url=url, domain="docs.example.com")])
    path = "sources/docs.example.com/docs/integrations/stripe.md"
    (workspace.root / path).parent.mkdir(parents=True)
    (workspace.root / path).write_text(STRIPE)
    update_document(store, document_id(url), status="FETCHED", content_path=path,
                    title="Stripe Provisioning", content_hash="abc")
    with store.transaction() as conn:
        replace_sections(conn, document_id(url), split_sections(STRIPE, title="Stripe Provisioning"))
    store.close()
    assert kurt("project", "new", "launch", "--goal", "g", cwd=workspace.root).exit_code == 0
    return workspace.root


def test_draft_new_json(kurt, ws):
    result = kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
                  "--var", "partner=Stripe", "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["path"] == DRAFT and data["status"] == "outline"
    overview = next(e for e in data["outline"] if e["key"] == "overview")
    assert overview["sources"] == ["sources/docs.example.com/docs/integrations/stripe.md"]


def test_draft_new_text_and_refusals(kurt, ws):
    args = ("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
            "--var", "partner=Stripe")
    first = kurt(*args, cwd=ws)
    assert first.exit_code == 0 and f"Created {DRAFT}" in first.stdout
    again = kurt(*args, cwd=ws)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert kurt(*args, "--force", cwd=ws).exit_code == 0


@pytest.mark.parametrize("args,code,message", [
    (("--template", "nope", "--name", "x"), 1, "No template named 'nope'"),
    (("--template", "integration-page", "--name", "../x"), 2, "not a valid draft name"),
    (("--template", "integration-page", "--name", "x", "--var", "partner"), 2, "NAME=VALUE"),
])
def test_draft_new_bad_input(kurt, ws, args, code, message):
    result = kurt("draft", "new", "launch", *args, cwd=ws)
    assert result.exit_code == code and message in result.stderr
    assert "Traceback" not in result.stderr


def test_draft_new_unknown_project(kurt, ws):
    result = kurt("draft", "new", "nope", "--template", "integration-page", "--name", "x", cwd=ws)
    assert result.exit_code == 1 and "kurt project new nope" in result.stderr


def test_evidence_status_and_sources(kurt, ws):
    kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
         "--var", "partner=Stripe", cwd=ws)
    ev = kurt("draft", "evidence", DRAFT, "--per-section", "2", "--format", "json", cwd=ws)
    assert ev.exit_code == 0, ev.stderr
    data = ev.json()
    assert data["path"] == "projects/launch/research/integration-page-stripe-evidence.md"
    assert any(p["document_id"] for s in data["sections"] for p in s["passages"])
    assert (ws / data["path"]).is_file()

    moved = kurt("draft", "status", DRAFT, "draft", cwd=ws)
    assert moved.exit_code == 0 and "outline -> draft" in moved.stdout
    back = kurt("draft", "status", DRAFT, "outline", cwd=ws)
    assert back.exit_code == 2 and "--force" in back.stderr
    shown = kurt("project", "show", "launch", "--format", "json", cwd=ws).json()
    assert shown["documents_by_status"] == {"draft": 1}

    with open(ws / DRAFT, "a") as handle:
        handle.write("\nA claim. <!-- Source: sources/docs.example.com/docs/integrations/stripe.md -->\n")
    cited = kurt("draft", "sources", DRAFT, "--format", "json", cwd=ws)
    assert cited.exit_code == 0 and cited.json()["unresolved"] == []
    with open(ws / DRAFT, "a") as handle:
        handle.write("Ranged. <!-- Source: sources/docs.example.com/docs/integrations/stripe.md:6-8 -->\n")
    ranged = kurt("draft", "sources", DRAFT, "--format", "json", cwd=ws)
    assert ranged.exit_code == 0, ranged.stdout
    assert [c["status"] for c in ranged.json()["citations"]] == ["ok", "ok"]
    with open(ws / DRAFT, "a") as handle:
        handle.write("Far. <!-- Source: sources/docs.example.com/docs/integrations/stripe.md#L6-L999 -->\n")
    far = kurt("draft", "sources", DRAFT, cwd=ws)
    assert far.exit_code == 1 and "lines out of range" in far.stdout
    with open(ws / DRAFT, "a") as handle:
        handle.write("Another. <!-- Source: sources/nowhere.md -->\n")
    bad = kurt("draft", "sources", DRAFT, cwd=ws)
    assert bad.exit_code == 1 and "sources/nowhere.md" in bad.stdout


def test_malformed_frontmatter_is_reported_with_its_line(kurt, ws):
    kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe", cwd=ws)
    path = ws / DRAFT
    broken = path.read_text().replace("document: integration-page-stripe",
                                      "document: integration-page-stripe\n  bad: [", 1)
    path.write_text(broken)
    result = kurt("draft", "status", DRAFT, "draft", cwd=ws)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {DRAFT}:")
    assert path.read_text() == broken


def test_unknown_draft_file(kurt, ws):
    result = kurt("draft", "evidence", "projects/launch/drafts/none.md", cwd=ws)
    assert result.exit_code == 1 and "kurt draft new" in result.stderr


def test_add_source_remove_source_and_list(kurt, ws):
    kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
         "--var", "partner=Stripe", cwd=ws)
    page = "sources/docs.example.com/docs/integrations/stripe.md"
    added = kurt("draft", "add-source", DRAFT, "troubleshooting", page, "--purpose", "CLI errors",
                 cwd=ws)
    assert added.exit_code == 0 and f"Added {page} to troubleshooting" in added.stdout
    listed = kurt("draft", "list", "launch", "--format", "json", cwd=ws)
    assert listed.exit_code == 0
    (row,) = listed.json()["drafts"]
    assert row["document"] == "integration-page-stripe" and "troubleshooting" not in row["empty_sections"]
    assert "integration-page-stripe" in kurt("draft", "list", cwd=ws).stdout
    unknown = kurt("draft", "add-source", DRAFT, "troubleshooting", "sources/none.md", cwd=ws)
    assert unknown.exit_code == 1 and "Nothing was changed" in unknown.stderr
    section = kurt("draft", "add-source", DRAFT, "nope", page, cwd=ws)
    assert section.exit_code == 2 and "its sections are overview" in section.stderr
    removed = kurt("draft", "remove-source", DRAFT, "troubleshooting", page, cwd=ws)
    assert removed.exit_code == 0 and "Removed" in removed.stdout
    assert "Traceback" not in unknown.stderr + section.stderr


def test_sources_names_a_cited_document_missing_from_the_inventory(kurt, ws):
    kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
         "--no-sources", cwd=ws)
    cited = "sources/docs.example.com/docs/integrations/stripe.md"
    with open(ws / DRAFT, "a") as handle:
        handle.write(f"\nA claim. <!-- Source: {cited} -->\n")
    result = kurt("draft", "sources", DRAFT, cwd=ws)
    assert result.exit_code == 0
    assert f"not in the frontmatter sources: {cited}" in result.stderr
    assert "kurt draft add-source" in result.stderr
    assert kurt("draft", "sources", DRAFT, "--format", "json", cwd=ws).json()["uninventoried"] \
        == [cited]


def test_draft_new_text_aligns_long_section_names(kurt, ws):
    result = kurt("draft", "new", "launch", "--template", "blog-post", "--name", "x",
                  "--no-sources", cwd=ws)
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert any("why-the-usual-approach-fails" in row for row in rows)
    columns = {row.index("no source found") for row in rows}
    assert len(columns) == 1  # one column, however long the section key


def test_status_refuses_a_draft_without_frontmatter_and_leaves_it_untouched(kurt, ws):
    path = ws / "projects/launch/drafts/notes.md"
    path.write_text("# Notes\n\nJust prose, no frontmatter.\n")
    result = kurt("draft", "status", "projects/launch/drafts/notes.md", "draft", cwd=ws)
    assert result.exit_code == 2
    assert "projects/launch/drafts/notes.md has no frontmatter: create drafts with kurt draft new" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text() == "# Notes\n\nJust prose, no frontmatter.\n"


def test_status_final_is_gated_and_every_hint_runs_as_printed(kurt, ws):
    kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
         "--var", "partner=Stripe", cwd=ws)
    evidence = kurt("draft", "evidence", DRAFT, cwd=ws)
    assert f"Next: write each section from its quotes, citing them; then kurt draft sources {DRAFT}" \
        in evidence.stderr
    moved = kurt("draft", "status", DRAFT, "draft", cwd=ws)
    assert moved.exit_code == 0 and "Warning: structure/placeholder x" in moved.stderr
    final = kurt("draft", "status", DRAFT, "final", cwd=ws)
    assert final.exit_code == 2 and "not ready for 'final'" in final.stderr
    assert "status: draft" in (ws / DRAFT).read_text()
    hint = final.stderr.split("See them with '")[1].split("'")[0].split()
    assert hint == ["kurt", "draft", "check", DRAFT]
    checked = kurt(*hint[1:], cwd=ws)
    assert checked.exit_code == 1 and "structure/placeholder" in checked.stdout

    text = (ws / DRAFT).read_text()
    head = text[: text.index("\n---\n", 4) + 5]
    stripe = "sources/docs.example.com/docs/integrations/stripe.md"
    (ws / DRAFT).write_text(f"{head}\n# Railway + Stripe\n\nA claim. <!-- Source: {stripe}:6-8 -->\n")
    refused = kurt("draft", "status", DRAFT, "final", cwd=ws)
    assert refused.exit_code == 2 and "structure/required-section" in refused.stderr
    done = kurt("draft", "status", DRAFT, "final", "--force", "--format", "json", cwd=ws)
    assert done.exit_code == 0, done.stderr
    data = done.json()
    assert data["forced"] is True and data["errors"] >= 1 and data["project"] == "launch"
    from kurt.writing import frontmatter

    recorded = frontmatter.read(ws / DRAFT).data
    assert recorded["status"] == "final"
    assert recorded["final_forced"]["errors"] == data["errors"]
    assert recorded["final_forced"]["at"].endswith("Z")


def test_not_cited_hint_is_a_runnable_command(kurt, ws):
    kurt("draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
         "--var", "partner=Stripe", cwd=ws)
    report = kurt("draft", "sources", DRAFT, cwd=ws)
    hint = next(line for line in report.stderr.splitlines() if line.startswith("Not cited yet:"))
    command = hint.split("'")[1].split()
    assert command[:4] == ["kurt", "draft", "remove-source", DRAFT] and command[4] == "all"
    removed = kurt(*command[1:], cwd=ws)
    assert removed.exit_code == 0, removed.stderr
    after = kurt("draft", "sources", DRAFT, "--format", "json", cwd=ws).json()
    assert after["inventory"] == [] and after["uncited"] == []
