"""Specific facts in a piece of prose: what ``grounding/specific`` checks against the sources.

``find_specifics(text, code=..., urls=..., vocabulary=...)`` reads one unit of a
draft's prose (a sentence or a table cell, with inline code and URLs masked as
``*`` by the markdown reader, their contents given apart) and returns every
``Specific`` in it, each with its kind, where it is, and a normalised form that
survives rewording:

==============  ==========================================  ===========================
kind            written as                                  normalised to
==============  ==========================================  ===========================
number          ``100 requests``, ``1,000``, ``1k``         Quantity("count", 100)
percent         ``99.9%``, ``99.9 percent``                 Quantity("percent", 99.9)
multiplier      ``20x``, ``20×``, ``20 times``              Quantity("x", 20)
price           ``$5``, ``5 USD``, ``€10``, ``50 cents``    Quantity("usd", 5)
duration        ``60 s``, ``60 seconds``, ``one minute``    Quantity("time", 60)
size            ``8GB``, ``8 gigabytes``, ``512 MiB``       Quantity("bytes", 8e9)
bandwidth       ``100 Mbps``                                Quantity("bits/s", 1e8)
version         ``v2``, ``1.2.3``, ``Python 3.12``          "2", "1.2.3", "3.12"
date            ``March 2024``, ``2024-03-15``, ``in 2023``  Date(2024, 3, None)
endpoint        ``GET /v1/projects``, ``/health``           "/v1/projects"
http-method     ``POST``                                    "POST"
command         ```railway up --detach```                   "railway up"
flag            ``--detach``                                "--detach"
env-var         ``RAILWAY_TOKEN``, ```PORT```               "RAILWAY_TOKEN"
scope           ``workspace:admin``                         "workspace:admin"
config-key      ```deploy.startCommand```, ```healthcheckPath```  the key
identifier      ```railway.json```, ```max_connections```  the identifier
url             ``https://railway.com/pricing``             "railway.com/pricing"
name            ``PostgreSQL``, ``Render``, ``PlanetScale``  the vocabulary term
==============  ==========================================  ===========================

What is *not* a specific, by design (each would be a false alarm): numbers in
code, in URLs and in identifiers (``EC2``, ``gpt-4``, ``v1`` in a path), list
and ordinal numbers (``Step 2``, ``3 steps``, ``5 common mistakes``, ``2nd``),
spelled-out numbers without a unit (``two ways``), ``24/7``, clock times,
placeholders in code (``<your-token>``, ``YOUR_API_KEY``, ``my-app``) and
topics of the vocabulary (``deployment``, ``monitoring``), which are ordinary words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.grounding import numbers as num
from kurt.checks.grounding.dates import YEAR, Date, find_dates
from kurt.index.keys import entity_key
from kurt.index.terms import stem

STOPWORDS = frozenset("""
a about after all also an and any are as at be because been before being both but by can
could did do does each either every few for from had has have how if in into is it its just
may might more most much must no nor not now of off on once only or other our out over own
same should so some such than that the their them then there these they this those through
to too under until up very via was we were what when where whether which while who why will
with within without would yet you your already always even ever instead still
""".split())

MASK = "*"

NUMERIC_KINDS = {"count": "number", "percent": "percent", "x": "multiplier", "usd": "price",
                 "eur": "price", "gbp": "price", "time": "duration", "bytes": "size",
                 "bits/s": "bandwidth"}
CODE_KINDS = ("endpoint", "http-method", "command", "flag", "env-var", "scope", "config-key",
              "identifier", "url")
KINDS = (*dict.fromkeys(NUMERIC_KINDS.values()), "version", "date", "time", *CODE_KINDS, "name")

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# Words before a number that make it a label, not a fact: "Step 2", "Option 3", "#1".
LABEL_BEFORE = frozenset("""
step steps part phase option section chapter figure fig table line lines item page method
approach stage tip no number rule level lesson round tier example question problem exercise
task case scenario point slide screenshot appendix footnote note top week day
""".split())
# Nouns after a number that count the draft's own structure: "3 steps", "5 common mistakes".
LABEL_AFTER = frozenset("""
step steps way ways thing things tip tips reason reasons option options method methods
approach approaches stage stages part parts example examples question questions mistake
mistakes lesson lessons takeaway takeaways section sections idea ideas pattern patterns
strategy strategies practice practices trick tricks pitfall pitfalls benefit benefits
feature features key main simple easy quick common essential important best core things
""".split())
# Words after a bare year that show it is a count ("2000 requests") rather than a date.
_COUNT_AFTER_YEAR = re.compile(r"\s+[a-z][a-z-]+")
_YEAR_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|since|of|from|until|till|by|during|before|after|early|late|mid|around|"
    r"circa|year|fall|spring|summer|winter)\s+|[-–(]\s*)$", re.IGNORECASE)

_NUMBER = re.compile(
    r"(?P<cur>US\$|\$|€|£)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suf>[A-Za-z%×µμ]+)?")
_WORD = re.compile(r"[A-Za-z%×µμ]+(?:/[A-Za-z]+)?")
_VERSION = re.compile(
    r"(?<![\w./-])(?:v(?P<v>\d+(?:\.\d+)*(?:\.x)?)|(?P<dots>\d+\.\d+\.\d+(?:\.\d+)*|\d+\.x))"
    r"(?![\w/]|\.\d)")
_VERSION_WORD = re.compile(r"\bversions?\s+(?P<n>\d+(?:\.\d+)*(?:\.x)?)\b", re.IGNORECASE)
_ENV_VAR = re.compile(r"(?<![\w$-])\$?(?P<name>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b")
_DOLLAR_VAR = re.compile(r"\$\{?(?P<name>[A-Z][A-Z0-9_]+)\}?")
_FLAG = re.compile(r"(?<![\w-])(?P<flag>--[a-zA-Z][\w-]*)")
_ENDPOINT = re.compile(r"\b(?P<method>" + "|".join(HTTP_METHODS) + r")\s+(?P<path>/[\w\-./{}:]*)")
_PATH = re.compile(r"(?<![\w.*/<>-])(?P<path>/(?=[\w{])[\w\-{}:.]+(?:/[\w\-{}:.]+)*/?)(?![\w/])")
_METHOD = re.compile(r"\b(?P<method>" + "|".join(HTTP_METHODS) + r")\b")
_SCOPE = re.compile(r"(?<![\w:/.-])(?P<scope>[a-z][a-z_-]*:[a-z_*][a-z_*-]*)(?![\w:/])")
_CAMEL = re.compile(r"(?<![\w.-])(?P<id>[a-z]+(?:[A-Z][a-z0-9]+)+|[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)(?![\w-])")
_SNAKE = re.compile(r"(?<![\w.-])(?P<id>[a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w-])")
_DOMAIN = re.compile(
    r"(?<![\w@./-])(?P<id>[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:com|io|app|dev|net|org|sh|ai|co|cloud))\b")
_FILE = re.compile(r"(?<![\w./-])(?P<id>[\w-]+\.(?:json|toml|yaml|yml|js|ts|py|rb|go|rs|sh|"
                   r"env|lock|txt|md|sql|conf|ini|xml|dockerfile))\b")
_PLACEHOLDER = re.compile(r"[<>{}\[\]]|\.\.\.|\byour[-_ ]|\bmy[-_]|\bexample\b|\bxxx|\bfoo\b|"
                          r"\bbar\b|^YOUR_|_HERE\b|\bPLACEHOLDER\b", re.IGNORECASE)
WRAPPERS = frozenset({"npx", "bunx", "pnpx", "uvx", "sudo", "env", "time", "exec"})
_PROGRAM = re.compile(r"^[a-z][a-z0-9._-]*$")
_SUBCOMMAND = re.compile(r"^[a-z][a-z0-9:-]*$")


@dataclass(frozen=True)
class Specific:
    kind: str  # one of KINDS
    text: str  # as written in the draft
    start: int  # offsets in the unit's text
    end: int
    quantity: num.Quantity | None = None  # numeric kinds
    noun: str | None = None  # what a number counts ("request"), singular, lowercase
    date: Date | None = None
    key: str = ""  # normalised form for versions, code, urls and names
    term: int | None = None  # vocabulary term (names)
    method: str | None = None  # endpoints written with their HTTP method


# -- numbers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    quantity: num.Quantity
    raw: float  # the number as written, before units (60 in "60 seconds")
    noun: str | None
    words: bool  # spelled out ("one minute")
    label: bool  # a list/ordinal label ("Step 2", "3 steps")
    year: bool  # a bare year ("in 2024")


def _word_after(text: str, index: int) -> tuple[str, int, int] | None:
    """The word (letters, %, ×) after ``index``, skipping spaces and one hyphen: (word, start, end)."""
    j = index
    while j < len(text) and text[j] in " \t\u00a0":
        j += 1
    if j < len(text) and text[j] in "-–" and j == index:
        j += 1
    found = _WORD.match(text, j)
    if not found:
        return None
    return found.group(0), found.start(), found.end()


def _word_before(text: str, index: int) -> str:
    found = re.search(r"([A-Za-z#]+)[\s.]*$", text[max(0, index - 30):index])
    return found.group(1).lower() if found else ""


def _unit_after(text: str, index: int, *, digits: bool) -> tuple[num.Unit, int, str] | None:
    """A unit named right after a number: (unit, end offset, name as written)."""
    nxt = _word_after(text, index)
    if nxt is None:
        return None
    word, _, end = nxt
    if "/" in word:  # "GB/month": the unit is the part before the slash
        word = word.split("/")[0]
        end = nxt[1] + len(word)
    two = re.match(r"\s+(cent|points)\b", text[end:])
    if two and word.lower() in ("per", "percentage"):
        word = f"{word} {two.group(1)}"
        end += two.end()
    unit = num.unit_of(word, digits=digits)
    if unit is None:
        return None
    if word.lower() == "times" and not re.match(r"\s+(?:faster|slower|more|less|larger|smaller|"
                                                r"cheaper|bigger|as|the|higher|lower)\b",
                                                text[end:]):
        return None  # "3 times a day" is a frequency, not a multiplier
    if word.lower() in ("m", "d", "h", "s", "b") and end < len(text) and text[end] == "'":
        return None
    return unit, end, word


def _noun_after(text: str, index: int) -> str | None:
    """What a number counts: the next one or two words, lightly stemmed ("concurrent build")."""
    words = []
    for match in re.finditer(r"[A-Za-z][A-Za-z-]*", text[index:index + 40]):
        word = match.group(0).lower()
        if not words and text[index:index + match.start()].strip(" -") not in ("", "/"):
            return None
        if word in _FUNCTION_WORDS or word in STOPWORDS or len(word) < 2:
            break
        words.append(stem(word))
        if len(words) == 2:
            break
    return " ".join(words) or None


_FUNCTION_WORDS = frozenset("""
a an the and or of to in on at by for from with as is are was were be been it its this that
these those than then per vs via into onto over under up down out off if but so not no
""".split())


def find_numbers(text: str, *, draft: bool = True) -> list[NumberMention]:
    """Every number of ``text`` with its unit or counted noun (see the module docstring).

    ``draft=False`` reads a source: spelled-out numbers count without a unit too,
    ``a minute`` is one minute and ``twice`` is 2x, so a source is read generously.
    """
    found: list[NumberMention] = []
    for match in _NUMBER.finditer(text):
        mention = _digits_mention(text, match, draft=draft)
        if mention is not None:
            found.append(mention)
    for match in num.WORD_NUMBER.finditer(text):
        if any(m.start <= match.start() < m.end for m in found):
            continue
        mention = _words_mention(text, match, draft=draft)
        if mention is not None:
            found.append(mention)
    if not draft:
        for match in re.finditer(r"\b(half\s+)?(?:an?|one)\s+(second|minute|hour|day|week|month|"
                                 r"year)\b", text, re.IGNORECASE):
            unit = num.UNITS[match.group(2).lower()]
            value = 0.5 if match.group(1) else 1.0  # "half a day" is 12 hours
            found.append(NumberMention(match.start(), match.end(),
                                       num.Quantity(unit.dimension, value * unit.factor), value,
                                       None, True, False, False))
        for match in re.finditer(r"\b(twice|double|triple|half)\b", text, re.IGNORECASE):
            value = {"twice": 2.0, "double": 2.0, "triple": 3.0, "half": 0.5}[match.group(1).lower()]
            dim = "x" if value != 0.5 else "count"
            found.append(NumberMention(match.start(), match.end(), num.Quantity(dim, value), value,
                                       None, True, False, False))
    found.sort(key=lambda m: m.start)
    return _propagate_range_units(text, found)


def _digits_mention(text: str, match: re.Match, *, draft: bool) -> NumberMention | None:
    start, end = match.span()
    before = text[start - 1] if start else " "
    if before.isalnum() or before in "_.#@/\\:" or (draft and before == MASK):
        return None
    if before in "-–" and start >= 2 and (text[start - 2].isalpha() or text[start - 2] in "_/"):
        return None  # gpt-4, t3-large
    raw_end = match.end("num")
    after = text[end:end + 2]
    if after[:1] == "_" or (draft and after[:1] == MASK) or (after[:1] == "." and after[1:2].isalnum()) \
            or (after[:1] in ":/" and after[1:2].isdigit()) or (after[:1] == "," and
                                                              after[1:2].isdigit()):
        return None  # 1.2.3, 24/7, 10:30, a list "1,2,3"
    value = num.parse_digits(match.group("num"))
    if value is None:
        return None
    suffix = match.group("suf")
    dimension, factor, unit_end = "count", 1.0, end
    currency = match.group("cur")
    if suffix:
        magnitude = num.SUFFIX_MAGNITUDES.get(suffix)
        unit = num.unit_of(suffix, glued=True)
        if suffix in ("k", "K", "M", "bn") or (suffix == "B" and not draft):
            value *= magnitude
        elif unit is not None:
            dimension, factor = unit.dimension, unit.factor
        else:
            return None  # 2nd, 3D, 2FA, 5G: not a quantity
    raw = value
    if dimension == "count":
        words = re.match(r"[\s-]+(hundred|thousand|million|billion|trillion)\b", text[unit_end:],
                         re.IGNORECASE)
        if words:
            value *= num.MAGNITUDES[words.group(1).lower()]
            unit_end += words.end()
            raw = value
        unit = _unit_after(text, unit_end, digits=True)
        if unit is not None:
            dimension, factor = unit[0].dimension, unit[0].factor
            unit_end = unit[1]
    if currency:
        dimension, factor = num.CURRENCY_SIGNS[currency], 1.0
    quantity = num.Quantity(dimension, value * factor)
    noun = _noun_after(text, unit_end) if dimension == "count" else None
    word_before = _word_before(text, start)
    label = dimension == "count" and (
        word_before in LABEL_BEFORE or _label_after(text, unit_end)
        or (before == "(" and text[end:end + 1] == ")"))
    year = False
    if dimension == "count" and not suffix and YEAR.fullmatch(match.group("num")):
        tail = text[raw_end:]
        counted = _COUNT_AFTER_YEAR.match(tail) and noun is not None and noun not in ("and", "or")
        year = bool(_YEAR_CONTEXT_BEFORE.search(text[:start]) or not counted)
    return NumberMention(start, max(unit_end, end), quantity, raw, noun, False, label, year)


def _label_after(text: str, index: int) -> bool:
    words = re.findall(r"[A-Za-z]+", text[index:index + 40])[:3]
    return any(w.lower() in LABEL_AFTER for w in words[:2]) or (
        len(words) >= 1 and words[0].lower() in LABEL_AFTER)


def _words_mention(text: str, match: re.Match, *, draft: bool) -> NumberMention | None:
    value = num.parse_words(match.group(0))
    if value is None:
        return None
    start, end = match.span()
    if end < len(text) and text[end] == "-" and not re.match(r"-\s*[a-z]", text[end:]):
        return None
    unit = _unit_after(text, end, digits=False)
    if unit is not None:
        quantity = num.Quantity(unit[0].dimension, value * unit[0].factor)
        return NumberMention(start, unit[1], quantity, value, None, True, False, False)
    magnitude = any(w in num.MAGNITUDES for w in re.split(r"[\s-]+", match.group(0).lower()))
    if draft and not magnitude:
        return None  # "two ways", "one of the", "three services": not checked in prose
    noun = _noun_after(text, end)
    label = _word_before(text, start) in LABEL_BEFORE or _label_after(text, end)
    return NumberMention(start, end, num.Quantity("count", value), value, noun, True, label, False)


def _propagate_range_units(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """"2-4 GB", "2 to 4 GB", "between 2 and 4 GB": the first number takes the second's unit."""
    out = list(found)
    for i in range(len(found) - 1):
        first, second = found[i], found[i + 1]
        if first.quantity.dimension != "count" or second.quantity.dimension == "count":
            continue
        gap = text[first.end:second.start]
        if not re.fullmatch(r"\s*(?:-|–|to|and|or)\s*", gap):
            continue
        factor = second.quantity.value / second.raw if second.raw else 1.0
        out[i] = NumberMention(first.start, first.end,
                               num.Quantity(second.quantity.dimension, first.raw * factor),
                               first.raw, None, first.words, False, False)
    return out


