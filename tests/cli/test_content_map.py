"""``kurt content map`` run as a subprocess against the sample site, like a user would."""

from __future__ import annotations

from pathlib import Path

import pytest

from kurt.sample_site import load_markdown_site, serve

SAMPLE_DOCS = Path(__file__).resolve().parents[2] / "kurt" / "resources" / "sample-docs"


@pytest.fixture(scope="module")
def site():
    site = load_markdown_site(SAMPLE_DOCS, misbehaving=True, sitemap_chunk=10)
    with serve(site) as served:
        yield served


def count(workspace) -> int:
    store = workspace.open_store()  # SQLite or, under KURT_TEST_STORE=postgresql, PostgreSQL
    try:
        return int(store.query_one("SELECT COUNT(*) FROM documents")[0])
    finally:
        store.close()


def test_map_url_summary_and_remap(kurt, workspace, site):
    first = kurt("content", "map", "url", site.base_url, cwd=workspace.root)
    total = len(site.site.sitemap_paths())
    assert first.exit_code == 0, first.stderr
    assert f"by sitemap: {total} found, {total} new, 0 already known, 0 delisted." in first.stdout
    assert "Sitemaps: " + site.url("/sitemap.xml") in first.stdout
    second = kurt("content", "map", "url", site.base_url, cwd=workspace.root)
    assert f"{total} found, 0 new, {total} already known" in second.stdout
    assert count(workspace) == total


def test_map_url_json(kurt, workspace, site):
    result = kurt("content", "map", "url", site.url("/docs/integrations"), "--format", "json",
                  cwd=workspace.root)
    data = result.json()
    assert result.exit_code == 0 and data["method"] == "sitemap"
    assert data["found"] == data["added"] == len(data["urls"]) > 0
    assert set(data) >= {"source", "known", "delisted", "sitemaps", "problems", "dry_run"}


def test_dry_run_lists_urls_and_writes_nothing(kurt, workspace, site):
    result = kurt("content", "map", "url", site.base_url, "--dry-run", "--limit", "4",
                  "--include", "*/guides/*", cwd=workspace.root)
    assert result.exit_code == 0
    lines = result.stdout.split()
    assert len(lines) == 4 and all("/guides/" in line for line in lines)
    assert "nothing was written" in result.stderr
    assert count(workspace) == 0


def test_nothing_found_exits_1_with_reasons(kurt, workspace):
    result = kurt("content", "map", "url", "http://nohost.invalid/", cwd=workspace.root)
    assert result.exit_code == 1
    assert "Nothing found at http://nohost.invalid/." in result.stderr
    assert "DNS lookup failed for nohost.invalid" in result.stderr
    assert "Next: try --sitemap URL" in result.stderr
    assert "Traceback" not in result.output


def test_blocked_user_agent_reason(kurt, workspace, site):
    (workspace.root / "kurt.toml").write_text('[ingest]\nuser_agent = "BadBot/1.0"\n')
    result = kurt("content", "map", "url", site.base_url, cwd=workspace.root)
    assert result.exit_code == 1
    assert "robots.txt blocks user agent BadBot from the whole site" in result.stderr


def test_unsupported_scheme_is_a_usage_error(kurt, workspace):
    result = kurt("content", "map", "url", "ftp://example.com/", cwd=workspace.root)
    assert result.exit_code == 2
    assert "unsupported URL scheme 'ftp'" in result.stderr and "Traceback" not in result.output


def test_map_folder(kurt, workspace, tmp_path):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "b").mkdir()
    (docs / "a" / "page.md").write_text("# A\n")
    (docs / "b" / "page.md").write_text("# B\n")
    result = kurt("content", "map", "folder", str(docs), cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    assert "by listing the folder: 2 found, 2 new" in result.stdout
    assert count(workspace) == 2


def test_map_missing_folder_is_a_usage_error(kurt, workspace, tmp_path):
    result = kurt("content", "map", "folder", str(tmp_path / "nope"), cwd=workspace.root)
    assert result.exit_code == 2 and "No such file or folder" in result.stderr


def test_help_has_an_example(kurt, tmp_path):
    result = kurt("content", "map", "url", "--help", cwd=tmp_path)
    assert result.exit_code == 0 and "Example:" in result.stdout and "--max-pages" in result.stdout
