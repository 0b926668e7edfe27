"""Ground truth of the generated company site, and the judge that uses it.

``CompanyTruth`` says what every page of ``generate_company_site`` is: its
kind, the partners it names, whether it is about integrations, which site
chrome (event banner, call to action, "Subscribe", "PREVIOUS POSTS", cookie
notice, video notice, navigation, footer) it carries, and which documents are copies of
one another. Benchmarks and tests judge Kurt's answers with it, by text:
``chrome_share`` tells how much of a passage is chrome of its page, without
asking Kurt what it thinks is boilerplate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

BANNER = "Join us at DataConf 2026 — register now"
VIDEO_NOTICE = (
    "If playback doesn't begin shortly, try restarting your device.",
    "Videos you watch may be added to the TV's watch history and influence TV recommendations. "
    "To avoid this, cancel and sign in to YouTube on your computer.",
    "You're signed out",
    "An error occurred while retrieving sharing information. Please try again later.",
    "Watch later",
    "Share",
)
PREVIOUS_POSTS = "PREVIOUS POSTS"
SUBSCRIBE_HEADING = "Subscribe to our newsletter"
BOILERPLATE_PASSAGE_SHARE = 0.5  # a passage at least this much chrome (by characters) is boilerplate


def subscribe_texts(company: str) -> tuple[str, ...]:
    """The "Subscribe" block, line by line."""
    return (SUBSCRIBE_HEADING,
            f"Get the latest posts, product news and SQL tips from the {company} team every other week. "
            "No spam, unsubscribe anytime.",
            "Subscribe", "By subscribing you agree to our Privacy Policy.")


def cta_texts(product: str) -> tuple[str, ...]:
    """The call-to-action block under the content, line by line."""
    return ("Ready to query your data?", f"Start free with {product}: no credit card, no clusters to size.",
            "Start free", "See pricing")


def cookie_texts() -> tuple[str, ...]:
    """The cookie notice, line by line."""
    return ("We use cookies to improve your experience and analyze site traffic. By clicking “Accept all”, "
            "you agree to our use of cookies as described in our Cookie Policy.",
            "Accept all", "Reject all", "Cookie settings")


def nav_texts(company: str, directory_label: str) -> tuple[str, ...]:
    """Top navigation labels."""
    return (company, "Product", "Pricing", directory_label, "Customers", "Blog", "Newsletter", "Videos",
            "Glossary", "Careers", "Log in", "Start free")


def footer_texts(company: str) -> tuple[str, ...]:
    """Footer lines."""
    return ("Product", "Resources", "Company", "Security", "Privacy Policy", "Terms of Service", "Contact",
            "About", f"© 2026 {company}, Inc. All rights reserved.",
            "Made with care in Amsterdam, New York and Lisbon.")


@dataclass(frozen=True)
class Partner:
    """One partner of the directory, with its page."""

    name: str
    slug: str
    path: str
    category: str
    well_known: bool
    mentions_integration: bool  # does the page say "integrat..." anywhere in its content?
    docs_url: str | None


@dataclass(frozen=True)
class PageTruth:
    """What one served page is."""

    path: str
    kind: str  # home, product, pricing, security, careers, job, about, contact, customer, event, legal,
    # blog, newsletter, author, glossary, video, partner, person, index, subscribe
    title: str
    partners: tuple[str, ...] = ()  # partner names the content mentions
    about_integration: bool = False  # a page genuinely about integrations (partner pages included)
    boilerplate_only: bool = False  # no content of its own beyond the chrome
    chrome_inside: bool = True  # banner, subscribe and previous posts inside <main>
    previous_posts: tuple[str, ...] = ()  # titles in its "PREVIOUS POSTS" block
    previous_excerpts: tuple[str, ...] = ()  # and the excerpt shown under each title
    video: bool = False  # carries an embedded YouTube player and its notice
    copy_of: str | None = None  # the path of the page this one duplicates (/%7Ejane -> /~jane)


def normalize_text(text: str) -> str:
    """Lowercase text without markdown links, emphasis, list markers, tags and odd quotes."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                                         "\u00a0": " "}))
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)]|#{1,6}|>)\s+", "", text)
    text = re.sub(r"[*_`|]+", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class CompanyTruth:
    """The ground truth of one generated company site."""

    company: str
    product: str
    directory: str  # the partner directory, e.g. "/ecosystem/"
    directory_label: str
    pages: dict[str, PageTruth]
    partners: tuple[Partner, ...]
    folder_copies: dict[str, str]  # file name in the folder copy -> path of the page it copies
    _chrome_cache: dict[str, tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=dict, repr=False)

    # ---- sets of pages

    def partner_paths(self) -> set[str]:
        """Paths of the partner pages (the directory index is not one)."""
        return {p.path for p in self.partners}

    def paths_of(self, kind: str) -> list[str]:
        """Paths of every page of one kind, in site order."""
        return [p for p, t in self.pages.items() if t.kind == kind]

    def partner(self, name: str) -> Partner | None:
        """The partner called ``name`` (case-insensitive)."""
        low = name.lower()
        return next((p for p in self.partners if p.name.lower() == low), None)

    # ---- documents Kurt stores: site URLs and folder-copy files

    def path_of(self, url: str) -> str | None:
        """The page a stored document is: its site path, or the page a folder-copy file copies.

        ``url`` is a document URL (``http://127.0.0.1:8000/blog/x``, ``file:///.../Title.md``)
        or a content path. Escapes are kept, so ``/%7Ejane`` and ``/~jane`` stay two pages.
        """
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            return parts.path if parts.path in self.pages else None
        name = PurePosixPath(unquote(parts.path if parts.scheme == "file" else url)).name
        return self.folder_copies.get(name)

    def canonical(self, url: str) -> str | None:
        """The page a document copies, or is: duplicates share one canonical path."""
        path = self.path_of(url)
        if path is None:
            return None
        return self.pages[path].copy_of or path

    def is_folder_copy(self, url: str) -> bool:
        """True for a document read from the folder copy."""
        parts = urlsplit(url)
        return parts.scheme not in ("http", "https") and self.path_of(url) is not None

    # ---- chrome

    def chrome_lines(self, path: str | None) -> tuple[str, ...]:
        """Every chrome text the page at ``path`` carries (none for folder copies)."""
        t = self.pages.get(path) if path else None
        if t is None:
            return ()
        lines = [BANNER, "Register now", *cta_texts(self.product), *subscribe_texts(self.company), *cookie_texts(),
                 *nav_texts(self.company, self.directory_label), *footer_texts(self.company)]
        if t.previous_posts:
            lines += [PREVIOUS_POSTS, *t.previous_posts, *t.previous_excerpts]
        if t.video:
            lines += VIDEO_NOTICE
        return tuple(lines)

    def _chrome(self, path: str | None) -> tuple[frozenset[str], tuple[str, ...]]:
        key = path or ""
        hit = self._chrome_cache.get(key)
        if hit is None:
            norm = [normalize_text(s) for s in self.chrome_lines(path)]
            long = tuple(sorted({s for s in norm if len(s) >= 20}, key=len, reverse=True))
            hit = self._chrome_cache[key] = (frozenset(norm), long)
        return hit

    def chrome_share(self, url: str, text: str) -> float:
        """Share (0..1, by characters) of ``text`` that is chrome of the page ``url`` is."""
        exact, long = self._chrome(self.path_of(url))
        total = chrome = 0
        for raw in text.splitlines():
            line = normalize_text(raw)
            line = re.sub(r"^(?:[a-z]+ \d{1,2}, \d{4} )", "", line) if line else line  # a date before a title
            if not line:
                continue
            total += len(line)
            if line in exact or (len(line) >= 20 and any(line in s for s in long)):  # all of it, or a piece
                chrome += len(line)
                continue
            rest = line
            for s in long:
                if s in rest:
                    rest = rest.replace(s, "\x00")
            if rest == line:
                continue
            pieces = [p.strip(" .,;:-") for p in rest.split("\x00")]
            chrome += len(line) - sum(len(p) for p in pieces if p and p not in exact)
        return chrome / total if total else 0.0

    def is_boilerplate(self, url: str, text: str) -> bool:
        """True when at least half of the passage ``text`` of document ``url`` is chrome."""
        return self.chrome_share(url, text) >= BOILERPLATE_PASSAGE_SHARE
