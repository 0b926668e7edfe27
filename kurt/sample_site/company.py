"""A generated B2B company website: ``generate_company_site`` and its ground truth.

The kind of marketing site a data company runs on a CMS, about 560 pages:
a long blog, a "This week in data" newsletter, author pages, a glossary,
video pages with embedded YouTube players, product, pricing, security and
careers pages, customer stories, and a partner directory (``/ecosystem/`` by
default) of short pages: a partner name, a category label, a paragraph and a
"<Partner> + <Product>" section. Every page carries the chrome of a real CMS
(see ``kurt.sample_site.company_chrome``). Deterministic for a given seed.

    site = generate_company_site(seed=0, directory="/integrations/")
    truth = company_truth(seed=0, directory="/integrations/")
    write_folder_copy(tmp_path / "posts")      # 20 blog posts as markdown files

Text is assembled from the word banks of ``kurt.sample_site.company_words``.
"""

from __future__ import annotations

import html
import random
import re
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import kurt.sample_site.company_words as W
from kurt.sample_site.company_truth import (
    VIDEO_NOTICE,
    CompanyTruth,
    PageTruth,
    Partner,
)
from kurt.sample_site.pages import PageMeta, slugify

DIRECTORIES = {"/ecosystem/": "Ecosystem", "/integrations/": "Integrations", "/partners/": "Partners",
               "/connectors/": "Connectors", "/apps/": "Apps", "/marketplace/": "Marketplace"}
FOLDER_COPY_POSTS = 20
START = datetime(2023, 1, 9, 9, 0, tzinfo=UTC).timestamp()
DAY = 86400


@dataclass
class CompanyPage:
    """One generated page: its markdown body and what it is."""

    truth: PageTruth
    markdown: str
    description: str = ""
    date: str | None = None
    author: str | None = None
    modified: float = START


@dataclass
class _Post:
    title: str
    path: str
    author: str
    ts: float
    theme: str
    partner: str | None = None  # mentioned in passing (or announced)
    announces: bool = False
    video: bool = False


