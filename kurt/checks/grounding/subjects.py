"""Page subjects: a fact given for one page's subject that only another page states.

A draft written from parallel pages (one guide per framework, one comparison per
competitor, one page per database) mixes them up: "open http://localhost:5173" in a
sentence about Nuxt where only the Remix guide gives 5173, "the React template serves
it with Nginx" where only the Gatsby guide names Nginx. Every specific is in the
sources, just not in the ones about what the sentence is about.

Each source document of a section's and the draft's scopes has a *subject*: the
vocabulary names its title gives ("Deploy a Nuxt App": Nuxt), the product's own name
aside. A specific's subject is the one named nearest it in its clause, else last before it
in its sentence (by the title's name or a distinctive last word of it, "Fiber" for Go
Fiber). It is reported when the sources in scope state it, but only documents about other
subjects do: none of the subject's own pages, no page without a subject (a general page
states general facts), and no passage that names the subject where it states the specific
(the Rails guide's sentence about PostgreSQL is about PostgreSQL too). Pages that share a
subject ("Rust" for the Axum and Actix guides) are its pages together. A list of subjects
("Nuxt and Remix both") and a clause naming the product itself state what they share.
A table cell naming no subject is about the one its column's header names (a comparison
table's "| | Strapi | Payload |"), else the one its row's label names; a sentence naming
none, about the one its section's heading names ("## Deploying NestJS").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from kurt.checks.finding import Evidence

_TITLE = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.MULTILINE)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_CLAUSE_END = re.compile(r"[,;:()]|\s[-\u2013\u2014]\s|\s(?:and|or|but|while|whereas)\s")


def document_title(passages) -> str | None:
    """A document's title: its metadata's ``title:``, else its first level-one heading."""
    for passage in passages:
        found = _TITLE.search(passage.text) if passage.line_start == 1 else None
        if found:
            return found.group(1)
    for passage in passages:
        found = _HEADING.search(passage.text)
        if found:
            return found.group(1)
    return None


def document_subjects(passages, vocabulary, known: dict | None = None) -> dict[str, frozenset[str]]:
    """For each document among ``passages``: the vocabulary names (their terms' names) its
    title gives, the product's own name (its site's, ``site_name``) aside. ``known``: the
    subjects read before, by path (``FactsCache.subjects``: read once per run)."""
    from kurt.checks.grounding.specifics import find_names

    known = {} if known is None else known
    by_path: dict[str, list] = {}
    for passage in passages:
        if passage.path not in known:
            by_path.setdefault(passage.path, []).append(passage)
    for path, own in by_path.items():
        title = document_title(own)
        names = find_names(title, vocabulary) if title and vocabulary is not None else []
        product = site_name(path)
        known[path] = frozenset(n.key for n in names if n.key.lower() != product)
    return {p.path: known[p.path] for p in passages}


_CAPITALISED_RUN = re.compile(r"(?<![\w-])[A-Z][\w.+#-]*(?:\s+[A-Z][\w.+#-]*)*")


def _template_subjects(titles: dict[str, str | None]) -> dict[str, frozenset[str]]:
    """Subjects that parallel titles give by the one name they differ in ("Codex plugin",
    "Cursor plugin", "Grok Build plugin": Codex, Cursor, Grok Build), for names the
    vocabulary does not know: a capitalised run of words whose title, with that run taken
    out, is another title's with another run taken out. The product's own name is none."""
    by_template: dict[str, dict[str, str]] = {}
    for path, title in titles.items():
        if not title:
            continue
        product = site_name(path)
        for run in _CAPITALISED_RUN.finditer(title):
            name = run.group(0)
            if name.lower() == product or len(name) < 3:
                continue
            template = (title[:run.start()] + "\0" + title[run.end():]).lower().strip()
            if template == "\0":
                continue  # a title that is one name: nothing says it is one of a set
            by_template.setdefault(template, {})[path] = name
    out: dict[str, set[str]] = {}
    for found in by_template.values():
        if len(set(found.values())) >= 2:  # parallel: the same title with other names
            for path, name in found.items():
                out.setdefault(path, set()).add(name)
    return {path: frozenset(names) for path, names in out.items()}


def subject_of(text: str, start: int, end: int, mentions: list[tuple[int, int, str]]) -> str | None:
    """The subject a specific at ``text[start:end]`` is given for, of ``mentions`` (start,
    end, subject) in its sentence: the nearest in its clause, else the last before it; None
    when none is, or when the specific or the subject is an item of a list ("Ruby, Elixir
    and Java", "Nuxt and Remix both"): what a list states, its items share."""
    marks = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    first = marks[-1] if marks else 0
    stop = _CLAUSE_END.search(text, end)
    last = stop.start() if stop else len(text)
    inside = [m for m in mentions if first <= m[0] and m[1] <= last]
    before = [m for m in mentions if m[1] <= start]
    if inside:
        chosen = min(inside, key=lambda m: start - m[1] if m[1] <= start else m[0] - end)
    elif before:
        chosen = max(before)
    else:
        return None
    between = text[chosen[1]:start] if chosen[1] <= start else text[end:chosen[0]]
    if _LISTED.fullmatch(between) or any(_LISTED.fullmatch(text[a[1]:b[0]])
                                         for a, b in itertools.pairwise(mentions)
                                         if chosen in (a, b)):
        return None
    return chosen[2]


@dataclass(frozen=True)
class OtherSubject:
    """A specific only pages about another subject state."""
    label: str  # the kind of specific, as a message names it ("Number")
    subject: str  # what the draft gives it for
    other: str  # what the pages that state it are about
    evidence: Evidence | None

    def message(self, specific) -> str:
        return f'{self.label} "{specific.text}" is what the sources give for {self.other}, ' \
               f"not {self.subject}"

    def suggestion(self) -> str:
        where = f" ({self.evidence.citation})" if self.evidence else ""
        return f"the sources about {self.subject} do not state it; those about " \
               f"{self.other} do{where}"


class _Pages:
    """The documents of a unit's section and draft scopes, read once per scope: their
    subjects, the pattern that finds a mention of one, and each document's facts."""

    def __init__(self, grounding, groups: list):
        passages = [p for group in groups for p in group if p.scope in ("section", "draft")]
        self.by_path: dict[str, list] = {}
        for passage in passages:
            self.by_path.setdefault(passage.path, []).append(passage)
        self.subjects = document_subjects(passages, grounding.vocabulary,
                                          grounding.facts.subjects)
        parallel = _template_subjects({path: document_title(own)
                                       for path, own in self.by_path.items()})
        self.subjects = {path: found or parallel.get(path, frozenset())
                         for path, found in self.subjects.items()}
        self.about = {s for found in self.subjects.values() for s in found}
        parallel = len(set(self.subjects.values()) - {frozenset()}) >= 2
        self.forms = _forms(self.about, self._prose_words(grounding.facts.prose_words)) \
            if parallel else {}
        self.titles = [t.lower() for t in map(document_title, self.by_path.values()) if t]
        self._facts: dict[str, object] = {}
        self._cache = grounding.facts  # not the grounding: it keeps this (no cycle to collect)

    def _prose_words(self, known: dict) -> list[frozenset[str]]:
        """The lower-case words each document writes between words (``known``: read before,
        by path: ``FactsCache.prose_words``)."""
        for path, own in self.by_path.items():
            if path not in known:
                known[path] = frozenset().union(*(_prose_words(p.text) for p in own))
        return [known[path] for path in self.by_path]

    def facts(self, path: str):
        if path not in self._facts:
            self._facts[path] = self._cache.group(self.by_path[path])
        return self._facts[path]


def other_subject(grounding, unit, specific, names: list, groups: list, *, label: str,
                  supports, is_product) -> OtherSubject | None:
    """An ``OtherSubject`` when ``specific`` (stated by the unit's sources) is given for a
    subject whose pages do not state it and only pages about other subjects do (and none of
    their passages that state it names the subject: the Rails guide's sentence about
    PostgreSQL is about PostgreSQL too). ``names``: the unit's name specifics; ``groups``:
    its passages by scope; ``supports(facts, specific)``: whether facts state it;
    ``is_product(name)``: whether a name is the product's own."""
    key = ("subjects", id(groups))
    pages = grounding.memo.get(key)
    if pages is None:  # a section's units share their groups (``Grounding.scoped``)
        pages = grounding.memo[key] = (_Pages(grounding, groups), groups)
    pages = pages[0]
    if not pages.forms:
        return None  # no parallel pages
    mentions = grounding.memo.get(("mentions", id(unit)))
    if mentions is None:
        mentions = grounding.memo[("mentions", id(unit))] = (_mentions(unit.text, pages.forms),
                                                             unit)
    mentions = mentions[0]
    if any(m[0] < specific.end and specific.start < m[1] for m in mentions):
        return None
    if specific.kind == "name" and (specific.key in pages.about or _QUALIFIES.match(
            unit.text, specific.end) or any(specific.text.lower() in t for t in pages.titles)):
        return None  # a subject itself, however written ("Solid" for SolidJS)
    if mentions:
        # the product's own name is a subject every page is about
        mentions = sorted(mentions + [(n.start, n.end, "") for n in names if is_product(n)])
        subject = subject_of(unit.text, specific.start, specific.end, mentions)
    elif _GOES_ON.match(unit.text) and not any(map(is_product, names)):
        subject = _previous_subject(grounding, unit, pages)
    elif unit.kind == "cell":
        subject = _cell_subject(grounding, unit, pages)
    elif unit.kind == "sentence" and not any(map(is_product, names)):
        subject = _heading_subject(grounding, unit, pages)
    else:
        subject = None
    if not subject:
        return None
    stating = []
    for path, theirs in pages.subjects.items():
        if subject in theirs or not theirs:
            if supports(pages.facts(path), specific):
                return None  # its own page, or a general one, states it
        elif supports(pages.facts(path), specific):
            stating.append((path, theirs))
    if not stating:
        return None
    named = _named(pages.forms[subject])
    for path, _ in stating:
        for passage in pages.by_path[path]:
            if named.search(passage.text) and supports(grounding.facts.passage(passage), specific):
                return None  # a page about something else says it of the subject too
    path, theirs = stating[0]
    return OtherSubject(label, subject, " and ".join(sorted(theirs)),
                        _evidence(pages.by_path[path], specific.text))


# a sentence that goes on about what the one before it named ("Then run ...", "Its ...")
_GOES_ON = re.compile(r"\W*(?:then|next|after that|afterwards|finally|its|it|this|they|their)\b",
                      re.IGNORECASE)


def _previous_subject(grounding, unit, pages) -> str | None:
    """The one subject the sentence before ``unit`` in its paragraph names, the product
    aside (a sentence that goes on about it: "Gatsby has its own initializer. Then run
    ...")."""
    units = grounding.prose.units
    index = next((i for i, u in enumerate(units) if u is unit), 0)
    if index == 0 or unit.kind != "sentence" or units[index - 1].kind != "sentence":
        return None
    previous = units[index - 1]
    between = grounding.prose.text[previous.offsets[-1] + 1:unit.offsets[0]]
    if "\n\n" in between.replace("\r", ""):
        return None
    named = {m[2] for m in _mentions(previous.text, pages.forms)}
    products = {site_name(path) for path in pages.by_path} - {""}
    if len(named) != 1 or any(re.search(r"(?<![\w.-])" + re.escape(p) + r"(?![\w-])",
                                        previous.text, re.IGNORECASE) for p in products):
        return None
    return named.pop()


def _heading_subject(grounding, unit, pages) -> str | None:
    """The one subject the heading above ``unit`` names ("## Deploying NestJS"): what a
    sentence of that section naming none is about."""
    units = grounding.prose.units
    index = next((i for i, u in enumerate(units) if u is unit), 0)
    heading = next((u for u in reversed(units[:index]) if u.kind == "heading"), None)
    if heading is None:
        return None
    # the subject's full name only: a heading's title case makes short forms words ("Next
    # Steps" is not Next.js)
    named = {m[2] for m in _mentions(heading.text, pages.forms)
             if heading.text[m[0]:m[1]].startswith(m[2])}
    return named.pop() if len(named) == 1 else None


def _cell_subject(grounding, unit, pages) -> str | None:
    """The one subject a table cell's column header names ("| | Strapi | Ghost |"), else
    its row's label ("| Ghost | MySQL |"): what a comparison table says the cell is about."""
    from kurt.checks.grounding.table_rows import cell_index, cells

    prose = grounding.prose
    lines = prose.text.split("\n")
    number, _ = prose.position(unit.offsets[0])
    row = lines[number - 1]
    index = cell_index(prose.text, unit)
    top = number - 1
    while top > 0 and lines[top - 1].lstrip().startswith("|"):
        top -= 1
    if top == number - 1 or index < 0:
        return None  # the header row itself
    header, own = cells(lines[top]), cells(row)
    for text in (header[index] if index < len(header) else "", own[0] if index > 0 else ""):
        named = {m[2] for m in _mentions(text, pages.forms)}
        if len(named) == 1:
            return named.pop()
    return None


def _forms(subjects, words=()) -> dict[str, frozenset[str]]:
    """How each subject may be named: as its title writes it, or by the distinctive last word
    of it ("Fiber" for Go Fiber, "WebUI" for Open WebUI, "Solid" for SolidJS) that no other
    subject shares and no set of ``words`` (the words each source writes in lower case
    between words: "you can open the", not a path's ``gofiber/fiber`` or a tag) holds."""
    forms: dict[str, set[str]] = {}
    for subject in subjects:
        forms.setdefault(subject, set()).add(subject)
        words = subject.split()
        word = words[-1] if len(words) > 1 else _JS.sub("", subject)
        if len(word) >= 4 and word[0].isupper() and not any(
                word.lower() in found for found in words):
            forms[subject].add(word)
    shared = {w for s, f in forms.items() for w in f
              if sum(w in g for g in forms.values()) > 1}
    return {subject: frozenset(written - shared | {subject}) for subject, written in forms.items()}


_PROSE_WORD = re.compile(r"(?<=[a-z] )[a-z]+\b|\b[a-z]+(?= [a-z])")


def _prose_words(text: str) -> frozenset[str]:
    """The lower-case words a passage writes between words."""
    return frozenset(_PROSE_WORD.findall(text))


@lru_cache(maxsize=4096)
def _named(forms: frozenset[str]) -> re.Pattern:
    """A pattern that finds any of ``forms``, possessive or not, alone or joined by a hyphen
    to a lower-case word ("a Phoenix-with-Distillery template", "React-based")."""
    return re.compile(r"(?<![\w.])(?<![^a-z]-)(" + "|".join(
        re.escape(f) for f in sorted(forms, key=len, reverse=True)) +
        r")(?:['\u2019]s)?(?!\w)(?!-(?![a-z]))")


def _mentions(text: str, forms: dict[str, frozenset[str]]) -> list[tuple[int, int, str]]:
    """(start, end, subject) of each subject named in ``text`` (``forms``: ``_forms``)."""
    subject_of_form = {f: s for s, written in forms.items() for f in written}
    pattern = _named(frozenset(subject_of_form))
    return [(m.start(), m.end(), subject_of_form[m.group(1)]) for m in pattern.finditer(text)]


_GAP = r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*)"
# between two items of a list: a gap, or names with gaps ("Ruby, Elixir and Java")
_LISTED = re.compile(f"(?:{_GAP}[A-Z][\\w.+#-]*(?: [A-Z][\\w.+#-]*)?)*{_GAP}")
# a name that qualifies a group it is not the subject of ("dist for the Vite apps")
_QUALIFIES = re.compile(r"\s+(?:apps?|sites?|projects?|guides?|templates?|services?|"
                        r"frameworks?|users?)\b")
_JS = re.compile(r"(?:\.?js|JS)$")


def _evidence(passages, text: str) -> Evidence | None:
    from kurt.checks.grounding.prepared import line_evidence

    needle = text.strip("`")
    return line_evidence(passages, re.compile(re.escape(needle), re.IGNORECASE)) if needle \
        else None


_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu"})


def site_name(path: str) -> str:
    """The name of the site a stored source comes from: ``railway`` for
    ``sources/docs.railway.com/...``, ``example`` for ``sources/www.example.co.uk/...``;
    "" for a path that is not a site's."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "sources" or "." not in parts[1]:
        return ""
    labels = parts[1].lower().split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2]
