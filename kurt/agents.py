"""Agent instruction files: what ``kurt init`` installs for Claude Code, Cursor and others.

The texts ship in ``kurt/resources/agents/``:

- ``AGENTS.md`` and ``CLAUDE.md``: copied to the workspace root. Many agents read
  AGENTS.md; Claude Code reads CLAUDE.md, which imports AGENTS.md and the rules.
- ``rules/<name>.md``: one task rule each (find-sources, add-source, ...), with a
  small YAML header (``description``, ``globs``, ``alwaysApply``, ``argument-hint``).
  A rule is installed three ways: its body as ``kurt/rules/<name>.md`` (agent
  neutral, imported by CLAUDE.md), as the Cursor rule ``.cursor/rules/<name>.mdc``
  (Cursor's frontmatter + the body: templates mention ``@find-sources``), and as
  the Claude Code slash command ``.claude/commands/<name>.md``.
- ``cursor/kurt.md``: the always-applied Cursor rule ``.cursor/rules/kurt.mdc``.

Like templates, Kurt records the sha256 of every file it wrote in
``.kurt/agents.json``. A later ``kurt init`` refreshes the files nobody edited and
keeps the rest: a file whose hash differs from the recorded one was edited, and a
file Kurt never wrote (say the user's own CLAUDE.md) is the user's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kurt.errors import FormatError
from kurt.installed import AgentFileResult, InstallRecord, sha256

__all__ = [
    "AgentFile", "AgentFileResult", "Rule", "agent_files",
    "parse_rule", "read_registry", "refresh_agent_files", "shipped_rules", "update_agents",
]

REGISTRY = InstallRecord("agents.json", "files")
RULES_DIR = "kurt/rules"
CURSOR_RULES_DIR = ".cursor/rules"
CLAUDE_COMMANDS_DIR = ".claude/commands"
ROOT_FILES = ("AGENTS.md", "CLAUDE.md")


@dataclass(frozen=True)
class Rule:
    """One task rule: its name (the file stem), header fields and markdown body."""

    name: str
    description: str
    body: str
    globs: str | None = None
    always_apply: bool = False
    argument_hint: str | None = None


@dataclass(frozen=True)
class AgentFile:
    """A file to install: its path relative to the workspace root, and its text."""

    path: str
    text: str


# -- the shipped texts ----------------------------------------------------------------

def _resource(*parts: str):
    return resources.files("kurt.resources").joinpath("agents", *parts)


def parse_rule(name: str, text: str, origin: str | Path | None = None) -> Rule:
    """A rule from its shipped text: a ``---`` YAML header, then the markdown body."""
    import yaml

    where = Path(origin or f"{name}.md")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise FormatError(where, 1, "a rule starts with a '---' YAML header")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise FormatError(where, 1, "the YAML header has no closing '---'")
    try:
        header = yaml.safe_load("".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FormatError(where, (mark.line if mark else 0) + 2,
                          f"bad YAML in the header: {problem}") from None
    description = header.get("description") if isinstance(header, dict) else None
    if not isinstance(description, str) or not description.strip():
        raise FormatError(where, 2, "the header needs a 'description'")
    globs = header.get("globs")
    hint = header.get("argument-hint")
    return Rule(
        name=name,
        description=description.strip(),
        body="".join(lines[end + 1:]).lstrip("\n"),
        globs=str(globs).strip() if globs else None,
        always_apply=bool(header.get("alwaysApply", False)),
        argument_hint=str(hint).strip() if hint else None,
    )


def shipped_rules() -> list[Rule]:
    """The task rules shipped with Kurt, sorted by name."""
    folder = _resource("rules")
    rules = [parse_rule(entry.name[:-3], entry.read_text(encoding="utf-8"), entry.name)
             for entry in folder.iterdir() if entry.name.endswith(".md")]
    return sorted(rules, key=lambda rule: rule.name)


def _yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when that reads back the same, else quoted."""
    import yaml

    try:
        plain = yaml.safe_load(value) == value and "\n" not in value and "#" not in value
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def render_cursor_rule(rule: Rule) -> str:
    """The ``.mdc`` text: Cursor's frontmatter (description, globs, alwaysApply) + the body."""
    globs = f" {rule.globs}" if rule.globs else ""
    return (f"---\ndescription: {_yaml_scalar(rule.description)}\nglobs:{globs}\n"
            f"alwaysApply: {'true' if rule.always_apply else 'false'}\n---\n\n{rule.body}")


