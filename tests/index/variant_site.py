"""A second company site, shaped unlike ``kurt.sample_site.company``, to show the corpus pass is general.

Nimbus, a log-search company. Its partners sit under ``/tools/`` (a URL that
says nothing about integrations), with another layout: a name heading, a
tagline, an "Overview" and "Key features" section, a "Resources" list; pages
of varying length; no "<Partner> + <Product>" heading; fewer than half of them
say "integration" or "connector", about half link to the partner's own docs.
Beside them, pages that look alike but are no integrations: a team directory
(short pages titled with a person's name), feature pages titled in Title Case,
glossary pages, and blog posts that name partners and technologies in passing.
Every page ends with the same call to action naming "Nimbus Cloud".

``variant_pages()`` returns ``{path: markdown}``; ``PARTNERS`` names the partners.
"""

from __future__ import annotations

import random

PARTNERS = (
    "Orbitly", "Nuvola Labs", "Quince", "Tarnwick", "Bramblecast", "Velvetine", "Hollowell", "Pikestaff",
    "Driftmark", "Sunhollow Data", "Kelpie", "Marrowgate",
)
CATEGORIES = ("Alerting", "Ticketing", "Cloud storage", "Tracing", "Chat", "Security")
PEOPLE = ("Maya Lindgren", "Tobias Achterberg", "Leila Haddad", "Ruairi Byrne", "Chen Wei", "Paloma Ortiz")
FEATURES = ("Live Tail", "Saved Searches", "Audit Trails", "Log Pipelines", "Usage Reports", "Access Controls")
TERMS = ("log retention", "structured logging", "log levels", "sampling", "cardinality", "trace context")
CHROME = ("\n---\n\nStart searching your logs with Nimbus Cloud today. No credit card needed.\n\n"
          "© 2026 Nimbus. Made in Dublin.\n")


def _partner(rng: random.Random, i: int, name: str) -> str:
    slug = name.lower().replace(" ", "")
    category = CATEGORIES[i % len(CATEGORIES)]
    says = i % 5 in (0, 2)  # two partners in five use the word
    intro = (f"{name} connects to Nimbus Cloud so your team can act on log events in {category.lower()} "
             "without writing glue code. The integration takes a few minutes to set up."
             if says else
             f"{name} is a {category.lower()} service used by thousands of engineering teams. "
             f"Send the log events Nimbus Cloud finds straight to {name}.")
    features = rng.sample([
        "Forward saved searches as alerts", "Attach log lines to every ticket", "Archive old logs to a bucket",
        "Open a trace from a log line", "Mute noisy alerts for an hour", "Route events by severity",
        "Keep an audit record of every change", "Mask secrets before they leave the cluster",
    ], rng.randint(2, 5))
    overview = " ".join(rng.sample([
        f"Set up takes a token from Nimbus Cloud and one from {name}.",
        f"Events arrive in {name} within seconds of the log line that triggered them.",
        "Filters decide which events are sent, so noisy services stay quiet.",
        "Every message links back to the search that found it.",
        "Teams on every plan can use it.",
        f"{name} keeps its own history of the events it received.",
    ], rng.randint(1, 4)))
    md = f"# {name}\n\n*{category}*\n\n{intro}\n\n## Overview\n\n{overview}\n\n## Key features\n\n"
    md += "".join(f"- {f}\n" for f in features)
    if i % 2 == 0:
        md += f"\n## Resources\n\n- [{name} docs](https://docs.{slug}.com/guides/nimbus)\n- [Status page](/status)\n"
    return md + CHROME


def _person(i: int, name: str) -> str:
    first = name.split()[0]
    return (f"# {name}\n\n*Engineer*\n\n{first} works on the query engine at Nimbus. Before that, {first} "
            f"built search systems for a large retailer.\n\n## Elsewhere\n\n"
            f"- [{name} on LinkedIn](https://www.linkedin.com/in/person{i})\n" + CHROME)


def _feature(i: int, name: str) -> str:
    extra = " Alerts can also be sent to Orbitly." if i == 0 else ""
    return (f"# {name}\n\n{name} helps you find the log lines that matter faster.{extra}\n\n"
            f"## How it works\n\nOpen any search and turn on {name.lower()}. Results update as new lines arrive.\n\n"
            "## Availability\n\nOn every plan.\n" + CHROME)


def _glossary(term: str) -> str:
    return (f"# What is {term}?\n\n{term.capitalize()} is a practice every team running services meets "
            f"sooner or later.\n\n## Why it matters\n\nWithout it, incidents take longer to understand.\n" + CHROME)


def _post(rng: random.Random, k: int) -> str:
    partner = PARTNERS[k % len(PARTNERS)]
    paragraphs = [
        "Last quarter we rewrote the ingestion path. Most of the cost was in parsing, and the fix was "
        "to read Avrotic files directly instead of converting them first. The Avrotic files are smaller too.",
        f"Several customers send alerts to {partner} once a search matches, and the {partner} team helped "
        "us test the new format.",
        "We measured every change against the previous release on the same machines, and the p95 latency "
        "of a search fell by a third. Nothing about the query language changed.",
        "The old pipeline kept running beside the new one for two weeks, so we could compare results line "
        "by line before switching over.",
    ]
    rng.shuffle(paragraphs)
    body = "\n\n".join(paragraphs * 3)
    return f"# Notes on ingestion, part {k}\n\n*By Maya Lindgren · March {k + 1}, 2026*\n\n{body}\n" + CHROME


def variant_pages(seed: int = 0) -> dict[str, str]:
    """Every page of the Nimbus site: ``{path: markdown}`` (paths without extension)."""
    rng = random.Random(seed)
    pages = {"/": "# Nimbus\n\nSearch every log line in seconds.\n" + CHROME}
    pages["/tools/"] = "# Tools\n\n" + "".join(f"- [{p}](/tools/{p.lower().replace(' ', '-')})\n"
                                               for p in PARTNERS) + CHROME
    for i, name in enumerate(PARTNERS):
        pages[f"/tools/{name.lower().replace(' ', '-')}"] = _partner(rng, i, name)
    for i, name in enumerate(PEOPLE):
        pages[f"/team/{name.lower().replace(' ', '-')}"] = _person(i, name)
    for i, name in enumerate(FEATURES):
        pages[f"/features/{name.lower().replace(' ', '-')}"] = _feature(i, name)
    for term in TERMS:
        pages[f"/glossary/{term.replace(' ', '-')}"] = _glossary(term)
    for k in range(8):
        pages[f"/blog/ingestion-notes-{k}"] = _post(rng, k)
    return pages


def partner_path(name: str) -> str:
    return f"/tools/{name.lower().replace(' ', '-')}"
