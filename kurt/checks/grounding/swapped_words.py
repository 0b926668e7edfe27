"""Swapped words: a sentence that retells a source sentence with one of its names changed.

"The threads of the current project" where the source says "the current environment";
"jobs wait in Redis" where it says "jobs wait in Postgres". The writer's word is one the
sources use (projects and Redis are all over them), so no word is missing: the sentence is
the source's with one slot changed. Each draft sentence (or table row, its cells in order)
of six words or more is aligned word by word (stemmed, synonyms folded, without case) with
the source sentences of its section's and draft's sources that share three content words
with it; the closest, when it holds two fifths of the draft sentence's words, is the
sentence retold. Where the two differ by one content word on each side, with three
matching words around it, the draft's word is reported when the two are things of one
kind: the draft's sources list them together ("projects, environments and services",
"Redis or Postgres") or write both before the word that follows ("a project token" for "a
workspace token"), and write both as things of their own; or both are names (code, a dot
or a digit in the word, or a capital that does not start the sentence or a table cell).

Left alone: numbers (the value rules read them), two changes or more (a rewording), a
draft word the retold sentence holds elsewhere (the writer reordered it), one word the
start, end or short form of the other ("horizontal", "horizontally"; "ID", "thread_id";
"JS", "JavaScript"), a word that another source sentence nearly as close holds (a writer
merging two sentences), and a word some source of the draft writes with the same two words
either side (a sentence copied from another page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from kurt.checks.finding import Evidence, Finding
from kurt.checks.grounding.lexical import _FENCE, _SENTENCE_END, _TOKEN, STOPWORDS, normal_token
from kurt.checks.passages import Passage

MIN_WORDS = 6  # a shorter sentence fits too many source sentences
MIN_SHARED = 3  # content words a source sentence must share to be aligned at all
MIN_CONTEXT = 3  # matching words either side of the changed one
MIN_SCORE = 0.4  # the share of the draft sentence's words the retold sentence holds
NEAR = 0.1  # another source sentence this close to the best may be the one retold
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]+>|[*#>|]|(?<!\w)_+|_+(?!\w)")
_ITEM = r"[A-Za-z][\w.+-]*[\w+]"
_LIST = re.compile(rf"(?<![\w.-]){_ITEM}(?:, {_ITEM})*,? (?:and|or) {_ITEM}(?![\w-])"
                   rf"|(?<![\w./-]){_ITEM}/{_ITEM}(?![\w/-])")
_ITEM_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|/")
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||#{1,6}\s|>)")
_NUMBER = re.compile(r"^\$?\d")
_ALONE = (r"(?i)\b(?:the|a|an|your|each|every|this|its|their|that)\s+{}s?(?:[.,;:)]|\s+(?:"
          + "|".join(sorted(STOPWORDS, key=len, reverse=True)) + r")\b)")
_NOT_A_NAME = frozenset({"ones", "others", "thing", "things", "way", "ways", "kind", "kinds"})
_DETERMINED = r"(?i)\b(?:the|a|an|your|each|every|this|its|their|any|per|single)\s+(?:[\w-]+\s+)?"
_CAPITAL = re.compile(r"[A-Z]")
_MARKED = re.compile(r"[\d._/+#-]")


@dataclass(frozen=True)
class _Sentence:
    words: tuple[str, ...]  # terms (stemmed, folded), stop words kept
    raw: tuple[str, ...]  # the words as written
    code: frozenset[int]  # indexes of the words written as code
    starts: frozenset[int]  # indexes of the words that start the sentence or a table cell
    path: str
    line: int  # the first line of its paragraph, list item or row
    last: int  # the last line of it
    quote: str


def _terms(words) -> tuple[str, ...]:
    return tuple(normal_token(w) or w.lower() for w in words)


def source_sentences(passage) -> list[_Sentence]:
    """The prose sentences (and table rows) of a passage."""
    found: list[_Sentence] = []
    for number, last, block in _blocks(passage):
        for piece in _SENTENCE_END.split(block):
            raw, code, starts = _words_of(piece)
            if len(raw) >= 4:
                found.append(_Sentence(_terms(raw), raw, code, starts, passage.path, number,
                                       last, " ".join(piece.split())[:280]))
    return found


def _retold(grounding, units) -> list[_Sentence]:
    """The source sentences the units (a sentence, or the cells of a row) may retell: those
    of their closest windows (the lexical index's, section first; for a row, the closest to
    all its cells' words) in the section's and the draft's sources, each window's
    paragraphs read once per draft."""
    if len(units) == 1:
        matches = grounding.nearest_section_first(units[0])
    else:
        terms = [term for unit in units for term in grounding.terms(unit)]
        matches = grounding.lexical.best(terms, grounding.passages_for(units[0]), limit=8)
    found: dict[tuple, _Sentence] = {}
    for match in matches:
        if match.window.passage.scope in ("section", "draft"):
            for sentence in _window_sentences(grounding.memo, match.window):
                found.setdefault((sentence.path, sentence.line, sentence.quote), sentence)
    return list(found.values())


def _window_sentences(memo: dict, window) -> list[_Sentence]:
    """The sentences of the paragraphs a window's lines are in (code blocks aside)."""
    passage = window.passage
    key = ("passage lines", passage.path, passage.line_start, passage.line_end)
    read = memo.get(key)
    if read is None:
        lines = passage.text.split("\n")
        fenced, inside = [], False
        for line in lines:
            fence = _FENCE.match(line) is not None
            inside = inside != fence
            fenced.append(inside or fence)
        read = memo[key] = (lines, fenced)
    lines, fenced = read
    first = max(0, window.line_start - passage.line_start)
    last = min(len(lines) - 1, window.line_end - passage.line_start)
    while first > 0 and lines[first - 1].strip() and not fenced[first - 1]:
        first -= 1
    while last + 1 < len(lines) and lines[last + 1].strip() and not fenced[last + 1]:
        last += 1
    key = ("window sentences", passage.path, passage.line_start + first, passage.line_start + last)
    sentences = memo.get(key)
    if sentences is None:
        text = "\n".join("" if fenced[i] else lines[i] for i in range(first, last + 1))
        sentences = memo[key] = source_sentences(
            Passage(passage.path, passage.line_start + first, passage.line_start + last, text))
    return sentences


def _blocks(passage):
    """(first line, last line, text) of each paragraph, list item, table row and heading of
    a passage, outside code blocks (a paragraph's wrapped lines joined)."""
    fenced = False
    current: list[str] = []
    start = last = 0
    for number, line in enumerate(passage.text.split("\n"), passage.line_start):
        fence = _FENCE.match(line)
        if fence:
            fenced = not fenced
        ends = fenced or fence or not line.strip() or _BLOCK_START.match(line)
        if current and (ends or current[-1].startswith("|")):
            yield start, last, " ".join(current)
            current = []
        if fenced or fence or not line.strip():
            continue
        if not current:
            start = number
        last = number
        current.append(line.strip())
    if current:
        yield start, last, " ".join(current)


def _words_of(text: str) -> tuple[tuple[str, ...], frozenset[int], frozenset[int]]:
    """The words of a line of markdown, which of them are inside code spans, and which
    start a table cell (or the line), where a capital tells nothing."""
    raw, code, starts = [], set(), set()
    for cell in text.split("|"):
        starts.add(len(raw))
        cell = _MARKUP.sub(lambda m: m.group(1) or " ", cell)
        for k, part in enumerate(cell.split("`")):
            for word in _TOKEN.findall(part):
                if k % 2:
                    code.add(len(raw))
                raw.append(word)
    return tuple(raw), frozenset(code), frozenset(starts)


def _singular(word: str) -> str:
    """A word without a plural's "s" ("projects": "project")."""
    return word[:-1] if word.lower().endswith("s") and len(word) > 3 else word


def _mentions(text: str, word: str) -> bool:
    """Whether ``text`` may list ``word`` (a cheap test before reading its lists)."""
    return _singular(word).lower() in text.lower()


def listed_together(passages) -> frozenset[frozenset[str]]:
    """Pairs of terms the passages list together ("A, B and C", "A or B", "A/B")."""
    pairs: set[frozenset[str]] = set()
    for passage in passages:
        for found in _LIST.finditer(passage.text):
            items = {normal_token(i) for i in _ITEM_SPLIT.split(found.group(0)) if i}
            pairs.update(frozenset(p) for p in combinations(items, 2))
    return frozenset(pairs)


def _named(word: str, index: int, code: frozenset[int], starts: frozenset[int]) -> bool:
    """A name: code, a word with a capital inside its sentence or cell, a dot or a digit."""
    return index in code or _MARKED.search(word) is not None \
        or (index not in starts and _CAPITAL.search(word) is not None)


def _abbreviates(short: str, long: str) -> bool:
    """"JS-based" and "JavaScript", "K8s" aside: a word and the capitals of the other."""
    head = short.split("-")[0]
    capitals = "".join(c for c in long if c.isupper())
    return len(head) >= 2 and head.lower() == capitals.lower()


def _reworded(mine: str, theirs: str) -> bool:
    """One word the start, the end or the short form of the other ("time", "timestamp";
    "ID", "thread_id"), or a word that names nothing ("ones")."""
    low_mine, low_theirs = mine.lower(), theirs.lower()
    return low_mine.startswith(low_theirs) or low_theirs.startswith(low_mine) \
        or low_mine.endswith(low_theirs) or low_theirs.endswith(low_mine) \
        or _abbreviates(mine, theirs) or _abbreviates(theirs, mine) or low_mine in _NOT_A_NAME


def _a_thing(word: str, passages) -> bool:
    """Whether the passages write ``word`` as a thing ("the workspace", "a single
    environment"): a swap of two things of one kind matters, of two verbs it is rewording."""
    pattern = re.compile(_DETERMINED + re.escape(_singular(word)) + r"s?\b")
    return any(pattern.search(p.text) for p in passages)


def _head(raw, swap) -> str | None:
    """The content word after the swapped one, when the source sentence has it there too."""
    after, their_after = swap.index + 1, swap.their_index + 1
    if after >= len(raw) or their_after >= len(swap.theirs.raw) \
            or raw[after].lower() in STOPWORDS:
        return None
    same = normal_token(raw[after]) == normal_token(swap.theirs.raw[their_after])
    return raw[after] if same else None


def _named_before(word: str, head: str, passages) -> bool:
    """Whether the passages write ``word`` before ``head`` ("workspace token")."""
    pattern = re.compile(r"(?i)(?<![\w-])" + re.escape(word) + r"s?\s+" + re.escape(head))
    return any(pattern.search(p.text) for p in passages)


def _said_alone(word: str, passages) -> bool:
    """Whether the passages write ``word`` as a thing of its own ("the project.", "a
    workspace and"), not only as a modifier ("a single environment", "the live view")."""
    pattern = re.compile(_ALONE.format(re.escape(word)))
    return any(pattern.search(p.text) for p in passages)


def _written_so(raw, index: int, passages) -> bool:
    """Whether a source writes the draft's word with the two words either side of it (a
    sentence copied from a page its closest windows are not on: "Deploy a Solid app" from
    the Solid page, beside the Next.js page's "Deploy a Next.js app")."""
    around = raw[max(0, index - 2):index + 3]
    pattern = re.compile(r"(?<![\w-])" + r"[\W_]+".join(map(re.escape, around)) + r"(?![\w-])",
                         re.IGNORECASE)
    return any(raw[index].lower() in p.text.lower() and pattern.search(p.text)
               for p in passages)


@dataclass(frozen=True)
class _Swap:
    index: int  # of the draft's word
    theirs: _Sentence
    their_index: int


def swap_in(words, raw, sentences) -> _Swap | None:
    """The one word the sentence ``words`` changes in the source sentence it retells, among
    ``sentences``."""
    content = {w for w, r in zip(words, raw, strict=True) if r.lower() not in STOPWORDS}
    scored = []
    for k, sentence in enumerate(sentences):
        if len(content.intersection(sentence.words)) < MIN_SHARED:
            continue
        matcher = SequenceMatcher(None, words, sentence.words, autojunk=False)
        if matcher.quick_ratio() * (len(words) + len(sentence.words)) / 2 \
                < MIN_SCORE * len(words):
            continue  # too few words in common, in any order
        size = sum(block.size for block in matcher.get_matching_blocks())
        scored.append((size / len(words), k, matcher))
    if not scored:
        return None
    scored.sort(key=lambda s: -s[0])
    score, best, matcher = scored[0]
    if score < MIN_SCORE:
        return None
    theirs = sentences[best]
    ops = matcher.get_opcodes()
    swaps = []
    for position, (tag, a1, a2, b1, b2) in enumerate(ops):
        if tag != "replace":
            continue
        before = ops[position - 1] if position > 0 else None
        after = ops[position + 1] if position + 1 < len(ops) else None
        context = sum(op[2] - op[1] for op in (before, after) if op and op[0] == "equal")
        if context < MIN_CONTEXT:
            continue
        mine = [i for i in range(a1, a2) if raw[i].lower() not in STOPWORDS]
        their = [j for j in range(b1, b2) if theirs.raw[j].lower() not in STOPWORDS]
        if a2 - a1 > 2 or b2 - b1 > 2 or len(mine) != 1 or len(their) != 1:
            continue
        if not _reworded(raw[mine[0]], theirs.raw[their[0]]):
            swaps.append((mine[0], their[0]))
    if len(swaps) != 1:
        return None  # more than one change: a rewording, not a swap
    i, j = swaps[0]
    word = words[i]
    if word in theirs.words:
        return None
    near = [sentences[k] for s, k, _ in scored[1:] if s >= score - NEAR]
    if any(word in other.words for other in near):
        return None
    return _Swap(i, theirs, j)


def check_swapped_words(grounding) -> list[Finding]:
    """``grounding/specific`` findings for words changed in a sentence the draft retells."""
    prose = grounding.prose
    findings = []
    for words in _draft_texts(prose.units):
        if len(words) < MIN_WORDS:
            continue
        raw = tuple(w.text for w in words)
        code = frozenset(k for k, w in enumerate(words) if w.code)
        sentences = _retold(grounding, list({id(w.unit): w.unit for w in words}.values()))
        if not sentences:
            continue
        swap = swap_in(_terms(raw), raw, sentences)
        if swap is None:
            continue
        mine, theirs = raw[swap.index], swap.theirs.raw[swap.their_index]
        if _NUMBER.match(mine) or _NUMBER.match(theirs):
            continue
        pair = frozenset((normal_token(mine), normal_token(theirs)))
        kin = pair in listed_together([p for p in grounding.passages
                                       if _mentions(p.text, mine) and _mentions(p.text, theirs)]) \
            and _a_thing(mine, grounding.passages) and _a_thing(theirs, grounding.passages)
        head = _head(raw, swap)
        if not kin and head is not None:  # "project token" for "workspace token"
            kin = all(_named_before(word, head, grounding.passages)
                      and _said_alone(word, grounding.passages) for word in (mine, theirs))
        starts = frozenset(k for k, w in enumerate(words)
                           if k == 0 or w.unit is not words[k - 1].unit)
        if not kin and not (_named(mine, swap.index, code, starts)
                            and _named(theirs, swap.their_index, swap.theirs.code,
                                       swap.theirs.starts)):
            continue
        if _written_so(raw, swap.index, grounding.passages):
            continue  # the words around it are a source's own: copied from another page
        word = words[swap.index]
        line, column, end_line, end_column = prose.span(word.unit, word.start, word.end)
        source = swap.theirs
        evidence = Evidence(source.path, source.line, source.line, source.quote)
        findings.append(Finding(
            "grounding/specific", "error", grounding.path, line, column,
            f'"{mine}" is not what the source sentence this retells says', end_line=end_line,
            end_column=end_column, evidence=evidence,
            suggestion=f'the source says "{theirs}" there ({evidence.citation})'))
    return findings


@dataclass(frozen=True)
class _Word:
    text: str
    unit: object  # the prose unit it is in
    start: int  # in the unit's text
    end: int
    code: bool


def _draft_texts(units) -> list[list[_Word]]:
    """The words of each sentence of the draft, and of each table row (its cells in order):
    code and URLs written out."""
    texts: list[list[_Word]] = []
    row_line = None
    for unit in units:
        if unit.kind not in ("sentence", "cell") or not unit.offsets:
            continue
        text = list(unit.text)
        for start, end, content in unit.code + unit.urls:  # the text masks them, same length
            text[start:end] = content[:end - start].ljust(end - start)
        words = [_Word(t.group(0), unit, t.start(), t.end(),
                       any(s <= t.start() < e for s, e, _ in unit.code))
                 for t in _TOKEN.finditer("".join(text))]
        if unit.kind == "cell" and row_line == unit.line and texts:
            texts[-1].extend(words)
        else:
            texts.append(words)
        row_line = unit.line if unit.kind == "cell" else None
    return texts