def render_claude_command(rule: Rule) -> str:
    """A Claude Code slash command that applies the rule to ``$ARGUMENTS``."""
    header = f"---\ndescription: {_yaml_scalar(rule.description)}\n"
    if rule.argument_hint:
        header += f"argument-hint: {_yaml_scalar(rule.argument_hint)}\n"
    return (f"{header}---\n\n"
            f"Follow the Kurt rule @{RULES_DIR}/{rule.name}.md and the workspace "
            f"instructions in @AGENTS.md for this task:\n\n$ARGUMENTS\n")


def agent_files() -> list[AgentFile]:
    """Every file Kurt installs for agents, with the text it should have."""
    files = [AgentFile(name, _resource(name).read_text(encoding="utf-8")) for name in ROOT_FILES]
    for rule in shipped_rules():
        files.append(AgentFile(f"{RULES_DIR}/{rule.name}.md", rule.body))
        files.append(AgentFile(f"{CURSOR_RULES_DIR}/{rule.name}.mdc", render_cursor_rule(rule)))
        files.append(AgentFile(f"{CLAUDE_COMMANDS_DIR}/{rule.name}.md",
                               render_claude_command(rule)))
    workspace_rule = parse_rule("kurt", _resource("cursor", "kurt.md").read_text(encoding="utf-8"),
                                "cursor/kurt.md")
    files.append(AgentFile(f"{CURSOR_RULES_DIR}/kurt.mdc", render_cursor_rule(workspace_rule)))
    return files


# -- the record of what Kurt wrote ----------------------------------------------------

def read_registry(ws) -> dict[str, str]:
    """Workspace-relative path -> sha256 of the copy Kurt last wrote (empty when unknown)."""
    return REGISTRY.read(ws)


# -- installing -----------------------------------------------------------------------

def refresh_agent_files(ws, files: list[AgentFile] | None = None, *,
                        dry_run: bool = False) -> list[AgentFileResult]:
    """Write the agent files the workspace lacks and refresh the ones nobody edited.

    A file that differs from what Kurt last wrote, or that Kurt never wrote, is kept.
    ``dry_run``: say what would happen, write nothing.
    """
    from kurt.fileio import write_atomic

    hashes = read_registry(ws)
    before = dict(hashes)
    results = []
    for item in agent_files() if files is None else files:
        target = ws.root / item.path
        data = item.text.encode("utf-8")
        if not target.exists():
            action = "created"
        else:
            current = target.read_bytes() if target.is_file() else None
            if current == data:
                action = "unchanged"
            elif current is not None and hashes.get(item.path) == sha256(current):
                action = "updated"
            else:
                action = "edited" if item.path in hashes else "foreign"
        if action in ("created", "updated") and not dry_run:
            write_atomic(target, data)
        if action in ("created", "updated", "unchanged"):
            hashes[item.path] = sha256(data)
        results.append(AgentFileResult(target, action))
    if not dry_run and (hashes != before or not REGISTRY.exists(ws)):
        REGISTRY.write(ws, hashes)
    return results


def update_agents(ws, *, dry_run: bool = False) -> list[AgentFileResult]:
    """What ``kurt agents update`` does: refresh the agent files and the MCP client entries
    nobody edited, keep the rest (see ``AgentFileResult.action``)."""
    from kurt.mcp.register import register_mcp

    return refresh_agent_files(ws, dry_run=dry_run) + register_mcp(ws, dry_run=dry_run)
