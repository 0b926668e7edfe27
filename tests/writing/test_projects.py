import pytest

from kurt.errors import NotFound, UsageError
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.writing import projects
from kurt.writing.projects import PlanDocument, PlanSource

PLAN = """# Project: launch

Intro the user wrote.

## Goal

Ship the Stripe page.

## Documents to Create

| Document | Template | Status | Path |
|----------|----------|--------|------|
| integration-page-stripe | integration-page | outline | projects/launch/drafts/integration-page-stripe.md |

My note under the table.

## Sources of Ground Truth

- `aaaaaaaaaaaa` sources/x.md <https://x> — partner docs

```markdown
## Tracking
- [ ] not a task (in a code block)
```

## Tracking

- [x] Outline
- [ ] Draft
"""


def test_find_section_ignores_headings_in_code_blocks():
    body = projects.section_body(PLAN, "Tracking")
    assert "- [x] Outline" in body and "not a task" not in body


def test_updating_a_document_row_changes_only_that_row():
    doc = PlanDocument("integration-page-stripe", "integration-page", "draft", "p.md")
    new = projects.set_plan_document(PLAN, doc)
    assert "| integration-page-stripe | integration-page | draft | p.md |" in new
    assert new.replace("| integration-page-stripe | integration-page | draft | p.md |\n", "") == PLAN.replace(
        "| integration-page-stripe | integration-page | outline | projects/launch/drafts/integration-page-stripe.md |\n", "")


def test_a_new_document_row_goes_after_the_last_row():
    new = projects.set_plan_document(PLAN, PlanDocument("blog-post-x", "blog-post", "outline", "b.md"))
    rows = [d.document for d in projects.plan_documents(new)]
    assert rows == ["integration-page-stripe", "blog-post-x"]
    assert "My note under the table." in new


def test_a_row_is_added_to_an_empty_documents_section():
    plan = projects.render_plan("p", "goal")
    new = projects.set_plan_document(plan, PlanDocument("a", "t", "outline", "x.md"))
    assert [d.status for d in projects.plan_documents(new)] == ["outline"]


def test_sources_are_appended_once():
    new, added, already = projects.add_plan_sources(PLAN, [
        PlanSource("aaaaaaaaaaaa", "sources/x.md", "https://x", "again"),
        PlanSource("bbbbbbbbbbbb", "sources/y.md", "https://y", "setup"),
    ])
    assert [s.document_id for s in added] == ["bbbbbbbbbbbb"]
    assert [s.document_id for s in already] == ["aaaaaaaaaaaa"]
    parsed = projects.plan_sources(new)
    assert [(s.document_id, s.path, s.url, s.purpose) for s in parsed] == [
        ("aaaaaaaaaaaa", "sources/x.md", "https://x", "partner docs"),
        ("bbbbbbbbbbbb", "sources/y.md", "https://y", "setup"),
    ]
    # the new line sits right after the existing one, before the code block
    assert new.index("bbbbbbbbbbbb") < new.index("```markdown")


def test_a_missing_section_is_created_at_the_end():
    new = projects.append_to_section("# P\n\nText.\n", "Tracking", ["- [ ] one"])
    assert new == "# P\n\nText.\n\n## Tracking\n\n- [ ] one\n"


def test_checkboxes_count_open_and_done_outside_code():
    assert projects.checkboxes(PLAN) == [(True, "Outline"), (False, "Draft")]


def test_create_project_lays_out_folders(workspace):
    project = projects.create_project(workspace, "launch", "Ship it")
    assert project.plan_path.is_file() and project.drafts_dir.is_dir() and project.research_dir.is_dir()
    text = project.plan_path.read_text()
    for heading in ("Goal", "Documents to Create", "Sources of Ground Truth", "Research Required",
                    "Publishing Plan", "Tracking"):
        assert f"## {heading}\n" in text
    assert projects.plan_goal(text) == "Ship it"


def test_create_project_refuses_an_existing_one(workspace):
    projects.create_project(workspace, "launch", "Ship it")
    with pytest.raises(UsageError, match="already exists"):
        projects.create_project(workspace, "launch", "again")


@pytest.mark.parametrize("name", ["../x", "a/b", ""])
def test_create_project_refuses_names_escaping_the_workspace(workspace, name):
    with pytest.raises(UsageError):
        projects.create_project(workspace, name, "goal")
    assert not (workspace.root / "x").exists()


def test_unknown_project_is_not_found(workspace):
    with pytest.raises(NotFound, match="kurt project new nope"):
        projects.load_project(workspace, "nope")


def _add_doc(store, url, content_path):
    add_discovered(store, [Discovered(url=url, domain="docs.example.com")])
    update_document(store, document_id(url), status="FETCHED", content_path=content_path)
    return document_id(url)


def test_add_sources_records_id_path_and_url(workspace, store):
    projects.create_project(workspace, "launch", "Ship it")
    doc = _add_doc(store, "https://docs.example.com/a", "sources/docs.example.com/a.md")
    result = projects.add_sources(workspace, store, "launch", ["https://docs.example.com/a"], "setup")
    assert [s.document_id for s in result.added] == [doc]
    progress = projects.project_progress(workspace, "launch")
    assert progress.sources == 1
    again = projects.add_sources(workspace, store, "launch", [doc], "setup")
    assert again.added == [] and len(again.already) == 1


def test_add_sources_with_an_unknown_document_writes_nothing(workspace, store):
    project = projects.create_project(workspace, "launch", "Ship it")
    _add_doc(store, "https://docs.example.com/a", "sources/docs.example.com/a.md")
    before = project.plan_path.read_text()
    with pytest.raises(NotFound, match="nope"):
        projects.add_sources(workspace, store, "launch", ["https://docs.example.com/a", "nope"], None)
    assert project.plan_path.read_text() == before


def test_progress_reads_drafts_and_tasks(workspace):
    project = projects.create_project(workspace, "launch", "Ship it")
    (project.drafts_dir / "blog-post-x.md").write_text(
        "---\ndocument: blog-post-x\nformat_template: kurt/templates/formats/blog-post.md\nstatus: draft\n---\n\n# X\n")
    progress = projects.project_progress(workspace, "launch")
    assert progress.documents_by_status == {"draft": 1}
    assert progress.documents[0]["template"] == "blog-post"
    assert progress.tasks_open == 6 and progress.tasks_done == 0
    assert [p.name for p in projects.list_projects(workspace)] == ["launch"]


def test_set_tracking_ticks_only_the_lines_kurt_wrote():
    text = projects.render_plan("launch", "g").replace(
        "- [ ] Publish\n",
        "- [ ] Publish\n- [ ] Outline every document with sources (`kurt draft new`) by Friday\n")
    ticked = projects.set_tracking(text, {"outline": True, "evidence": False})
    assert "- [x] Outline every document with sources (`kurt draft new`)\n" in ticked
    assert "- [ ] Outline every document with sources (`kurt draft new`) by Friday\n" in ticked
    assert "- [ ] Gather evidence for every document" in ticked
    assert "- [ ] Publish\n" in ticked
    assert projects.set_tracking(ticked, {"outline": False}) == text


def test_set_tracking_ignores_checkboxes_outside_the_tracking_section():
    label = projects.TRACKING_STEPS[0][1]
    text = f"# P\n\n## Research Required\n\n- [ ] {label}\n\n## Tracking\n\n- [ ] {label}\n"
    assert projects.set_tracking(text, {"outline": True}) == \
        f"# P\n\n## Research Required\n\n- [ ] {label}\n\n## Tracking\n\n- [x] {label}\n"
