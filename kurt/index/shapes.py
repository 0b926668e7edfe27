"""The shape of a page, and directories of similar pages: what a partner directory looks like.

A partner directory (``/ecosystem/``, ``/integrations/``, or any other name) is
a set of sibling pages under one URL directory that look alike: short, of
similar length, each titled with a name ("Airbyte", "Brightwater Sync"), each
about that partner and the site's product. Words alone miss them (a third of
such pages never say "integration"; the directory may be called
``/ecosystem/`` or ``/works-with/``), so the shape of the whole directory is
the evidence.

``page_shape`` reads one document (pure: in the indexing workers) and
``judge_directory`` weighs the shapes of one directory's pages; the corpus
pass (``kurt.index.corpus``) runs it for the directories an index run
touched. A directory is a directory of similar pages when at least
``MIN_SIBLINGS`` pages have about the median length (within a factor
``SPREAD``) and that median is short (``SHORT_WORDS``), half of them share one heading structure
(``OUTLINE_SHARE``), and most of them (``NAMED_SHARE``) are titled with a name. It is a directory of integrations
when, besides, enough evidence adds up (``INTEGRATION_SCORE``):

- its URL segment says so (integrations, ecosystem, partners, connectors,
  apps, marketplace, plugins, extensions): 2 points;
- its pages say "integrat..." or "connector": 2 points when half of them do,
  1 when a quarter does;
- its pages have a "<Name> + <Product>" heading or line: 2 points when a
  quarter of them do;
- its pages link to a host that spells their name (docs.airbyte.io from the
  page "Airbyte"): 1 point when a fifth of them do.

Every named page of the right length in such a directory is an
``integration`` page about ``Topic:integration``, and its name a Company.
An author directory (names, short pages, but no integration evidence) or a
glossary (similar pages whose titles are questions, not names) is not one.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from posixpath import dirname
from urllib.parse import unquote, urlsplit

from kurt.index.keys import entity_key
from kurt.index.names import NameHit, title_as_name

MIN_SIBLINGS = 5
SHORT_WORDS = 600  # median words of a directory of short pages, chrome left in the text included
SPREAD = 2.5  # a sibling is within this factor of the median length
NAMED_SHARE = 0.7
OUTLINE_SHARE = 0.5  # of the pages share the most common heading structure
INTEGRATION_SCORE = 2
INTEGRATION_DIRS = re.compile(
    r"^(integrations?|ecosystem|partners?|connectors?|apps|marketplace|plugins?|extensions?|"
    r"add-?ons|works-with|technology-partners|tech-partners)$"
)
_INTEGRATION_WORD = re.compile(r"\bintegrat\w*|\bconnectors?\b", re.I)


@dataclass
class PageShape:
    """What the corpus pass needs to know of one page to compare it with its siblings."""

    directory: str  # host + the URL path's parent: "example.com/ecosystem/"
    words: int
    outline: str  # heading levels in order: "1,2"
    title_name: str | None  # the title when it is a name
    integration_words: int = 0
    plus_title: bool = False  # a "<title> + <Product>" heading or line
    anchor_title: bool = False  # a link whose host spells the title


@dataclass
class DirectoryVerdict:
    """What ``judge_directory`` concluded about one directory."""

    similar: bool = False  # a directory of similar, short, named pages
    integration: bool = False
    items: list[int] = field(default_factory=list)  # indexes (into the shapes judged) of its items
    score: int = 0
    evidence: list[str] = field(default_factory=list)


def directory_of(url: str) -> str:
    """The directory a page sits in: host and the parent of its path ("/a/b" and "/a/b/" -> "/a/")."""
    parts = urlsplit(url)
    path = unquote(parts.path or "/")
    if parts.scheme == "file":
        return "file:" + dirname(path.rstrip("/")).rstrip("/") + "/"
    parent = dirname(path.rstrip("/")) if path.strip("/") else ""
    return (parts.netloc or "").lower() + parent.rstrip("/") + "/"


def page_shape(*, url: str, title: str | None, sections: list, names: list[NameHit]) -> PageShape:
    """The shape of one page from its sections (objects with level, heading, body) and names."""
    words = 0
    outline = []
    said = 0
    for section in sections:
        if section.heading:
            outline.append(str(section.level))
            said += _integration_words(section.heading)
        if section.body:
            words += len(section.body.split())
            said += _integration_words(section.body)
    title_name = title_as_name(title or "")
    key = entity_key(title_name) if title_name else None
    plus = any(h.plus_left and h.key == key for h in names) if key else False
    anchor = any(h.anchor_domain and h.key == key for h in names) if key else False
    return PageShape(directory_of(url), words, ",".join(outline), title_name, said, plus, anchor)


def _integration_words(text: str) -> int:
    low = text.lower()
    if "integrat" not in low and "connector" not in low:
        return 0
    return len(_INTEGRATION_WORD.findall(low))


def judge_directory(directory: str, shapes: list[PageShape]) -> DirectoryVerdict:
    """Whether the pages of ``directory`` form a directory of similar pages, of integrations."""
    verdict = DirectoryVerdict()
    if len(shapes) < MIN_SIBLINGS:
        return verdict
    median = statistics.median(s.words for s in shapes)
    if median > SHORT_WORDS:
        return verdict
    sized = [i for i, s in enumerate(shapes) if median / SPREAD <= s.words <= median * SPREAD]
    named = [i for i in sized if shapes[i].title_name]
    if len(sized) < MIN_SIBLINGS or len(named) < NAMED_SHARE * len(sized):
        return verdict
    outlines = Counter(shapes[i].outline for i in sized)
    if outlines.most_common(1)[0][1] < OUTLINE_SHARE * len(sized):
        return verdict  # similar lengths, but not the same heading structure
    firsts = Counter(shapes[i].title_name.split()[0].lower() for i in named)
    if len(named) > 2 and firsts.most_common(1)[0][1] > len(named) / 2:
        return verdict  # "Page 1", "Page 2", ...: numbered pages, not pages named each for its own thing
    verdict.similar = True
    verdict.items = named
    n = len(named)
    segment = directory.rstrip("/").rsplit("/", 1)[-1].lower()
    if INTEGRATION_DIRS.match(segment):
        verdict.score += 2
        verdict.evidence.append(f"the URL directory /{segment}/")
    said = sum(1 for i in named if shapes[i].integration_words) / n
    if said >= 0.5:
        verdict.score += 2
    elif said >= 0.25:
        verdict.score += 1
    if said >= 0.25:
        verdict.evidence.append(f"{said:.0%} of the pages say integration or connector")
    plus = sum(1 for i in named if shapes[i].plus_title) / n
    if plus >= 0.25:
        verdict.score += 2
        verdict.evidence.append(f"{plus:.0%} have a '<Name> + <Product>' heading")
    anchor = sum(1 for i in named if shapes[i].anchor_title) / n
    if anchor >= 0.2:
        verdict.score += 1
        verdict.evidence.append(f"{anchor:.0%} link to their own domain")
    verdict.integration = verdict.score >= INTEGRATION_SCORE
    return verdict
