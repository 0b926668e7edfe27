"""``kurt demo`` end to end, offline, in a temporary folder."""

from __future__ import annotations

from pathlib import Path


def test_demo_builds_a_workspace_and_is_idempotent(tmp_path: Path, kurt):
    first = kurt("demo", "demo-ws", cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    root = tmp_path / "demo-ws"
    assert "Where things are:" in first.stdout
    assert str(root / "sources") in first.stdout
    assert (root / "kurt.toml").is_file() and (root / ".kurt" / "kurt.db").is_file()
    pages = list((root / "sources").rglob("*.md"))
    assert len(pages) >= 40
    assert any("integrations" in p.as_posix() for p in pages)

    again = kurt("demo", "demo-ws", "--format", "json", cwd=tmp_path)
    assert again.exit_code == 0, again.stderr
    data = again.json()
    assert data["add"]["fetch"]["new"] == 0
    assert data["add"]["already_fetched"] == len(pages)
    assert data["total_documents"] == len(pages)


def test_demo_lists_documents_and_search_hits(tmp_path: Path, kurt):
    result = kurt("demo", "d", "--format", "json", cwd=tmp_path)
    data = result.json()
    assert data["documents"] and all(d["content_path"].startswith("sources/") for d in data["documents"])
    if data["hits"]:  # kurt.search is another module; when present it must find integration pages
        assert any("integration" in (h["url"] + h["heading_path"]).lower() for h in data["hits"])


def test_demo_refuses_a_non_empty_folder(tmp_path: Path, kurt):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = kurt("demo", "busy", cwd=tmp_path)
    assert result.exit_code == 1
    assert "not empty" in result.stderr
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]
