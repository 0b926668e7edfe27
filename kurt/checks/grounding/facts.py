"""What the sources state, read once per passage, and the test of one draft specific against it.

``SourceFacts`` holds what a group of passages states, in the forms the draft's
specifics are compared in: numbers (with dimension, value, the line they are on),
dates, version strings, words and code-like tokens, the vocabulary terms named,
and the text itself for phrase and boundary searches. Sources are read
generously (code blocks included, ``a minute`` is one minute, ``twice`` is 2x):
a source that states a fact in any form supports it.

``FactsCache`` reads each passage once and merges the facts of a scope's
passages once; ``supports(facts, specific)`` says whether the facts back a
draft specific, allowing for rewording (see ``kurt.checks.grounding.specifics``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter

import kurt.checks.grounding.numbers as num
from kurt.checks.grounding.attribution import (
    Attribution,
    attribution,
    cell_attribution,
    enumerations,
    line_terms,
)
from kurt.checks.grounding.code import reference_value
from kurt.checks.grounding.dates import YEAR, Date, find_dates
from kurt.checks.grounding.defaults import setting_items
from kurt.checks.grounding.kinds import GRAIN_NOUNS, HTTP_METHODS, RATE_ADVERBS, RATE_UNITS
from kurt.checks.grounding.lexical import normal_token
from kurt.checks.grounding.quantities import MULTIPLE_WORD, ONE_UNIT
from kurt.checks.grounding.shortcuts import SHORTCUT, parse_shortcut, stated
from kurt.checks.grounding.specifics import Specific, find_line_names, find_numbers
from kurt.checks.passages import Passage

_WORD_CS = re.compile(r"[A-Za-z0-9_]+")
_CHUNK = re.compile(r"[\w.:/{}$@<>-]+")
_VERSIONISH = re.compile(r"(?<![\w])v?(\d+(?:\.\d+)*)(?:\.x)?")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_EDGE_EMPHASIS = re.compile(r"(?<=\w)[*_]+(?!\w)|(?<!\w)[*_]+(?=\w)")
_LIST_MARKER = re.compile(r"^\s*\d{1,2}[.)]\s")
_INLINE_CODE = re.compile(r"`+([^`]+?)`+|<code>(.*?)</code>", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"^\s*(```|~~~)")
_PASSAGE_KEY = attrgetter("path", "line_start", "line_end")
_ANY_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:_\d{3})+|\d+(?:\.\d+)?")  # 5_000 in code


@dataclass(frozen=True)
class SourceName:
    """A name on a prose line of a source, with what it is said about."""

    key: str  # lowercase, as written ("haproxy", "pgpool-ii")
    term: int | None  # vocabulary term, when it is one
    line: int
    path: str
    text: str
    attribution: Attribution
    quote: str
    listed_with: frozenset[str] = frozenset()  # the other items of a list it is in
    kind: str = "name"  # or a code kind: "scope", "flag", "env-var"


@dataclass(frozen=True)
class SourceNumber:
    quantity: num.Quantity
    raw: float
    line: int  # absolute line in the file
    path: str
    snippet: str  # the number and the words after it, as the source writes them
    context: frozenset[str]  # lowercase words of its line
    loose: bool = False  # any digits at all (in code, a URL, an identifier), not a read number
    attribution: Attribution | None = None  # what it quantifies (read numbers only)
    quote: str = ""  # its line, as the source writes it (read numbers only)


@dataclass(frozen=True)
class SourceDate:
    """A date a source line writes, with what it dates (see ``competing_date``)."""

    date: Date
    line: int
    path: str
    snippet: str  # the date as written
    attribution: Attribution | None
    quote: str  # its line


@dataclass
class SourceFacts:
    numbers: dict[float, list[SourceNumber]] = field(default_factory=dict)  # by quantity value
    raw: dict[float, list[SourceNumber]] = field(default_factory=dict)  # by value as written
    dates: list[Date] = field(default_factory=list)
    date_mentions: list[SourceDate] = field(default_factory=list)  # dates of prose and tables
    versions: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # case-sensitive word tokens
    chunks: set[str] = field(default_factory=set)  # tokens keeping . : / - { } $
    terms: set[int] = field(default_factory=set)  # vocabulary terms named
    # names and scopes/flags/variables on prose lines, read on first use (few drafts need
    # them, and reading names costs a vocabulary scan per line)
    _names: list | None = field(default=None, repr=False, compare=False)
    _tokens: list | None = field(default=None, repr=False, compare=False)
    _source: tuple | None = field(default=None, repr=False, compare=False)  # (passage, vocab)
    _parts: list | None = field(default=None, repr=False, compare=False)
    text: str = ""  # the passages' texts joined
    lower: str = ""  # lowercase, white space collapsed
    code: str = ""  # the code of the passages (fenced blocks, inline code), white space collapsed
    _dimensions: dict | None = field(default=None, repr=False, compare=False)
    _common: frozenset | None = field(default=None, repr=False, compare=False)
    _words: dict | None = field(default=None, repr=False, compare=False)
    _loose: str | None = field(default=None, repr=False, compare=False)

    def parts(self) -> list[SourceFacts]:
        """The facts of each passage these facts merge (itself for one passage)."""
        return list(self._parts) if self._parts is not None else [self]

    def loose(self) -> str:
        """``lower`` without quotes and without spaces around ``:``, ``=`` and ``,`` (read
        once, for identifiers written as key-value pairs)."""
        if self._loose is None:
            self._loose = _loose(self.lower)
        return self._loose

    def common_words(self) -> frozenset[str]:
        """Words around most of the numbers these passages state (computed once)."""
        if self._common is None:
            from kurt.checks.grounding.attribution import common_words

            self._common = common_words([m for items in self.numbers.values() for m in items
                                         if m.attribution is not None])
        return self._common

    def by_word(self, dimension: str) -> dict[str, list[SourceNumber]]:
        """The read numbers of one dimension by each word around them (built once): the
        only candidates attribution needs to weigh are those sharing a word with the draft."""
        if self._words is None:
            self._words = {}
        index = self._words.get(dimension)
        if index is None:
            index = self._words[dimension] = {}
            for item in self.by_dimension(dimension):
                for word in item.attribution.near | set(item.attribution.left):
                    index.setdefault(word, []).append(item)
        return index

    def by_dimension(self, dimension: str) -> list[SourceNumber]:
        """Every read number of one dimension (``time``, ``usd``...), indexed once."""
        if self._dimensions is None:
            self._dimensions = {}
            for items in self.numbers.values():
                for item in items:
                    if item.attribution is not None:
                        self._dimensions.setdefault(item.quantity.dimension, []).append(item)
        return self._dimensions.get(dimension, [])

    @property
    def names(self) -> list[SourceName]:
        if self._names is None:
            self._names = self._read_lines(lambda part: part.names, _line_names, tables=False)
        return self._names

    @property
    def tokens(self) -> list[SourceName]:
        if self._tokens is None:
            self._tokens = self._read_lines(
                lambda part: part.tokens,
                lambda line, line_no, path, _, context: _line_tokens(line, line_no, path, context),
                tables=True)
        return self._tokens

    def _read_lines(self, of_part, read_line, *, tables: bool) -> list[SourceName]:
        """Names or tokens, each read on its own first use (a scope's tokens are cheap, its
        names cost a vocabulary scan per line): the parts' when merged, else those of the
        passage's lines outside code (and outside tables unless ``tables``)."""
        out: list[SourceName] = []
        if self._parts is not None:
            for part in self._parts:
                out.extend(of_part(part))
            return out
        if self._source is None:
            return out
        passage, vocabulary = self._source
        fenced = False
        lines = passage.text.split("\n")
        contexts = wrapped(lines)
        for offset, line in enumerate(lines):
            if _FENCE.match(line):
                fenced = not fenced
            if fenced or not line.strip() or (not tables and line.lstrip().startswith("|")):
                continue
            out.extend(read_line(line, passage.line_start + offset, passage.path, vocabulary,
                                 contexts[offset]))
        return out

    @classmethod
    def merged(cls, parts: list[SourceFacts]) -> SourceFacts:
        """The facts of several passages together."""
        out = cls()
        for part in parts:
            for value, items in part.numbers.items():
                out.numbers.setdefault(value, []).extend(items)
            for value, items in part.raw.items():
                out.raw.setdefault(value, []).extend(items)
            out.dates.extend(part.dates)
            out.date_mentions.extend(part.date_mentions)
            out.versions |= part.versions
            out.words |= part.words
            out.chunks |= part.chunks
            out.terms |= part.terms
        out._parts = list(parts)
        out.text = "\n\n".join(p.text for p in parts)
        out.lower = " \n ".join(p.lower for p in parts)
        out.code = " \n ".join(p.code for p in parts if p.code)
        return out


