"""Value attribution: does the source give this value for what the draft says it quantifies?

A number can be in the sources and still be wrong: "daily backups are kept for
7 days" where the source says daily backups are kept for 6 days and weekly ones
run every 7 days. Each mention of a quantity (in the draft and in the sources)
carries its ``Attribution``: the content words around it within its sentence
(``near``: stemmed, stop words and numbers left out) and the words just before
it (``left``: what governs it, "kept for", "limited to"). A draft quantity is
*misattributed* when the sources hold another value of the same dimension
whose surroundings describe the draft's clearly better than those of any
mention of the draft's own value (``misattributed``): the source states the
number, but for something else.

The comparison is deliberately one-sided: it only reports a draft value when
a competing source value is clearly the one that belongs there (``MARGIN``
more words in common, ``MIN_SHARED`` at least), so a sentence that rewords its
source, or combines several, is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.grounding.lexical import STOPWORDS, normal_token

WINDOW = 8  # words on each side of the number
LEFT = 2  # content words before it that govern it
LEFT_WEIGHT = 2  # a governing word in common counts twice
MARGIN = 3  # how much better the competing value must fit
MIN_SHARED = 4  # the fit a competing value needs at least
MIN_SHARED_WORDS = 6  # ... against a count written in words ("two parts"), weaker evidence
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*|\d[\d,.]*")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\|")
_CLAUSE_MARK = re.compile(r"[,;:()]")
_NUMBER_WORDS = frozenset("""zero one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty
seventy eighty ninety hundred thousand million billion""".split())
_NOT_CONTEXT = frozenset({"per", "each", "up", "to", "of", "than", "more", "less", "least",
                          "most", "about", "around", "approximately", "over", "under"})


@dataclass(frozen=True)
class Attribution:
    near: frozenset[str]
    left: tuple[str, ...]
    adjacent: str = ""  # the content word right before it ("valid for 90 days"), if any
    tag: str = ""  # a one-word aside right after it ("2 hours (the default)"), if any


def _terms(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text):
        if word[0].isdigit():
            continue
        lower = word.lower()
        if lower in STOPWORDS or lower in _NOT_CONTEXT or len(lower) < 2 or lower in _NUMBER_WORDS:
            continue  # a number in words is a value, not what one is about
        term = normal_token(lower)
        if term:
            out.append(term)
    return out


def line_terms(text: str) -> frozenset[str]:
    """The content words of a line, as attributions hold them."""
    return frozenset(_terms(text))


def attribution(text: str, start: int, end: int) -> Attribution:
    """The surroundings of ``text[start:end]`` within its sentence (or table cell row)."""
    before = text[:start]
    after = text[end:]
    ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    if ends:
        before = before[ends[-1]:]
    stop = _SENTENCE_END.search(after)
    if stop is not None:
        after = after[:stop.start()]
    left_terms = _terms(before)
    right_terms = _terms(after)
    near = frozenset(left_terms[-WINDOW:] + right_terms[:WINDOW])
    marks = [m.end() for m in _CLAUSE_MARK.finditer(before)]
    clause = before[marks[-1]:] if marks else before  # stops at a comma or colon
    governing = _terms(clause)
    aside = _TAG.match(after)
    tag = next(iter(_terms(aside.group(1))), "") if aside else ""
    return Attribution(near, tuple(governing[-LEFT:]), _adjacent(clause), tag)


_TAG = re.compile(r"\s*\((?:the\s+)?([A-Za-z][\w-]*)\)")


ADJACENT = 3  # words before a number among which its adjacent content word is looked for


def _adjacent(clause: str) -> str:
    """The first content word before a number, if at most ``ADJACENT`` - 1 small words
    ("for", "up to", "every") stand between ("valid for 90 days" -> "valid"); none when a
    number, code (a draft's masked ``*``, a source's backticks) or a symbol comes first."""
    for token in reversed(clause.split()[-ADJACENT:]):
        word = token.strip(".,;:!?()[]\"'")
        if not word or not _WORD.fullmatch(word) or word[0].isdigit():
            return ""
        found = _terms(word)
        if found:
            return found[0]
    return ""


def cell_attribution(cell: str, start: int, end: int, row_label: str,
                     column: str) -> Attribution:
    """The surroundings of a number in a table cell: its row's label (first cell) and its
    column's header name what it quantifies, with the words of the cell itself."""
    own = attribution(cell, start, end)
    near = own.near | frozenset(_terms(row_label)) | frozenset(_terms(column))
    tag = own.tag
    if not tag and len(_terms(cell[:start] + " " + cell[end:])) <= 1:
        # a cell holding the value alone (and its unit): its column names it, as an aside
        # would ("| Replicas | 2 |" under "Default" is "2 (the default)")
        tag = next(iter(_terms(column)), "")
    return Attribution(near, own.left, own.adjacent, tag)


