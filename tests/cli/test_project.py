from kurt.store.documents import Discovered, add_discovered, document_id, update_document

URL = "https://docs.example.com/docs/integrations/stripe"


def _doc(workspace):
    store = workspace.open_store()
    add_discovered(store, [Discovered(url=URL, domain="docs.example.com")])
    update_document(store, document_id(URL), status="FETCHED",
                    content_path="sources/docs.example.com/docs/integrations/stripe.md")
    store.close()
    return document_id(URL)


def test_project_new_creates_the_layout(kurt, workspace):
    result = kurt("project", "new", "launch", "--goal", "Integration pages", "--format", "json",
                  cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    assert result.json()["plan"] == "projects/launch/plan.md"
    assert (workspace.root / "projects/launch/research").is_dir()
    assert (workspace.root / "projects/launch/drafts").is_dir()


def test_project_new_refuses_a_path_escape(kurt, workspace):
    result = kurt("project", "new", "../x", "--goal", "g", cwd=workspace.root)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: '../x' is not a valid project name")
    assert "Traceback" not in result.stderr and not (workspace.root.parent / "x").exists()


def test_project_new_requires_a_goal(kurt, workspace):
    result = kurt("project", "new", "launch", cwd=workspace.root)
    assert result.exit_code == 2 and "--goal" in result.stderr


def test_add_source_records_and_refuses_unknown(kurt, workspace):
    doc = _doc(workspace)
    kurt("project", "new", "launch", "--goal", "g", cwd=workspace.root)
    plan = workspace.root / "projects/launch/plan.md"
    before = plan.read_text()
    bad = kurt("project", "add-source", "launch", URL, "nope", cwd=workspace.root)
    assert bad.exit_code == 1 and "nope" in bad.stderr
    assert plan.read_text() == before
    ok = kurt("project", "add-source", "launch", URL, "--purpose", "partner docs",
              "--format", "json", cwd=workspace.root)
    assert ok.exit_code == 0, ok.stderr
    assert ok.json()["added"][0]["document_id"] == doc
    assert f"- `{doc}` sources/docs.example.com/docs/integrations/stripe.md <{URL}> — partner docs" in plan.read_text()
    again = kurt("project", "add-source", "launch", doc, cwd=workspace.root)
    assert again.exit_code == 0 and again.stdout.startswith("already")
    assert plan.read_text().count(doc) == 1


def test_add_source_to_unknown_project(kurt, workspace):
    result = kurt("project", "add-source", "nope", URL, cwd=workspace.root)
    assert result.exit_code == 1 and "kurt project new nope" in result.stderr


def test_list_and_show(kurt, workspace):
    assert kurt("project", "list", "--format", "json", cwd=workspace.root).json()["projects"] == []
    kurt("project", "new", "launch", "--goal", "Integration pages", cwd=workspace.root)
    listed = kurt("project", "list", "--format", "json", cwd=workspace.root).json()["projects"]
    assert [(p["name"], p["goal"], p["tasks_open"]) for p in listed] == [("launch", "Integration pages", 6)]
    shown = kurt("project", "show", "launch", cwd=workspace.root)
    assert shown.exit_code == 0 and "Goal: Integration pages" in shown.stdout
    table = kurt("project", "list", cwd=workspace.root)
    assert "launch" in table.stdout and "0/6 done" in table.stdout


def test_show_unknown_project(kurt, workspace):
    result = kurt("project", "show", "nope", cwd=workspace.root)
    assert result.exit_code == 1 and result.stderr.startswith("Error: No project 'nope'")


def test_profile_create_show_update(kurt, workspace):
    missing = kurt("profile", cwd=workspace.root)
    assert missing.exit_code == 1 and "kurt profile --company" in missing.stderr
    made = kurt("profile", "--company", "Railway", "--website", "https://railway.com",
                "--product", "Railway", "--audience", "Developers", "--voice", "Direct",
                cwd=workspace.root)
    assert made.exit_code == 0 and "Created kurt/profile.md" in made.stderr
    changed = kurt("profile", "--voice", "Calm", "--format", "json", cwd=workspace.root).json()
    assert changed["changed"] == ["voice"] and changed["company"] == "Railway"
    shown = kurt("profile", cwd=workspace.root)
    assert "Voice:     Calm" in shown.stdout
    bad = kurt("profile", "--website", "railway.com", cwd=workspace.root)
    assert bad.exit_code == 2 and "--website must be an http(s) URL" in bad.stderr