def _key(value: float) -> float:
    return round(value, 9)


_POWER_TAG = re.compile(r"</?su[bp]>", re.IGNORECASE)


def _power_space(match) -> str:
    """A superscript or subscript tag as a draft's reader has it: a space between two word
    characters, else nothing."""
    text, start, end = match.string, match.start(), match.end()
    return " " if start and end < len(text) and text[start - 1].isalnum() \
        and text[end].isalnum() else ""


def _with_next(line: str, after: str) -> str:
    """A line of a wrapped paragraph with the start of the next line's text: the unit of
    a list of numbers ("one of 4, 6, 8 or" / "16 bytes.") may be written on the next line,
    and the draft, read as markdown, has the sentence whole."""
    if not after:
        return line
    head = _EDGE_EMPHASIS.sub(lambda m: " " * len(m.group(0)), after[:80])
    return line + " " + head


_ESCAPED = re.compile(r"\\([*_])")  # markdown's escaped emphasis characters


def read_facts(passage: Passage, vocabulary=None) -> SourceFacts:
    """The facts one passage states."""
    facts = SourceFacts()
    text = passage.text
    header: frozenset[str] = frozenset()  # the words of the table the line is in
    header_cells: list[str] = []
    previous = ""
    fenced = False
    lines = text.split("\n")
    contexts = wrapped(lines)
    for offset, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        if line.lstrip().startswith("|"):
            if not previous.lstrip().startswith("|"):
                header = frozenset(w.lower() for w in _WORD_CS.findall(line))
                header_cells = _cells(line)
        else:
            header = frozenset()
            header_cells = []
        previous = line
        if not line.strip():
            continue
        line_no = passage.line_start + offset
        words = line
        marker = _LIST_MARKER.match(line)
        if marker:  # "2. Find the Networking section": a list number, not a fact
            line = " " * marker.end() + line[marker.end():]
        line = _EDGE_EMPHASIS.sub(lambda m: " " * len(m.group(0)), line)  # "_June 2026_"
        if "<su" in line or "</su" in line:  # 2<sup>31</sup>-1 reads "2 31-1", as in a draft
            line = _POWER_TAG.sub(_power_space, line)
        if not (_DIGIT.search(line) or num.WORD_NUMBER.search(line) or ONE_UNIT.search(line)
                or MULTIPLE_WORD.search(line)):
            continue  # what find_numbers, dates and years look for is not there: most lines
        read = _with_next(line, contexts[offset][1]) if not fenced and not header else line
        context = frozenset(w.lower() for w in _WORD_CS.findall(
            words if read is line else words + read[len(line):])) | header
        for mention in find_numbers(read, draft=False):
            if mention.start >= len(line):
                continue  # the next line's own number: read there
            snippet = _snippet(read, mention.start, mention.end)
            where = None if fenced else _attribution(line, mention, header_cells,
                                                     contexts[offset])
            item = SourceNumber(mention.quantity, mention.raw, line_no, passage.path, snippet,
                                context, attribution=where, quote=" ".join(line.split())[:280])
            facts.numbers.setdefault(_key(mention.quantity.value), []).append(item)
            facts.raw.setdefault(_key(mention.raw), []).append(item)
        for match in _ANY_NUMBER.finditer(line):  # every number, even in code and URLs
            value = _key(float(match.group(0).replace(",", "").replace("_", "")))
            if value not in facts.raw:
                item = SourceNumber(num.Quantity("count", value), value, line_no, passage.path,
                                    _snippet(line, match.start(), match.end()), context, True)
                facts.raw[value] = [item]
        dates = find_dates(line) if _DIGIT.search(line) else []
        facts.dates.extend(dates)
        if not fenced:
            quote = " ".join(line.split())[:280]
            facts.date_mentions.extend(
                SourceDate(d, line_no, passage.path, line[d.start:d.end],
                           _attribution(line, d, header_cells, contexts[offset]), quote)
                for d in dates)
        for match in YEAR.finditer(line) if dates or _DIGIT.search(line) else ():
            # a bare year, unless part of a fuller date
            if not any(d.start <= match.start() < d.end for d in dates):
                facts.dates.append(Date(int(match.group(0))))
    # `\*.\*.example.com` means `*.*.example.com` (and a draft copying it may keep the escapes)
    if "\\" in text:
        unescaped = [u for u, line in zip(_ESCAPED.sub(r"\1", text).split("\n"), lines,
                                          strict=True) if u != line]
        text = "\n".join([text, *unescaped])
    heading = _own_heading(passage)
    if heading:  # "## `os.platform()`": a reference names its functions in its headings
        text = text + "\n\n" + heading
    facts.versions = {m.group(1) for m in _VERSIONISH.finditer(text)}
    facts.words = set(_WORD_CS.findall(text))
    facts.chunks = {c.strip(".:,-") for c in _CHUNK.findall(text)} | set(_CHUNK.findall(text))
    if vocabulary is not None:
        from kurt.index.entities import clean_text, find_terms

        facts.terms = set(find_terms(vocabulary, clean_text(text)))
    facts._source = (passage, vocabulary)
    facts.text = text
    facts.lower = _SPACE.sub(" ", text.lower()) + " \n " + _SPACE.sub(" ", _plain(text).lower())
    if passage.heading:  # "#### Abort" heads the passage without being a line of it
        facts.lower += " \n " + " \n ".join(_plain(h).lower() for h in passage.heading.split(" > "))
    facts.code = _code_text(text)
    if heading:
        named = " ".join(m.group(0) for m in _HEADING_CODE.finditer(heading))
        if named:
            facts.code += " \n " + named
    return facts


_HEADING_CODE = re.compile(r"[\w$.]+\([^()]*\)|[A-Za-z_$][\w$]*(?:\.[\w$]+)+|'[^'\s]+'|"
                           r"\b[a-z]+(?:[A-Z][a-z0-9]+)+\b")


def _own_heading(passage) -> str:
    """The passage's own heading when its text starts below it (a stored section's text
    starts after its heading line): what the heading says, the passage states."""
    if not passage.heading or passage.text.lstrip().startswith("#"):
        return ""
    return passage.heading.split(" > ")[-1]


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^<>]*>")


def _prose_line(line: str) -> str:
    """A source line as prose reads it: link text without targets, no tags, no emphasis."""
    return _EDGE_EMPHASIS.sub(" ", _TAG.sub("", _LINK.sub(lambda m: m.group(1), line)))


def _line_names(line: str, line_no: int, path: str, vocabulary,
                context: tuple[str, str] = ("", "")) -> list[SourceName]:
    """The names of a prose line (vocabulary terms, capitalised words inside sentences);
    ``context``: the rest of its paragraph (``wrapped``)."""

    plain = _prose_line(line)
    quote = " ".join(plain.split())[:280]
    found = find_line_names(plain, vocabulary)
    lists = enumerations(plain, [(start, end, text.lower()) for start, end, text, _ in found])
    around = (_prose_line(context[0]), _prose_line(context[1]))
    return [SourceName(text.lower(), term, line_no, path, text,
                       _attribution_wrapped(plain, start, end, around), quote,
                       lists.get(i, frozenset()))
            for i, (start, end, text, term) in enumerate(found)]


