"""Lexical alignment of a draft sentence with source passages, allowing for a writer's rewording.

Words become *terms*: lowercase, lightly stemmed (``kurt.index.terms.stem``),
stop words dropped, a writer's usual synonyms folded together (``SYNONYMS``:
remove/delete, app/application/service, ...), and every vocabulary term
(``PostgreSQL``/``Postgres``, ``deploy``/``deployment``) replaced by one token
for the term, so an alias matches its name.

Each passage is cut into *windows* of two consecutive sentences (code lines
count as sentences), each knowing its file lines. ``LexicalIndex`` holds the
windows of every passage a draft may rely on, with an inverted index and the
inverse document frequency of each term over the windows. ``best`` scores the
windows of the allowed passages by *coverage*: the share of the sentence's
term weight (idf) that the window contains, with a small bonus for adjacent
term pairs found in the same order. A sentence that a source states, however
reworded, covers most of its rare terms in one window; a sentence that no
source states leaves its rarest terms uncovered.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from kurt.checks.passages import Passage
from kurt.index.terms import stem

STOPWORDS = frozenset("""
a about above after again all also am an and any are aren't as at be because been before being
below between both but by can cannot could did do does doing don't down during each either
every few for from further get gets getting got had has have having he her here hers him his
how however i if in into is isn't it it's its itself just let lets let's like likely make makes
may me might more most much must my need needs no nor not now of off often on once one only
onto or other our ours out over own per quite rather really same shall she should so some such
than that that's the their theirs them then there these they this those through thus to too
under until up upon us use used uses using usually very via want wants was we well were what
when where whether which while who whom whose why will with within without would yet you your
yours yourself also already always even ever instead simply still whatever whenever
""".split())

# Words a writer swaps for one another; each group folds to its first member.
SYNONYM_GROUPS = [
    "remove delete drop erase", "create make add set spin provision", "start launch boot run",
    "stop halt terminate kill", "app application service", "repo repository",
    "config configuration setting settings option", "env environment",
    "var variable", "db database", "fast quick rapid speedy", "slow sluggish",
    "cost price pricing charge bill fee spend", "free no-cost complimentary",
    "limit cap maximum max ceiling quota", "minimum min floor", "big large huge",
    "small tiny little", "error failure fault", "fix resolve repair solve",
    "show display list", "need require", "help assist", "allow let enable permit",
    "connect link attach", "choose pick select", "change modify update edit alter",
    "check verify confirm validate", "begin start", "end finish complete", "get fetch retrieve obtain",
    "send post push", "ship deploy release", "automatic automatically auto",
    "instance replica copy", "disk storage volume", "secret credential", "log logging",
    "user customer", "team workspace organization org", "key token", "region location",
    "machine server host", "doc documentation docs guide", "support handle",
    "keep retain store persist", "expose publish", "private internal", "public external",
    "restart reboot", "scale grow", "request call", "speed performance", "cheap inexpensive affordable",
    "recommend suggest advise", "important crucial critical essential key",
    "usage consumption", "hour hr", "minute min", "second sec",
]
SYNONYMS: dict[str, str] = {}
for _group in SYNONYM_GROUPS:
    _words = _group.split()
    for _word in _words:
        SYNONYMS.setdefault(stem(_word), stem(_words[0]))

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+#-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_TOKEN_PARTS = re.compile(f"({_TOKEN.pattern})")  # split(): gaps and tokens alternate
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(*\[])")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s+|$)")
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]+>|[*_`#>|]+")


@lru_cache(maxsize=65536)
def normal_token(token: str) -> str:
    """A word as a term: lowercase, stemmed, folded to its synonym group (pure, so cached)."""
    word = token.lower().strip(".-_")
    if not word:
        return ""
    word = stem(word)
    return SYNONYMS.get(word, word)


@lru_cache(maxsize=65536)
def word_term(word: str) -> str:
    """The term of one token of a sentence, "" when it counts for nothing (a stop word, a
    single letter): ``terms_of``'s per-token work, done once per distinct token."""
    if word.lower() in STOPWORDS:
        return ""
    term = normal_token(word)
    if not term or term in STOPWORDS or (len(term) == 1 and term.isalpha()):
        return ""
    return term