def fit(draft: Attribution, source: Attribution, common: frozenset[str] = frozenset()) -> int:
    """How well a source mention's surroundings describe the draft's (``common``: words
    around most mentions of the sources, the product's own name, which tell nothing)."""
    return len((draft.near & source.near) - common) + \
        LEFT_WEIGHT * len((set(draft.left) & set(source.left)) - common)


COMMON_SHARE = 0.2  # a word around more than this share of the mentions is common
COMMON_MIN = 20  # ... judged only among at least this many mentions


def common_words(mentions: list) -> frozenset[str]:
    """The words around so many of ``mentions`` (anything with ``.attribution``) that they
    say nothing about what one of them quantifies."""
    if len(mentions) < COMMON_MIN:
        return frozenset()
    counts: dict[str, int] = {}
    for mention in mentions:
        for word in mention.attribution.near:
            counts[word] = counts.get(word, 0) + 1
    return frozenset(w for w, n in counts.items() if n > COMMON_SHARE * len(mentions))


def misattributed(draft: Attribution, same: list, others: list, *, need_same: bool = True,
                  min_shared: int = MIN_SHARED, common: frozenset[str] = frozenset()):
    """The source mention (with ``.attribution``) that the draft's value should have been,
    when one fits clearly better than every mention of the draft's own value; else None.
    ``same``: source mentions of the draft's value; ``others``: of other values of the same
    dimension. With ``need_same`` (the default) a value the sources never state is left to
    the rule's other test."""
    if not others or (need_same and not same) or not draft.near:
        return None
    best_same, same_words = 0, frozenset()
    for mention in same:
        score = fit(draft, mention.attribution, common)
        if score > best_same:
            best_same = score
            same_words = (draft.near | set(draft.left)) & (mention.attribution.near |
                                                            set(mention.attribution.left))
    best, best_fit = None, 0
    for mention in others:
        score = fit(draft, mention.attribution, common)
        if score > best_fit:
            best, best_fit = mention, score
    if best is None or best_fit < min_shared or best_fit < best_same + MARGIN:
        return None
    around = best.attribution.near | set(best.attribution.left)
    if (same_words - common) - around:
        return None  # the draft's own value explains a word the other does not ("by default")
    return best


# between two items of a list: a comma, a conjunction, or both ("A, B, and C"); a space
# alone joins the words of one name ("Terraform AWS VPC Provider")
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:(?:and|or|&|nor)\s+)?|(?:and|or|&|nor)\s+|/\s*)$",
                       re.IGNORECASE)


def enumerations(text: str, spans: list[tuple[int, int, str]]) -> dict[int, frozenset[str]]:
    """For each name span (start, end, key) that is an item of a list written in ``text``
    ("Patroni, etcd, and HAProxy"), the keys of the other items; names not in a list of at
    least three are left out."""
    ordered = sorted(range(len(spans)), key=lambda i: spans[i][0])
    groups: list[list[int]] = []
    for index in ordered:
        start = spans[index][0]
        if groups:
            last = spans[groups[-1][-1]]
            if last[1] <= start and _LIST_GAP.match(text[last[1]:start]):
                groups[-1].append(index)
                continue
        groups.append([index])
    out: dict[int, frozenset[str]] = {}
    for group in groups:
        if len(group) >= 3:
            keys = [spans[i][2] for i in group]
            for i in group:
                out[i] = frozenset(k for k in keys if k != spans[i][2])
    return out