# -- the extractor -------------------------------------------------------------------------

def find_specifics(text: str, *, code: list[tuple[int, int, str]] = (),
                   urls: list[tuple[int, int, str]] = (), vocabulary=None) -> list[Specific]:
    """The specifics of one unit of draft prose (a sentence or a table cell).

    ``text`` has inline code and URLs masked (``*``); ``code`` and ``urls`` give
    their (start, end, content) in ``text``. ``vocabulary`` is a compiled
    ``kurt.index.vocabulary.Vocabulary`` for names (None: no names).
    """
    found: list[Specific] = []
    taken: list[tuple[int, int]] = []

    def add(specific: Specific) -> None:
        if any(s < specific.end and specific.start < e for s, e in taken):
            return
        found.append(specific)
        taken.append((specific.start, specific.end))

    for start, end, content in code:
        for specific in code_specifics(content, start, end):
            found.append(specific)
        taken.append((start, end))
    for start, end, url in urls:
        key = normalise_url(url)
        if key:
            found.append(Specific("url", url, start, end, key=key))
        taken.append((start, end))
    for date in find_dates(text):
        add(Specific("date", text[date.start:date.end], date.start, date.end, date=date))
    for match in _ENDPOINT.finditer(text):
        path = match.group("path").rstrip(".,;:")
        add(Specific("endpoint", match.group(0).rstrip(".,;:"), match.start(),
                     match.start("path") + len(path), key=path, method=match.group("method")))
    for match in _VERSION.finditer(text):
        key = match.group("v") or match.group("dots")
        add(Specific("version", match.group(0), match.start(), match.end(), key=_version_key(key)))
    for match in _VERSION_WORD.finditer(text):
        add(Specific("version", match.group(0), match.start("n"), match.end(),
                     key=_version_key(match.group("n"))))
    names = find_names(text, vocabulary) if vocabulary is not None else []
    for name in names:  # "Python 3.12", "PostgreSQL 16": a version right after a technology
        after = re.match(r"\s+(?:v(?:ersion\s+)?)?(\d+(?:\.\d+)*(?:\.x)?)\b(?![\w%-]|\.\d|\s*(?:%|x\b))",
                         text[name.end:])
        if after and not (num.unit_of(_next_word(text, name.end + after.end())) or
                          _next_word(text, name.end + after.end()).lower() in LABEL_AFTER):
            start = name.end + after.start(1)
            add(Specific("version", after.group(1), start, name.end + after.end(),
                         key=_version_key(after.group(1))))
    for name in names:
        add(name)
    for mention in find_numbers(text, draft=True):
        if mention.label:
            continue
        written = text[mention.start:mention.end]
        if mention.year:
            add(Specific("date", written, mention.start, mention.end,
                         date=Date(int(mention.raw), start=mention.start, end=mention.end)))
            continue
        kind = NUMERIC_KINDS[mention.quantity.dimension]
        add(Specific(kind, written, mention.start, mention.end, quantity=mention.quantity,
                     noun=mention.noun))
    for pattern, kind, group in ((_ENV_VAR, "env-var", "name"), (_FLAG, "flag", "flag"),
                                 (_PATH, "endpoint", "path"), (_SCOPE, "scope", "scope"),
                                 (_FILE, "identifier", "id"), (_DOMAIN, "url", "id"),
                                 (_SNAKE, "identifier", "id"), (_METHOD, "http-method", "method")):
        for match in pattern.finditer(text):
            value = match.group(group)
            if kind == "endpoint" and not _looks_like_path(value):
                continue
            if kind == "url":
                add(Specific(kind, value, match.start(group), match.end(group),
                             key=normalise_url(value)))
                continue
            add(Specific(kind, value, match.start(group), match.end(group), key=value))
    for match in _CLOCK.finditer(text):
        add(Specific("time", match.group(0), match.start(), match.end(),
                     key=match.group(0).lstrip("0") or "0"))
    for match in _QUOTED_LABEL.finditer(text):
        add(Specific("identifier", match.group(0), match.start(1), match.end(1),
                     key=match.group(1)))
    for match in _CAPITALISED_PHRASE.finditer(text):
        if _sentence_start(text, match.start()) or match.group(0).split()[0] in _COMMON_CAPITALISED:
            continue
        if vocabulary is not None and any(s.kind == "name" and s.start <= match.start() < s.end
                                          for s in found):
            continue
        add(Specific("name", match.group(0), match.start(), match.end(), key=match.group(0)))
    for match in _CAMEL.finditer(text):
        word = match.group("id")
        kind = "config-key" if word[0].islower() else "name"
        add(Specific(kind, word, match.start(), match.end(), key=word))
    for match in _CAPITALISED.finditer(text):
        word = match.group(0)
        if word in _COMMON_CAPITALISED or _sentence_start(text, match.start()) \
                or num.unit_of(word) is not None:
            continue
        if vocabulary is not None and _known_word(vocabulary, word):
            continue
        add(Specific("name", word, match.start(), match.end(), key=word))
    found.sort(key=lambda s: (s.start, s.end))
    return found


