"""kurt.sample_site.pages: MDX cleanup and URL helpers (pure functions)."""

from __future__ import annotations

import pytest

from kurt.sample_site.pages import file_to_url, normalize_path, parent_dir, strip_mdx


def test_strip_mdx_keeps_inner_text_and_code():
    src = (
        'import Foo from "../components/foo";\n\n'
        "Intro text.\n\n"
        '<Banner variant="info">\n    Indented **inner** text.\n</Banner>\n\n'
        '<Image src="/a.png" alt="Shot"\nwidth={10} height={20} />\n\n'
        '<Collapse title="Why?">\nBecause.\n</Collapse>\n\n'
        "Run `railway link <SERVICE>` now.\n\n"
        "```js\nimport x from 'y';\n<Foo bar={1} />\n```\n"
    )
    out = strip_mdx(src)
    assert "import Foo" not in out and "<Banner" not in out and "</Banner>" not in out
    assert "\nIndented **inner** text." in out  # dedented, so not a code block
    assert "![Shot](/a.png)" in out and "**Why?**" in out and "Because." in out
    assert "`railway link <SERVICE>`" in out
    assert "import x from 'y';\n<Foo bar={1} />" in out  # code blocks untouched


@pytest.mark.parametrize("rel,url", [
    ("README.md", "/"),
    ("index.mdx", "/"),
    ("docs/foo/index.md", "/docs/foo/"),
    ("docs/foo/Readme.md", "/docs/foo/"),
    ("docs/foo/bar.mdx", "/docs/foo/bar"),
    ("docs\\win\\page.md", "/docs/win/page"),
])
def test_file_to_url_maps_index_and_readme_to_folder(rel, url):
    assert file_to_url(rel) == url


@pytest.mark.parametrize("path,folder", [
    ("/", "/"),
    ("/a", "/"),
    ("/a/b", "/a/"),
    ("/a/b/", "/a/"),
])
def test_parent_dir_is_the_folder_of_a_page(path, folder):
    assert parent_dir(path) == folder


@pytest.mark.parametrize("raw,path", [
    ("", "/"),
    ("docs", "/docs"),
    ("/docs/caf%C3%A9", "/docs/café"),
])
def test_normalize_path_decodes_and_roots(raw, path):
    assert normalize_path(raw) == path
