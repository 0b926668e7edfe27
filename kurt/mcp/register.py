"""Register ``kurt mcp`` with MCP clients: ``.mcp.json`` (Claude Code) and ``.cursor/mcp.json``.

Both files hold ``{"mcpServers": {NAME: {"command": ..., "args": [...]}}}``. Kurt adds
its own entry, ``kurt``, and never touches the others. Like the agent files
(``kurt.agents``), Kurt records the sha256 of the entry it wrote in ``.kurt/mcp.json``
(key ``<file>#kurt``): a later run refreshes an entry nobody changed and keeps one the
user edited. A file that is not valid JSON is left alone and reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kurt.installed import AgentFileResult, InstallRecord, sha256

__all__ = ["MCP_CONFIGS", "SERVER_NAME", "McpEntry", "mcp_entries", "register_mcp"]

SERVER_NAME = "kurt"
REGISTRY = InstallRecord("mcp.json", "entries")
CLAUDE_CONFIG = ".mcp.json"
CURSOR_CONFIG = ".cursor/mcp.json"
MCP_CONFIGS = (CLAUDE_CONFIG, CURSOR_CONFIG)


@dataclass(frozen=True)
class McpEntry:
    """The server entry Kurt writes into one client's configuration file."""

    path: str  # workspace-relative
    entry: dict


def mcp_entries() -> list[McpEntry]:
    """Claude Code starts project servers in the project folder, so ``kurt mcp`` finds the
    workspace there; Cursor's ``${workspaceFolder}`` names it wherever Cursor starts it."""
    return [
        McpEntry(CLAUDE_CONFIG, {"command": "kurt", "args": ["mcp"]}),
        McpEntry(CURSOR_CONFIG, {"command": "kurt",
                                 "args": ["--workspace", "${workspaceFolder}", "mcp"]}),
    ]


def _entry_hash(entry) -> str:
    return sha256(json.dumps(entry, sort_keys=True, ensure_ascii=False))


def register_mcp(ws, *, dry_run: bool = False) -> list[AgentFileResult]:
    """Add or refresh Kurt's entry in each client's MCP configuration; keep edited ones.

    Actions as in ``kurt.agents.AgentFileResult``: created (the file), updated (the entry
    added or refreshed), unchanged, edited (the user changed Kurt's entry: kept), foreign
    (an entry named ``kurt`` Kurt did not write, or a file that is not a JSON object: kept).
    """
    from kurt.fileio import write_atomic

    hashes = REGISTRY.read(ws)
    before = dict(hashes)
    results = []
    for item in mcp_entries():
        target = ws.root / item.path
        key = f"{item.path}#{SERVER_NAME}"
        wanted = _entry_hash(item.entry)
        data, note = None, None
        if not target.exists():
            action, data = "created", {"mcpServers": {SERVER_NAME: item.entry}}
        else:
            config = _read_object(target)
            servers = config.get("mcpServers") if config is not None else None
            if config is None or (servers is not None and not isinstance(servers, dict)):
                action = "foreign"
                note = ("not a JSON object with an \"mcpServers\" object, so 'kurt mcp' is not "
                        "registered in it: fix the file and run 'kurt agents update' again")
            elif servers is None or SERVER_NAME not in servers:
                action = "updated"
                data = {**config, "mcpServers": {**(servers or {}), SERVER_NAME: item.entry}}
            elif _entry_hash(servers[SERVER_NAME]) == wanted:
                action = "unchanged"
            elif hashes.get(key) == _entry_hash(servers[SERVER_NAME]):
                action = "updated"
                data = {**config, "mcpServers": {**servers, SERVER_NAME: item.entry}}
            else:
                action = "edited" if key in hashes else "foreign"
                note = ("its \"kurt\" server entry " + ("was edited" if key in hashes else
                                                          "was not written by Kurt")
                        + ": to take Kurt's, remove that entry (not the file) and run "
                        "'kurt agents update' again")
        if data is not None and not dry_run:
            write_atomic(target, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        if action in ("created", "updated", "unchanged"):
            hashes[key] = wanted
        results.append(AgentFileResult(target, action, note))
    if not dry_run and (hashes != before or not REGISTRY.exists(ws)):
        REGISTRY.write(ws, hashes)
    return results


def _read_object(path) -> dict | None:
    """The JSON object in ``path``; None when it is not one (left alone, reported as kept)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
