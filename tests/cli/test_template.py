"""``kurt template`` and ``kurt show format-templates`` as a user runs them."""

from __future__ import annotations

import json

from kurt.writing.templates import builtin_templates, sha256


def test_template_list_json(kurt, workspace):
    result = kurt("template", "list", "--format", "json", cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    names = {row["name"] for row in result.json()}
    assert names == set(builtin_templates())


def test_show_format_templates_matches_template_list(kurt, workspace):
    a = kurt("show", "format-templates", "--format", "json", cwd=workspace.root)
    b = kurt("template", "list", "--format", "json", cwd=workspace.root)
    assert a.exit_code == 0 and a.json() == b.json()


def test_template_show_json_has_parsed_parts(kurt, workspace):
    result = kurt("template", "show", "integration-page", "--format", "json", cwd=workspace.root)
    data = result.json()
    assert data["length"] == [1000, 1500]
    assert [s["key"] for s in data["outline"]][:2] == ["overview", "prerequisites"]
    assert data["origin"] == "workspace" and data["customized"] is False


def test_broken_template_error_names_file_and_line(kurt, workspace):
    path = workspace.templates_dir / "blog-post.md"
    text = path.read_text()
    path.write_text(text.replace("outline:\n", "outline: [\n", 1))
    result = kurt("template", "show", "blog-post", cwd=workspace.root)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: kurt/templates/formats/blog-post.md:")
    assert "bad YAML in the structure block" in result.stderr
    assert "Traceback" not in result.stderr
    listing = kurt("template", "list", cwd=workspace.root)
    assert listing.exit_code == 0 and "BROKEN" in listing.stdout


def test_template_new_and_refusals(kurt, workspace):
    ok = kurt("template", "new", "partner-page", "--from", "integration-page", cwd=workspace.root)
    assert ok.exit_code == 0, ok.stderr
    assert (workspace.templates_dir / "partner-page.md").exists()
    again = kurt("template", "new", "partner-page", "--from", "blog-post", cwd=workspace.root)
    assert again.exit_code == 2 and "already exists" in again.stderr
    escape = kurt("template", "new", "../x", "--from", "blog-post", cwd=workspace.root)
    assert escape.exit_code == 2 and not (workspace.root / "kurt" / "templates" / "x.md").exists()


def test_unknown_template_suggests(kurt, workspace):
    result = kurt("template", "show", "blogpost", cwd=workspace.root)
    assert result.exit_code == 1 and "did you mean blog-post" in result.stderr


def test_template_update_dry_run(kurt, workspace):
    result = kurt("template", "update", "--dry-run", "--format", "json", cwd=workspace.root)
    assert result.exit_code == 0
    assert {t["action"] for t in result.json()["templates"]} == {"unchanged"}


def test_template_update_diff_prints_what_to_port(kurt, workspace):
    path = workspace.templates_dir / "blog-post.md"
    edited = path.read_text() + "\nMy own rule.\n"
    path.write_text(edited)
    base = workspace.state_dir / "templates" / "blog-post.md"
    base.write_text(base.read_text().replace("## Overview", "## Overview\n\nOld line.", 1))
    registry = workspace.state_dir / "templates.json"
    data = json.loads(registry.read_text())
    data["templates"]["blog-post"] = sha256(base.read_text())
    registry.write_text(json.dumps(data))
    result = kurt("template", "update", "--dry-run", "--diff", cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    assert "kurt/templates/formats/blog-post.md: what changed in the built-in" in result.stdout
    assert "-Old line." in result.stdout
    assert path.read_text() == edited
    as_json = kurt("template", "update", "--diff", "--format", "json", cwd=workspace.root).json()
    entry = next(t for t in as_json["templates"] if t["name"] == "blog-post")
    assert entry["action"] == "kept-edited" and "-Old line." in entry["diff"]


def test_customize_end_to_end_on_railway(kurt, railway_workspace):
    root = railway_workspace.root
    path = railway_workspace.templates_dir / "integration-page.md"
    before = path.read_text(encoding="utf-8")
    result = kurt("template", "customize", "integration-page", "--url-contains", "/integrations/",
                  "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    report = result.json()
    after = path.read_text(encoding="utf-8")
    assert "[CUSTOMIZATION NEEDED -" not in after
    assert 2 <= len(report["pages"]) <= 3
    for page in report["pages"]:
        assert f"`{page['document_id']}` {page['url']}" in after
    for ex in (e for e in report["examples"] if e["kind"] == "do"):
        page = next(p for p in report["pages"] if p["document_id"] == ex["document_id"])
        assert ex["sentence"] in (root / page["path"]).read_text(encoding="utf-8")
    # everything outside the Style Guidelines section is byte-identical
    cut = before.index("## Style Guidelines"), before.index("## Research Requirements")
    cut_after = after.index("## Style Guidelines"), after.index("## Research Requirements")
    assert before[: cut[0]] == after[: cut_after[0]]
    assert before[cut[1]:] == after[cut_after[1]:]
    again = kurt("template", "customize", "integration-page", "--url-contains", "/integrations/",
                 cwd=root)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert path.read_text(encoding="utf-8") == after
