import datetime as dt

import pytest

from kurt.errors import FormatError, NotFound, UsageError
from kurt.writing import draft_file, drafts, frontmatter, projects, status
from kurt.writing.profile import save_profile
from tests.writing.conftest import OWN_PAGES, make_corpus, stripe_draft


@pytest.mark.parametrize("text,variables,expected", [
    ("# [Your Product] + [Partner] Integration", {"partner": "Stripe"}, "# Acme + Stripe Integration"),
    ("document: integration-page-[partner-name]", {"partner": "Stripe Billing"}, "document: integration-page-stripe-billing"),
    ("key: {{PARTNER}}", {"partner": "Stripe"}, "key: Stripe"),
    ("[PARTNER] and [partner]", {"partner": "Next.js"}, "Next.js and next-js"),
    ("[Partner Platform] and [Company]", {"partner": "Stripe"}, "Stripe and [Company]"),
    ("[Your Company] rocks", {}, "Acme Inc rocks"),
    ("{{PRODUCT_NAME}} docs for [Product]", {}, "Acme docs for Acme"),
    ("[Product] wins", {"product": "Widget"}, "Widget wins"),
])
def test_fill_variables(workspace, text, variables, expected):
    save_profile(workspace, company="Acme Inc", products=["Acme"])
    from kurt.writing.profile import load_profile

    assert drafts.fill_variables(text, variables, load_profile(workspace)) == expected


@pytest.mark.parametrize("pairs", [["partner"], ["=Stripe"], ["partner="], ["a/b=x"]])
def test_parse_variables_refuses_malformed_pairs(pairs):
    with pytest.raises(UsageError, match="NAME=VALUE"):
        drafts.parse_variables(pairs)


def test_new_draft_writes_frontmatter_outline_and_skeleton(corpus):
    ws, store = corpus
    result = drafts.new_draft(ws, store, "launch", "integration-page", "stripe",
                              {"partner": "Stripe"}, today=dt.date(2026, 1, 2))
    path = ws.root / result.path
    assert result.path == "projects/launch/drafts/integration-page-stripe.md"
    fm = frontmatter.read(path)
    assert fm.data["project"] == "launch"
    assert fm.data["document"] == "integration-page-stripe"
    assert fm.data["status"] == "outline"
    assert fm.data["created"] == dt.date(2026, 1, 2)
    assert fm.data["format_template"] == "kurt/templates/formats/integration-page.md"
    assert list(fm.data["outline"])[:3] == ["overview", "prerequisites", "setup-guide"]
    assert "# [Your Product] + Stripe Integration" in fm.body
    assert "**Last updated:** 2026-01-02" in fm.body


def test_sections_without_sources_get_an_empty_list_and_a_comment(corpus):
    ws, store = corpus
    result = drafts.new_draft(ws, store, "launch", "integration-page", "stripe", {"partner": "Stripe"})
    assert "troubleshooting" in result.empty_sections
    text = (ws.root / result.path).read_text()
    assert f"sources: []  {drafts.NO_SOURCE}" in text


def test_new_draft_records_the_document_and_sources_in_the_plan(corpus):
    ws, store = corpus
    result = drafts.new_draft(ws, store, "launch", "integration-page", "stripe", {"partner": "Stripe"})
    progress = projects.project_progress(ws, "launch")
    assert progress.documents[0]["document"] == "integration-page-stripe"
    assert progress.documents[0]["status"] == "outline"
    assert progress.sources == len(result.sources) > 0


def test_existing_draft_is_kept_without_force(corpus):
    ws, store = corpus
    result = drafts.new_draft(ws, store, "launch", "integration-page", "stripe", {"partner": "Stripe"})
    path = ws.root / result.path
    path.write_text(path.read_text() + "\nmy words\n")
    with pytest.raises(UsageError, match="--force"):
        drafts.new_draft(ws, store, "launch", "integration-page", "stripe", {"partner": "Stripe"})
    assert "my words" in path.read_text()
    drafts.new_draft(ws, store, "launch", "integration-page", "stripe", {"partner": "Stripe"}, force=True)
    assert "my words" not in path.read_text()


