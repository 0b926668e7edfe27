"""Content type of a page, from its URL, title, headings and structure.

Each signal adds points to one or more types; the type with the most points
wins (ties follow ``CONTENT_TYPES`` order). A page with no clear signal is a
``guide`` when it lives in documentation and ``other`` elsewhere.

- tutorial: step-by-step instructions with code that build or deploy something
- guide: explains how something works or how to choose (how-to without a build)
- reference / api-reference: commands, options, parameters, endpoints
- integration: how a product works with a partner or third-party service
- blog-post, changelog, pricing, legal, product-page, landing-page, other
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kurt.index.structure import Structure

CONTENT_TYPES = (
    "tutorial", "guide", "reference", "api-reference", "integration", "blog-post",
    "product-page", "landing-page", "changelog", "pricing", "legal", "other",
)

# (URL path segment pattern, {type: points})
_URL_RULES: list[tuple[re.Pattern, dict[str, int]]] = [
    (re.compile(r"^(changelog|changelogs|release-notes|releases|whats-new|what-s-new)$"), {"changelog": 6}),
    (re.compile(r"^(legal|terms|tos|privacy|privacy-policy|terms-of-service|terms-of-use|cookies?|"
                r"cookie-policy|gdpr|dpa|acceptable-use|aup|sla|subprocessors|security-policy|"
                r"imprint|disclaimer|eula|licen[cs]e)$"), {"legal": 6}),
    (re.compile(r"^(pricing|plans|price|prices|billing)$"), {"pricing": 5}),
    (re.compile(r"^(blog|blogs|posts?|news|articles?|stories|insights)$"), {"blog-post": 5}),
    (re.compile(r"^(api|apis|api-reference|api-docs|rest-api|graphql|endpoints|openapi|sdk|sdks)$"),
     {"api-reference": 5}),
    (re.compile(r"^(integrations?|partners?|ecosystem|marketplace|connectors?|plugins?|apps|oauth|providers)$"),
     {"integration": 4}),
    (re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*-(integrations?|connectors?|plugins?)$"),  # agent-integrations
     {"integration": 4}),
    (re.compile(r"^(reference|references|cli|commands|glossary|specs?|specification|config-reference|"
                r"configuration-reference)$"), {"reference": 4}),
    (re.compile(r"^(guides?|tutorials?|how-to|howto|learn|examples?|cookbook|recipes|quickstart|"
                r"quick-start|getting-started|get-started|walkthroughs?)$"), {"tutorial": 2, "guide": 2}),
    (re.compile(r"^(docs|documentation|kb|knowledge-base|help|manual|handbook)$"), {"guide": 1}),
    (re.compile(r"^(products?|features|solutions?|use-cases|why-\w+|customers|compare|vs)$"),
     {"product-page": 3}),
    (re.compile(r"^(compare-to-|vs-|alternatives?-|.*-vs-|.*-alternatives?$)"), {"product-page": 3}),
    (re.compile(r"^(troubleshooting|faq|faqs)$"), {"guide": 2}),
    (re.compile(r"^(migrate-from-|migrating-from-|migration)"), {"tutorial": 2}),
]

_TITLE_RULES: list[tuple[re.Pattern, dict[str, int]]] = [
    (re.compile(r"\b(changelog|release notes|what's new|product updates?)\b", re.I), {"changelog": 5}),
    (re.compile(r"\b(terms of (service|use)|privacy (policy|notice)|cookie policy|data processing|"
                r"acceptable use|service level agreement|legal|subprocessors)\b", re.I), {"legal": 5}),
    (re.compile(r"\b(pricing|price|plans?|billing|refunds?|credits|bill|cost control|free trial)\b", re.I),
     {"pricing": 2}),
    (re.compile(r"^(how to|deploy|build|create|set ?up|add|run|install|get(ting)? started|"
                r"tutorial|quick ?start|migrate|connect|self-host|host|ship|serve|instrument|"
                r"load test|back up|bridge)\b", re.I), {"tutorial": 2}),
    (re.compile(r"^(choose|choosing|understand|understanding|what is|why|when to|best practices|"
                r"introduction|overview|about)\b|\b(vs\.?|versus)\b", re.I), {"guide": 2}),
    (re.compile(r"\b(reference|specification|glossary)\b", re.I), {"reference": 3}),
    (re.compile(r"\b(api|graphql|endpoints?|sdk)\b", re.I), {"api-reference": 1}),
    (re.compile(r"\b(integrations?|integrate|partners?)\b", re.I), {"integration": 2}),
    (re.compile(r"\b(compare[ds]?|comparison|alternatives?)\b", re.I), {"product-page": 2}),
    (re.compile(r"^[a-z][\w-]* [a-z][\w-]*$"), {"reference": 1}),  # "railway deploy": a command
]


def classify(
    url: str,
    title: str | None,
    structure: Structure,
    *,
    published_date: str | None = None,
    author: str | None = None,
) -> str:
    """The content type of one page (one of ``CONTENT_TYPES``)."""
    scores = dict.fromkeys(CONTENT_TYPES, 0)
    path = urlsplit(url).path.lower()
    segments = [s for s in re.split(r"/+", path) if s]
    if segments:
        segments[-1] = re.sub(r"\.(md|mdx|html?|txt|pdf)$", "", segments[-1])
    for segment in segments:
        for pattern, points in _URL_RULES:
            if pattern.search(segment):
                for kind, n in points.items():
                    scores[kind] += n
    if not segments or (len(segments) == 1 and segments[0] in ("index", "home", "")):
        scores["landing-page"] += 4
    title = (title or "").strip()
    for pattern, points in _TITLE_RULES:
        if title and pattern.search(title):
            for kind, n in points.items():
                scores[kind] += n
    _structure_points(scores, structure, published_date, author)
    best = max(CONTENT_TYPES, key=lambda kind: (scores[kind], -CONTENT_TYPES.index(kind)))
    if scores[best] < 2:
        return "guide" if "docs" in segments or "documentation" in segments else "other"
    return best


def _structure_points(scores: dict, s: Structure, published_date, author) -> None:
    if s.has_steps and s.has_code:
        scores["tutorial"] += 2
    elif s.has_steps:
        scores["tutorial"] += 1
        scores["guide"] += 1
    if s.has_prerequisites:
        scores["tutorial"] += 1
    if s.code_blocks >= 3 and not s.has_steps:
        scores["reference"] += 1
    if s.param_tables:
        scores["reference"] += 2
        scores["api-reference"] += 1 if s.api_calls else 0
    if s.api_calls >= 2:
        scores["api-reference"] += 3
    if s.prices >= 3:
        scores["pricing"] += 2
    if s.byline or (published_date and author):
        scores["blog-post"] += 3
    elif s.dates and not s.has_code:
        scores["blog-post"] += 1
    if not s.has_code and not s.has_steps and len(s.headings) >= 2:
        scores["guide"] += 1