_CAPITALISED = re.compile(r"(?<![\w.@/*-])(?:[A-Z][a-z]+[A-Za-z0-9]*|[A-Z]{2,}[a-z]?s?)"
                          r"(?:-[A-Z][A-Za-z0-9]*)*(?![\w*@-]|\.\w)")
_CLOCK = re.compile(r"(?<![\w:.])(?:[01]?\d|2[0-3]):[0-5]\d(?![\w:])")
_QUOTED_LABEL = re.compile(r"[\"“]((?:[A-Z][\w-]*)(?: [A-Z][\w-]*){1,5})[\"”]")
_CAPITALISED_PHRASE = re.compile(
    r"(?<![\w.@/*-])(?:[A-Z][a-z][A-Za-z0-9]*|[A-Z]{2,})(?: (?:[A-Z][a-z][A-Za-z0-9]*|[A-Z]{2,}))+"
    r"(?![\w*@-])")
_COMMON_CAPITALISED = frozenset("""
I OK AM PM UTC ID IDs URL URLs API APIs CLI UI UX FAQ FAQs TL DR PR PRs CI CD OS VM VMs
""".split())


def _sentence_start(text: str, index: int) -> bool:
    """Is ``index`` the first word of the unit, of a sentence, or after a colon or a bullet?"""
    before = text[:index].rstrip(" \t\"'“‘(*_[")
    return not before or before[-1] in ".!?:;\n|•–—" or before.endswith(("**", "--"))