_METHOD_WORD = re.compile(r"\b(?:" + "|".join(HTTP_METHODS) + r")\b")


def _line_tokens(line: str, line_no: int, path: str,
                 context: tuple[str, str] = ("", "")) -> list[SourceName]:
    """The scopes, flags and environment variables of a prose line, with their surroundings
    (``context``: the rest of its paragraph)."""
    from kurt.checks.grounding.specifics import TOKEN_KINDS

    if not any(c in line for c in ":-_") and not _METHOD_WORD.search(line):
        return []
    spans = _prose_line(line)
    plain = spans.replace("`", " ")
    quote = " ".join(plain.split())[:280]
    around = tuple(_prose_line(part).replace("`", " ") for part in context)
    found = []
    for match in _PAIR_SPAN.finditer(spans):  # `level: error`: a key and the value it takes
        value = pair_key(match.group(1))
        found.append(SourceName(value, None, line_no, path, match.group(1),
                                _attribution_wrapped(plain, match.start(), match.end(), around),
                                quote, kind="pair"))
    for kind, pattern, group in TOKEN_KINDS:
        for match in pattern.finditer(plain):
            value = match.group(group)
            found.append(SourceName(value, None, line_no, path, value,
                                    _attribution_wrapped(plain, match.start(), match.end(),
                                                         around), quote, kind=kind))
    return found


_PAIR = r"""[A-Za-z_@][\w.-]*\s*[:=]\s*["']?[\w.-]+["']?"""
_PAIR_SPAN = re.compile(r"`(" + _PAIR + r")`")
PAIR = re.compile(_PAIR)


def pair_key(text: str) -> str:
    """A key-value pair as compared: lowercase, no quotes or spaces (``level: "error"`` is
    ``level:error``)."""
    return re.sub(r"""[\s"']""", "", text).lower()


def competing_token(facts: SourceFacts, specific: Specific, draft_attribution, unit_text: str,
                    *, need_same: bool = True):
    """The scope, flag or variable that belongs where the draft wrote ``specific`` (one the
    sources name, but for something else): "a token with the `write:packages` scope" where
    the source asks for `read:packages` and mentions `write:packages` only for CI."""
    from kurt.checks.grounding.attribution import misattributed

    key = specific.key or specific.text
    setting = re.split(r"[:=]", key)[0] + key[len(re.split(r"[:=]", key)[0]):][:1]
    same, others = [], []
    for token in facts.tokens:
        if token.kind != specific.kind:
            continue
        if specific.kind == "pair" and not token.key.startswith(setting):
            continue  # another key's value: `region: us-west2` is not a level
        if token.key == key:
            same.append(token)
        elif token.key not in unit_text:
            others.append(token)
    if not same and need_same:
        return None  # written in a form the token reader does not see ("-s"): no comparison
    return misattributed(draft_attribution, same, others, need_same=need_same,
                         common=facts.common_words())


def competing_name(facts: SourceFacts, specific: Specific, draft_attribution,
                   siblings: frozenset[str]):
    """The source name that belongs where the draft wrote ``specific``.

    An item swapped in a list (``siblings``: the other items of the draft's list,
    lowercase): "built on Patroni, etcd and Pgpool" where the source lists "Patroni, etcd,
    and HAProxy". The competing name is listed with at least two of them in a source, the
    draft's name never is, and the words around it fit the draft's clearly better
    (``attribution.misattributed``). Outside lists names are not compared: unlike a value,
    a name has no slot of its own (a sentence can name several tools for one job), and
    comparing them raised more false alarms than it caught on the benchmark."""
    from kurt.checks.grounding.attribution import misattributed

    if len(siblings) < 2:
        return None
    key = specific.text.lower()
    same, others = [], []
    for name in facts.names:
        shared = len(name.listed_with & siblings)
        if _same_name(name.key, key) or (specific.term is not None and name.term == specific.term):
            if shared >= 2:
                return None  # the sources list it with the same company
            same.append(name)
        elif shared >= 2 and not any(_same_name(name.key, s) for s in siblings):
            others.append(name)
    if not same:
        return None  # the draft's name is stated some other way: nothing to compare
    return misattributed(draft_attribution, same, others, common=facts.common_words())


def _same_name(a: str, b: str) -> bool:
    """"Grok CLI" and "Grok", "IPs" and "IP", "Pgpool" and "Pgpool-II" name the same thing."""
    if a == b or a.startswith(b + "-") or b.startswith(a + "-"):
        return True
    if a.rstrip("s") == b.rstrip("s"):
        return True
    return bool(set(a.split()) & set(b.split()))


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _attribution(line: str, mention, header_cells: list[str], context=("", "")):
    """What a number of a source line quantifies (prose: its sentence, wrapped lines of its
    paragraph included; a table row: its row label and column header)."""
    if not line.lstrip().startswith("|") or not header_cells:
        return _attribution_wrapped(line, mention.start, mention.end, context)
    bars = [i for i, c in enumerate(line) if c == "|"]
    inside = [k for k in range(len(bars) - 1) if bars[k] < mention.start < bars[k + 1]]
    if not inside:
        return attribution(line, mention.start, mention.end)
    k = inside[0]
    cell_start = bars[k] + 1
    cell = line[cell_start:bars[k + 1]]
    cells = _cells(line)
    column = header_cells[k] if k < len(header_cells) else ""
    label = cells[0] if k > 0 and cells else ""
    return cell_attribution(cell, mention.start - cell_start, mention.end - cell_start, label,
                            column)


_NOT_CONTINUED = re.compile(r"^\s*(?:[|#>]|[-*+]\s|\d{1,2}[.)]\s|<|```|~~~)")  # a new block
_BLOCK_LINE = re.compile(r"^\s*(?:[|#>]|<|```|~~~)")  # a line no other continues


def wrapped(lines: list[str]) -> list[tuple[str, str]]:
    """For each line of a source, the text of its paragraph before and after it (empty for
    a line that is a paragraph of its own): a sentence wrapped over several lines is read
    whole, so a value or name at the start of a line keeps what its sentence says of it."""
    out = [("", "")] * len(lines)
    groups: list[list[int]] = []
    fenced = False
    for i, line in enumerate(lines):
        fence = bool(_FENCE.match(line))
        if fence:
            fenced = not fenced
        if fence or fenced:
            groups.append([])
        elif groups and groups[-1] and groups[-1][-1] == i - 1 \
                and _continues(lines[i - 1], line):
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        if len(group) > 1:
            first, last = group[0], group[-1]
            for k in group:
                out[k] = (" ".join(lines[first:k]), " ".join(lines[k + 1:last + 1]))
    return out


def _continues(previous: str, line: str) -> bool:
    return bool(previous.strip() and line.strip()) and not _BLOCK_LINE.match(previous) \
        and not _NOT_CONTINUED.match(line)


def _attribution_wrapped(line: str, start: int, end: int, context: tuple[str, str]):
    """``attribution`` of ``line[start:end]`` within the whole of its wrapped sentence."""
    before, after = context
    if not before and not after:
        return attribution(line, start, end)
    shift = len(before) + 1 if before else 0
    text = (before + " " if before else "") + line + (" " + after if after else "")
    return attribution(text, start + shift, end + shift)


def _plain(text: str) -> str:
    """The passage as prose reads: link text without targets, no HTML tags, no emphasis."""
    from kurt.index.sections import searchable_text

    return _EDGE_EMPHASIS.sub(" ", searchable_text(text).replace("`", " "))


