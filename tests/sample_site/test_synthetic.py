"""kurt.sample_site.synthetic: the generated docs site."""

from __future__ import annotations

import re

from kurt.sample_site import generate_synthetic_site, serve


def test_synthetic_site(client, sitemap_urls):
    site = generate_synthetic_site(250, seed=1)
    with serve(site) as s:
        urls = sitemap_urls(client, s.base_url)
        assert len(urls) == len(set(urls)) == 250
        page = client.get(urls[57])
        html = page.text
        assert page.status_code == 200
        assert "<h2" in html and "<table>" in html and '<code class="language-' in html and "<li>" in html
        words = len(re.sub(r"<[^>]+>", " ", html.split("<article>")[1].split("</article>")[0]).split())
        assert 400 <= words <= 1600
        linked = re.findall(r'href="(/docs/[^"#]+)"', html.split("<article>")[1])
        assert linked and all(client.get(s.url(p)).status_code == 200 for p in linked[:3])
        assert re.search(r"PostgreSQL|Redis|Docker|Kubernetes|Node\.js|Python", html)
    same = generate_synthetic_site(250, seed=1)
    other = generate_synthetic_site(250, seed=2)
    path = site.page_paths()[42]
    assert same.page_paths() == site.page_paths() and other.page_paths() != site.page_paths()
    assert same.render(path, "http://x").body == site.render(path, "http://x").body
    assert generate_synthetic_site(30_000).page_paths()[-1].endswith("-29999")