def _known_word(vocabulary, word: str) -> bool:
    """A vocabulary term of any type (a topic such as "Observability" is a word, not a name)."""
    lower = (word.lower(),)
    return lower in vocabulary.ci or (*lower[:-1], entity_key(lower[-1])) in vocabulary.ci_singular


def _next_word(text: str, index: int) -> str:
    found = re.match(r"[\s-]*([A-Za-z%]+)", text[index:])
    return found.group(1) if found else ""


def _looks_like_path(path: str) -> bool:
    segments = [s for s in path.strip("/").split("/") if s]
    if not segments:
        return False
    if len(segments) == 1 and not re.search(r"[a-z]", segments[0]):
        return False
    return any(re.search(r"[A-Za-z]", s) for s in segments)


def _version_key(text: str) -> str:
    key = text.lower().lstrip("v")
    if key.endswith(".x"):
        key = key[:-2]
    return key


def normalise_url(url: str) -> str:
    """``https://www.Railway.com/pricing/`` -> ``railway.com/pricing``."""
    key = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    key = re.sub(r"^www\.", "", key, flags=re.IGNORECASE)
    key = key.rstrip("/.,;:)")
    host, slash, rest = key.partition("/")
    return host.lower() + slash + rest


def find_names(text: str, vocabulary) -> list[Specific]:
    """Technology, company and product names of the vocabulary (not topics: they are words)."""
    from kurt.index.vocabulary import TOKEN

    if vocabulary is None:
        return []
    names = []
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    for index, start, end in _term_spans(vocabulary, text, tokens):
        term = vocabulary.terms[index]
        if not checked_term(term):
            continue
        names.append(Specific("name", text[start:end], start, end, key=term.name, term=index))
    return names