@pytest.mark.parametrize("project,template,name,error", [
    ("nope", "integration-page", "stripe", NotFound),
    ("launch", "no-such-template", "stripe", NotFound),
    ("launch", "integration-page", "../x", UsageError),
    ("launch", "integration-page", "a/b", UsageError),
    ("../launch", "integration-page", "x", UsageError),
])
def test_bad_requests_are_refused(corpus, project, template, name, error):
    ws, store = corpus
    with pytest.raises(error):
        drafts.new_draft(ws, store, project, template, name, {})
    assert not list((ws.projects_dir / "launch" / "drafts").iterdir())


def test_no_sources_mode_needs_no_store(corpus):
    ws, _ = corpus
    result = drafts.new_draft(ws, None, "launch", "integration-page", "stripe",
                              {"partner": "Stripe"}, propose=False)
    assert set(result.empty_sections) == {e.key for e in result.outline}


def _draft(corpus):
    ws, store = corpus
    return ws, store, stripe_draft(corpus).path


def test_status_moves_forward_and_updates_the_plan(corpus):
    ws, _, path = _draft(corpus)
    before = (ws.root / path).read_text()
    change = status.set_status(ws, path, "draft")
    assert (change.old, change.new) == ("outline", "draft")
    after = (ws.root / path).read_text()
    assert after == before.replace("\nstatus: outline\n", "\nstatus: draft\n")
    assert projects.project_progress(ws, "launch").documents[0]["status"] == "draft"


@pytest.mark.parametrize("steps,target", [([], "final"), (["draft"], "outline")])
def test_status_refuses_skips_and_going_back_without_force(corpus, steps, target):
    ws, _, path = _draft(corpus)
    for step in steps:
        status.set_status(ws, path, step)
    with pytest.raises(UsageError, match="--force"):
        status.set_status(ws, path, target)
    assert status.set_status(ws, path, target, force=True).new == target


def _write_prose(ws, path, prose):
    """The draft's body replaced by ``prose`` under the template's sections (one line each)."""
    from kurt.writing.templates import load_template

    text = (ws.root / path).read_text()
    head = text[: text.index("\n---\n", 4) + 5]
    sections = "\n\n".join(f"## {heading}\n\nWritten." for heading in
                           load_template(ws, "integration-page").required_headings)
    (ws.root / path).write_text(f"{head}\n# Railway + Stripe\n\n{prose}\n\n{sections}\n")


def test_final_is_refused_while_placeholders_are_left(corpus):
    ws, store, path = _draft(corpus)
    change = status.set_status(ws, path, "draft", store=store)
    assert any(w.startswith("structure/placeholder x") for w in change.warnings)  # only warns
    before = (ws.root / path).read_text()
    with pytest.raises(UsageError, match=r"not ready for 'final': \d+ error\(s\):.*"
                                          r"structure/placeholder x\d+ \(line \d+: placeholder"):
        status.set_status(ws, path, "final", store=store)
    assert (ws.root / path).read_text() == before
    assert status.set_status(ws, path, "final", store=store, force=True).new == "final"


def test_final_is_refused_while_a_citation_does_not_resolve(corpus):
    ws, store, path = _draft(corpus)
    stripe = "sources/docs.example.com/docs/integrations/stripe.md"
    _write_prose(ws, path, f"Stripe provisions it. <!-- Source: {stripe}:9000-9001 -->")
    status.set_status(ws, path, "draft", store=store)
    with pytest.raises(UsageError, match=r"sources/line-range x1 .*kurt draft check"):
        status.set_status(ws, path, "final", store=store)


def test_final_is_accepted_when_the_prose_is_done_and_cited(corpus):
    ws, store, path = _draft(corpus)
    stripe = "sources/docs.example.com/docs/integrations/stripe.md"
    prose = (f"Stripe provisions it. <!-- Source: {stripe}:1-2 -->\n\n"
             "```python\nitems = [first, second]\n```")  # code is not a placeholder
    _write_prose(ws, path, prose)
    assert status.set_status(ws, path, "draft", store=store).warnings == []
    change = status.set_status(ws, path, "final", store=store)
    assert (change.new, change.warnings, change.project) == ("final", [], "launch")