def _code_text(text: str) -> str:
    """The code of a passage: fenced blocks and inline code (which may span lines)."""
    pieces, prose, fenced = [], [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        (pieces if fenced else prose).append(line)
    pieces.extend(m.group(1) or m.group(2) or "" for m in _INLINE_CODE.finditer("\n".join(prose)))
    return " \n ".join(_SPACE.sub(" ", p.strip()) for p in pieces if p.strip())


def _snippet(line: str, start: int, end: int) -> str:
    """The number and up to four words after it, stopping at punctuation."""
    rest = re.match(r"(?:[ \t]+(?:per |/)?[\w$%.-]+){0,4}", line[end:])
    tail = rest.group(0) if rest else ""
    tail = re.split(r"[,;:()|]", tail)[0]
    tail = re.split(r"\s(?:and|or|but|which|that|for|with|on|in|to|while|when|if|is|are)\b",
                    tail)[0]
    before = re.search(r"(?:\$|US\$|€|£)$", line[:start])
    text = (before.group(0) if before else "") + line[start:end] + tail
    return text.strip().rstrip(".")


class FactsCache:
    """Facts read once per passage and merged once per group of passages."""

    def __init__(self, vocabulary=None):
        self.vocabulary = vocabulary
        self.passages: dict[tuple, SourceFacts] = {}  # (path, start, end) -> its facts
        self._groups: dict[tuple, SourceFacts] = {}
        self.defaults: dict[tuple, list] = {}  # (path, start, end) -> the defaults it states
        self.subjects: dict[str, frozenset[str]] = {}  # path -> what its title is about
        self.prose_words: dict[str, frozenset[str]] = {}  # path -> its lower-case words

    def passage(self, passage: Passage) -> SourceFacts:
        key = (passage.path, passage.line_start, passage.line_end)
        facts = self.passages.get(key)
        if facts is None:
            facts = self.passages[key] = read_facts(passage, self.vocabulary)
        return facts

    def group(self, passages: list[Passage]) -> SourceFacts:
        key = tuple(sorted(set(map(_PASSAGE_KEY, passages))))
        facts = self._groups.get(key)
        if facts is None:
            unique = {(p.path, p.line_start, p.line_end): p for p in passages}
            facts = self._groups[key] = SourceFacts.merged(
                [self.passage(p) for p in unique.values()])
        return facts


# -- does a source state this specific? ------------------------------------------------------

def supports(facts: SourceFacts, specific: Specific, vocabulary=None) -> bool:
    kind = specific.kind
    if specific.quantity is not None:
        return _quantity(facts, specific)
    if kind == "date":
        return _date(facts, specific.date)
    if kind == "version":
        key = specific.key
        if "/" in key:  # a protocol's version ("http/2"): the protocol with it, "HTTP/2.0" too
            name, version = key.split("/", 1)
            return re.search(r"(?<![a-z])" + re.escape(name) + r"(?:/|\s)?v?" + re.escape(version)
                             + r"(?:\.0)*(?![\w]|\.\d)", facts.lower) is not None
        return any(v == key or v.startswith(key + ".") for v in facts.versions)
    if kind == "name":
        return _name(facts, specific, vocabulary)
    if kind == "rate":
        return _rate(facts, specific.key)
    if kind == "shortcut":
        return stated(parse_shortcut(specific.key), facts.text)
    if kind == "grain":
        return _grain(facts, specific.key)
    if kind == "time":
        hour, minute = specific.key.split(":")
        return re.search(r"(?<![\d:])0?" + re.escape(hour.lstrip("0") or "0") + ":" + minute
                         + r"(?![\d])", facts.text) is not None
    return _code(facts, specific)


def _quantity(facts: SourceFacts, specific: Specific) -> bool:
    quantity = specific.quantity
    if quantity.dimension == "count":
        return _count(facts, specific)
    for item in facts.numbers.get(_key(quantity.value), ()):
        if item.quantity.dimension == quantity.dimension:
            return True
    # "8 GB" against a table whose header names the unit: the number on a line that names it.
    written = _written_value(specific)
    if written is None:
        return False
    names = {name for name, unit in num.UNITS.items()
             if unit.dimension == quantity.dimension and quantity.value and
             num.close(unit.factor * written, quantity.value)}
    for item in facts.raw.get(_key(written), ()):
        if not item.loose and item.quote.startswith("|") and names & item.context:
            return True  # a table whose header or row names the unit
        if item.loose and any(w.endswith(n) for w in item.context for n in names if len(n) > 3):
            return True  # "MaxAgeSeconds": 3000 states 3000 seconds
    if facts.code and quantity.dimension in ("time", "bytes"):
        # a literal of the sources' code counts seconds or bytes: "3000 seconds" is stated by
        # "MaxAgeSeconds": 3000, "2 MB" by 2_000_000
        for value in {quantity.value, written} if names & _BASE_UNITS else {quantity.value}:
            if re.search(r"(?<![\w.])" + _digits_pattern(value) + r"(?![\w.])", facts.code):
                return True
    return False


# the units a value in code is written in when nothing says otherwise
_BASE_UNITS = frozenset({"s", "sec", "secs", "second", "seconds", "ms", "millisecond",
                         "milliseconds", "b", "byte", "bytes"})


def _digits_pattern(value: float) -> str:
    """A number as code may write it: 5000, 5_000, 5,000."""
    if value != int(value):
        return re.escape(repr(value))
    digits = str(int(value))
    groups = [digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)][::-1]
    return digits if len(groups) == 1 else f"(?:{digits}|{'[_,]'.join(groups)})"


def _count(facts: SourceFacts, specific: Specific) -> bool:
    """A plain number is backed by the same number on a source line that names what it counts.

    "5 restarts" is not backed by "5 minutes", but "1,000 vCPU" is by "| 1,000 vCPU |"
    and "10 requests" by "10 RPS" on a line about requests. A number that counts
    nothing in particular ("and 2 when it fails") needs only the number.
    """
    key = _key(specific.quantity.value)
    items = list(facts.numbers.get(key, ())) + list(facts.raw.get(key, ()))
    if not items:
        return False
    if not specific.noun or _distinctive(specific.quantity.value):
        return True  # "8126 receives APM traces": a port, not a count of "receives"
    wanted = {normal_token(w) for w in specific.noun.split()}
    for item in items:
        if item.quantity.dimension not in ("count", "x"):
            continue
        if wanted & {normal_token(w) for w in item.context}:
            return True
        # the noun as the draft's reader takes it from a word with digits ("7.2 TL04": "tl")
        if wanted & {normal_token(w.rstrip("0123456789")) for w in item.context
                     if w[-1:].isdigit()}:
            return True
        # the parts of an identifier count ("500-word chunks" by `chunk_size: int = 500`),
        # not those of a file name or URL a stray digit is read from ("replicas_nt6tz8.mp4")
        if not item.loose and wanted & {normal_token(part) for w in item.context if "_" in w
                                        for part in w.split("_")}:
            return True
    return False



def _distinctive(value: float) -> bool:
    """A number no source states by chance for something else: three digits or more, not a
    round one (8126, 514; not 500 or 1000)."""
    return value >= 100 and value == int(value) and value % 10 != 0


def competing_value(facts: SourceFacts, specific: Specific, draft_attribution, *,
                    need_same: bool = True, min_shared: int | None = None,
                    wider: tuple[SourceFacts, ...] = ()):
    """The source mention whose value belongs where the draft wrote ``specific`` (a quantity
    the facts state, but for something else; see ``kurt.checks.grounding.attribution``).
    ``wider``: the facts of the draft's other scopes, whose mentions compete too ("up to 90
    days" in the draft's sources against the section's "30 days" of something else)."""
    from kurt.checks.grounding.attribution import misattributed

    quantity = specific.quantity
    if quantity is None:
        return None
    key = _key(quantity.value)
    stated = any(m.attribution is not None and m.quantity.dimension == quantity.dimension
                 for m in facts.numbers.get(key, ()))
    if need_same and not stated:
        # the value is only a literal of the sources' code (`--hard 20`): their prose may
        # still give another value for what the draft says ("the top 25 projects")
        if not any(i.quantity.dimension == quantity.dimension for i in facts.raw.get(key, ())):
            return None
        need_same = False
    common = facts.common_words()
    candidates: dict[int, SourceNumber] = {}
    for pool in (facts, *wider):
        index = pool.by_word(quantity.dimension)
        for word in (draft_attribution.near | set(draft_attribution.left)) - common:
            for mention in index.get(word, ()):
                candidates[id(mention)] = mention
    same = [m for m in candidates.values() if _key(m.quantity.value) == key]
    others = [m for m in candidates.values() if _key(m.quantity.value) != key
              and not _article_one(m)]
    if not others:  # no other value shares an informative word: the word right before may
        return same_governor(draft_attribution, facts.numbers.get(key, ()), facts,
                             quantity.dimension, key) if need_same else None
    if need_same and not same:  # stated, but with no word in common: it fits with 0
        same = [m for m in facts.numbers.get(key, ()) if m.attribution is not None][:1]
    options = {"need_same": need_same, "common": common}
    if min_shared is not None:
        options["min_shared"] = min_shared
    found = misattributed(draft_attribution, same, others, **options)
    if found is None and need_same:
        found = same_governor(draft_attribution, facts.numbers.get(key, ()), facts,
                              quantity.dimension, key)
    return found