def checked_term(term) -> bool:
    """Names worth checking: not topics, protocols or concepts (those are common words)."""
    if term.type == "Topic":
        return False
    return not (term.type == "Technology" and term.category in ("protocol", "concept"))


def _term_spans(vocabulary, text: str, tokens) -> list[tuple[int, int, int]]:
    """(term index, start, end) of each vocabulary term in ``text`` (as entities.find_terms)."""
    from kurt.index.entities import _sentence_start

    spans = []
    if not tokens:
        return spans
    words = [t[2] for t in tokens]
    lower = [w.lower() for w in words]
    matches = [(t[0], t[1], t[2]) for t in tokens]
    i, n = 0, len(words)
    while i < n:
        longest = min(vocabulary.max_len, n - i) if lower[i] in vocabulary.multi_first else 1
        hit = None
        for length in range(longest, 0, -1):
            entry = vocabulary.cs.get(tuple(words[i:i + length]))
            if entry is not None:
                index, not_start = entry
                if not (not_start and _sentence_start(text, matches, i)):
                    hit = (index, length)
                    break
            low = tuple(lower[i:i + length])
            index = vocabulary.ci.get(low)
            if index is None and low[-1].endswith("s"):
                index = vocabulary.ci_singular.get((*low[:-1], entity_key(low[-1])))
            if index is not None:
                hit = (index, length)
                break
        if hit is None:
            i += 1
            continue
        spans.append((hit[0], tokens[i][0], tokens[i + hit[1] - 1][1]))
        i += hit[1]
    return spans