def _date(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d")


def _long_date(ts: float) -> str:
    d = datetime.fromtimestamp(ts, tz=UTC)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def video_embed(video_id: str, title: str) -> str:
    """A YouTube embed as a CMS leaves it: the iframe, then the player's text as paragraphs."""
    notice = "".join(f"<p>{html.escape(line)}</p>" for line in VIDEO_NOTICE[:3])
    return (f'<iframe width="560" height="315" src="https://www.youtube.com/embed/{video_id}" '
            f'title="{html.escape(title)}" frameborder="0" allow="accelerometer; autoplay; encrypted-media; '
            f'picture-in-picture" allowfullscreen></iframe>{notice}\n')


@dataclass
class _Writer:
    """Sentences and paragraphs from the word banks, with one seeded generator."""

    rng: random.Random
    company: str
    product: str
    partner_names: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def fill(self, template: str, **slots: str) -> str:
        r = self.rng
        values = {"C": self.company, "P": self.product, "T": r.choice(W.TECH), "D": r.choice(W.DATASETS),
                  "N": str(r.randint(2, 9)), "M": r.choice(W.METRICS),
                  "X": r.choice(self.partner_names) if self.partner_names else "",
                  "X_CUSTOMER": r.choice(W.CUSTOMERS)[0]}
        values.update(slots)
        return template.format(**values)

    def sentence(self, nouns: tuple[str, ...]) -> str:
        """A combinatorial sentence about one of ``nouns``."""
        r = self.rng
        core = f"{r.choice(W.SUBJECTS)} {r.choice(W.VERBS)} the {r.choice(nouns)} {self.fill(r.choice(W.TAILS))}."
        return f"{r.choice(W.OPENERS)}, {core}" if r.random() < 0.6 else core[0].upper() + core[1:]

    def paragraph(self, bank: tuple[str, ...], n: tuple[int, int] = (2, 4), *, nouns: tuple[str, ...] = (),
                  **slots: str) -> str:
        """Sentences drawn from ``bank`` (each used once while unused ones remain), mixed with
        combinatorial sentences about ``nouns`` and a generic one now and then."""
        r = self.rng
        out = []
        for _ in range(r.randint(*n)):
            if nouns and r.random() < 0.5:
                out.append(self.sentence(nouns))
                continue
            fresh = [s for s in bank if s not in self.used] or list(bank)
            pick = r.choice(fresh)
            self.used.add(pick)
            out.append(self.fill(pick, **slots))
        if r.random() < 0.4:
            fresh = [s for s in W.GENERIC_SENTENCES if s not in self.used] or list(W.GENERIC_SENTENCES)
            pick = r.choice(fresh)
            self.used.add(pick)
            out.append(self.fill(pick, **slots))
        return " ".join(out)


class CompanySource:
    """Every page of the company site, generated once at construction."""

    def __init__(self, *, seed: int = 0, company: str = "Quackbase", product: str | None = None,
                 directory: str = "/ecosystem/", partners: int = 66, posts: int = 240,
                 newsletters: int = 60) -> None:
        directory = "/" + directory.strip("/") + "/"
        if not 50 <= partners <= len(W.PARTNERS):
            raise ValueError(f"partners must be between 50 and {len(W.PARTNERS)}")
        self.seed, self.company = seed, company
        self.product = product or f"{company} Cloud"
        self.directory = directory
        self.directory_label = DIRECTORIES.get(directory) or directory.strip("/").replace("-", " ").title()
        self.domain = slugify(company) + ".com"
        self.pages: dict[str, CompanyPage] = {}
        self.partners: list[Partner] = []
        self.posts: list[_Post] = []
        self._build(partners, posts, newsletters)

    # ---- PageSource protocol

    def paths(self) -> list[str]:
        return list(self.pages)

    def page(self, path: str) -> CompanyPage | None:
        return self.pages.get(path)

    def meta(self, path: str) -> PageMeta | None:
        page = self.pages.get(path)
        if page is None:
            return None
        return PageMeta(path=path, title=page.truth.title, description=page.description, date=page.date,
                        author=page.author, modified=page.modified)

    def markdown(self, path: str) -> str | None:
        page = self.pages.get(path)
        return page.markdown if page else None

    def version(self, path: str) -> object:
        return self.seed

    def resolve_file(self, from_path: str, target: str) -> str | None:
        return None

    # ---- building

    def _rng(self, salt: str) -> random.Random:
        return random.Random(self.seed * 1_000_003 + zlib.crc32(salt.encode()))

    def _writer(self, salt: str) -> _Writer:
        return _Writer(self._rng(salt), self.company, self.product, [p.name for p in self.partners])

    def _add(self, path: str, kind: str, title: str, markdown: str, *, description: str = "",
             ts: float | None = None, author: str | None = None, **truth: Any) -> None:
        inside = zlib.crc32(f"{self.seed}:{path}".encode()) % 5 != 0  # four pages in five
        self.pages[path] = CompanyPage(
            truth=PageTruth(path=path, kind=kind, title=title, chrome_inside=inside, **truth),
            markdown=markdown, description=description, date=_date(ts) if ts else None, author=author,
            modified=ts or START)

    def _build(self, n_partners: int, n_posts: int, n_newsletters: int) -> None:
        self._make_partners(n_partners)
        self._plan_posts(n_posts)
        self._home()
        self._product_pages()
        self._pricing()
        self._security()
        self._company_pages()
        self._customers()
        self._blog()
        self._newsletters(n_newsletters)
        self._authors()
        self._glossary()
        self._videos()
        self._directory()
        self._small_pages()
        self._previous_excerpts()

    def _previous_excerpts(self) -> None:
        """Give every "PREVIOUS POSTS" block the excerpts (descriptions) of the posts it lists."""
        by_title = {p.truth.title: p.description for p in self.pages.values()
                    if p.truth.kind in ("blog", "newsletter", "video")}
        for page in self.pages.values():
            if page.truth.previous_posts:
                excerpts = tuple(by_title.get(t, "") for t in page.truth.previous_posts)
                page.truth = replace(page.truth, previous_excerpts=excerpts)

    def _make_partners(self, n: int) -> None:
        r = self._rng("partners")
        chosen = list(W.PARTNERS[:n])
        # about a third never say "integrat...": every third partner, in a shuffled order
        order = list(range(n))
        r.shuffle(order)
        without = set(order[: n // 3])
        for i, (name, category, known) in enumerate(chosen):
            slug = slugify(name)
            docs = None
            if r.random() < 0.5:
                host = slug.replace("-", "")
                docs = (f"https://docs.{host}.io/destinations/{slugify(self.product)}" if i in without
                        else f"https://docs.{host}.io/integrations/{slugify(self.product)}")
            self.partners.append(Partner(name=name, slug=slug, path=f"{self.directory}{slug}", category=category,
                                         well_known=known, mentions_integration=i not in without, docs_url=docs))

    def _plan_posts(self, n: int) -> None:
        r = self._rng("posts")
        themes = {t[0]: t for t in W.THEMES}
        weighted = [k for k, w in W.THEME_WEIGHTS.items() for _ in range(w)]
        picks = r.sample(range(10, n - 10), 16)
        announce_at, howto_at = set(picks[:4]), set(picks[4:])  # 4 announcements, 12 how-to guides
        announced = r.sample([p.name for p in self.partners], 4)
        titles: set[str] = set()
        w = self._writer("post-titles")
        for i in range(n):
            ts = START + i * (1400 * DAY // n) + r.randrange(DAY // 2)
            author = r.choice(W.AUTHORS)[0]
            partner, announces = None, False
            if i in announce_at:
                partner, announces, theme = announced.pop(), True, "product"
                title = w.fill(r.choice(W.ANNOUNCEMENT_TITLES), X=partner)
            elif i in howto_at:
                partner, announces, theme = r.choice(self.partners).name, True, "howto"
                title = w.fill(r.choice(W.HOWTO_THEME[1]), X=partner)
            elif i == n - 2:  # a recent post whose title holds spaces and parentheses
                partner, theme = "dlt", "ingestion"
                title = f"Loading REST APIs into {self.product} with data load tool (dlt)"
            else:
                theme, title = r.choice(weighted), ""
                for attempt in range(200):  # a theme whose titles are used up gives way to another
                    if attempt and attempt % 20 == 0:
                        theme = r.choice(weighted)
                    title = w.fill(r.choice(themes[theme][1]))
                    if title not in titles:
                        break
                if title in titles:
                    title = f"{title} ({datetime.fromtimestamp(ts, tz=UTC).year})"
                if r.random() < 0.35:
                    partner = r.choice(self.partners).name
            titles.add(title)
            path = f"/blog/{slugify(title)}"
            self.posts.append(_Post(title, path, author, ts, theme, partner, announces, r.random() < 0.1))

    def _home(self) -> None:
        w = self._writer("home")
        named = ", ".join(p.name for p in self.partners if p.well_known)
        customers = ", ".join(c[0] for c in W.CUSTOMERS[:6])
        md = (f"# The analytics warehouse that scales down as well as up\n\n"
              f"{self.product} runs SQL on your data wherever it lives: on your laptop, in object storage or in "
              "the cloud. No clusters to size, no idle servers to pay for.\n\n"
              "[Start free](/pricing) [Book a demo](/contact)\n\n"
              f"## Trusted by data teams at\n\n{customers}\n\n"
              "## Why teams switch\n\n"
              + "".join(f"### {f[1]}\n\n{f[2][0]} {f[2][1]}\n\n" for f in W.PRODUCT_FEATURES[:4])
              + f"## Works with your stack\n\n{self.product} connects to the tools you already use: {named}. "
              f"[Browse the {self.directory_label.lower()}]({self.directory})\n\n"
              f"## From the blog\n\n" + "".join(f"- [{p.title}]({p.path})\n" for p in self.posts[-3:][::-1])
              + f"\n{w.paragraph(W.GENERIC_SENTENCES, (1, 2))}\n")
        self._add("/", "home", f"{self.company}: serverless analytics", md,
                  description=f"{self.product} is the serverless analytics warehouse.",
                  partners=tuple(p.name for p in self.partners if p.well_known))

    def _product_pages(self) -> None:
        w = self._writer("product")
        md = (f"# {self.product}\n\nOne SQL engine for your laptop and the cloud.\n\n"
              + "".join(f"## [{t}](/product/{s})\n\n{a} {b}\n\n" for s, t, (a, b) in W.PRODUCT_FEATURES)
              + f"## Connect your tools\n\nBring data in and send results out with the partners in our "
              f"[{self.directory_label.lower()}]({self.directory}).\n")
        self._add("/product/", "product", self.product, md, description="One SQL engine for your laptop and the cloud.")
        for slug, title, (a, b) in W.PRODUCT_FEATURES:
            body = [f"# {title}\n", f"{a} {b}\n"]
            for heading in ("How it works", "Built for teams", "Get started"):
                body.append(f"## {heading}\n")
                body.append(w.paragraph(W.THEMES[0][3] + W.THEMES[5][3], (2, 3)) + "\n")
            body.append("[Start free](/pricing) or [talk to sales](/contact).\n")
            self._add(f"/product/{slug}", "product", title, "\n".join(body), description=a)

    def _pricing(self) -> None:
        tiers = (("Free", "$0 / month", ("10 GB of storage", "Up to 10 compute hours", "Community support")),
                 ("Standard", "$25 / month", ("100 GB of storage", "Pay-as-you-go compute at $0.25 per hour",
                                               "Email support", "Shared databases")),
                 ("Business", "$250 / month", ("1 TB of storage", "Compute at $0.20 per hour", "SSO and audit logs",
                                                "99.9% uptime SLA")),
                 ("Enterprise", "Custom pricing", ("Unlimited storage", "Committed-use discounts",
                                                   "Dedicated support engineer", "Private networking")))
        faq = (("How is compute billed?", "Compute is billed per second while queries run, with a one-minute minimum per session."),
               ("Can I change plans later?", "Yes. Upgrades apply immediately; downgrades apply at the end of the billing period."),
               ("Do you offer discounts?", "Startups and non-profits get 50 percent off the Standard plan for a year."),
               ("What happens when I exceed my storage?", "We email you first. Extra storage is billed at $0.02 per GB per month."))
        md = ("# Pricing\n\nSimple pricing that grows with you. Start free, pay for what you use.\n\n"
              + "".join(f"## {n}\n\n**{p}**\n\n" + "".join(f"- {f}\n" for f in fs) + "\n" for n, p, fs in tiers)
              + "## Frequently asked questions\n\n" + "".join(f"### {q}\n\n{a}\n\n" for q, a in faq))
        self._add("/pricing", "pricing", "Pricing", md, description=f"Plans and prices for {self.product}.")

    def _security(self) -> None:
        c = self.company
        md = (f"# Security at {c}\n\nYour data is your business. Security is part of how we build {self.product}, "
              "not a feature we add later.\n\n"
              "## Compliance\n\nWe hold a SOC 2 Type II report, renewed every year, and are GDPR and HIPAA ready. "
              "Customers can request the report under NDA from our trust center.\n\n"
              "## Encryption\n\nAll data is encrypted at rest with AES-256 and in transit with TLS 1.3. Keys are "
              "rotated automatically and stored in a hardware security module.\n\n"
              "## Access control\n\nSingle sign-on with SAML or OIDC, SCIM provisioning, role-based access control "
              "and row-level security are available on the Business and Enterprise plans.\n\n"
              "## Infrastructure\n\nProduction runs in isolated cloud accounts with no standing human access. "
              "Every access request is approved, logged and reviewed.\n\n"
              f"## Responsible disclosure\n\nFound a vulnerability? Email security@{self.domain}. We reply within "
              "one business day and never take legal action against good-faith research.\n")
        self._add("/security", "security", f"Security at {c}", md, description=f"How {c} protects your data.")

    def _company_pages(self) -> None:
        c, w = self.company, self._writer("company")
        jobs = [(slugify(j), j) for j in W.JOBS]
        md = (f"# Careers at {c}\n\nWe are building the analytics warehouse we always wanted to use. "
              f"{w.fill(W.THEMES[10][3][0])} {w.fill(W.THEMES[10][3][1])}\n\n## Our values\n\n"
              "- Write it down\n- Measure before you optimize\n- Ship small, ship often\n- Be kind in review\n\n"
              "## Open roles\n\n" + "".join(f"- [{t}](/careers/{s})\n" for s, t in jobs))
        self._add("/careers/", "careers", f"Careers at {c}", md, description=f"Join {c}.")
        for s, t in jobs:
            body = (f"# {t}\n\nLocation: Remote (Europe or Americas) · Full time\n\n## About the role\n\n"
                    f"{w.paragraph(W.THEMES[9][3], (2, 3))}\n\n## What you will do\n\n"
                    + "".join(f"- {w.fill(x)}\n" for x in w.rng.sample(W.THEMES[9][3], 3))
                    + "\n## What we look for\n\n- Curiosity and clear writing\n- Experience with SQL and distributed "
                    "systems, or the wish to learn them\n- Kindness in code review\n\n## Benefits\n\n"
                    "Competitive salary and equity, a yearly learning budget, and four weeks of paid time off.\n")
            self._add(f"/careers/{s}", "job", t, body, description=f"{t} at {c}.")
        self._add("/about", "about", f"About {c}",
                  f"# About {c}\n\n{c} was founded in 2021 by engineers who spent a decade building analytics "
                  f"databases. {self.product} is used by more than 2,000 companies.\n\n## Our story\n\n"
                  f"{w.paragraph(W.THEMES[10][3], (3, 4))}\n\n## Investors\n\nWe are backed by Harbor Ventures, "
                  "Lantern Capital and angels from the data community.\n", description=f"The team behind {self.product}.")
        self._add("/contact", "contact", "Contact us",
                  f"# Contact us\n\nSales: sales@{self.domain}\n\nSupport: support@{self.domain}\n\n"
                  f"Press: press@{self.domain}\n\n{c}, Inc., 350 Keizersgracht, Amsterdam\n",
                  description=f"Talk to the {c} team.")

    def _customers(self) -> None:
        w = self._writer("customers")
        items = []
        for name, what in W.CUSTOMERS:
            slug, title = slugify(name), f"How {name} runs {what} on {self.product}"
            body = [f"# {title}\n"]
            for heading in ("The challenge", f"Why {self.product}", "Results"):
                body += [f"## {heading}\n", w.paragraph(W.THEMES[7][3], (2, 3)) + "\n"]
            partner = w.rng.choice(self.partners).name
            body.append(f"The team loads data with {partner} and models it in {self.product}.\n")
            self._add(f"/customers/{slug}", "customer", title, "\n".join(body), partners=(partner,),
                      description=f"{name} uses {self.product} for {what}.")
            items.append(f"- [{title}](/customers/{slug})\n")
        self._add("/customers/", "index", "Customers", "# Customers\n\n" + "".join(items))

    # ---- blog-like pages

    def _previous(self, posts: list[_Post], i: int) -> tuple[str, ...]:
        return tuple(p.title for p in posts[max(0, i - 3):i][::-1]) or tuple(p.title for p in posts[i + 1:i + 4])

    def _blog(self) -> None:
        themes = {t[0]: t for t in (*W.THEMES, W.HOWTO_THEME)}
        authors = {a: slugify(a) for a, _ in W.AUTHORS}
        for i, post in enumerate(self.posts):
            w = self._writer("post:" + post.path)
            r = w.rng
            _, _, headings, sentences = themes[post.theme]
            second = themes[r.choice([k for k in themes if k not in (post.theme, "howto")])][3]
            sentences = sentences + tuple(r.sample(second, 3))
            if post.announces and post.theme != "howto":
                sentences = W.ANNOUNCEMENT_SENTENCES + sentences
            slots = {"X": post.partner} if post.partner else {}
            nouns = W.THEME_NOUNS.get(post.theme, W.THEME_NOUNS["ingestion"])
            words = r.randint(900, 1800)
            minutes = max(3, words // 220)
            body = [f"# {post.title}\n",
                    f"*By [{post.author}](/authors/{authors[post.author]}) · {_long_date(post.ts)} · {minutes} min read*\n",
                    w.paragraph(sentences, (3, 4), **slots) + "\n"]
            count = sum(len(b.split()) for b in body)
            mention_at = r.randrange(len(headings)) if post.partner and not post.announces else -1
            for h, heading in enumerate(headings):
                body.append(f"## {w.fill(heading)}\n")
                if h == 1 and r.random() < 0.4:
                    table = r.choice(W.DATASETS).replace(" ", "_")
                    body.append(f"```sql\nSELECT date_trunc('day', created_at) AS day, count(*) AS n\nFROM {table}\n"
                                "WHERE created_at > now() - INTERVAL 30 DAY\nGROUP BY ALL\nORDER BY day;\n```\n")
                if h == 1 and post.theme == "howto":
                    body.append(f"1. Create a service token in {self.product}.\n2. In {post.partner}, add "
                                f"{self.product} as a destination and paste the token.\n3. Pick a database and "
                                "run the first sync.\n")
                if h == 2 and r.random() < 0.5:
                    body.append("".join(f"- {w.fill(s)}\n" for s in r.sample(sentences, 3)))
                if h == 0 and post.video:
                    body.append(video_embed(f"qb{zlib.crc32(post.path.encode()) % 10**8:08d}", post.title))
                while count < words * (h + 1) / len(headings):
                    para = w.paragraph(sentences, nouns=nouns, **slots)
                    if h == mention_at:
                        para += " " + w.fill(r.choice(W.PASSING_MENTIONS), X=post.partner)
                        mention_at = -1
                    body.append(para + "\n")
                    count += len(para.split())
            self._add(post.path, "blog", post.title, "\n".join(body), ts=post.ts, author=post.author,
                      description=w.fill(sentences[0], **slots),
                      partners=(post.partner,) if post.partner else (), about_integration=post.announces,
                      previous_posts=self._previous(self.posts, i), video=post.video)
        per_page = 20
        newest = self.posts[::-1]
        pages = [newest[k:k + per_page] for k in range(0, len(newest), per_page)]
        for n, chunk in enumerate(pages, start=1):
            path = "/blog/" if n == 1 else f"/blog/page/{n}"
            links = "".join(f"- [{p.title}]({p.path}) · {_long_date(p.ts)}\n" for p in chunk)
            nav = f"\n[Older posts](/blog/page/{n + 1})\n" if n < len(pages) else ""
            self._add(path, "index", "Blog" if n == 1 else f"Blog, page {n}", f"# Blog\n\n{links}{nav}",
                      boilerplate_only=n > 1)

    def _newsletters(self, n: int) -> None:
        issues = []
        for k in range(1, n + 1):
            w = self._writer(f"newsletter:{k}")
            r = w.rng
            ts = START + k * 14 * DAY + 3600
            partners = r.sample([p.name for p in self.partners], 5)
            named_items = [item for item in W.NEWSLETTER_ITEMS if "{X}" in item[0] + item[1]]
            items = r.sample(named_items, 3) + r.sample([i for i in W.NEWSLETTER_ITEMS if i not in named_items], 1)
            integ = r.sample(W.NEWSLETTER_INTEGRATION_ITEMS, 1 + (r.random() < 0.5))
            blocks, named = [], []
            for j, (headline, text) in enumerate(items + integ):
                x, d = partners[j % len(partners)], r.choice(W.DATASETS)
                if "{X}" in headline + text and x not in named:
                    named.append(x)
                blocks.append(f"## {w.fill(headline, X=x, D=d)}\n\n{w.fill(text, X=x, D=d)}\n")
            r.shuffle(blocks)
            recent = [p for p in self.posts if p.ts <= ts][-3:][::-1]
            title = f"This week in data #{k}"
            md = (f"# {title}\n\n*{_long_date(ts)}*\n\nWelcome to issue #{k} of This week in data, the "
                  f"{self.company} newsletter about SQL, analytics and the tools around them.\n\n"
                  + "\n".join(blocks)
                  + ("\n## From the blog\n\n" + "".join(f"- [{p.title}]({p.path})\n" for p in recent) if recent else "")
                  + f"\nSee you next week,\n\nThe {self.company} team\n")
            issues.append((title, f"/newsletter/this-week-in-data-{k}", ts, md, tuple(named)))
        for i, (title, path, ts, md, partners) in enumerate(issues):
            prev = tuple(t for t, *_ in issues[max(0, i - 3):i][::-1]) or tuple(t for t, *_ in issues[1:4])
            self._add(path, "newsletter", title, md, ts=ts, partners=partners, previous_posts=prev,
                      description=f"Issue #{i + 1} of This week in data.")
        self._add("/newsletter/", "index", "This week in data",
                  "# This week in data\n\nA short newsletter about SQL, analytics and the tools around them, "
                  "every other week.\n\n" + "".join(f"- [{t}]({p})\n" for t, p, *_ in issues[::-1]))

    def _authors(self) -> None:
        items = []
        for k, (name, role) in enumerate(W.AUTHORS):
            slug = slugify(name)
            first = name.split()[0]
            bio = self._writer(f"author:{slug}").fill(W.AUTHOR_BIOS[k % len(W.AUTHOR_BIOS)], name=name,
                                                      role=role, first=first)
            posts = [p for p in self.posts if p.author == name][::-1][:15]
            md = (f"# {name}\n\n{role}\n\n{bio}\n\n## Posts by {name}\n\n"
                  + "".join(f"- [{p.title}]({p.path})\n" for p in posts))
            self._add(f"/authors/{slug}", "author", name, md, description=f"{name}, {role} at {self.company}.")
            items.append(f"- [{name}](/authors/{slug}), {role}\n")
        self._add("/authors/", "index", "Authors", "# Authors\n\n" + "".join(items))

    def _glossary(self) -> None:
        terms = [(t, g, slugify(t)) for t, g in W.GLOSSARY]
        w = self._writer("glossary")
        for i, (term, gist, slug) in enumerate(terms):
            related = [terms[(i + d) % len(terms)] for d in (1, 7, 23)]
            plain = term[1:2].islower() and term[1:] == term[1:].lower()
            md = (f"# What is {term[0].lower() + term[1:] if plain else term}?\n\n"
                  f"{term} is {gist}.\n\n## Why it matters\n\n{w.paragraph(W.THEMES[2][3] + W.THEMES[0][3], (2, 3))}\n\n"
                  f"## {term} in {self.product}\n\n{w.paragraph(W.THEMES[5][3] + W.THEMES[6][3], (2, 3))}\n\n"
                  "## Related terms\n\n" + "".join(f"- [{t}](/glossary/{s})\n" for t, _, s in related))
            self._add(f"/glossary/{slug}", "glossary", term, md, description=f"{term}: {gist}.",
                      about_integration=term == "Data integration")
        self._add("/glossary/", "index", "Glossary",
                  "# Glossary\n\n" + "".join(f"- [{t}](/glossary/{s})\n" for t, _, s in terms))

    def _videos(self, n: int = 40) -> None:
        w = self._writer("videos")
        r = w.rng
        videos = []
        seen: set[str] = set()
        while len(videos) < n:
            title = w.fill(r.choice(W.VIDEO_TITLES))
            if title in seen:
                continue
            seen.add(title)
            videos.append((title, f"/videos/{slugify(title)}", START + len(videos) * 30 * DAY))
        for i, (title, path, ts) in enumerate(videos):
            speakers = r.sample([a for a, _ in W.AUTHORS], 2)
            md = (f"# {title}\n\n{w.paragraph(W.THEMES[r.randrange(len(W.THEMES))][3], (1, 2))}\n\n"
                  + video_embed(f"qv{zlib.crc32(path.encode()) % 10**8:08d}", title)
                  + f"\n## About this session\n\n{w.paragraph(W.THEMES[r.randrange(len(W.THEMES))][3], (2, 4))}\n\n"
                  "## Speakers\n\n" + "".join(f"- [{s}](/authors/{slugify(s)})\n" for s in speakers))
            prev = tuple(t for t, *_ in videos[max(0, i - 3):i][::-1]) or tuple(t for t, *_ in videos[1:4])
            self._add(path, "video", title, md, ts=ts, previous_posts=prev, video=True,
                      description=f"Watch: {title}.")
        self._add("/videos/", "index", "Videos", "# Videos\n\n" + "".join(f"- [{t}]({p})\n" for t, p, _ in videos))

    def _directory(self) -> None:
        for p in self.partners:
            w = self._writer("partner:" + p.slug)
            what, does = W.CATEGORY_WORDS[p.category]
            about_bank = W.PARTNER_ABOUT_WITH_WORD if p.mentions_integration else W.PARTNER_ABOUT_WITHOUT_WORD
            section_bank = W.PARTNER_SECTION_WITH_WORD if p.mentions_integration else W.PARTNER_SECTION_WITHOUT_WORD
            about = w.fill(w.rng.choice(about_bank), X=p.name, what=what, does=does)
            section = w.fill(w.rng.choice(section_bank), X=p.name)
            link = f" [{p.name} documentation]({p.docs_url})" if p.docs_url else ""
            md = (f"# {p.name}\n\n{p.category}\n\n{about}\n\n## {p.name} + {self.product}\n\n{section}{link}\n")
            self._add(p.path, "partner", p.name, md, description=about.split(". ")[0].rstrip(".") + ".",
                      partners=(p.name,), about_integration=True)
        by_cat: dict[str, list[Partner]] = {}
        for p in self.partners:
            by_cat.setdefault(p.category, []).append(p)
        md = (f"# {self.directory_label}\n\n{self.product} works with the tools your team already uses. "
              f"Browse {len(self.partners)} partners by category.\n\n"
              + "".join(f"## {cat}\n\n" + "".join(f"- [{p.name}]({p.path})\n" for p in ps) + "\n"
                        for cat, ps in sorted(by_cat.items())))
        self._add(self.directory, "index", self.directory_label, md, about_integration=True,
                  partners=tuple(p.name for p in self.partners))

    def _small_pages(self) -> None:
        c = self.company
        self._add("/events/dataconf-2026", "event", "DataConf 2026",
                  "# DataConf 2026\n\nJune 9-11, 2026 · San Francisco and online\n\nThree days of talks and "
                  f"workshops about SQL, analytics engineering and the modern data stack, hosted by {c}.\n\n"
                  "## Tickets\n\nEarly-bird tickets are $299 until April 30.\n")
        self._add("/legal/privacy", "legal", "Privacy Policy",
                  f"# Privacy Policy\n\nThis policy explains how {c}, Inc. collects and uses personal data.\n\n"
                  "## Data we collect\n\nAccount details, usage data and support messages.\n\n"
                  "## Your rights\n\nYou can ask for a copy of your data or its deletion at any time.\n")
        self._add("/legal/terms", "legal", "Terms of Service",
                  f"# Terms of Service\n\nThese terms govern your use of {self.product}.\n\n## Accounts\n\n"
                  "You are responsible for the activity of your account.\n")
        self._add("/subscribe", "subscribe", "Subscribe", "# Subscribe\n", boilerplate_only=True)
        self._add("/thank-you", "subscribe", "Thank you", "# Thank you\n\nYou are on the list.\n",
                  boilerplate_only=True)
        jane = W.AUTHORS[0][0]
        talks = [p for p in self.pages if self.pages[p].truth.kind == "video"][:5]
        md = (f"# {jane}\n\nI am a developer advocate at {c}. This is my corner of the site: talks, slides and "
              "notes that did not fit anywhere else.\n\n## Talks\n\n"
              + "".join(f"- [{self.pages[t].truth.title}]({t})\n" for t in talks)
              + "\n## Notes\n\nHow I explain columnar storage to a new analyst: a library where every shelf "
              "holds one kind of book. Finding all the atlases is fast; reading one whole story is slow.\n\n"
              "Things I get asked after every talk: how pricing works for small teams, whether the free tier "
              "is enough for a side project (it is), and how to load a spreadsheet.\n")
        self._add("/~jane", "person", jane, md, description=f"{jane}'s talks and notes.")
        self._add("/%7Ejane", "person", jane, md, description=f"{jane}'s talks and notes.", copy_of="/~jane")

    # ---- ground truth and folder copy

    def truth(self) -> CompanyTruth:
        """The ground truth of this site."""
        return CompanyTruth(company=self.company, product=self.product, directory=self.directory,
                            directory_label=self.directory_label,
                            pages={p: page.truth for p, page in self.pages.items()},
                            partners=tuple(self.partners), folder_copies=dict(self.folder_copy_names()))

    def folder_copy_names(self) -> list[tuple[str, str]]:
        """(file name, page path) of the blog posts in the folder copy: the most recent ones."""
        out = []
        for post in self.posts[::-1][:FOLDER_COPY_POSTS]:
            name = re.sub(r'[/\\:*?"<>|]', "", post.title).strip() + ".md"
            out.append((name, post.path))
        return out

    def write_folder_copy(self, folder: Path) -> list[Path]:
        """Write the most recent blog posts as markdown files (a CMS export); returns the files."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, path in self.folder_copy_names():
            page = self.pages[path]
            front = (f"---\ntitle: \"{page.truth.title}\"\ndate: {page.date}\nauthor: {page.author}\n"
                     f"slug: {path.rsplit('/', 1)[-1]}\n---\n\n")
            target = folder / name
            target.write_text(front + page.markdown, encoding="utf-8")
            written.append(target)
        return written


@lru_cache(maxsize=8)
def _source(seed: int, company: str, product: str | None, directory: str, partners: int) -> CompanySource:
    return CompanySource(seed=seed, company=company, product=product, directory=directory, partners=partners)


def company_source(*, seed: int = 0, company: str = "Quackbase", product: str | None = None,
                   directory: str = "/ecosystem/", partners: int = 66) -> CompanySource:
    """The generated pages (built once per set of arguments and cached)."""
    return _source(seed, company, product, "/" + directory.strip("/") + "/", partners)


def generate_company_site(*, seed: int = 0, company: str = "Quackbase", product: str | None = None,
                          directory: str = "/ecosystem/", partners: int = 66, **options: Any) -> Any:
    """A servable company site (a ``CompanySite``); ``options`` are Site fields."""
    from kurt.sample_site.company_chrome import CompanySite

    source = company_source(seed=seed, company=company, product=product, directory=directory, partners=partners)
    options.setdefault("name", company)
    options.setdefault("cache_size", 1024)
    return CompanySite(source, **options)


def company_truth(*, seed: int = 0, company: str = "Quackbase", product: str | None = None,
                  directory: str = "/ecosystem/", partners: int = 66) -> CompanyTruth:
    """The ground truth of ``generate_company_site`` with the same arguments."""
    return company_source(seed=seed, company=company, product=product, directory=directory,
                          partners=partners).truth()


def write_folder_copy(folder: Path, *, seed: int = 0, company: str = "Quackbase", product: str | None = None,
                      directory: str = "/ecosystem/", partners: int = 66) -> list[Path]:
    """Write the 20 most recent blog posts of the site as markdown files into ``folder``."""
    return company_source(seed=seed, company=company, product=product, directory=directory,
                          partners=partners).write_folder_copy(folder)


__all__ = ["CompanyPage", "CompanySource", "DIRECTORIES", "company_source", "company_truth",
           "generate_company_site", "write_folder_copy"]
