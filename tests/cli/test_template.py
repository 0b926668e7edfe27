"""``kurt template`` and ``kurt show format-templates`` as a user runs them."""

from __future__ import annotations

import json

import pytest

from kurt.writing.templates import builtin_templates, sha256
from tests.chat_completions import ChatCompletionsServer, reply


def test_template_list_json(kurt, workspace):
    result = kurt("template", "list", "--format", "json", cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    names = {row["name"] for row in result.json()["templates"]}
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


def test_a_template_linked_from_a_shared_folder_is_listed_where_it_is(kurt, workspace, tmp_path):
    """A team keeps its templates in a shared folder and links them into the workspace."""
    shared = tmp_path / "team-templates" / "partner-page.md"
    shared.parent.mkdir()
    shared.write_text(builtin_templates()["integration-page"], encoding="utf-8")
    link = workspace.root / "kurt/templates/formats/partner-page.md"
    link.symlink_to(shared)
    listed = kurt("template", "list", "--format", "json", cwd=workspace.root)
    assert listed.exit_code == 0, listed.stderr
    row = next(t for t in listed.json()["templates"] if t["name"] == "partner-page")
    assert row["path"] == "kurt/templates/formats/partner-page.md" and not row["error"]
    shown = kurt("template", "show", "partner-page", "--format", "json", cwd=workspace.root)
    assert shown.exit_code == 0 and shown.json()["path"] == "kurt/templates/formats/partner-page.md"


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
    assert again.exit_code == 2 and "--force" in again.stderr  # a conflict is a usage error
    assert path.read_text(encoding="utf-8") == after


# -- customize --llm, against a chat-completions server on 127.0.0.1 ---------------

LLM_KEY = "sk-cli-test"
FABRICATED = "Every Railway integration is effortless, instant and magical for everyone."


@pytest.fixture
def chat_api():
    """Answers every chat completion with ``chat_api.content`` (a dict, or raw text)."""

    def respond(request: dict):
        payload = json.loads(request["body"]["messages"][-1]["content"])
        content = server.content(payload) if callable(server.content) else server.content
        return 200, {}, reply(content)

    server = ChatCompletionsServer(respond)
    server.content = None
    yield server
    server.close()


def _configure_llm(ws, base_url: str, key: str | None = LLM_KEY) -> None:
    text = ws.config_path.read_text(encoding="utf-8")
    text = text.replace('base_url = "https://api.openai.com/v1"', f'base_url = "{base_url}"')
    text = text.replace('api_key_env = "OPENAI_API_KEY"', 'api_key_env = "KURT_TEST_LLM_KEY"')
    ws.config_path.write_text(text, encoding="utf-8")
    if key:
        ws.env_path.write_text(f"KURT_TEST_LLM_KEY={key}\n", encoding="utf-8")


def _llm_answer(payload: dict) -> dict:
    return {"do": [{"sentence": payload["candidate_sentences"][-1]["sentence"],
                    "reason": "names the command"},
                   {"sentence": FABRICATED, "reason": "sounds good"}],
            "dont": [{"sentence": "Stuff may be set up somehow.", "reason": "Vague."}],
            "voice_summary": "Plain, direct and concrete."}


def test_customize_llm_refines_and_rejects_fabricated_do(kurt, railway_workspace, chat_api):
    ws = railway_workspace
    _configure_llm(ws, chat_api.base_url)
    chat_api.content = _llm_answer
    result = kurt("template", "customize", "integration-page", "--url-contains", "/integrations/",
                  "--llm", "--format", "json", cwd=ws.root)
    assert result.exit_code == 0, result.stderr
    (request,) = chat_api.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == f"Bearer {LLM_KEY}"
    report = result.json()
    assert report["llm"]["status"] == "refined" and report["llm"]["refined_do"] == 1
    after = (ws.templates_dir / "integration-page.md").read_text(encoding="utf-8")
    assert FABRICATED not in after
    assert "Why this works (refined by LLM): Names the command" in after
    assert "**Voice (refined by LLM):** Plain, direct and concrete." in after
    assert any(r.startswith("DO 'Every Railway integration") for r in report["llm"]["rejected"])
    assert result.stderr == ""  # JSON: the rejected picks are in the report, not on stderr
    for ex in (e for e in report["examples"] if e["kind"] == "do"):
        page = next(p for p in report["pages"] if p["document_id"] == ex["document_id"])
        assert ex["sentence"] in (ws.root / page["path"]).read_text(encoding="utf-8")


def test_customize_llm_without_key_fails_before_writing(kurt, railway_workspace, chat_api):
    ws = railway_workspace
    _configure_llm(ws, chat_api.base_url, key=None)
    path = ws.templates_dir / "integration-page.md"
    before = path.read_text(encoding="utf-8")
    result = kurt("template", "customize", "integration-page", "--llm", cwd=ws.root,
                  env={"KURT_TEST_LLM_KEY": ""})
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "set KURT_TEST_LLM_KEY in the environment or in .env" in result.stderr
    assert path.read_text(encoding="utf-8") == before and not chat_api.requests


def test_customize_llm_bad_answer_warns_and_keeps_measured(kurt, railway_workspace, chat_api):
    ws = railway_workspace
    _configure_llm(ws, chat_api.base_url)
    chat_api.content = "this is not JSON"
    result = kurt("template", "customize", "integration-page", "--url-contains", "/integrations/",
                  "--llm", cwd=ws.root)
    assert result.exit_code == 0, result.stderr
    assert "Warning: LLM refinement failed (the LLM answered with invalid JSON)" in result.stderr
    after = (ws.templates_dir / "integration-page.md").read_text(encoding="utf-8")
    assert "[CUSTOMIZATION NEEDED -" not in after and "refined by LLM" not in after


def test_customize_dry_run_says_nothing_was_written(kurt, railway_workspace):
    root = railway_workspace.root
    path = railway_workspace.templates_dir / "integration-page.md"
    before = path.read_text(encoding="utf-8")
    result = kurt("template", "customize", "integration-page", "--url-contains", "/integrations/",
                  "--dry-run", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("## Style Guidelines")
    assert "Dry run: kurt/templates/formats/integration-page.md was not changed" in result.stderr
    assert path.read_text(encoding="utf-8") == before
