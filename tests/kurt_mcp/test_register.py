"""kurt.mcp.register: Kurt's entry in .mcp.json and .cursor/mcp.json, other servers kept."""

from __future__ import annotations

import json

from kurt.mcp.register import mcp_entries, register_mcp


def _servers(ws, path):
    return json.loads((ws.root / path).read_text(encoding="utf-8"))["mcpServers"]


def test_init_registers_kurt_for_claude_code_and_cursor(workspace):
    assert _servers(workspace, ".mcp.json") == {"kurt": {"command": "kurt", "args": ["mcp"]}}
    cursor = _servers(workspace, ".cursor/mcp.json")["kurt"]
    assert cursor["args"] == ["--workspace", "${workspaceFolder}", "mcp"]


def test_other_servers_and_keys_are_kept(workspace):
    path = workspace.root / ".mcp.json"
    path.write_text(json.dumps({"mcpServers": {"github": {"command": "gh-mcp"}}, "note": 1}),
                    encoding="utf-8")
    actions = {r.path.name: r.action for r in register_mcp(workspace)}
    assert actions[".mcp.json"] == "updated"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["note"] == 1 and set(data["mcpServers"]) == {"github", "kurt"}


def test_an_edited_kurt_entry_is_kept(workspace):
    path = workspace.root / ".mcp.json"
    mine = {"mcpServers": {"kurt": {"command": "/opt/venv/bin/kurt", "args": ["mcp"]}}}
    path.write_text(json.dumps(mine), encoding="utf-8")
    results = {r.path.name: r.action for r in register_mcp(workspace)}
    assert results[".mcp.json"] == "edited"
    assert json.loads(path.read_text(encoding="utf-8")) == mine


def test_an_entry_kurt_wrote_is_refreshed(workspace):
    """After an upgrade that changes the entry, the unedited old entry is replaced."""
    from kurt.mcp.register import REGISTRY, _entry_hash

    old = {"command": "kurt", "args": ["serve-mcp"]}
    path = workspace.root / ".mcp.json"
    path.write_text(json.dumps({"mcpServers": {"kurt": old}}), encoding="utf-8")
    hashes = REGISTRY.read(workspace)
    hashes[".mcp.json#kurt"] = _entry_hash(old)
    REGISTRY.write(workspace, hashes)
    assert {r.path.name: r.action for r in register_mcp(workspace)}[".mcp.json"] == "updated"
    assert _servers(workspace, ".mcp.json")["kurt"] == mcp_entries()[0].entry


def test_a_file_that_is_not_json_is_left_alone(workspace):
    path = workspace.root / ".cursor" / "mcp.json"
    path.write_text("{ not json", encoding="utf-8")
    results = {str(r.path.relative_to(workspace.root)): r.action for r in register_mcp(workspace)}
    assert results[".cursor/mcp.json"] == "foreign"
    assert path.read_text(encoding="utf-8") == "{ not json"


def test_running_twice_changes_nothing(workspace):
    assert {r.action for r in register_mcp(workspace)} == {"unchanged"}