def terms_of(text: str, vocabulary=None) -> list[str]:
    """The terms of ``text`` (see the module docstring), in order."""
    text = _MARKUP.sub(lambda m: m.group(1) or " ", text)
    replaced: list[tuple[int, int, str]] = []
    if vocabulary is not None:
        from kurt.checks.grounding.specifics import term_spans

        replaced = [(start, end, f"t:{index}") for index, start, end in
                    term_spans(vocabulary, text)]
    if not replaced:  # most sentences name no vocabulary term
        return [term for term in map(word_term, _TOKEN.findall(text)) if term]
    out: list[str] = []
    spans = iter(replaced)
    span = next(spans, None)
    parts = _TOKEN_PARTS.split(text)  # gap, token, gap, token, ..., gap
    position = 0
    for k in range(1, len(parts), 2):
        start = position + len(parts[k - 1])
        word = parts[k]
        position = start + len(word)
        while span is not None and span[1] <= start:
            out.append(span[2])
            span = next(spans, None)
        if span is not None and span[0] <= start < span[1]:
            continue
        term = word_term(word)
        if term:
            out.append(term)
    while span is not None:
        out.append(span[2])
        span = next(spans, None)
    return out


@dataclass(slots=True)
class Window:
    passage: Passage
    line_start: int  # absolute lines in the file
    line_end: int
    text: str
    terms: frozenset[str]
    sequence: tuple[str, ...]  # the terms of its sentences in order
    _pairs: frozenset[tuple[str, str]] | None = field(default=None, repr=False, compare=False)

    @property
    def pairs(self) -> frozenset[tuple[str, str]]:
        """Adjacent terms in order: read on demand (only the best windows of a sentence
        need them, and a run's sources hold tens of thousands of windows)."""
        if self._pairs is None:
            self._pairs = frozenset(zip(self.sequence, self.sequence[1:], strict=False))
        return self._pairs


