"""The HTML of the company site: its pages wrapped in the chrome of a real CMS.

Every page has a top navigation, a site-wide event banner, a call to action
("Ready to query your data?"), a "Subscribe to our newsletter" block, a cookie notice and a footer; blog-like pages add a
"PREVIOUS POSTS" block. Four pages in five use the markup of a visual site
builder: banner, subscribe and previous posts sit INSIDE ``<main>``, in the
same container as the text, with class names no extractor knows
(``event-strip_component``, ``cta-subscribe_component``). The other pages
use semantic markup (``<article>``, a banner in the ``<header>``, an
``<aside class="newsletter-signup">``) that an extractor can strip.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from kurt.sample_site.company_truth import (
    BANNER,
    PREVIOUS_POSTS,
    cookie_texts,
    cta_texts,
    footer_texts,
    subscribe_texts,
)
from kurt.sample_site.pages import PageMeta, date_to_ts, iso_utc
from kurt.sample_site.site import Site

_e = html.escape


@dataclass
class CompanySite(Site):
    """A Site whose pages carry the chrome of a company website (source: a CompanySource)."""

    _by_title: dict[str, tuple[str, str | None]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._by_title = {p.truth.title: (path, p.date) for path, p in self.source.pages.items()}

    def nav_links(self) -> list[tuple[str, str]]:
        src = self.source
        return [("Product", "/product/"), ("Pricing", "/pricing"), (src.directory_label, src.directory),
                ("Customers", "/customers/"), ("Blog", "/blog/"), ("Newsletter", "/newsletter/"),
                ("Videos", "/videos/"), ("Glossary", "/glossary/"), ("Careers", "/careers/")]

    def _previous_html(self, titles: tuple[str, ...], excerpts: tuple[str, ...], inside: bool) -> str:
        if not titles:
            return ""
        items = []
        for t, excerpt in zip(titles, excerpts or ("",) * len(titles), strict=True):
            path, date = self._by_title.get(t, ("/blog/", None))
            items.append(f'<div class="previous-posts_item"><div class="text-size-small">{_e(date or "")}</div>'
                         f'<a href="{_e(path)}" class="previous-posts_link"><h5 class="previous-posts_title">{_e(t)}</h5></a>'
                         f'<p class="previous-posts_excerpt">{_e(excerpt)}</p></div>')
        if inside:
            return (f'<div class="previous-posts_component"><h4 class="previous-posts_heading">{PREVIOUS_POSTS}</h4>'
                    f'<div class="previous-posts_list">{"".join(items)}</div></div>')
        return (f'<section class="related-posts"><h4>{PREVIOUS_POSTS}</h4>'
                f'<div class="related-posts-list">{"".join(items)}</div></section>')

    def _subscribe_html(self, inside: bool) -> str:
        heading, text, button, small = subscribe_texts(self.source.company)
        form = (f'<form class="cta-subscribe_form" action="/thank-you"><input type="email" name="email" '
                f'placeholder="Work email" required><button type="submit">{button}</button></form>'
                f'<p class="text-size-tiny">{_e(small)}</p>')
        if inside:
            return (f'<div class="cta-subscribe_component"><h3 class="heading-style-h4">{heading}</h3>'
                    f'<p>{_e(text)}</p>{form}</div>')
        return f'<aside class="newsletter-signup"><h3>{heading}</h3><p>{_e(text)}</p>{form}</aside>'

    def _cta_html(self, inside: bool) -> str:
        heading, text, start, pricing = cta_texts(self.source.product)
        links = f'<a href="/pricing" class="button">{start}</a><a href="/pricing" class="button is-secondary">{pricing}</a>'
        if inside:
            return f'<div class="cta-post_component"><h3>{heading}</h3><p>{_e(text)}</p><div class="button-group">{links}</div></div>'
        return f'<section class="cta-banner"><h3>{heading}</h3><p>{_e(text)}</p>{links}</section>'

    def _banner_html(self, inside: bool) -> str:
        if inside:
            return (f'<div class="event-strip_component"><p class="event-strip_text">{_e(BANNER)} '
                    f'<a href="/events/dataconf-2026" class="event-strip_link">Register now</a></p></div>')
        return (f'<div class="top-banner" role="region" aria-label="Announcement"><p>{_e(BANNER)} '
                f'<a href="/events/dataconf-2026">Register now</a></p></div>')

    def page_html(self, meta: PageMeta, article_html: str, base_url: str) -> str:
        """A company page: head, navigation, content with its chrome, footer, cookie notice."""
        src = self.source
        page = src.page(meta.path)
        truth = page.truth if page else None
        inside = truth.chrome_inside if truth else True
        kind = truth.kind if truth else "page"
        previous = (truth.previous_posts, truth.previous_excerpts) if truth else ((), ())
        head = [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(meta.title)} | {_e(src.company)}</title>",
            f'<meta name="description" content="{_e(meta.description)}">' if meta.description else "",
            f'<meta name="author" content="{_e(meta.author)}">' if meta.author else "",
            f'<link rel="canonical" href="{_e(base_url + meta.path)}">',
            f'<meta property="og:title" content="{_e(meta.title)}">',
            f'<meta property="og:site_name" content="{_e(src.company)}">',
            f'<meta property="og:type" content="{"article" if kind in ("blog", "newsletter") else "website"}">',
        ]
        published = date_to_ts(meta.date)
        if published is not None and kind in ("blog", "newsletter", "video"):
            head.append(f'<meta property="article:published_time" content="{iso_utc(published)}">')
        head.append('<link rel="stylesheet" href="/assets/site.css">')
        nav = "".join(f'<a href="{_e(u)}" class="navbar_link">{_e(t)}</a>' for t, u in self.nav_links())
        navbar = (f'<div class="navbar_component" role="banner"><div class="navbar_container">'
                  f'<a href="/" class="navbar_logo-link">{_e(src.company)}</a>'
                  f'<nav role="navigation" class="navbar_menu">{nav}</nav>'
                  f'<div class="navbar_button-wrapper"><a href="https://app.{src.domain}/login">Log in</a>'
                  f'<a href="/pricing" class="button">Start free</a></div></div></div>')
        subscribe = self._subscribe_html(inside) if kind != "subscribe" or meta.path == "/subscribe" else ""
        if inside:
            body = (f'<div class="page-wrapper">{navbar}\n<main class="main-wrapper">\n'
                    f'<section class="section_{kind}"><div class="padding-global"><div class="container-medium">\n'
                    f'{self._banner_html(True)}\n<div class="{kind}_rich-text w-richtext">\n{article_html}</div>\n'
                    f'{self._cta_html(True)}\n{subscribe}\n{self._previous_html(*previous, True)}\n'
                    '</div></div></section>\n</main>\n')
        else:
            body = (f'<div class="page-wrapper"><header class="site-header">{self._banner_html(False)}{navbar}</header>\n'
                    f'<main id="content"><article>\n{article_html}</article></main>\n'
                    f'{self._cta_html(False)}\n{subscribe}\n{self._previous_html(*previous, False)}\n')
        cols = footer_texts(src.company)
        footer = (f'<footer class="footer_component"><div class="footer_top">'
                  f'<div class="footer_column"><div class="footer_heading">{cols[0]}</div><a href="/product/">{_e(src.product)}</a>'
                  f'<a href="/pricing">Pricing</a><a href="/security">{cols[3]}</a></div>'
                  f'<div class="footer_column"><div class="footer_heading">{cols[1]}</div><a href="/blog/">Blog</a>'
                  f'<a href="/glossary/">Glossary</a><a href="/videos/">Videos</a><a href="{_e(src.directory)}">{_e(src.directory_label)}</a></div>'
                  f'<div class="footer_column"><div class="footer_heading">{cols[2]}</div><a href="/about">{cols[7]}</a>'
                  f'<a href="/careers/">Careers</a><a href="/contact">{cols[6]}</a></div></div>'
                  f'<div class="footer_bottom"><a href="/legal/privacy">{cols[4]}</a><a href="/legal/terms">{cols[5]}</a>'
                  f'<p>{_e(cols[8])}</p><p>{_e(cols[9])}</p></div></footer>\n')
        notice, accept, reject, settings = cookie_texts()
        cookie = (f'<div class="consent_component" role="dialog" aria-label="Privacy"><p class="consent_text">'
                  f'{_e(notice)}</p><div class="consent_buttons"><a href="#" class="consent_accept">{accept}</a>'
                  f'<a href="#" class="consent_reject">{reject}</a><a href="#" class="consent_settings">{settings}</a></div></div>\n')
        return ('<!doctype html>\n<html lang="en">\n<head>\n' + "\n".join(h for h in head if h) + "\n</head>\n<body>\n"
                + body + footer + cookie + "</div>\n"
                '<script>window.dataLayer = window.dataLayer || [];</script>\n</body>\n</html>\n')