def test_final_is_refused_while_example_text_is_left_even_in_code(corpus):
    ws, store, path = _draft(corpus)
    stripe = "sources/docs.example.com/docs/integrations/stripe.md"
    prose = (f"Stripe provisions it. <!-- Source: {stripe}:1-2 -->\n\n"
             "```\n2. [EXAMPLE: Webhook triggers event to Stripe]\n```")
    _write_prose(ws, path, prose)
    status.set_status(ws, path, "draft", store=store)
    with pytest.raises(UsageError, match=r"not ready for 'final': 1 error\(s\): structure/example "
                                          r"x1 \(line \d+: example text from the template"):
        status.set_status(ws, path, "final", store=store)


def test_a_new_draft_fills_the_partner_and_marks_its_example_lines(corpus):
    ws, store = corpus
    result = drafts.new_draft(ws, store, "launch", "integration-page", "stripe",
                              {"partner": "Stripe"})
    body = (ws.root / result.path).read_text()
    assert "[Partner" not in body and "### Step 1: Configure Stripe" in body
    assert "2. [EXAMPLE: Webhook triggers event to Stripe]" in body
    assert result.examples == body.count("[EXAMPLE: ") > 0
    assert "[EXAMPLE: Webhook triggers event to Stripe]" in result.unfilled_placeholders


def test_status_on_malformed_frontmatter_leaves_the_file_untouched(corpus):
    ws, _, path = _draft(corpus)
    broken = (ws.root / path).read_text().replace("status: outline", "status: [outline", 1)
    (ws.root / path).write_text(broken)
    with pytest.raises(FormatError) as info:
        status.set_status(ws, path, "draft")
    assert info.value.line in (6, 7)  # PyYAML notices the open list on the next line
    assert str(info.value).startswith(f"{path}:")
    assert (ws.root / path).read_text() == broken


def test_drafts_resolve_by_document_name_only_inside_projects(corpus, tmp_path):
    ws, _, path = _draft(corpus)
    assert draft_file.resolve_draft(ws, "integration-page-stripe") == (ws.root / path).resolve()
    outside = ws.root / "sources" / "x.md"
    outside.write_text("---\nstatus: outline\n---\n")
    with pytest.raises(UsageError, match="not a draft"):
        draft_file.resolve_draft(ws, str(outside))
    with pytest.raises(NotFound):
        draft_file.resolve_draft(ws, "nothing-here")


def test_cited_sources_resolve_to_ingested_documents(corpus):
    ws, store, path = _draft(corpus)
    with open(ws.root / path, "a") as handle:
        handle.write("\nClaim. <!-- Source: sources/docs.example.com/docs/integrations/stripe.md -->\n"
                     "Other. <!-- Source: /sources/missing.md -->\n")
    report = drafts.cited_sources(ws, store, path)
    assert [(c.path, c.resolved) for c in report.citations] == [
        ("sources/docs.example.com/docs/integrations/stripe.md", True),
        ("sources/missing.md", False),
    ]
    lines = (ws.root / path).read_text().split("\n")
    assert "missing.md" in lines[report.citations[1].line - 1]
    assert "sources/docs.example.com/docs/integrations/stripe.md" not in report.uncited


def test_force_replaces_the_plan_sources_of_the_previous_run(corpus):
    ws, store = corpus
    drafts.new_draft(ws, store, "launch", "integration-page", "stripe", {"partner": "Stripe"})
    plan = ws.projects_dir / "launch" / "plan.md"
    mine = "- `abcdef123456` sources/mine.md — chosen by hand"
    plan.write_text(plan.read_text().replace("## Research Required", f"{mine}\n\n## Research Required"))
    # the payments page no longer mentions Stripe: the second run proposes the Stripe page only
    payments = ws.root / "sources/docs.example.com/guides/payments.md"
    store.conn.execute("DELETE FROM sections WHERE document_id IN "
                       "(SELECT id FROM documents WHERE content_path = ?)",
                       ("sources/docs.example.com/guides/payments.md",))
    payments.write_text("gone\n")
    result = drafts.new_draft(ws, store, "launch", "integration-page", "stripe",
                              {"partner": "Stripe"}, force=True)
    text = plan.read_text()
    assert mine in text
    assert "guides/payments.md" not in text
    kurt_lines = [ln for ln in text.splitlines() if "— integration-page-stripe:" in ln]
    assert len(kurt_lines) == 1
    # the writer's own source is in the draft's inventory, with its purpose, for no section
    assert [(s.path, s.sections, s.purpose) for s in result.sources if s.note] == \
        [("sources/mine.md", [], "chosen by hand")]