def windows_of(passage: Passage, vocabulary=None, *, memo: dict | None = None) -> list[Window]:
    """The two-sentence windows of a passage (``memo``: sentence -> terms, shared by the
    passages of a run with one vocabulary: sources repeat sentences)."""
    memo = memo if memo is not None else {}

    def terms(sentence: str) -> list[str]:
        found = memo.get(sentence)
        if found is None:
            found = memo[sentence] = terms_of(sentence, vocabulary)
        return found

    segments: list[tuple[int, str, str]] = []  # (absolute line, sentence, heading above it)
    in_fence = False
    # a stored section's text starts below its heading: the heading's words count as they
    # do for a heading line inside the passage
    heading = passage.heading.split(" > ")[-1] if passage.heading \
        and not passage.text.lstrip().startswith("#") else ""
    for offset, line in enumerate(passage.text.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not line.strip():
            continue
        number = passage.line_start + offset
        if in_fence:
            segments.append((number, line.strip(), heading))
            continue
        if _HEADING.match(line):
            heading = _HEADING.sub("", line).strip()  # its words count, its line is no evidence
            continue
        for sentence in _SENTENCE_END.split(line.strip()):
            if sentence.strip():
                segments.append((number, sentence.strip(), heading))
    sentence_terms = [terms(sentence) for _, sentence, _ in segments]
    term_sets = [frozenset(found) for found in sentence_terms]  # a sentence is in two windows
    headings: dict[str, frozenset[str]] = {}
    windows = []
    count = len(segments)
    for i, (line, sentence, heading) in enumerate(segments):
        if i + 1 < count:  # this sentence and the next
            end_line, following, _ = segments[i + 1]
            text = f"{sentence} {following}"
            found = term_sets[i] | term_sets[i + 1]
            sequence = (*sentence_terms[i], *sentence_terms[i + 1])
        elif i == 0:  # a passage of one sentence
            end_line, text, found, sequence = line, sentence, term_sets[0], tuple(sentence_terms[0])
        else:
            break
        if heading:
            extra = headings.get(heading)
            if extra is None:
                extra = headings[heading] = frozenset(terms(heading))
            found = found | extra
        windows.append(Window(passage, line, end_line, text, found, sequence))
    return windows


@dataclass
class Match:
    window: Window
    score: float  # coverage of the sentence's term weight, 0..1


_UNSEEN = object()
_PASSAGE_KEY = attrgetter("path", "line_start", "line_end")  # (path, start, end) in one C call


class LexicalIndex:
    """Windows of every passage, an inverted index over them, and term weights.

    An index can be shared by the drafts of a run (``LexicalView``): passages are added
    as drafts need them, and each draft reads only its own passages' windows, with the
    term weights and ties those windows alone give."""

    def __init__(self, passages: list[Passage], vocabulary=None, *, cache: dict | None = None,
                 memo: dict | None = None, wanted: set[str] | None = None):
        """``wanted``: the only terms a caller will look up (a draft's terms), when known:
        the postings are built for them alone (a scope's windows hold tens of thousands of
        other terms); a term outside it is still answered exactly, by a scan on first use."""
        self.vocabulary = vocabulary
        self.windows: list[Window] = []
        self.postings: dict[str, list[int]] = {}
        self.by_passage: dict[tuple, list[int]] = {}
        self._wanted = None if wanted is None else set(wanted)
        self._cache = cache if cache is not None else {}
        self._memo = memo
        self._allowed: dict[tuple, object] = {}  # passage keys -> window mask (None: all)
        self._allowed_by_id: dict[int, tuple] = {}
        self._arrays: dict[str, object] = {}
        self.add(passages)

    def add(self, passages: list[Passage]) -> None:
        """Add the windows of the passages the index does not hold yet (after the others)."""
        postings = self.postings
        keep = self._wanted
        before = len(self.windows)
        for passage in passages:
            key = (passage.path, passage.line_start, passage.line_end)
            if key in self.by_passage:
                continue
            windows = self._cache.get(key)
            if windows is None:
                windows = self._cache[key] = windows_of(passage, self.vocabulary,
                                                        memo=self._memo)
            first = len(self.windows)
            self.windows.extend(windows)
            ids = list(range(first, first + len(windows)))
            for index, window in zip(ids, windows, strict=True):
                for term in window.terms if keep is None else keep.intersection(window.terms):
                    found = postings.get(term)
                    if found is None:
                        postings[term] = [index]
                    else:
                        found.append(index)
            self.by_passage[key] = ids
        self.n = max(len(self.windows), 1)
        if len(self.windows) != before:  # masks and arrays are over the windows: read anew
            self._allowed.clear()
            self._allowed_by_id.clear()
            self._arrays.clear()

    def want(self, terms) -> None:
        """Make sure the postings of ``terms`` are built (read by one scan of the windows
        for terms outside ``wanted``)."""
        if self._wanted is None:
            return
        missing = {t for t in terms if t not in self._wanted}
        if not missing:
            return
        self._wanted |= missing
        for index, window in enumerate(self.windows):
            for term in missing.intersection(window.terms):
                self.postings.setdefault(term, []).append(index)

    def view(self, passages: list[Passage], wanted=()) -> LexicalView:
        """The index as one draft with these passages sees it (passages added if new)."""
        self.add(passages)
        self.want(wanted)
        return LexicalView(self, passages)

    def idf(self, term: str) -> float:
        self.want((term,))
        df = len(self.postings.get(term, ()))
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def allowed_ids(self, allowed: list[Passage] | None) -> set[int] | None:
        """The ids of the windows of ``allowed`` (None: every window)."""
        mask = self.allowed_mask(allowed)
        return None if mask is None else set(mask.nonzero()[0].tolist())

    def allowed_mask(self, allowed: list[Passage] | None):
        """A boolean array over the windows: those of ``allowed`` (None: every window)."""
        if allowed is None:
            return None
        same = self._allowed_by_id.get(id(allowed))
        if same is not None and same[0] is allowed:
            return same[1]
        key = tuple(map(_PASSAGE_KEY, allowed))
        mask = self._allowed.get(key, _UNSEEN)
        if mask is _UNSEEN:
            mask = self._mask(key)
            if mask.all():
                mask = None  # every window: nothing to filter
            self._allowed[key] = mask
        self._allowed_by_id[id(allowed)] = (allowed, mask)  # holds the list: its id stays its own
        return mask

    def _mask(self, keys):
        import numpy as np

        # a passage's windows are consecutive: +1 where its run starts, -1 after it ends
        spans = [(ids[0], ids[-1] + 1) for ids in map(self.by_passage.get, keys) if ids]
        edges = np.zeros(len(self.windows) + 1, dtype=np.int64)
        if spans:
            bounds = np.array(spans, dtype=np.int64)
            np.add.at(edges, bounds[:, 0], 1)
            np.add.at(edges, bounds[:, 1], -1)
        return np.cumsum(edges[:-1]) > 0

    def _array(self, term: str):
        """The postings of ``term`` as an array (made on first use)."""
        found = self._arrays.get(term)
        if found is None:
            import numpy as np

            found = self._arrays[term] = np.array(self.postings.get(term, ()), dtype=np.int64)
        return found

    def scope_coverage(self, terms: list[str], allowed: list[Passage] | None = None, *,
                       view: LexicalView | None = None) -> float:
        """The share of the terms' weight found anywhere in the allowed passages."""
        unique = list(dict.fromkeys(terms))
        if not unique:
            return 0.0
        self.want(unique)
        idf = self.idf if view is None else view.idf
        mask = self.allowed_mask(allowed) if allowed is not None or view is None else view.member
        total = found = 0.0
        for term in unique:
            weight = idf(term)
            total += weight
            if term in self.postings and (mask is None or mask[self._array(term)].any()):
                found += weight
        return found / total

    def best(self, terms: list[str], allowed: list[Passage] | None = None, *,
             limit: int = 3, view: LexicalView | None = None) -> list[Match]:
        """The windows of ``allowed`` passages (all: None) that cover most of ``terms``.

        Scored with arrays over the windows: each window's score is the same sum, added in
        the same order, as a loop over the postings gives, and windows of equal score keep
        the order in which a loop would first reach them (by term, then window; in a
        ``view``, the window order of the view's own passages)."""
        import numpy as np

        unique = list(dict.fromkeys(terms))
        if not unique:
            return []
        self.want(unique)
        idf = self.idf if view is None else view.idf
        weights = {t: idf(t) for t in unique}
        total = sum(weights.values())
        pairs = list(zip(terms, terms[1:], strict=False))
        mask = self.allowed_mask(allowed) if allowed is not None or view is None else view.member
        scores = np.zeros(len(self.windows))
        first = np.full(len(self.windows), len(unique), dtype=np.int64)  # first term reaching it
        for position, term in enumerate(unique):
            if term not in self.postings:
                continue
            ids = self._array(term)
            if mask is not None:
                ids = ids[mask[ids]]
            scores[ids] += weights[term]
            fresh = ids[first[ids] == len(unique)]
            first[fresh] = position
        reached = (first < len(unique)).nonzero()[0]
        count = max(limit * 4, 12)
        if len(reached) > count:
            values = scores[reached]
            cut = np.partition(values, len(values) - count)[len(values) - count]
            reached = reached[values >= cut]
        rank = None if view is None else view.rank
        order = np.lexsort((reached if rank is None else rank[reached], first[reached],
                            -scores[reached]))
        ranked = [(int(i), float(scores[i])) for i in reached[order][:count]]
        matches = []
        for index, score in ranked:
            window = self.windows[index]
            bonus = 0.0
            if pairs:
                shared = sum(1 for p in pairs if p in window.pairs)
                bonus = 0.1 * shared / len(pairs)
            matches.append(Match(window, min(1.0, score / total + bonus)))
        matches.sort(key=lambda m: -m.score)
        return matches[:limit]


class LexicalView:
    """A shared ``LexicalIndex`` as one draft sees it: the windows of the draft's own
    passages, term weights counted over them alone, and ties broken in their order, so
    every score and ranking is the one an index of those passages alone would give."""

    def __init__(self, index: LexicalIndex, passages: list[Passage]):
        import numpy as np

        self.index = index
        self.vocabulary = index.vocabulary
        keys = list(dict.fromkeys(map(_PASSAGE_KEY, passages)))
        order = [i for ids in map(index.by_passage.__getitem__, keys) for i in ids]
        size = len(index.windows)
        self.n = max(len(order), 1)
        if order == list(range(size)):  # the index holds these passages alone, in this order
            self.member = None
            self.rank = None
        else:
            positions = np.array(order, dtype=np.int64)
            self.member = np.zeros(size, dtype=bool)
            self.member[positions] = True
            self.rank = np.zeros(size, dtype=np.int64)
            self.rank[positions] = np.arange(len(order), dtype=np.int64)
        self._df: dict[str, int] = {}

    def idf(self, term: str) -> float:
        df = self._df.get(term)
        if df is None:
            self.index.want((term,))
            if self.member is None:
                df = len(self.index.postings.get(term, ()))
            else:
                df = int(self.member[self.index._array(term)].sum()) \
                    if term in self.index.postings else 0
            self._df[term] = df
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def best(self, terms: list[str], allowed: list[Passage] | None = None, *,
             limit: int = 3) -> list[Match]:
        return self.index.best(terms, allowed, limit=limit, view=self)

    def scope_coverage(self, terms: list[str], allowed: list[Passage] | None = None) -> float:
        return self.index.scope_coverage(terms, allowed, view=self)
