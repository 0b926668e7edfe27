"""A real local website for demos, tests and benchmarks.

Serves a documentation site rendered from markdown (a folder, or a generated
synthetic site) over HTTP on 127.0.0.1, with robots.txt, a chunked sitemap
index (one chunk gzipped), conditional GET, a request log, and optional
misbehaving routes under ``/bad/``.

    site = load_markdown_site(Path("kurt/resources/sample-docs"), misbehaving=True)
    with serve(site) as served:
        httpx.get(served.base_url + "/docs/integrations/api")

A generated B2B company website (blog, newsletter, glossary, videos, a partner
directory, CMS chrome) with its ground truth, for judging discovery:

    site = generate_company_site(directory="/ecosystem/")
    truth = company_truth(directory="/ecosystem/")

Modules: ``pages`` (page metadata, MDX cleanup, URL/date helpers), ``folder``
(pages from markdown files), ``synthetic`` (generated pages), ``company``,
``company_chrome``, ``company_truth`` and ``company_words`` (the company
site, its HTML chrome, its ground truth, its word banks), ``site`` (the
Site: HTML, robots, sitemaps, feeds, dispatch), ``misbehaving`` (``/bad/``
routes and their fixtures), ``response`` (Response, conditional GET),
``request_log``, ``server`` (``serve``), ``cli`` (``python -m kurt.sample_site``).
"""

from kurt.sample_site.cli import main
from kurt.sample_site.company import (
    CompanySource,
    company_source,
    company_truth,
    generate_company_site,
    write_folder_copy,
)
from kurt.sample_site.company_truth import CompanyTruth, PageTruth, Partner
from kurt.sample_site.folder import MARKDOWN_SUFFIXES, FolderSource, load_markdown_site
from kurt.sample_site.misbehaving import (
    BAD_ROUTES,
    BOMB_BYTES,
    HUGE_BYTES,
    LATIN1_TEXT,
    MALFORMED_HTML,
    PDF_SENTENCES,
    REDIRECT_CHAIN_HOPS,
    build_gzip_bomb,
    build_png,
    build_text_pdf,
)
from kurt.sample_site.pages import (
    INDEX_STEMS,
    PageMeta,
    PageSource,
    meta_from_markdown,
    split_frontmatter,
    strip_mdx,
)
from kurt.sample_site.request_log import RequestLog, RequestRecord
from kurt.sample_site.response import Response
from kurt.sample_site.server import ServedSite, serve
from kurt.sample_site.site import Site
from kurt.sample_site.synthetic import SyntheticSource, generate_synthetic_site

__all__ = [
    "PageMeta",
    "PageSource",
    "RequestRecord",
    "RequestLog",
    "Response",
    "Site",
    "ServedSite",
    "FolderSource",
    "SyntheticSource",
    "load_markdown_site",
    "generate_synthetic_site",
    "CompanySource",
    "CompanyTruth",
    "PageTruth",
    "Partner",
    "company_source",
    "company_truth",
    "generate_company_site",
    "write_folder_copy",
    "serve",
    "split_frontmatter",
    "meta_from_markdown",
    "strip_mdx",
    "build_text_pdf",
    "build_png",
    "build_gzip_bomb",
    "main",
    "MARKDOWN_SUFFIXES",
    "INDEX_STEMS",
    "HUGE_BYTES",
    "BOMB_BYTES",
    "REDIRECT_CHAIN_HOPS",
    "PDF_SENTENCES",
    "LATIN1_TEXT",
    "BAD_ROUTES",
    "MALFORMED_HTML",
]