# -- inline code ---------------------------------------------------------------------------

def code_specifics(content: str, start: int, end: int) -> list[Specific]:
    """What one inline code span states: a command, a flag, a variable, an endpoint, a key...

    Numbers alone and placeholders (``<id>``, ``YOUR_TOKEN``, ``my-app``) state
    nothing to check. The specifics span the whole code span in the unit text.
    """
    content = content.strip()
    if not content or num.parse_number(content) is not None or re.fullmatch(
            r"[\d\s.,:/x%-]*\d[\d\s.,:/x%-]*", content):
        return []
    out: list[Specific] = []

    def add(kind: str, key: str, method: str | None = None) -> None:
        out.append(Specific(kind, content, start, end, key=key, method=method))

    parts = content.split()
    if "://" in content and len(parts) == 1:
        add("url", normalise_url(content))
        return out
    if len(parts) == 2 and parts[0] in HTTP_METHODS and parts[1].startswith("/"):
        add("endpoint", _strip_query(parts[1]), parts[0])
        return out
    if len(parts) == 1:
        token = parts[0]
        if _PLACEHOLDER.search(token):
            return []
        assignment = re.fullmatch(r"([A-Z][A-Z0-9_]*)=.*", token)
        if assignment:
            add("env-var", assignment.group(1))
        elif re.fullmatch(r"\$\{?[A-Z][A-Z0-9_]*\}?", token):
            add("env-var", token.strip("${}"))
        elif re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*", token) and len(token) >= 2:
            add("http-method" if token in HTTP_METHODS else "env-var", token)
        elif re.fullmatch(r"--?[A-Za-z][\w-]*(?:=\S*)?", token):
            add("flag", token.split("=")[0])
        elif token.startswith("/"):
            add("endpoint", _strip_query(token))
        elif re.fullmatch(r"[a-z][\w-]*:[\w*-]+", token):
            add("scope", token)
        elif re.fullmatch(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+", token) and not _FILE.fullmatch(
                token) and not _DOMAIN.fullmatch(token):
            add("config-key", token)
        elif re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]+)+", token):
            add("config-key", token)
        else:
            add("identifier", token.rstrip("()"))
        return out
    if re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", parts[0]) and not _PROGRAM.match(parts[0]):
        parts = parts[1:]  # FOO=bar command: the command is what follows
    flags = parts[1:]
    if parts and parts[0] in WRAPPERS:  # npx -y @railway/cli@latest redeploy: the real program
        index = 1
        while index < len(parts) and parts[index].startswith("-"):
            index += 1
        parts = parts[index:] or parts
    if parts and (_PROGRAM.match(parts[0]) or parts[0].startswith("@")) \
            and not _PLACEHOLDER.search(parts[0]):
        words = [parts[0]]
        for part in parts[1:5]:
            if _SUBCOMMAND.match(part) and not _PLACEHOLDER.search(part) and len(words) < 4:
                words.append(part)
            else:
                break
        if len(words) >= 2:
            add("command", " ".join(words))
        for part in flags:
            flag = re.fullmatch(r"(--?[A-Za-z][\w-]*)(?:=\S*)?", part)
            if flag and not _PLACEHOLDER.search(part):
                out.append(Specific("flag", content, start, end, key=flag.group(1)))
    if not out and len(parts) > 1 and not _PLACEHOLDER.search(content):
        add("identifier", " ".join(parts))  # a UI label, a key chord, a message: verbatim
    for part in parts:
        variable = re.fullmatch(r"\$?\{?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\}?(?:=.*)?", part)
        if variable and not _PLACEHOLDER.search(variable.group(1)):
            out.append(Specific("env-var", content, start, end, key=variable.group(1)))
    return out


def _strip_query(path: str) -> str:
    return path.split("?")[0].rstrip(".,;:")
