"""``kurt agents update``: refresh agent files after an upgrade, keep the user's edits."""

from __future__ import annotations

import json

from kurt.agents import REGISTRY


def test_update_refreshes_unedited_files_and_keeps_edited_ones(kurt, workspace):
    root = workspace.root
    stale, edited = root / "kurt/rules/add-source.md", root / "AGENTS.md"
    shipped = stale.read_text(encoding="utf-8")
    # an older Kurt wrote another text (recorded as its own), the user edited AGENTS.md
    stale.write_text("old text\n", encoding="utf-8")
    from kurt.installed import sha256

    hashes = REGISTRY.read(workspace)
    hashes["kurt/rules/add-source.md"] = sha256("old text\n")
    REGISTRY.write(workspace, hashes)
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOur house rule.\n", encoding="utf-8")

    result = kurt("agents", "update", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    actions = {row["path"]: row["action"] for row in data["files"]}
    assert actions["kurt/rules/add-source.md"] == "updated"
    assert actions["AGENTS.md"] == "edited" and data["kept"] == ["AGENTS.md"]
    assert stale.read_text(encoding="utf-8") == shipped
    assert edited.read_text(encoding="utf-8").endswith("Our house rule.\n")


def test_update_text_says_what_it_kept(kurt, workspace):
    (workspace.root / "CLAUDE.md").write_text("mine\n", encoding="utf-8")
    result = kurt("agents", "update", cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    assert "kept         CLAUDE.md  (you edited it)" in result.stdout
    assert "0 refreshed, 1 kept" in result.stdout


def test_dry_run_writes_nothing(kurt, workspace):
    target = workspace.root / ".mcp.json"
    target.unlink()
    result = kurt("agents", "update", "--dry-run", cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    assert "would create .mcp.json" in result.stdout
    assert not target.exists()
    assert kurt("agents", "update", cwd=workspace.root).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["mcpServers"]["kurt"]["args"] == ["mcp"]


def test_a_kept_mcp_file_says_why_and_never_to_delete_it(kurt, workspace):
    """An .mcp.json holds the user's other servers: the advice is to fix it or drop Kurt's
    entry, never to delete the file; a broken one says 'kurt mcp' is not registered."""
    root = workspace.root
    (root / ".mcp.json").write_text("{ not json", encoding="utf-8")
    cursor = root / ".cursor" / "mcp.json"
    cursor.write_text(json.dumps({"mcpServers": {"kurt": {"command": "my-kurt"},
                                                 "other": {"command": "x"}}}), encoding="utf-8")
    result = kurt("agents", "update", cwd=root)
    assert result.exit_code == 0, result.stderr
    kept = {line.split()[1]: line for line in result.stdout.splitlines() if "kept" in line}
    assert "'kurt mcp' is not registered in it: fix the file" in kept[".mcp.json"]
    assert "remove that entry (not the file)" in kept[".cursor/mcp.json"]
    assert "delete it" not in result.stderr
    rows = {row["path"]: row for row in kurt("agents", "update", "--format", "json",
                                             cwd=root).json()["files"]}
    assert rows[".mcp.json"]["action"] == "foreign" and "not registered" in rows[".mcp.json"]["note"]
    assert rows["AGENTS.md"]["note"] is None
