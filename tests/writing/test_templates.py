"""Installing, listing, loading, copying and updating format templates in a workspace."""

from __future__ import annotations

import json

import pytest

from kurt.errors import FormatError, NotFound, UsageError
from kurt.writing.template_parse import parse_template
from kurt.writing.templates import (
    builtin_templates,
    install_builtin_templates,
    installed_text,
    list_templates,
    load_template,
    new_template,
    read_registry,
    sha256,
    update_templates,
)


def test_init_copies_builtins_and_records_their_hashes(workspace):
    registry = read_registry(workspace)
    for name, text in builtin_templates().items():
        path = workspace.templates_dir / f"{name}.md"
        assert path.read_text(encoding="utf-8") == text
        assert registry[name] == sha256(text)


def test_install_twice_creates_nothing(workspace):
    assert not any(created for _, created in install_builtin_templates(workspace))


def test_workspace_copy_wins_over_builtin(workspace):
    path = workspace.templates_dir / "blog-post.md"
    path.write_text(path.read_text().replace("# Blog Post Template", "# Our Blog Template"))
    tpl = load_template(workspace, "blog-post")
    assert tpl.origin == "workspace" and tpl.title == "Our Blog Template"


def test_builtin_is_used_when_the_copy_is_missing(workspace):
    (workspace.templates_dir / "homepage.md").unlink()
    assert load_template(workspace, "homepage").origin == "builtin"


def test_unknown_template_suggests_close_names(workspace):
    with pytest.raises(NotFound, match="did you mean integration-page"):
        load_template(workspace, "integration-pag")


def test_broken_template_is_listed_as_broken(workspace):
    path = workspace.templates_dir / "case-study.md"
    path.write_text(path.read_text().replace("outline:\n", "outline: [\n", 1))
    infos = {info.name: info for info in list_templates(workspace)}
    assert infos["case-study"].error.startswith("kurt/templates/formats/case-study.md:")
    assert infos["blog-post"].error is None
    with pytest.raises(FormatError):
        load_template(workspace, "case-study")


def test_list_marks_edited_copies(workspace):
    path = workspace.templates_dir / "homepage.md"
    path.write_text(path.read_text() + "\nOur notes.\n")
    infos = {info.name: info for info in list_templates(workspace)}
    assert infos["homepage"].modified is True
    assert infos["blog-post"].modified is False


def test_new_copies_and_renames_references(workspace):
    path = new_template(workspace, "partner-page", source="integration-page")
    assert path == workspace.templates_dir / "partner-page.md"
    tpl = load_template(workspace, "partner-page")
    assert tpl.title == "Partner Page Template"
    assert tpl.frontmatter["format_template"] == "/kurt/templates/formats/partner-page.md"
    assert [s.key for s in tpl.outline][0] == "overview"
    assert tpl.frontmatter["document"] == "partner-page-[partner-name]"
    assert "integration-page" not in tpl.text


@pytest.mark.parametrize("name", ["../x", "Bad", "a/b", "x.md", "", "-x"])
def test_new_refuses_names_that_are_not_plain(workspace, name):
    with pytest.raises(UsageError):
        new_template(workspace, name, source="blog-post")
    assert not (workspace.root / "kurt" / "templates" / "x.md").exists()


@pytest.mark.parametrize("name", ["blog-post", "homepage"])
def test_new_refuses_existing_names(workspace, name):
    with pytest.raises(UsageError, match="already exists"):
        new_template(workspace, name, source="integration-page")


def test_new_refuses_unknown_source(workspace):
    with pytest.raises(NotFound):
        new_template(workspace, "mine", source="nope")


def _pretend_builtin_changed(workspace, name: str) -> str:
    """Make the copy look like an older built-in Kurt wrote (recorded hash matches it)."""
    path = workspace.templates_dir / f"{name}.md"
    old = path.read_text() + "\n<!-- older built-in -->\n"
    path.write_text(old)
    registry_path = workspace.state_dir / "templates.json"
    data = json.loads(registry_path.read_text())
    data["templates"][name] = sha256(old)
    registry_path.write_text(json.dumps(data))
    return old


def test_update_refreshes_unedited_copy(workspace):
    _pretend_builtin_changed(workspace, "blog-post")
    report = update_templates(workspace)
    actions = {e.name: e.action for e in report.entries}
    assert actions["blog-post"] == "updated"
    assert (workspace.templates_dir / "blog-post.md").read_text() == builtin_templates()["blog-post"]
    assert read_registry(workspace)["blog-post"] == sha256(builtin_templates()["blog-post"])


def test_update_keeps_edited_copy(workspace):
    path = workspace.templates_dir / "blog-post.md"
    edited = path.read_text() + "\nMy own rule.\n"
    path.write_text(edited)
    report = update_templates(workspace)
    assert {e.name: e.action for e in report.entries}["blog-post"] == "kept-edited"
    assert path.read_text() == edited


def test_update_adds_missing_builtins(workspace):
    (workspace.templates_dir / "homepage.md").unlink()
    report = update_templates(workspace)
    assert {e.name: e.action for e in report.entries}["homepage"] == "added"
    assert (workspace.templates_dir / "homepage.md").exists()


