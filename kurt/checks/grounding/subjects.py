"""Page subjects: a fact given for one page's subject that only another page states.

A draft written from parallel pages (one guide per framework, one comparison per
competitor, one page per database) mixes them up: "open http://localhost:5173" in a
sentence about Nuxt where only the Remix guide gives 5173, "the React template serves
it with Nginx" where only the Gatsby guide names Nginx. Every specific is in the
sources, just not in the ones about what the sentence is about.

Each source document of a section's and the draft's scopes has a *subject*: the
vocabulary names its title gives ("Deploy a Nuxt App": Nuxt), the product's own name
aside. A specific's subject is the subject named last before it in its sentence, else
the first named after it in its clause. It is reported when the sources in scope state
it, but only documents about other subjects do: none of the subject's own pages and no
page without a subject (a general page states general facts). Pages that share a
subject ("Rust" for the Axum and Actix guides) are its pages together.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

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


def document_subjects(passages, vocabulary) -> dict[str, frozenset[str]]:
    """For each document among ``passages``: the vocabulary names (their terms' names) its
    title gives, the product's own name (its site's, ``site_name``) aside."""
    from kurt.checks.grounding.specifics import find_names

    by_path: dict[str, list] = {}
    for passage in passages:
        by_path.setdefault(passage.path, []).append(passage)
    out = {}
    for path, own in by_path.items():
        title = document_title(own)
        names = find_names(title, vocabulary) if title and vocabulary is not None else []
        product = site_name(path)
        out[path] = frozenset(n.key for n in names if n.key.lower() != product)
    return out


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


def other_subject(grounding, unit, specific, names: list, groups: list, *, label: str,
                  supports, is_product) -> OtherSubject | None:
    """An ``OtherSubject`` when ``specific`` (stated by the unit's sources) is given for a
    subject whose pages do not state it and only pages about other subjects do.
    ``names``: the unit's name specifics; ``groups``: its passages by scope;
    ``supports(facts, specific)``: whether facts state it; ``is_product(name)``: whether a
    name is the product's own."""
    passages = [p for group in groups for p in group if p.scope in ("section", "draft")]
    subjects = grounding.read_once(groups, "subjects",
                                   lambda ps: document_subjects(ps, grounding.vocabulary))
    about = {s for path in {p.path for p in passages} for s in subjects.get(path, ())}
    if len({subjects.get(p.path) for p in passages} - {frozenset()}) < 2:
        return None  # no parallel pages
    mentions = _mentions(unit.text, about)
    if not mentions or any(m[0] < specific.end and specific.start < m[1] for m in mentions):
        return None
    # the product's own name is a subject every page is about
    mentions = sorted(mentions + [(n.start, n.end, "") for n in names if is_product(n)])
    if specific.kind == "name" and (specific.key in about or _QUALIFIES.match(
            unit.text, specific.end) or any(
            specific.text.lower() in t.lower() for t in _titles(grounding, groups))):
        return None  # a subject itself, however written ("Solid" for SolidJS)
    subject = subject_of(unit.text, specific.start, specific.end, mentions)
    if not subject:
        return None
    by_path: dict[str, list] = {}
    for passage in passages:
        by_path.setdefault(passage.path, []).append(passage)
    stating = []
    for path, own in by_path.items():
        theirs = subjects.get(path, frozenset())
        if subject in theirs or not theirs:
            if supports(grounding.facts.group(own), specific):
                return None  # its own page, or a general one, states it
            continue
        if supports(grounding.facts.group(own), specific):
            stating.append((path, theirs))
    if not stating:
        return None
    path, theirs = stating[0]
    return OtherSubject(label, subject, " and ".join(sorted(theirs)),
                        _evidence(by_path[path], specific.text))


def _mentions(text: str, subjects) -> list[tuple[int, int, str]]:
    """(start, end, subject) of each subject named in ``text``, possessive or not: as its
    title writes it, or by a distinctive word of it ("Fiber" for Go Fiber, "Solid" for
    SolidJS)."""
    forms: dict[str, set[str]] = {}
    for subject in subjects:
        forms.setdefault(subject, set()).add(subject)
        words = subject.split()
        for word in words if len(words) > 1 else [_JS.sub("", subject)]:
            if len(word) >= 4 and word[0].isupper():
                forms[subject].add(word)
    shared = {w for s, f in forms.items() for w in f
              if sum(w in g for g in forms.values()) > 1}
    out = []
    for subject, written in forms.items():
        for form in written - shared | {subject}:
            pattern = r"(?<![\w.-])" + re.escape(form) + r"(?:['\u2019]s)?(?![\w-])"
            out += [(m.start(), m.end(), subject) for m in re.finditer(pattern, text)]
    return sorted(set(out))


_GAP = r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*)"
# between two items of a list: a gap, or names with gaps ("Ruby, Elixir and Java")
_LISTED = re.compile(f"(?:{_GAP}[A-Z][\\w.+#-]*(?: [A-Z][\\w.+#-]*)?)*{_GAP}")
# a name that qualifies a group it is not the subject of ("dist for the Vite apps")
_QUALIFIES = re.compile(r"\s+(?:apps?|sites?|projects?|guides?|templates?|services?|"
                        r"frameworks?|users?)\b")
_JS = re.compile(r"(?:\.?js|JS)$")


def _titles(grounding, groups) -> list[str]:
    """The titles of the documents of the section's and draft's scopes."""
    def read(passages):
        by_path: dict[str, list] = {}
        for passage in passages:
            by_path.setdefault(passage.path, []).append(passage)
        return [t for t in map(document_title, by_path.values()) if t]
    return grounding.read_once(groups, "titles", read)


def _evidence(passages, text: str) -> Evidence | None:
    needle = text.strip("`").lower()
    for passage in passages:
        for number, line in enumerate(passage.text.split("\n"), passage.line_start):
            if needle and needle in line.lower():
                return Evidence(passage.path, number, number, " ".join(line.split())[:280])
    return None


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