def _article_one(mention: SourceNumber) -> bool:
    """"one" in words ("a breakdown for one project"): an article more than a count, never
    the value that belongs in a draft's slot."""
    return mention.quantity.dimension == "count" and mention.quantity.value == 1 \
        and mention.snippet[:1].isalpha()


def same_governor(draft_attribution, same: list, facts: SourceFacts, dimension: str,
                  key: float):
    """The other value a source writes right after the very word the draft's value follows,
    when every mention of the draft's own value follows another word: "valid for 30 days"
    against "valid for 90 days and renewed when 30 days remain". Words around most numbers
    of a page are set aside by ``misattributed``; the content word right before a value
    (``Attribution.adjacent``) still says which one is meant. Only one other value may
    follow that word. A source that marks a value with that word in an aside right after
    it ("2 hours (the default)", ``Attribution.tag``) names it outright."""
    word = draft_attribution.adjacent or draft_attribution.tag
    if not word or word in LIGHT_WORDS:
        return None
    stated = [m for m in same if m.attribution is not None]
    if not stated or any(word in (m.attribution.adjacent, m.attribution.tag) for m in stated):
        return None  # the draft's value is given with that word too
    found = _governed_by(word, stated, facts, dimension, key)
    if found is None:
        return None
    own = set().union(*(m.attribution.near | set(m.attribution.left) for m in stated))
    # the words of the other value's line count for it: "HTTP requests" a sentence is about
    # surround both of its values, whichever eight words around each one hold
    other = found.attribution.near | set(found.attribution.left) | line_terms(found.quote)
    if (draft_attribution.near & own) - other - {word}:
        return None  # the draft's own value explains a word the other does not ("by default")
    return found


# verbs that govern any value ("set it to 500MB", "gives 2 GB"): they tell no value apart
LIGHT_WORDS = frozenset(normal_token(w) for w in
                        "set make give get put take go have do become".split())


def _governed_by(word: str, stated: list, facts: SourceFacts, dimension: str, key: float):
    """The one other value the sources mark with ``word`` (see ``same_governor``)."""
    tagged = [m for items in facts.numbers.values() for m in items
              if m.attribution is not None and m.attribution.tag == word
              and m.quantity.dimension == dimension and _key(m.quantity.value) != key]
    if tagged:  # "2 hours (the default)": the source marks which value that word is
        return tagged[0] if len({_key(m.quantity.value) for m in tagged}) == 1 else None
    if any(not m.attribution.adjacent and (not m.attribution.left or word in m.attribution.left)
           for m in stated):
        return None  # the draft's value is governed by nothing (not even words before it in
        #              its clause, "run for up to 15 minutes"): nothing to compare
    found = None
    for value, items in facts.numbers.items():
        if value == key:
            continue
        for mention in items:
            if mention.attribution is None or mention.quantity.dimension != dimension \
                    or mention.attribution.adjacent != word:
                continue
            if found is not None and _key(found.quantity.value) != value:
                return None  # two other values governed by it: nothing tells which
            found = found or mention
    return found


