"""kurt.mcp.guard: what MCP tools may touch, as pure checks on a real workspace."""

from __future__ import annotations

import os

import pytest

from kurt.errors import UsageError
from kurt.mcp.guard import Sandbox, check_url, slug


@pytest.fixture
def sandbox(workspace):
    return Sandbox.for_workspace(workspace)


@pytest.mark.parametrize("raw", ["projects/launch/drafts/a.md", "kurt/rules/x.md", "./sources",
                                 "projects/../kurt/profile.md"])
def test_paths_inside_the_workspace_are_accepted(sandbox, workspace, raw):
    assert sandbox.workspace_path(raw).is_relative_to(workspace.root.resolve())


@pytest.mark.parametrize("raw", ["..", "../other", "/etc/passwd", "~", "projects/../../x",
                                 ".env", ".kurt/kurt.db", "projects/.git/config", "a\x00b",
                                 "x" * 5000, "", "   "])
def test_paths_outside_hidden_or_malformed_are_refused(sandbox, raw):
    with pytest.raises(UsageError):
        sandbox.workspace_path(raw)


def test_a_symlink_out_of_the_workspace_is_refused(sandbox, workspace, tmp_path):
    outside = tmp_path / "secret"
    outside.mkdir()
    os.symlink(outside, workspace.root / "innocent")
    with pytest.raises(UsageError, match="outside the workspace"):
        sandbox.workspace_path("innocent")
    with pytest.raises(UsageError, match="allowed_roots"):
        sandbox.readable_folder("innocent")


def mcp_setting(workspace, line: str) -> None:
    """Set one [mcp] line of kurt.toml (a PostgreSQL test workspace's kurt.toml has no [mcp]
    section yet: KURT_TEST_STORE=postgresql)."""
    config = workspace.config_path
    text = config.read_text(encoding="utf-8")
    key = line.split("=", 1)[0].strip()
    lines = [row for row in text.split("\n") if row.split("=", 1)[0].strip() != key]
    text = "\n".join(lines)
    text = text.replace("\n[mcp]\n", f"\n[mcp]\n{line}\n") if "\n[mcp]\n" in text else f"{text}\n[mcp]\n{line}\n"
    config.write_text(text, encoding="utf-8")


def test_allowed_roots_open_folders_outside(workspace, tmp_path):
    docs = tmp_path / "company-docs"
    (docs / "guides").mkdir(parents=True)
    mcp_setting(workspace, f'allowed_roots = ["{docs}"]')
    from kurt.workspace import Workspace

    sandbox = Sandbox.for_workspace(Workspace(workspace.root))
    assert sandbox.readable_folder(str(docs / "guides")) == (docs / "guides").resolve()
    with pytest.raises(UsageError):
        sandbox.readable_folder(str(tmp_path))  # the parent of the allowed root
    with pytest.raises(UsageError):
        sandbox.workspace_path(str(docs))  # writable paths stay in the workspace


@pytest.mark.parametrize("value", ["launch", "q3-launch", "a1"])
def test_slugs(value):
    assert slug(value, "name") == value


@pytest.mark.parametrize("value", ["..", "a/b", "A", "-a", "a--b", ".env", "", "a" * 300, 5])
def test_not_slugs(value):
    with pytest.raises(UsageError):
        slug(value, "name")


@pytest.mark.parametrize("url, problem", [
    ("http://127.0.0.1:8000/", "Refused"),
    ("http://[::1]/", "Refused"),
    ("http://2130706433/", "Refused"),  # 127.0.0.1 written as one number
    ("http://10.0.0.5/intranet", "Refused"),
    ("https://user:pw@docs.example.com/", "user name or password"),
    ("ftp://docs.example.com/", "unsupported URL scheme"),
])
def test_urls_refused_as_the_cli_refuses_them_and_private_ones(workspace, store, url, problem):
    with pytest.raises(UsageError, match=problem):
        check_url(workspace, store, url)


def test_a_private_site_already_in_the_workspace_is_allowed(workspace, store):
    from kurt.store.documents import Discovered, add_discovered

    add_discovered(store, [Discovered(url="http://127.0.0.1:8000/docs/a", domain="127.0.0.1",
                                      via="sitemap")])
    assert check_url(workspace, store, "http://127.0.0.1:8000/docs/") == "http://127.0.0.1:8000/docs/"


def test_allow_private_urls_setting(workspace):
    mcp_setting(workspace, "allow_private_urls = true")
    from kurt.workspace import Workspace

    ws = Workspace(workspace.root)
    store = ws.open_store()
    try:
        assert check_url(ws, store, "http://10.0.0.5/x").startswith("http://10.0.0.5/")
    finally:
        store.close()
