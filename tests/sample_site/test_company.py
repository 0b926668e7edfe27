"""kurt.sample_site.company: the generated company website and its ground truth."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import httpx
import pytest

from kurt.sample_site import serve
from kurt.sample_site.company import (
    DIRECTORIES,
    FOLDER_COPY_POSTS,
    CompanySource,
    company_source,
    company_truth,
    generate_company_site,
    write_folder_copy,
)
from kurt.sample_site.company_truth import BANNER, PREVIOUS_POSTS, SUBSCRIBE_HEADING, VIDEO_NOTICE
from kurt.sample_site.company_words import CATEGORY_WORDS


@pytest.fixture(scope="module")
def source():
    return company_source()


@pytest.fixture(scope="module")
def truth():
    return company_truth()


@pytest.fixture(scope="module")
def served_company():
    with serve(generate_company_site()) as s:
        yield s


def test_generator_is_deterministic_and_seeded():
    a, b, other = CompanySource(seed=7), CompanySource(seed=7), CompanySource(seed=8)
    assert a.paths() == b.paths()
    assert all(a.markdown(p) == b.markdown(p) for p in a.paths())
    assert a.truth() == b.truth()
    assert a.paths() != other.paths()
    site_a, site_b = generate_company_site(seed=7), generate_company_site(seed=7)
    path = a.paths()[123]
    assert site_a.render(path, "http://x").body == site_b.render(path, "http://x").body


def test_site_has_the_promised_page_kinds(truth):
    kinds = Counter(t.kind for t in truth.pages.values())
    assert 500 <= len(truth.pages) <= 600
    assert kinds["blog"] >= 200 and kinds["newsletter"] >= 50 and kinds["glossary"] >= 80
    assert kinds["video"] >= 30 and kinds["author"] >= 10 and kinds["partner"] >= 60
    assert kinds["product"] >= 5 and kinds["job"] >= 5 and kinds["customer"] >= 5
    for kind in ("home", "pricing", "security", "careers", "about", "contact", "event", "legal", "person"):
        assert kinds[kind] >= 1, kind
    assert {"/pricing", "/security", "/careers/", "/ecosystem/", "/~jane", "/%7Ejane"} <= set(truth.pages)
    assert any(t.boilerplate_only for t in truth.pages.values())


def test_partner_pages_have_the_directory_shape(source, truth):
    assert len(truth.partners) == len(truth.paths_of("partner")) == 66
    for partner in truth.partners:
        text = source.markdown(partner.path)
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines[0] == f"# {partner.name}"
        assert lines[1] == partner.category and partner.category in CATEGORY_WORDS
        assert f"## {partner.name} + {truth.product}" in lines
        assert len(text.split()) < 150  # short pages
        assert partner.path.startswith("/ecosystem/") and truth.pages[partner.path].partners == (partner.name,)
        says = "integrat" in text.lower() or "integrat" in source.meta(partner.path).description.lower()
        assert says == partner.mentions_integration, partner.name
        if partner.docs_url:
            assert f"]({partner.docs_url})" in text
    without = [p for p in truth.partners if not p.mentions_integration]
    assert len(without) == len(truth.partners) // 3  # about a third never say "integrat..."


def test_most_partners_are_unknown_to_the_builtin_vocabulary(truth):
    from kurt.index.vocabulary import builtin_vocabulary

    vocab = builtin_vocabulary()
    known = [p.name for p in truth.partners if any(vocab.find(t, p.name) for t in vocab.types)]
    assert len(known) <= len(truth.partners) // 10, known
    assert all(p.well_known for p in truth.partners if p.name in known)
    assert sum(p.well_known for p in truth.partners) >= 10  # and some are household names


def test_directory_path_is_configurable():
    for directory in ("/integrations/", "/partners/", "/connectors/"):
        t = company_truth(directory=directory)
        assert t.directory == directory and t.directory_label == DIRECTORIES[directory]
        assert all(p.path.startswith(directory) for p in t.partners)
        assert t.pages[directory].kind == "index"
    custom = CompanySource(directory="technology-partners", company="Acme", product="Acme DB")
    assert custom.truth().partners[0].path.startswith("/technology-partners/")
    assert "# Airbyte" in custom.markdown("/technology-partners/airbyte")
    assert "## Airbyte + Acme DB" in custom.markdown("/technology-partners/airbyte")


def test_truth_partners_are_named_in_their_pages(source, truth):
    mentioned = 0
    for path, t in truth.pages.items():
        text = source.markdown(path)
        for name in t.partners:
            assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), (path, name)
        mentioned += t.kind == "blog" and bool(t.partners)
    blogs = len(truth.paths_of("blog"))
    assert 0.2 * blogs <= mentioned <= 0.5 * blogs  # some posts mention a partner in passing


def test_newsletters_mention_partners_and_integration_in_passing(source, truth):
    for path in truth.paths_of("newsletter"):
        text = source.markdown(path)
        assert text.startswith("# This week in data #")
        own = text.split("## From the blog")[0]  # the titles of recent posts may say it too
        assert 1 <= len(re.findall(r"\bintegration\b", own, re.I)) <= 2, path
        assert len(truth.pages[path].partners) >= 3
        assert truth.pages[path].previous_posts


def test_blog_posts_are_long_and_varied(source, truth):
    posts = truth.paths_of("blog")
    words = [len(source.markdown(p).split()) for p in posts]
    assert min(words) >= 800 and max(words) >= 1500
    assert len({truth.pages[p].title for p in posts}) == len(posts)
    assert sum(truth.pages[p].video for p in posts) >= 10
    assert sum(truth.pages[p].about_integration for p in posts) >= 2  # integration announcements
    sentences = Counter(s for p in posts[:20] for s in re.split(r"(?<=\.) ", source.markdown(p)))
    assert sentences.most_common(1)[0][1] < 40


def test_served_pages_are_html_with_cms_chrome(served_company, client, truth):
    for kind in ("blog", "partner", "newsletter", "glossary", "author", "video", "pricing", "home"):
        for path in truth.paths_of(kind)[:4]:
            r = client.get(served_company.url(path))
            assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
            page, t = r.text, truth.pages[path]
            assert page.startswith("<!doctype html>") and "<h1" in page and "</html>" in page
            assert '<nav role="navigation"' in page and "<footer" in page
            assert BANNER in page and SUBSCRIBE_HEADING in page and "We use cookies" in page
            main = re.search(r"<main.*?</main>", page, re.S).group(0)
            if t.chrome_inside:
                assert BANNER in main and SUBSCRIBE_HEADING in main
            else:
                assert BANNER not in main and "<article>" in main
            assert (PREVIOUS_POSTS in page) == bool(t.previous_posts)
            for title in t.previous_posts:
                assert title.replace("'", "&#x27;") in page
            if t.video:
                assert "https://www.youtube.com/embed/" in page and VIDEO_NOTICE[0].replace("'", "&#x27;") in page
    inside = [t.chrome_inside for t in truth.pages.values()]
    assert 0.65 <= sum(inside) / len(inside) <= 0.95  # most pages put the chrome inside <main>


def test_sitemap_lists_every_page(served_company, client, sitemap_urls, truth):
    urls = sitemap_urls(client, served_company.base_url)
    assert sorted(urls) == sorted(served_company.base_url + p for p in truth.pages)
    assert "Sitemap: " in client.get(served_company.url("/robots.txt")).text


def test_url_variants_serve_the_same_page(served_company, client, truth):
    a = client.get(served_company.base_url + "/~jane")
    b = client.get(served_company.base_url + "/%7Ejane")
    assert a.status_code == b.status_code == 200 and a.text == b.text
    assert truth.canonical(served_company.base_url + "/%7Ejane") == "/~jane"
    assert truth.canonical(served_company.base_url + "/~jane") == "/~jane"


def test_folder_copy_holds_recent_posts_as_markdown(tmp_path, source, truth):
    files = write_folder_copy(tmp_path / "posts")
    assert len(files) == FOLDER_COPY_POSTS == len(truth.folder_copies)
    assert any(" " in f.name and "(" in f.name for f in files)
    for f in files:
        path = truth.folder_copies[f.name]
        assert truth.pages[path].kind == "blog"
        text = f.read_text(encoding="utf-8")
        assert text.startswith("---\ntitle: ") and text.endswith(source.markdown(path))
        uri = f.resolve().as_uri()
        assert truth.path_of(uri) == path and truth.is_folder_copy(uri) and truth.canonical(uri) == path
    newest = max(truth.paths_of("blog"), key=lambda p: source.meta(p).date)
    assert newest in truth.folder_copies.values()


def test_chrome_share_judges_passages_by_text(truth):
    post = truth.paths_of("blog")[50]
    url = "http://127.0.0.1:1" + post
    t = truth.pages[post]
    assert truth.chrome_share(url, f"{BANNER} [Register now](http://x/events/dataconf-2026)") == 1.0
    block = f"#### {PREVIOUS_POSTS}\n\n[{t.previous_posts[0]}](http://x/blog/y)\n\n{t.previous_excerpts[0]}\n"
    assert truth.is_boilerplate(url, block)
    subscribe = (f"### {SUBSCRIBE_HEADING}\n\nGet the latest posts, product news and SQL tips from the "
                 f"{truth.company} team every other week. No spam, unsubscribe anytime.\n")
    assert truth.is_boilerplate(url, subscribe)
    notice = "To avoid this, cancel and sign in to YouTube on your computer."  # one sentence of the notice
    video = "http://127.0.0.1:1" + truth.paths_of("video")[0]
    assert truth.chrome_share(video, notice) == 1.0 and truth.chrome_share(url, notice) == (1.0 if t.video else 0.0)
    assert truth.is_boilerplate(url, "By subscribing you agree to our Privacy Policy.")
    prose = "Incremental loads keep a high-water mark and fetch only rows changed since the last run."
    assert truth.chrome_share(url, prose) == 0.0
    assert not truth.is_boilerplate(url, f"{BANNER}\n\n{prose} {prose}")
    # a folder copy has no chrome; an unknown URL neither
    assert truth.chrome_share("file:///tmp/x/Unknown.md", BANNER) == 0.0


def test_python_m_serves_the_company_site(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "kurt.sample_site", "--company", "--directory", "/integrations/",
                             "--company-name", "Acme", "--folder-copy", str(tmp_path / "copy")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        with httpx.Client(trust_env=False, timeout=10) as client:
            page = client.get(base_url + "/integrations/fivetran").text
        assert "<h1" in page and "Fivetran + Acme Cloud" in page and "<title>Fivetran | Acme</title>" in page
        assert len(list((tmp_path / "copy").glob("*.md"))) == FOLDER_COPY_POSTS
    finally:
        proc.terminate()
        proc.wait(timeout=10)
