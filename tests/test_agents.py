import json
import re
from pathlib import Path

import pytest
import yaml

from kurt.agents import (
    AgentFile,
    _yaml_scalar,
    agent_files,
    parse_rule,
    read_registry,
    refresh_agent_files,
    shipped_rules,
)
from kurt.errors import FormatError
from kurt.workspace import Workspace, init_workspace
from kurt.writing.templates import builtin_templates

RULE_NAMES = [rule.name for rule in shipped_rules()]


def _frontmatter(text: str) -> tuple[dict, str]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "no frontmatter"
    return yaml.safe_load(match.group(1)), text[match.end():]


def _outside_code(text: str) -> str:
    """The text with fenced blocks and code spans removed (Claude Code does not import there)."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    return re.sub(r"`[^`\n]*`", "", text)


def _imports(text: str) -> list[str]:
    return re.findall(r"(?:^|\s)@([\w./-]+)", _outside_code(text))


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws").workspace


def test_shipped_rules_include_the_ones_templates_mention():
    assert {"find-sources", "add-source", "write-draft", "use-templates"} <= set(RULE_NAMES)


def test_init_installs_agent_files(ws: Workspace):
    root = ws.root
    for path in ("AGENTS.md", "CLAUDE.md", ".cursor/rules/kurt.mdc"):
        assert (root / path).is_file(), path
    for name in RULE_NAMES:
        assert (root / "kurt" / "rules" / f"{name}.md").is_file()
        assert (root / ".cursor" / "rules" / f"{name}.mdc").is_file()
        assert (root / ".claude" / "commands" / f"{name}.md").is_file()
    assert set(read_registry(ws)) == {item.path for item in agent_files()}


def test_init_reports_agent_files_as_created(tmp_path: Path):
    result = init_workspace(tmp_path / "ws")
    assert "AGENTS.md" in result.created
    assert ".cursor/rules/find-sources.mdc" in result.created


def test_installed_files_match_the_shipped_texts(ws: Workspace):
    for item in agent_files():
        assert (ws.root / item.path).read_text(encoding="utf-8") == item.text


def test_workspace_rules_have_no_header(ws: Workspace):
    for name in RULE_NAMES:
        text = (ws.root / "kurt" / "rules" / f"{name}.md").read_text(encoding="utf-8")
        assert text.startswith("# "), name


def test_init_twice_writes_nothing(ws: Workspace):
    again = init_workspace(ws.root)
    assert again.created == []
    assert "CLAUDE.md" in again.kept


def test_init_again_keeps_user_edits(ws: Workspace):
    agents = ws.root / "AGENTS.md"
    mdc = ws.root / ".cursor" / "rules" / "find-sources.mdc"
    agents.write_text("# Our own rules\n", encoding="utf-8")
    mdc.write_text(mdc.read_text(encoding="utf-8") + "\n- Prefer the API reference.\n",
                   encoding="utf-8")
    edited_mdc = mdc.read_text(encoding="utf-8")
    again = init_workspace(ws.root)
    assert agents.read_text(encoding="utf-8") == "# Our own rules\n"
    assert mdc.read_text(encoding="utf-8") == edited_mdc
    assert "AGENTS.md" in again.kept and ".cursor/rules/find-sources.mdc" in again.kept


def test_init_again_restores_a_deleted_file(ws: Workspace):
    rule = ws.root / "kurt" / "rules" / "add-source.md"
    rule.unlink()
    again = init_workspace(ws.root)
    assert rule.is_file()
    assert again.created == ["kurt/rules/add-source.md"]


def test_a_file_kurt_never_wrote_is_kept(tmp_path: Path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "CLAUDE.md").write_text("# Team notes\n", encoding="utf-8")
    result = init_workspace(root)
    assert (root / "CLAUDE.md").read_text(encoding="utf-8") == "# Team notes\n"
    assert "CLAUDE.md" in result.kept
    assert "CLAUDE.md" not in read_registry(result.workspace)


def test_unedited_files_are_refreshed_and_edited_ones_kept(ws: Workspace):
    target = ws.root / "kurt" / "rules" / "extra.md"
    first = refresh_agent_files(ws, [AgentFile("kurt/rules/extra.md", "v1\n")])
    assert [r.action for r in first] == ["created"]
    second = refresh_agent_files(ws, [AgentFile("kurt/rules/extra.md", "v2\n")])
    assert [r.action for r in second] == ["updated"]
    assert target.read_text(encoding="utf-8") == "v2\n"
    target.write_text("mine\n", encoding="utf-8")
    third = refresh_agent_files(ws, [AgentFile("kurt/rules/extra.md", "v3\n")])
    assert [r.action for r in third] == ["edited"]
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_an_interrupted_install_is_recorded_on_the_next_run(ws: Workspace):
    registry = ws.state_dir / "agents.json"
    registry.unlink()  # files written, record lost: as if interrupted before the record
    results = refresh_agent_files(ws)
    assert {r.action for r in results} == {"unchanged"}
    assert set(read_registry(ws)) == {item.path for item in agent_files()}


def test_a_damaged_registry_keeps_every_changed_file(ws: Workspace):
    (ws.state_dir / "agents.json").write_text("{not json", encoding="utf-8")
    target = ws.root / "AGENTS.md"
    target.write_text("old text\n", encoding="utf-8")
    refresh_agent_files(ws)
    assert target.read_text(encoding="utf-8") == "old text\n"
    json.loads((ws.state_dir / "agents.json").read_text(encoding="utf-8"))


def test_install_leaves_no_temporary_files(ws: Workspace):
    assert not [p for p in ws.root.rglob("*.tmp")]


@pytest.mark.parametrize("name", [*RULE_NAMES, "kurt"])
def test_cursor_rule_frontmatter_parses(ws: Workspace, name: str):
    text = (ws.root / ".cursor" / "rules" / f"{name}.mdc").read_text(encoding="utf-8")
    header, body = _frontmatter(text)
    assert set(header) == {"description", "globs", "alwaysApply"}
    assert isinstance(header["description"], str) and header["description"].strip()
    assert isinstance(header["alwaysApply"], bool)
    assert header["globs"] is None or isinstance(header["globs"], str)
    assert body.strip().startswith("# ")


def test_only_the_workspace_rule_always_applies(ws: Workspace):
    always = {p.stem for p in (ws.root / ".cursor" / "rules").glob("*.mdc")
              if _frontmatter(p.read_text(encoding="utf-8"))[0]["alwaysApply"]}
    assert always == {"kurt"}


@pytest.mark.parametrize("name", RULE_NAMES)
def test_claude_command_frontmatter_parses(ws: Workspace, name: str):
    text = (ws.root / ".claude" / "commands" / f"{name}.md").read_text(encoding="utf-8")
    header, body = _frontmatter(text)
    assert header["description"]
    assert "$ARGUMENTS" in body
    assert f"@kurt/rules/{name}.md" in body


def test_claude_md_imports_every_rule(ws: Workspace):
    imports = _imports((ws.root / "CLAUDE.md").read_text(encoding="utf-8"))
    assert "AGENTS.md" in imports
    assert {f"kurt/rules/{name}.md" for name in RULE_NAMES} <= set(imports)


@pytest.mark.parametrize("path", ["CLAUDE.md", "AGENTS.md", ".cursor/rules/kurt.mdc",
                                  *[f".claude/commands/{n}.md" for n in RULE_NAMES]])
def test_file_references_resolve(ws: Workspace, path: str):
    for imported in _imports((ws.root / path).read_text(encoding="utf-8")):
        assert (ws.root / imported).is_file(), f"{path}: @{imported} does not exist"


def _template_rule_mentions() -> set[str]:
    names = set()
    for text in builtin_templates().values():
        for line in text.splitlines():
            if "rule" in line:
                names.update(re.findall(r"@([a-z]+(?:-[a-z]+)*)", line))
    return names


def test_templates_mention_rules():
    assert {"find-sources", "add-source"} <= _template_rule_mentions()


@pytest.mark.parametrize("name", sorted(_template_rule_mentions()))
def test_rules_mentioned_by_templates_exist(ws: Workspace, name: str):
    assert (ws.root / ".cursor" / "rules" / f"{name}.mdc").is_file()
    assert (ws.root / "kurt" / "rules" / f"{name}.md").is_file()


@pytest.mark.parametrize("text, line, problem", [
    ("# no header\n", 1, "starts with"),
    ("---\ndescription: x\n", 1, "no closing"),
    ("---\ndescription: a: b\n---\nbody\n", 2, "bad YAML"),
    ("---\nglobs: a/*.md\n---\nbody\n", 2, "description"),
])
def test_parse_rule_rejects_bad_headers(text: str, line: int, problem: str):
    with pytest.raises(FormatError, match=problem) as info:
        parse_rule("x", text)
    assert info.value.line == line


def test_parse_rule_reads_the_header():
    rule = parse_rule("r", "---\ndescription: Find it\nglobs: a/*.md\nalwaysApply: true\n"
                           "argument-hint: what\n---\n\n# Body\n")
    assert (rule.description, rule.globs, rule.always_apply, rule.argument_hint, rule.body) == (
        "Find it", "a/*.md", True, "what", "# Body\n")


@pytest.mark.parametrize("value", [
    "Plain words", "Status: outline -> draft", "*.md first", "a # not a comment",
    "yes", "'quoted'", "- dash", "trailing colon:",
])
def test_yaml_scalar_reads_back_the_same(value: str):
    assert yaml.safe_load(f"key: {_yaml_scalar(value)}")["key"] == value


def test_cli_init_installs_agent_files(kurt, tmp_path: Path):
    first = kurt("init", "ws", "--format", "json", cwd=tmp_path)
    assert first.exit_code == 0
    assert ".cursor/rules/add-source.mdc" in first.json()["created"]
    assert (tmp_path / "ws" / "CLAUDE.md").is_file()
    second = kurt("init", "ws", "--format", "json", cwd=tmp_path)
    assert second.exit_code == 0 and second.json()["created"] == []