def _written_value(specific: Specific) -> float | None:
    found = re.search(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", specific.text)
    return float(found.group(0).replace(",", "")) if found else None


def _date(facts: SourceFacts, date: Date | None) -> bool:
    if date is None:
        return False
    if any(_backs(other, date) for other in facts.dates):
        return True
    return date.month is None and date.year is not None and _key(date.year) in facts.raw


def competing_date(facts: SourceFacts, specific: Specific, draft_attribution,
                   written: list[Date]):
    """The source date that belongs where the draft wrote ``specific``: "available since
    January 2025" where the page dates the start of the rollout January 1st, 2025 and says
    "available starting March 2025". As for values (``competing_value``), the other date's
    sentence must fit the draft's clearly better than every sentence giving the draft's date;
    a date the draft's sentence writes too (``written``) is no competitor."""
    from kurt.checks.grounding.attribution import misattributed

    date = specific.date
    if date is None or date.month is None:
        return None  # a year alone dates too little to tell
    same, others = [], []
    for mention in facts.date_mentions:
        if mention.attribution is None:
            continue
        if _backs(mention.date, date):
            same.append(mention)
        elif not _backs(date, mention.date) and not any(_backs(mention.date, w) or
                                                       _backs(w, mention.date) for w in written):
            others.append(mention)
    if not same:
        return None
    return misattributed(draft_attribution, same, others, common=facts.common_words(),
                         min_shared=DATE_MIN_SHARED)


# a page states far fewer dates than numbers, so fewer share words by chance: three content
# words in common with the draft's sentence (and three more than any mention of its own date)
DATE_MIN_SHARED = 3


def _grain(facts: SourceFacts, noun: str) -> bool:
    """What a setting applies to ("set per service", "scoped to a single environment"): stated
    where a source writes it in any such form ("each service", "a specific service",
    "service-level"). Writers say "per service" loosely, so a grain is reported only where the
    sources give another one ("per project" against a source's "set per service")."""
    if re.search(_grain_pattern(re.escape(noun) + "s?"), facts.lower):
        return True
    others = "(?:" + "|".join(n + "s?" for n in GRAIN_NOUNS if n != noun) + ")"
    return re.search(_grain_pattern(others), facts.lower) is None


def _grain_pattern(n: str) -> str:
    return (rf"\b(?:per|each|every|a\s+single|one|individual|a\s+specific|specific|whole|"
            rf"entire)[\s-]+(?:\w+\s+)?{n}\b|\b{n}[\s-](?:level|scoped|wide|specific)\b"
            rf"|\b(?:scoped|limited|restricted|tied|isolated|specific|local)\s+to\s+(?:\w+\s+){{0,2}}{n}\b")


def _rate(facts: SourceFacts, family: str) -> bool:
    """What a source counts by, however written: "per minute", "/min", "a minute", "every
    minute", "minutely"'s kin "monthly", "by the minute", and compounds such as "GB-month"."""
    forms = "|".join(sorted(RATE_UNITS[family], key=len, reverse=True))
    adverb = RATE_ADVERBS.get(family)
    pattern = (rf"(?:\bper[\s-]+|/\s?|\b(?:an?|each|every|by the)\s+|[\w)]-)(?:{forms})\b"
               rf"|\b(?:{forms})-(?:[a-z]+)\b")
    if adverb:
        pattern += rf"|\b(?:{adverb})\b"
    return re.search(pattern, facts.lower, re.IGNORECASE) is not None


def _backs(source: Date, draft: Date) -> bool:
    """A source date states a draft's when it gives every part the draft gives, the same: a
    day and month need that day and month ("July 1st, 2025" is not "in 2025" or "July
    2025"); a year may be left to the page around a source's "March 14th"."""
    if draft.month is not None and source.month != draft.month:
        return False
    if draft.day is not None and source.day != draft.day:
        return False
    if draft.year is not None and source.year is not None and source.year != draft.year:
        return False
    return draft.year is not None and source.year is not None or draft.month is not None


def _name(facts: SourceFacts, specific: Specific, vocabulary) -> bool:
    if specific.label and specific.term is None:
        return _label(facts, specific.text)
    if specific.term is not None and specific.term in facts.terms:
        return True
    if vocabulary is not None and specific.term is not None:
        term = vocabulary.terms[specific.term]
        surfaces = [s.text for s in term.surfaces] + [term.name]
        if any(_contains_word(facts.lower, s.lower()) for s in surfaces):
            return True
    if re.fullmatch(r"[A-Z]{2,}s", specific.text) and _contains_word(facts.lower, specific.text[:-1].lower()):
        return True  # "IPs", "VMs": an acronym's plural
    if _contains_word(facts.lower, specific.text.lower()) or _tool_shown(facts, specific.text):
        return True
    words = specific.text.split()
    # "Linux VM", "Infrastructure as Code DSL": a stated name with a generic kind of thing
    # the sources name too, not a product of its own ("Amazon ECR" is one)
    return len(words) >= 2 and words[-1].rstrip("s") in GENERIC_KINDS \
        and _contains_word(facts.text, words[-1].rstrip("s")) \
        and _contains_word(facts.lower, " ".join(words[:-1]).lower())


# kinds of things a name may be followed by without naming something new
GENERIC_KINDS = frozenset({"VM", "API", "SDK", "CLI", "UI", "DSL", "IDE", "URL", "DB"})


def _label(facts: SourceFacts, label: str) -> bool:
    """An interface label is stated where a source writes it as a name, its first letter
    capitalised (the rest in any case: "Enable CDN caching" is "**Enable CDN Caching**"): a
    common word in lowercase ("edge networking") is not the "**Networking**" section."""
    first, rest = label[0], label[1:]
    words = r"\s+".join(re.escape(w) for w in rest.split(" ")) if rest else ""
    pattern = rf"(?<![\w-]){re.escape(first)}(?i:{words})(?![\w-])"
    return re.search(pattern, facts.text) is not None


_TOOL_WORDS = frozenset({"cli", "command line", "command-line"})


def _tool_shown(facts: SourceFacts, name: str) -> bool:
    """"Railway CLI" is stated by a source whose code runs ``railway ...`` commands: the
    source shows the tool rather than naming it."""
    words = name.split(None, 1)
    if len(words) != 2 or words[1].lower() not in _TOOL_WORDS or not facts.code:
        return False
    command = re.escape(words[0].lower())
    return re.search(r"(?:^|[\s$>;&|(])" + command + r"\s+[a-z-]", facts.code.lower()) is not None


def _contains_word(text: str, word: str) -> bool:
    """``word`` (or phrase: spaces and hyphens alike) in ``text``, on word boundaries."""
    if not word:
        return False
    words = [w for w in re.split(r"[\s-]+", word) if w]
    if not words:
        return False
    if len(words[-1]) > 3 and words[-1].endswith("s") and words[-1][-2].isalpha():
        words[-1] = words[-1][:-1]  # "HTTPS APIs" and "HTTPS API" alike
    pattern = r"[\s-]+".join(re.escape(w) for w in words) + r"(?:e?s)?"
    return re.search(r"(?<![A-Za-z0-9])" + pattern + r"(?![A-Za-z0-9])", text) is not None


def _code(facts: SourceFacts, specific: Specific) -> bool:
    kind, key = specific.kind, specific.key
    if not key:
        return True
    if kind in ("env-var", "http-method"):
        stated = key in facts.words or (
            # one capitalised word with no underscore may be a method the sources' code calls,
            # written as its command (`LPUSH` for `redis.lpush(...)`); not a status (`FAILED`)
            kind == "env-var" and "_" not in key and not specific.value
            and re.search(r"\." + re.escape(key.lower()) + r"\s*\(", facts.code.lower()))
        return bool(stated) and _value_given(facts, key, specific.value)
    if kind == "flag":
        return re.search(r"(?<![\w-])" + re.escape(key) + r"(?![\w-])", facts.text) is not None \
            and _value_given(facts, key, specific.value) and _spaced_given(facts, key, specific.spaced)
    if kind == "endpoint":
        return _endpoint(facts, key) and (specific.method is None or (
            specific.method in facts.words and _method_of(facts, key, specific.method)))
    if kind == "command":
        return _command(facts, key)
    if kind == "url":  # a domain ("railway.app") is not stated by one of its hosts ("up.railway.app")
        left = r"(?<![\w.-])(?:www\.)?" if "/" not in key and key.count(".") == 1 else ""
        # nor a path by a longer last segment (`template/bun` by `template/bun-starter`)
        right = r"(?![\w-])" if "/" in key else ""
        return re.search(left + re.escape(key.lower()) + right, facts.lower) is not None
    if kind == "config-key":
        if key in facts.chunks or _contains_word(facts.lower, key.lower()):
            return True
        parts = [p for p in re.split(r"[.]", key) if p]
        if len(parts) > 1 and re.search(r"(?<![\w.-])" + re.escape(".".join(parts[:-1])) + r"\.[A-Za-z_]",
                                        facts.text, re.IGNORECASE):
            return False  # the sources spell out this table's keys (`build.buildCommand`), not this one
        return len(parts) > 1 and all(_key_part(facts, p) for p in parts)
    if kind == "scope":
        return _contains_word(facts.lower, key.lower())
    call = _CALL.fullmatch(_NEW.sub("", specific.text)) if kind == "identifier" else None
    if call:
        stated = _signature(facts, call.group(1), call.group(2))
        if stated is not None:
            return stated
    if kind == "identifier" and _code_forms(facts, specific.text):
        return True
    if specific.code_word:  # `profile` alone in code: a literal the sources write as code
        return re.search(r"(?<![\w-])" + re.escape(key) + r"(?![\w-])", facts.code,
                         re.IGNORECASE) is not None or re.search(  # or quoted: name: "filter"
            r"[\"'`](?:[\w-]+\.)*" + re.escape(key) + r"[\"'`]", facts.text, re.IGNORECASE) \
            is not None or _key_part(facts, key)  # or as a key: "input.branch", source: {
    if "_" in key and " " not in key:  # `read_only` is not part of `super_read_only`
        return re.search(r"(?<![\w-])" + re.escape(key.lower()) + r"(?![\w-])", facts.lower) is not None
    if key in facts.chunks or _contains_word(facts.lower, " ".join(key.lower().split())):
        return True
    # "bypass: true" where the source's JSON writes "bypass": true: quotes and the spaces
    # around a colon or an equals sign are not part of what an identifier states
    if any(c in key for c in ":=\"'"):
        return _contains_word(facts.loose(), _loose(key.lower()))
    return False


_CALL = re.compile(r"([A-Za-z_$][\w$.]*)\(([^()]*)\)")
_NEW = re.compile(r"^(?:new|await)\s+")  # `new Worker(filename)`, `await once()`: the call
_PARAMETER = re.compile(r"\s*(?:\.\.\.)?\s*([A-Za-z_$][\w$]*)\s*")
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}")
_QUOTED = re.compile(r"(['\"])([^'\"\s]+)\1")
_PAIR = re.compile(r"([A-Za-z_$][\w$]*)\s*[:=]\s*(true|false|null|-?\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\")")
_CHAINED = re.compile(r"([A-Za-z_$][\w$.]*\([^()]*\))\.([A-Za-z_$][\w$]*)")
_PARAMETERS_ONLY = re.compile(r"\(\s*([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)\s*\)")