def test_list_drafts_reports_progress(corpus):
    ws, store = corpus
    made = drafts.new_draft(ws, store, "launch", "integration-page", "stripe", {"partner": "Stripe"})
    path = ws.root / made.path
    (before,) = drafts.list_drafts(ws, "launch")
    path.write_text(path.read_text() + "\nOne two three. <!-- Source: not counted -->\n")
    (rows,) = drafts.list_drafts(ws, "launch")
    assert (rows.document, rows.template, rows.status) == ("integration-page-stripe",
                                                         "integration-page", "outline")
    assert rows.sections == 6 and rows.sections_with_sources == 6 - len(made.empty_sections)
    assert rows.empty_sections == made.empty_sections
    assert rows.sources == len(made.sources)
    assert rows.words == before.words + 3  # the comment's words are left out
    assert drafts.list_drafts(ws) == [rows]
    with pytest.raises(NotFound):
        drafts.list_drafts(ws, "nope")


def _ticked(workspace) -> dict[str, bool]:
    text = (workspace.projects_dir / "launch" / "plan.md").read_text()
    done = dict((label, ok) for ok, label in projects.checkboxes(text))
    return {step: done[label] for step, label in projects.TRACKING_STEPS}


def test_tracking_is_ticked_when_every_document_reaches_the_step(corpus):
    from kurt.writing.evidence import gather_evidence

    workspace, store = corpus
    first = drafts.new_draft(workspace, store, "launch", "integration-page", "stripe",
                             {"partner": "Stripe"})
    assert _ticked(workspace) == {"outline": True, "evidence": False, "draft": False,
                                  "final": False}
    second = drafts.new_draft(workspace, store, "launch", "integration-page", "postgres",
                              {"partner": "Postgres"})
    gather_evidence(workspace, store, first.path)
    assert _ticked(workspace)["evidence"] is False  # the second has no evidence yet
    gather_evidence(workspace, store, second.path)
    assert _ticked(workspace)["evidence"] is True
    for step in ("draft", "final"):  # placeholders are left: final needs force
        status.set_status(workspace, first.path, step, force=True)
    assert _ticked(workspace)["final"] is False  # one document is still an outline
    for step in ("draft", "final"):
        status.set_status(workspace, second.path, step, force=True)
    assert _ticked(workspace) == {"outline": True, "evidence": True, "draft": True, "final": True}
    progress = projects.project_progress(workspace, "launch")
    assert progress.open_tasks == ["List what must be researched beyond the ingested sources",
                                   "Publish"]


def test_a_planned_document_without_a_draft_keeps_outline_open(corpus):
    workspace, store = corpus
    project = projects.load_project(workspace, "launch")
    projects.edit_plan(project, lambda t: projects.set_plan_document(
        t, projects.PlanDocument("blog-post-launch", "blog-post", None, None)))
    drafts.new_draft(workspace, store, "launch", "integration-page", "stripe", {"partner": "Stripe"})
    assert _ticked(workspace)["outline"] is False


def test_no_sources_mode_still_inventories_the_project_sources(corpus):
    workspace, store = corpus
    make_corpus(workspace, store, OWN_PAGES)
    projects.add_sources(workspace, store, "launch", ["sources/docs.example.com/guides/cli.md"],
                         "CLI setup steps")
    result = drafts.new_draft(workspace, None, "launch", "integration-page", "stripe",
                              {"partner": "Stripe"}, propose=False)
    data = frontmatter.read(workspace.root / result.path).data
    assert [item["purpose"] for item in data["sources"]] == ["CLI setup steps"]
