"""kurt.sample_site.folder: pages from a folder of markdown files, served over HTTP."""

from __future__ import annotations

from pathlib import Path

from kurt.sample_site import load_markdown_site, serve

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "kurt" / "resources" / "sample-docs"
CORPUS = REPO / "tests" / "fixtures" / "corpora" / "railway-docs"


def test_bundled_sample_is_small_and_licensed():
    total = sum(f.stat().st_size for f in SAMPLE.rglob("*") if f.is_file())
    assert total < 1_000_000
    assert "Railway Corp" in (SAMPLE / "LICENSE").read_text()
    assert "MIT" in (SAMPLE / "README.md").read_text()
    pages = list(SAMPLE.rglob("*.md"))
    assert 35 <= len(pages) <= 60
    for name in ("api.md", "oauth.md", "stripe.md", "api/graphql-overview.md", "oauth/quickstart.md"):
        assert (SAMPLE / "docs" / "integrations" / name).is_file()


def test_bundled_pages_are_unmodified_copies_of_corpus():
    for f in (SAMPLE / "docs").rglob("*.md"):
        rel = f.relative_to(SAMPLE)
        assert f.read_bytes() == (CORPUS / rel).read_bytes(), rel
    site = load_markdown_site(CORPUS)
    assert len(site.page_paths()) == len(list(CORPUS.rglob("*.md")))


def test_folder_mapping_frontmatter_and_relative_links(tmp_path, client):
    (tmp_path / "docs" / "foo").mkdir(parents=True)
    (tmp_path / "README.md").write_text("# Home\n\nSee [bar](docs/foo/bar.md#x).\n")
    (tmp_path / "docs" / "foo" / "index.md").write_text(
        "---\ntitle: Foo\nauthor: Jane Doe\ndate: 2024-05-01\ndescription: About foo\n---\n"
        "Go to [bar](./bar.md) or [missing](nope.md).\n"
    )
    (tmp_path / "docs" / "foo" / "bar.mdx").write_text('import X from "x"\n\n# Bar\n\n<Note>Hi there</Note>\n')
    site = load_markdown_site(tmp_path)
    assert site.page_paths() == ["/", "/docs/foo/bar", "/docs/foo/"]
    with serve(site) as s:
        home = client.get(s.url("/")).text
        assert 'href="/docs/foo/bar#x"' in home
        foo = client.get(s.url("/docs/foo/")).text
        assert '<meta name="author" content="Jane Doe">' in foo
        assert 'content="2024-05-01T00:00:00Z"' in foo
        assert 'href="/docs/foo/bar"' in foo and 'href="nope.md"' in foo
        assert client.get(s.url("/docs/foo")).status_code == 301
        bar = client.get(s.url("/docs/foo/bar")).text
        assert "Hi there" in bar and "<Note" not in bar and "import X" not in bar


def test_frontmatter_date_and_mdx_components(served, client):
    html = client.get(served.url("/guides/django")).text
    assert '<meta property="article:published_time" content="2026-01-30T00:00:00Z">' in html
    assert "<Image" not in html and "<img " in html
    projects = client.get(served.url("/docs/integrations/api/manage-projects")).text
    assert '<code class="language-graphql">' in projects and "GraphQLCodeTabs" not in projects
    assert "projectCreate" in projects


def test_homepage_and_link_rewriting_from_readme(served, client):
    html = client.get(served.url("/")).text
    assert "<title>Sample documentation site" in html
    assert 'href="/guides/django"' in html and 'href="/docs/integrations/oauth/quickstart"' in html