def _code_forms(facts: SourceFacts, text: str) -> bool:
    """Whether a reference states an identifier in another form than the draft's (else it
    is read as written):

    - a quoted literal (`'x86_64'`): its content, written as code;
    - a file extension (`.gz`): a file name written with it (`input.txt.gz`);
    - an option set to a literal (`ttl: true`, `encoding: 'buffer'`): the option's own list
      item writes the value (a reference lists an option with its type and values: "* `ttl`
      {boolean} ... When `true`, ...");
    - a property of what a call returns (`os.userInfo().homedir`): the call, and the property
      written as code in a passage that writes the call;
    - a callback's parameters (`(err, count)`): each written as code in one passage."""
    quoted = _QUOTED.fullmatch(text)
    if quoted:
        return _written_as_code(facts, quoted.group(2))
    if _EXTENSION.fullmatch(text):  # `.gz`: stated by a file name the sources write with it
        return re.search(r"[\w-]" + re.escape(text) + r"(?![\w.-])", facts.text) is not None
    pair = _PAIR.fullmatch(text)
    if pair:
        value = re.compile(r"(?<![\w-])" + re.escape(pair.group(2).strip("'\"")) + r"(?![\w-])")
        return any(name == pair.group(1) and value.search(body)
                   for part in facts.parts() if "`" + pair.group(1) + "`" in part.text
                   for name, body in setting_items(part.text))
    chained = _CHAINED.fullmatch(text)
    if chained:
        call = _CALL.fullmatch(chained.group(1))
        return bool(_signature(facts, call.group(1), call.group(2))) and any(
            call.group(1) in part.text and _written_as_code(part, chained.group(2))
            for part in facts.parts())
    only = _PARAMETERS_ONLY.fullmatch(text)
    if only and "," in only.group(1):
        names = [n.strip() for n in only.group(1).split(",")]
        return any(all(_written_as_code(part, n) for n in names) for part in facts.parts())
    return False


def _written_as_code(facts: SourceFacts, word: str) -> bool:
    return re.search(r"(?<![\w$-])" + re.escape(word) + r"(?![\w$-])", facts.code) is not None


def _signature(facts: SourceFacts, name: str, arguments: str) -> bool | None:
    """A function written with its parameters (``secret(length, alphabet)``) is stated where
    a source gives the function with parameters of those names, whatever their types,
    defaults and optional marks (``secret(length?: number, alphabet?: string)``); with no
    parameters (``secret()``), wherever the source calls or defines it. None for a call
    with literal arguments (``secret(32)``): that is checked as written."""
    wanted = [p.group(1) for p in map(_PARAMETER.fullmatch, arguments.split(",")) if p]
    if len(wanted) != len([a for a in arguments.split(",") if a.strip()]):
        return None
    for found in re.finditer(r"(?<![\w$])" + re.escape(name) + r"\(([^()]*)\)", facts.text):
        listed = found.group(1)
        given = [p.group(1) for p in map(_PARAMETER.match, listed.replace("[", "").replace(
            "]", "").split(",")) if p]
        required = len([a for a in listed.split("[", 1)[0].split(",") if a.strip()])
        # the reference's optional parameters in brackets (`setTimeout([delay[, value]])`)
        # may be left out; a parameter named otherwise is another signature
        if not wanted or given == wanted or (
                required <= len(wanted) <= len(given) and given[:len(wanted)] == wanted):
            return True
    return False


def _value_given(facts: SourceFacts, key: str, value: str | None) -> bool:
    """A flag or variable set to ``value`` ("--mount=type=bind", "NO_CACHE=true"): where the
    sources set it with ``=`` too, each comma-separated part of the draft's value must be
    one of theirs; where they never do, the name alone is what can be checked."""
    if not value:
        return True
    given = re.findall(r"(?<![\w-])" + re.escape(key) + r"=([^\s`'\"]+)", facts.text)
    if not given:
        return True
    # a table of variables gives values too: "| `CLICKHOUSE_DB` | `default` |"
    given += re.findall(r"^\s*\|\s*`?" + re.escape(key) + r"`?\s*\|\s*`?([^|`\s]+)`?\s*\|",
                        facts.text, re.MULTILINE)
    if value.startswith("${{"):
        # a reference the sources set another variable to, where they set this one to
        # others (DB_NAME=${{PGUSER}} for DB_NAME=${{PGDATABASE}}, DB_USER=${{PGUSER}});
        # a reference they never write is the writer's choice of service or variable
        return value in {reference_value(v) for v in given} or not re.search(
            r"(?<![\w-])[A-Z][A-Z0-9_]*=\$\{\{\s*(?:[\w-]+\.)?" + re.escape(value[3:-2]) +
            r"\s*\}\}", facts.text)
    theirs = {part.strip("\"'").lower() for v in given for part in v.split(",")}
    return all(part.strip("\"'").lower() in theirs for part in value.split(",")
               if part and not _PLACEHOLDER_PART.search(part))


# flags whose word names something of the user's own (a service, a project...): a writer's
# example may name anything the sources mention; other flags take the values the sources give
NAMED_BY_USER = frozenset("""service project environment env name workspace team volume bucket
domain app database db host hostname user username file path dir directory output out message
branch repo repository image tag title label key value region port from to source target-dir
config profile token""".split())


# a value the sources write as an example of the user's own: `my-function`, `your-app`
_EXAMPLE_NAME = re.compile(r"(?:my|your|our|example|sample|some)(?:[-_.]|$)", re.IGNORECASE)


def _spaced_given(facts: SourceFacts, key: str, value: str | None) -> bool:
    """The word after a flag (``-F d``, ``--agent github-copilot``): where the sources' code
    gives that flag words too (``-F t``, ``--agent copilot``), the draft's must be one of
    them or at least a word the sources use (a service name such as ``backend`` is the
    writer's own); where they never do, the word may be an argument and is not checked."""
    if not value:
        return True
    given = {v.lower() for v in re.findall(r"(?<![\w-])" + re.escape(key) + r"[ \t]+([\w][\w.-]*)",
                                           facts.code)}
    if not given or value.lower() in given:
        return True
    if re.fullmatch(r"\d+[a-z]+", value) and any(re.fullmatch(r"\d+[a-z]+", v) for v in given):
        return True  # `--duration 3h` for `--duration 1h`: an example of the same kind of value
    if re.search(r"`" + re.escape(value) + r"`", facts.text, re.IGNORECASE):
        return True  # a documented value: "Filter by `ingress` or `egress`"
    name = key.lstrip("-").lower()
    if all(_EXAMPLE_NAME.match(v) for v in given):
        return True  # the sources name only examples (`--function my-function`): the user's
    if key.startswith("--") and name not in NAMED_BY_USER:
        return False  # `--target compute` where the sources give `--target workspace`
    return re.search(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", facts.text,
                     re.IGNORECASE) is not None


_PLACEHOLDER_PART = re.compile(r"[<>{}]|\.\.\.")


def _loose(text: str) -> str:
    return _AROUND_MARK.sub(r"\1", _QUOTES.sub("", text))


_QUOTES = re.compile(r"[\"'`“”‘’]")
_AROUND_MARK = re.compile(r"\s*([:=,])\s*")


def _key_part(facts: SourceFacts, part: str) -> bool:
    """One part of a dotted key (``deploy.startCommand``) written where a source nests it: as
    a key (``"deploy": {``, ``startCommand =``, ``deploy:``), a TOML table (``[deploy]``), a
    segment of another dotted key, or alone in inline code ("under `deploy`"). A word of the prose is not a key ("ip" in "IP address"
    does not make ``ip.src`` of ``ipv4.src``)."""
    p = re.escape(part)
    pattern = (rf"`{p}`|(?<![\w.-])[\"']?{p}[\"']?\s*[:=]|\[(?:[\w-]+\.)*{p}(?:\.[\w-]+)*\]"
               rf"|(?<![\w-])[\w-]+\.{p}(?![\w-])|(?<![\w.-]){p}\.[\w-]")
    return re.search(pattern, facts.text, re.IGNORECASE) is not None


_CONFIG_COMMAND = re.compile(r"""(?<![\w-])["']?command["']?\s*[:=]\s*["']([\w@./-]+)["']""")
_CONFIG_ARGS = re.compile(r"""(?<![\w-])["']?args["']?\s*[:=]\s*\[\s*["']([\w@./:-]+)["']""")