def test_update_dry_run_writes_nothing(workspace):
    old = _pretend_builtin_changed(workspace, "blog-post")
    report = update_templates(workspace, dry_run=True)
    assert {e.name: e.action for e in report.entries}["blog-post"] == "updated"
    assert (workspace.templates_dir / "blog-post.md").read_text() == old


def test_update_reports_unchanged(workspace):
    report = update_templates(workspace)
    assert report.count("unchanged") == len(builtin_templates())


SECTIONS = ["## Overview", "## Style Guidelines", "## Research Requirements",
            "## Source Requirements", "## Structure", "## Workflow: Outline to Draft",
            "## Customizing This Template (One-Time Setup)"]


@pytest.mark.parametrize("name", sorted(builtin_templates()))
def test_every_builtin_template_has_the_seed_anatomy(name):
    text = builtin_templates()[name]
    headings = [line.rstrip() for line in text.split("\n") if line.startswith("## ")]
    found = list(dict.fromkeys(h for h in headings if h in SECTIONS))  # skeleton repeats are dropped
    assert found == SECTIONS  # all present, in the seed's order
    tpl = parse_template(text, name=name)
    assert tpl.purpose and tpl.audience and tpl.success_metrics and tpl.length
    assert not tpl.customized  # ships with the [CUSTOMIZATION NEEDED] marker
    fm = tpl.frontmatter
    assert fm["status"] == "outline" and fm["format_template"].endswith(f"/{name}.md")
    assert {"project", "document", "created", "sources"} <= set(fm)
    assert len(tpl.outline) >= 4 and all(s.purpose for s in tpl.outline)
    assert len(tpl.required_headings) >= 4


@pytest.mark.parametrize("name", sorted(set(builtin_templates()) - {"integration-page"}))
def test_every_written_template_shows_a_draft_command_with_its_subject_variable(name):
    text = builtin_templates()[name]
    command = next(line for line in text.split("\n")
                   if line.startswith(f"kurt draft new <project> --template {name} "))
    assert " --var " in command and "<slug>" not in command


def _installed_older_builtin_then_edited(workspace, name: str) -> tuple[str, str]:
    """The copy was installed from an older built-in (stored, hash recorded), then edited."""
    builtin = builtin_templates()[name]
    older = builtin.replace("## Overview", "## Overview\n\nAn old built-in line.", 1)
    assert older != builtin
    (workspace.state_dir / "templates" / f"{name}.md").write_text(older)
    registry_path = workspace.state_dir / "templates.json"
    data = json.loads(registry_path.read_text())
    data["templates"][name] = sha256(older)
    registry_path.write_text(json.dumps(data))
    edited = older + "\nMy own rule.\n"
    (workspace.templates_dir / f"{name}.md").write_text(edited)
    return older, edited


def test_install_stores_the_text_it_installed(workspace):
    for name, text in builtin_templates().items():
        assert (workspace.state_dir / "templates" / f"{name}.md").read_text() == text
        assert installed_text(workspace, name) == text


def test_update_diff_shows_how_the_builtin_changed_since_install(workspace):
    older, edited = _installed_older_builtin_then_edited(workspace, "blog-post")
    report = update_templates(workspace, dry_run=True, diff=True)
    entry = next(e for e in report.entries if e.name == "blog-post")
    assert entry.action == "kept-edited"
    assert "-An old built-in line." in entry.diff
    assert "My own rule" not in entry.diff  # the user's edit is not a built-in change
    assert entry.diff.startswith("--- blog-post.md (built-in as installed)\n")
    assert (workspace.templates_dir / "blog-post.md").read_text() == edited
    others = [e for e in report.entries if e.name != "blog-post"]
    assert all(e.diff is None for e in others)


def test_update_diff_of_an_edited_copy_whose_builtin_did_not_change_is_empty(workspace):
    path = workspace.templates_dir / "blog-post.md"
    path.write_text(path.read_text() + "\nMy own rule.\n")
    entry = next(e for e in update_templates(workspace, diff=True).entries if e.name == "blog-post")
    assert entry.action == "kept-edited" and entry.diff == ""
    assert "nothing to port" in entry.diff_note


def test_update_diff_without_a_stored_base_compares_the_copy(workspace):
    older, edited = _installed_older_builtin_then_edited(workspace, "blog-post")
    (workspace.state_dir / "templates" / "blog-post.md").unlink()
    entry = next(e for e in update_templates(workspace, diff=True).entries if e.name == "blog-post")
    assert installed_text(workspace, "blog-post") is None
    assert "not stored" in entry.diff_note
    assert "-My own rule." in entry.diff


def test_update_stores_the_base_of_copies_it_writes(workspace):
    _pretend_builtin_changed(workspace, "blog-post")
    (workspace.state_dir / "templates" / "blog-post.md").unlink()
    update_templates(workspace)
    stored = (workspace.state_dir / "templates" / "blog-post.md").read_text()
    assert stored == builtin_templates()["blog-post"]
