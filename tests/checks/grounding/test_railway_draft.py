"""The grounding checks on a real Kurt draft: made by `kurt draft new`, sourced with
`kurt draft add-source`, checked against the stored railway documentation."""

from kurt.checks.grounding import check_grounding
from kurt.checks.section_sources import draft_sections
from kurt.index.vocabulary import load_vocabulary

HEALTHCHECKS = "sources/docs.railway.com/docs/deployments/healthchecks.md"


def test_a_kurt_draft_is_checked_section_by_section(railway_workspace, kurt):
    root = railway_workspace.root
    assert kurt("project", "new", "deploys", "--goal", "Safe deploys", cwd=root).exit_code == 0
    made = kurt("draft", "new", "deploys", "--template", "documentation-tutorial", "--name",
                "health", "--var", "topic=healthchecks", cwd=root)
    assert made.exit_code == 0, made.output
    draft = root / "projects" / "deploys" / "drafts" / "documentation-tutorial-health.md"
    added = kurt("draft", "add-source", str(draft.relative_to(root)), "set-up-the-project",
                 HEALTHCHECKS, cwd=root)
    assert added.exit_code == 0, added.output
    text = draft.read_text(encoding="utf-8")
    heading = "## Set Up The Project\n"
    prose = ("Railway waits up to 300 seconds for the healthcheck endpoint to answer with a 200. "
             "Requests come from the healthcheck.railway.app hostname, and the default timeout "
             "is 45 minutes on Coolify.\n\n")
    text = text.replace(heading, heading + "\n" + prose, 1)
    draft.write_text(text, encoding="utf-8")

    store = railway_workspace.open_store()
    try:
        sections = draft_sections(railway_workspace, draft, store)
    finally:
        store.close()
    [setup] = [s for s in sections if s.heading == "Set Up The Project"]
    assert any(p.path == HEALTHCHECKS and p.scope == "section" for p in setup.passages)

    findings = check_grounding(text, str(draft.relative_to(root)), sections,
                               rules=("grounding/specific",),
                               vocabulary=load_vocabulary(railway_workspace))
    line = text.split("\n").index(prose.split("\n")[0]) + 1
    ours = [f for f in findings if f.line == line]
    assert [f.message for f in ours] == ['Duration "45 minutes" is not in the sources',
                                         'Name "Coolify" is not in the sources']
    assert ours[0].evidence.path == HEALTHCHECKS
    assert '"300 seconds' in ours[0].suggestion
    # the template's skeleton left in the draft ([Placeholders], {{PRODUCT_NAME}}, "[2-3
    # sentences: ...]") is for the structure/* rules: no grounding finding comes from it
    assert [f for f in findings if f.line != line] == []