def _configured_commands(text: str) -> set[tuple[str, str]]:
    """The program and first argument of each command a configuration runs, as MCP and
    process configs write them (``"command": "railway", "args": ["mcp"]``): the sources
    state ``railway mcp`` though never in one line."""
    out = set()
    for command in _CONFIG_COMMAND.finditer(text):
        args = _CONFIG_ARGS.search(text, command.end(), command.end() + 200)
        if args is not None:
            out.add((command.group(1), args.group(1)))
    return out


def _command(facts: SourceFacts, key: str) -> bool:
    """A command is found in the sources' code: ``railway volume files``, ``npm install``.

    A third word is checked only where the sources show the first two with other
    subcommands (``railway volume browse``, ``railway volume files``), so an
    argument (``npm install express``) is never taken for a subcommand.
    """
    words = key.split()
    pattern = r"(?<![\w@/.-])" + r"\s+".join(re.escape(w) for w in words[:2]) + r"(?![\w-])"
    if re.search(pattern, facts.code) is None:
        return len(words) == 2 and tuple(words) in _configured_commands(facts.text)
    for depth in range(2, len(words)):
        prefix = r"(?<![\w@/.-])" + r"\s+".join(re.escape(w) for w in words[:depth])
        # the word after the prefix on the same line, read without consuming it (a bare
        # `railway service` line must not hide the `railway service backend` after it)
        children = set(re.findall(prefix + r"[ \t]+(?=([a-z][a-z0-9:-]*)(?![\w:-]))", facts.code))
        if len(children) >= 2 and words[depth] not in children:
            # a subcommand the sources list rather than run (a "| `delete` | ..." table row)
            return depth == len(words) - 1 and re.search(
                r"(?m)^\s*\|\s*`" + re.escape(words[depth]) + r"`\s*\|", facts.text) is not None
        if words[depth] not in children:
            if any(re.search(prefix + r"\s+" + re.escape(child) + r"\s+" + re.escape(words[depth])
                             + r"(?![\w:-])", facts.code) for child in children):
                return False  # a level left out: `railway waf enable` for `railway waf under-attack enable`
            if depth + 1 < len(words) and any(
                    re.search(prefix + r"\s+" + re.escape(child) + r"\s+" + re.escape(words[depth + 1])
                              + r"(?![\w:-])", facts.code) for child in children):
                return False  # a level renamed: `railway waf attack-mode enable`
            break  # the sources show no subcommands here: the rest are arguments
    return True


_PARAM = re.compile(r"\{[^}/]*\}|:[A-Za-z_]\w*|<[^>/]*>")


def _endpoint(facts: SourceFacts, path: str) -> bool:
    path = path.rstrip("/") or "/"
    pattern = ""
    for piece in re.split(r"(\{[^}/]*\}|:[A-Za-z_]\w*|<[^>/]*>)", path):
        if not piece:
            continue
        pattern += r"[^/\s]+" if _PARAM.fullmatch(piece) else re.escape(piece)
    return re.search(pattern + r"/?(?![\w-])", facts.text) is not None


_METHODS = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS"


def _method_of(facts: SourceFacts, path: str, method: str) -> bool:
    """Whether the sources give ``method`` for ``path`` where they give that path a method
    at all (`GET /tasks` is not stated by `POST /tasks`, however often they write GET)."""
    given = {m.group(1) for m in re.finditer(
        r"\b(" + _METHODS + r")\s+`?" + re.escape(path.rstrip("/") or "/") + r"/?(?![\w/:{<-])",
        facts.text)}
    return not given or method in given


# -- what the source says instead ------------------------------------------------------------

def alternatives(facts: SourceFacts, passage_facts: SourceFacts, specific: Specific,
                 vocabulary=None) -> list[str]:
    """Same-kind specifics the nearest passage states, most alike first (for the suggestion)."""
    if specific.quantity is not None:
        dimension = specific.quantity.dimension
        items = [item for group in passage_facts.numbers.values() for item in group
                 if item.quantity.dimension == dimension]
        if specific.noun:
            wanted = {normal_token(w) for w in specific.noun.split()}
            said = [i for i in items if wanted & {normal_token(w) for w in re.findall(
                r"[A-Za-z]+", i.snippet.lower())}]
            nouned = [i for i in items if wanted & {normal_token(w) for w in i.context}]
            items = said or nouned or items
        return _unique(i.snippet for i in items)
    if specific.kind == "date":
        return _unique(d.text() for d in passage_facts.dates if d.month or d.day)
    if specific.kind == "grain":  # "set per service"
        nouns = "(?:" + "|".join(n + "s?" for n in GRAIN_NOUNS) + ")"
        return _unique(" ".join(m.group(0).split())
                       for m in re.finditer(_grain_pattern(nouns), passage_facts.lower))
    if specific.kind == "rate":  # "per minute", "/ min"
        units = "|".join(f for forms in RATE_UNITS.values() for f in forms if len(f) > 1)
        return _unique(" ".join(m.group(0).split()) for m in re.finditer(
            rf"\bper[\s-]+(?:{units})\b", passage_facts.lower))
    if specific.kind == "version":
        return _unique(sorted(v for v in passage_facts.versions if "." in v))
    if specific.kind == "shortcut":
        return _unique(m.group(0) for m in SHORTCUT.finditer(passage_facts.text))
    if specific.kind == "name" and vocabulary is not None and specific.term is not None:
        term = vocabulary.terms[specific.term]
        same = [vocabulary.terms[i] for i in passage_facts.terms
                if vocabulary.terms[i].type == term.type and i != specific.term
                and (vocabulary.terms[i].category == term.category or term.type != "Technology")]
        return _unique(t.name for t in same)
    return _closest_tokens(passage_facts, specific)


def _closest_tokens(facts: SourceFacts, specific: Specific) -> list[str]:
    """Spellings of the same shape in the source, the most alike first (none for a name
    the vocabulary does not know: a similar-looking word is no suggestion)."""
    import difflib

    if specific.kind == "name":
        return []
    key = specific.key
    shape = {
        "env-var": re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*"),
        "flag": re.compile(r"--?[A-Za-z][\w-]*"),
        "endpoint": re.compile(r"/[\w\-./{}:]+"),
        "scope": re.compile(r"[a-z][a-z_-]*:[a-z_*-]+"),
        "http-method": re.compile(r"GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT"),
    }.get(specific.kind)
    if specific.kind == "command":
        words = key.split()
        found = re.findall(r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in words[:-1])
                           + r"\s+[a-z][\w:-]*", facts.code)
        if not found:
            found = re.findall(r"(?<![\w-])" + re.escape(words[0]) + r"\s+[a-z][\w:-]*",
                               facts.code)
        candidates = [" ".join(f.split()) for f in found]
    elif shape is not None:
        candidates = [c for c in facts.chunks if shape.fullmatch(c) and len(c) > 1]
    else:
        candidates = list(facts.chunks)
    parts = set(re.split(r"[_.:/-]", key.lower())) - {""}

    def likeness(candidate: str) -> float:
        ratio = difflib.SequenceMatcher(None, key.lower(), candidate.lower()).ratio()
        shared = parts & set(re.split(r"[_.:/-]", candidate.lower()))
        return max(ratio, 0.6 if shared and specific.kind == "env-var" else 0.0)

    floor = 0.75 if specific.kind in ("identifier", "config-key", "url") else 0.6
    if shape is None and specific.kind != "command":  # many candidates: difflib's quick filters
        lowered: dict[str, str] = {}
        for candidate in candidates:
            if candidate != key:
                lowered.setdefault(candidate.lower(), candidate)
        return [lowered[c] for c in difflib.get_close_matches(key.lower(), list(lowered), n=3,
                                                              cutoff=floor)]
    scored = sorted(((likeness(c), c) for c in set(candidates) if c != key), reverse=True)
    return [c for score, c in scored if score >= floor][:3]


def _unique(items) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
