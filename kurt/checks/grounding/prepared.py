"""One draft prepared for the grounding checks: its prose, its sources, and what they state.

``Grounding`` reads the draft's prose once, builds the lexical index over every
passage any section may rely on, and caches the facts of each passage and of
each scope's group of passages, so ``grounding/specific`` and
``grounding/claim`` share the work when both run (``check_grounding``).
"""

from __future__ import annotations

from operator import attrgetter

from kurt.checks.finding import Evidence
from kurt.checks.grounding.facts import FactsCache
from kurt.checks.grounding.lexical import LexicalIndex, Match, terms_of
from kurt.checks.grounding.prose import DraftProse, Unit, read_prose
from kurt.checks.passages import SCOPES, Passage, SectionSources, passages_for_line

QUOTE_CHARS = 280
_PASSAGE_KEY = attrgetter("path", "line_start", "line_end")


class Grounding:
    def __init__(self, text: str, path: str, sections: list[SectionSources], *,
                 vocabulary=None, facts: FactsCache | None = None,
                 windows: dict | None = None, terms: dict | None = None,
                 passages: list[Passage] | None = None, indexes: list | None = None):
        """``facts``, ``windows`` and ``terms`` (source sentence -> its terms): caches shared
        by the drafts of one run (a source cited by twenty drafts is read once); each draft
        gets its own when None. ``passages``: ``unique_passages(sections)``, when the caller
        has it already. ``indexes``: a list holding a lexical index shared by several
        drafts (filled by the first; a run keeps one per project), which each draft reads
        through its own view (``LexicalIndex.view``): the drafts of a project share most of
        their passages, whose windows are then indexed once."""
        self.path = path
        self.sections = list(sections)
        self.vocabulary = vocabulary
        self.prose: DraftProse = read_prose(text)
        self.facts = facts if facts is not None else FactsCache(vocabulary)
        self.passages = passages if passages is not None else unique_passages(self.sections)
        # every unit's terms, read first: the lexical index needs postings for these alone
        self._terms: dict[int, list[str]] = {
            id(unit): terms_of(unit.prose(), vocabulary) for unit in self.prose.units}
        wanted = {term for found in self._terms.values() for term in found}
        if indexes is None:
            self.lexical = LexicalIndex(self.passages, vocabulary, cache=windows, memo=terms,
                                        wanted=wanted)
        else:  # one index per vocabulary for the run's drafts, each reading its own view
            shared = next((i for i in indexes if i.vocabulary is vocabulary), None)
            if shared is None:
                shared = LexicalIndex([], vocabulary, cache=windows, memo=terms, wanted=set())
                indexes.append(shared)
            self.lexical = shared.view(self.passages, wanted)
        self._by_section: dict[int | None, list[Passage]] = {}
        # by id of a list of _by_section (which keeps it alive, so the id stays its own)
        self._scoped: dict[int, list[list[Passage]]] = {}
        self._section_only: dict[int, list[Passage]] = {}
        self._near: dict[int, list[Match]] = {}
        self._window_facts: dict[tuple, object] = {}
        # what the rules read once per draft from its sources (option tables, the product's
        # name...), by the rule's own key
        self.memo: dict[object, object] = {}

    def passages_for(self, unit: Unit) -> list[Passage]:
        where = next((i for i, s in enumerate(self.sections) if s.covers(unit.line)), None)
        found = self._by_section.get(where)
        if found is None:  # one list per section: the index caches its work by the list itself
            found = self._by_section[where] = passages_for_line(self.sections, unit.line)
        return found

    def read_once(self, groups: list[list[Passage]], name: str, read):
        """``read(passages)`` of the section's and draft's passages among ``groups`` (a
        unit's scopes), once per draft and set of passages: what a rule reads from the
        sources a section relies on (option tables, descriptions...)."""
        passages = [p for group in groups for p in group if p.scope in ("section", "draft")]
        key = (name, tuple(map(_PASSAGE_KEY, passages)))
        if key not in self.memo:
            self.memo[key] = read(passages)
        return self.memo[key]

    def scoped(self, unit: Unit) -> list[list[Passage]]:
        """The unit's passages by scope, narrowest first (empty scopes left out)."""
        passages = self.passages_for(unit)
        found = self._scoped.get(id(passages))
        if found is None:  # the units of one section share their groups
            groups = [[p for p in passages if p.scope == scope] for scope in SCOPES]
            other = [p for p in passages if p.scope not in SCOPES]
            if other:
                groups.append(other)
            found = self._scoped[id(passages)] = [g for g in groups if g]
        return found

    def terms(self, unit: Unit) -> list[str]:
        key = id(unit)
        if key not in self._terms:
            self._terms[key] = terms_of(unit.prose(), self.vocabulary)
        return self._terms[key]

    def nearest(self, unit: Unit, *, limit: int = 3) -> list[Match]:
        """The source windows closest to the unit, among the passages it may rely on."""
        return self.lexical.best(self.terms(unit), self.passages_for(unit), limit=limit)

    def nearest_section_first(self, unit: Unit) -> list[Match]:
        """The closest windows in the unit's section sources (up to 5), then in all (3)."""
        key = id(unit)
        if key not in self._near:
            passages = self.passages_for(unit)
            section = self._section_only.get(id(passages))
            if section is None:
                section = self._section_only[id(passages)] = [
                    p for p in passages if p.scope == "section"]
            found = self.lexical.best(self.terms(unit), section, limit=5) if section else []
            self._near[key] = found + self.nearest(unit)
        return self._near[key]

    def window_facts(self, match: Match):
        """What the lines of one window state (read once)."""
        from kurt.checks.grounding.facts import read_facts

        window = match.window
        key = (window.passage.path, window.line_start, window.line_end)
        if key not in self._window_facts:
            self._window_facts[key] = read_facts(window_passage(match), self.vocabulary)
        return self._window_facts[key]


def unique_passages(sections: list[SectionSources]) -> list[Passage]:
    """Every passage of the sections once (the first scope it is given in)."""
    unique: dict[tuple, Passage] = {}
    for section in sections:
        setdefault = unique.setdefault
        for key, passage in zip(map(_PASSAGE_KEY, section.passages), section.passages,
                                strict=True):
            setdefault(key, passage)
    return list(unique.values())


def evidence_of(match: Match) -> Evidence:
    window = match.window
    quote = " ".join(window.text.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[:QUOTE_CHARS - 1].rstrip() + "…"
    return Evidence(window.passage.path, window.line_start, window.line_end, quote)


def line_evidence(passages, pattern) -> Evidence | None:
    """The first line of ``passages`` that ``pattern`` (a compiled regex) finds, as evidence."""
    for passage in passages:
        for number, line in enumerate(passage.text.split("\n"), passage.line_start):
            if pattern.search(line):
                return Evidence(passage.path, number, number, " ".join(line.split())[:QUOTE_CHARS])
    return None


def window_passage(match: Match) -> Passage:
    """The file lines of a window, as a passage (to read what they state)."""
    passage = match.window.passage
    lines = passage.text.split("\n")
    first = match.window.line_start - passage.line_start
    last = match.window.line_end - passage.line_start
    return Passage(passage.path, match.window.line_start, match.window.line_end,
                   "\n".join(lines[first:last + 1]), passage.scope, passage.heading)
