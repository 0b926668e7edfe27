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
time            ``02:00``                                   "2:00"
endpoint        ``GET /v1/projects``, ``/health``           "/v1/projects"
http-method     ``POST``                                    "POST"
command         ```railway up --detach```                   "railway up"
flag            ``--detach``                                "--detach"
env-var         ``RAILWAY_TOKEN``, ```PORT```               "RAILWAY_TOKEN"
scope           ``workspace:admin``                         "workspace:admin"
config-key      ```deploy.startCommand```, ```healthcheckPath```  the key
identifier      ```railway.json```, ```max_connections```,  the identifier, verbatim
                ```CMD + K```, ``"Enable Static IPs"``
url             ``https://railway.com/pricing``             "railway.com/pricing"
name            ``PostgreSQL``, ``Render``, ``PlanetScale``  the vocabulary term, or the
                ``Frankfurt``, ``Railway Pro``               capitalised word or phrase
rate            ``per second``, ``per GB``, ``/ month``       "second", "gb", "month"
grain           ``per service``, ``scoped to a single``      "service", "environment"
                ``environment``
==============  ==========================================  ===========================

Numbers in text are read by ``kurt.checks.grounding.quantities``, inline code by
``kurt.checks.grounding.code``; this module finds the rest and puts them together.

A capitalised phrase in bold mid-sentence is an interface label (``name``,
``Specific.label``: "use **Make Leader**"), and a number alone in inline code is a
value (``number``: "set `version` to `1`", "redirected with a `308`").

What is *not* a specific, by design (each would be a false alarm): numbers inside
longer code, in URLs and in identifiers (``EC2``, ``gpt-4``, ``v1`` in a path), list
and ordinal numbers (``Step 2``, ``3 steps``, ``5 common mistakes``, ``2nd``),
spelled-out numbers without a unit (``two ways``) unless a bound governs them
(``up to nine``, ``defaults to three``), ``24/7``, placeholders in
code (``<your-token>``, ``YOUR_API_KEY``, ``my-app``), what a template leaves to
fill (``{{PRODUCT_NAME}}``, ``[2-3 sentences: ...]``), topics and protocols of
the vocabulary (``deployment``, ``HTTP``), which are ordinary words, and
capitalised words where any word is capitalised (a sentence's first word,
after a colon or a bullet).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

import kurt.checks.grounding.numbers as num
from kurt.checks.grounding.code import DOMAIN, FILE_NAME, code_specifics, normalise_url
from kurt.checks.grounding.dates import Date, find_dates
from kurt.checks.grounding.kinds import (
    CODE_KINDS,
    GRAIN_NOUNS,
    HTTP_METHODS,
    KINDS,
    NUMERIC_KINDS,
    RATE_UNITS,
    Specific,
)
from kurt.checks.grounding.quantities import LABEL_AFTER, LABEL_BEFORE, NumberMention, find_numbers
from kurt.checks.grounding.shortcuts import find_shortcuts
from kurt.index.keys import entity_key

__all__ = ["CODE_KINDS", "KINDS", "NUMERIC_KINDS", "NumberMention", "Specific",
           "code_specifics", "find_names", "find_numbers", "find_specifics", "normalise_url"]

_VERSION = re.compile(
    r"(?<![\w./-])(?:v(?P<v>\d+(?:\.\d+)*(?:\.x)?)|(?P<dots>\d+\.\d+\.\d+(?:\.\d+)*|\d+\.x))"
    r"(?![\w/]|\.\d)")
# a protocol with its version: "HTTP/2", "TLS 1.3", "IPv6", "OAuth 2.0"
_PROTOCOL = re.compile(r"\b(?P<name>HTTP|TLS|SSL|SSH|IPv|OAuth|SMTP)(?:/|\s)?(?P<n>\d+(?:\.\d+)?)"
                       r"(?![\w]|\.\d)")
# an e-mail address, checked like a URL ("team@railway.com")
_EMAIL = re.compile(r"(?<![\w.+-])(?P<id>[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,})\b")
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


# the code-shaped kinds whose attribution is compared (kurt.checks.grounding.attribution)
TOKEN_KINDS = (("scope", _SCOPE, "scope"), ("flag", _FLAG, "flag"), ("env-var", _ENV_VAR, "name"),
               ("http-method", _METHOD, "method"))


# -- the extractor -------------------------------------------------------------------------

_ACRONYM_BEFORE = re.compile(r"(?<![\w-])[A-Z]{2,}[ \u00a0]$")


def find_specifics(text: str, *, code: list[tuple[int, int, str]] = (),
                   urls: list[tuple[int, int, str]] = (), vocabulary=None,
                   strong: list[tuple[int, int]] = ()) -> list[Specific]:
    """The specifics of one unit of draft prose (a sentence or a table cell).

    ``text`` has inline code and URLs masked (``*``); ``code`` and ``urls`` give
    their (start, end, content) in ``text``. ``vocabulary`` is a compiled
    ``kurt.index.vocabulary.Vocabulary`` for names (None: no names). ``strong``: the
    spans written in bold, whose capitalised ones mid-sentence are interface labels
    ("flip it in the **Edge** section"), checked as written (``Specific.label``).
    """
    found: list[Specific] = []
    taken: list[tuple[int, int]] = []
    text = blank_placeholders(text)

    def add(specific: Specific) -> None:
        if any(s < specific.end and specific.start < e for s, e in taken):
            return
        found.append(specific)
        taken.append((specific.start, specific.end))

    previous = None
    for start, end, content in sorted(code):
        after_flag = previous is not None and previous[1].lstrip().startswith("-") \
            and not text[previous[0]:start].strip()
        for specific in code_specifics(content, start, end):
            if after_flag and specific.kind == "number":
                continue  # "`--lines` `200`": an example argument of the flag, not a value
            found.append(specific)
        taken.append((start, end))
        previous = (end, content)
    for start, end, url in urls:
        key = normalise_url(url)
        if key:
            found.append(Specific("url", url, start, end, key=key))
        taken.append((start, end))
    for start, end, _ in find_shortcuts(text):  # "Ctrl/Cmd+Shift+D"
        add(Specific("shortcut", text[start:end], start, end, key=text[start:end]))
    for date in find_dates(text):
        add(Specific("date", text[date.start:date.end], date.start, date.end, date=date))
    for match in _ENDPOINT.finditer(text):
        path = match.group("path").rstrip(".,;:")
        add(Specific("endpoint", match.group(0).rstrip(".,;:"), match.start(),
                     match.start("path") + len(path), key=path, method=match.group("method")))
    for match in _VERSION.finditer(text):
        key = match.group("v") or match.group("dots")
        add(Specific("version", match.group(0), match.start(), match.end(), key=_version_key(key)))
    for match in _PROTOCOL.finditer(text):
        add(Specific("version", match.group(0), match.start(), match.end(),
                     key=f"{match.group('name').lower()}/{re.sub(r'(?:[.]0)+$', '', match.group('n'))}"))
    for match in _VERSION_WORD.finditer(text):
        add(Specific("version", match.group(0), match.start("n"), match.end(),
                     key=_version_key(match.group("n"))))
    names = find_names(text, vocabulary) if vocabulary is not None else []
    for start, end, path in _menu_steps(text, strong):  # interface labels in bold mid-sentence
        label = text[start:end]
        if not _BOLD_LABEL.fullmatch(label) or label.split()[0] in _COMMON_CAPITALISED \
                or (not path and _sentence_start(text, start)) or text[end:end + 1] == ":":
            continue  # not a label's shape, or a lead-in ("**Note** ...", "**Goal:**")
        if any(n.start == start and n.end == end for n in names):
            continue  # one vocabulary name in bold: read as that name (with its aliases)
        add(Specific("name", label, start, end, key=label, label=True))
    for name in names:  # "Python 3.12", "PostgreSQL 16": a version right after a technology
        after = re.match(r"\s+(?:v(?:ersion\s+)?)?(\d+(?:\.\d+)*(?:\.x)?)\b(?![\w%-]|\.\d|\s*(?:%|x\b))",
                         text[name.end:])
        if after and not (num.unit_of(_next_word(text, name.end + after.end())) or
                          _next_word(text, name.end + after.end()).lower() in LABEL_AFTER):
            start = name.end + after.start(1)
            add(Specific("version", after.group(1), start, name.end + after.end(),
                         key=_version_key(after.group(1))))
    for match in _NAMED_VERSION.finditer(text):  # "Haiku 4.5", "Gen 2.1": a version of a name
        following = _next_word(text, match.end())
        if match.group("name").lower() in LABEL_BEFORE or num.unit_of(following) \
                or following.lower() in LABEL_AFTER:
            continue
        add(Specific("version", match.group("v"), match.start("v"), match.end("v"),
                     key=_version_key(match.group("v"))))
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
        noun = mention.noun
        if noun and _ACRONYM_BEFORE.search(text, max(0, mention.start - 12), mention.start):
            noun = None  # "SOC 3 reports", "ISO 27001 audits": part of a name, counting nothing
        add(Specific(kind, written, mention.start, mention.end, quantity=mention.quantity,
                     noun=noun))
    for pattern, kind, group in ((_ENV_VAR, "env-var", "name"), (_FLAG, "flag", "flag"),
                                 (_PATH, "endpoint", "path"), (_SCOPE, "scope", "scope"),
                                 (FILE_NAME, "identifier", "id"), (_EMAIL, "url", "id"),
                                 (DOMAIN, "url", "id"),
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
    for match in _RATE.finditer(text):  # "per second", "per-minute", "per GB / min"
        unit = match.group("unit").lower()
        family = next(f for f, forms in RATE_UNITS.items() if unit in forms)
        add(Specific("rate", match.group(0), match.start(), match.end(), key=family))
    for match in _GRAIN.finditer(text):  # "set per service", "scoped to a single project"
        group = next(g for g in "abc" if match.group(g))
        noun = match.group(group).lower()
        add(Specific("grain", match.group(group), match.start(group), match.end(group),
                     key=noun[:-1] if noun.endswith("s") else noun))
    for match in _CLOCK.finditer(text):
        add(Specific("time", match.group(0), match.start(), match.end(),
                     key=match.group(0).lstrip("0") or "0"))
    for match in _QUOTED_LABEL.finditer(text):
        label = match.group(1)
        if " " not in label and not (_UI_NOUN_AFTER.match(text, match.end())
                                     or _UI_VERB_BEFORE.search(text[:match.start()])):
            continue  # one quoted word is a label only by what surrounds it
        add(Specific("identifier", label, match.start(1), match.end(1), key=label))
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
                or num.unit_of(word) is not None or (word.endswith("s") and word[:-1] in _COMMON_CAPITALISED):
            continue
        if vocabulary is not None and _known_word(vocabulary, word):
            continue
        add(Specific("name", word, match.start(), match.end(), key=word))
    found.sort(key=lambda s: (s.start, s.end))
    return found


# What a template leaves for the writer to fill ("{{PRODUCT_NAME}}", "[2-3 sentences: ...]",
# "[Beginner / Intermediate]", "- [ ]"): the structure/* rules report it; it states no fact.
# Markdown links are parsed before this point, so brackets left in the text are literal.
_PLACEHOLDER_TEXT = re.compile(r"\{\{[^{}]*\}\}|\[[^\[\]]*\]")


def blank_placeholders(text: str) -> str:
    """``text`` with template placeholders blanked (offsets kept); a bracket the sentence
    splitter cut in two ("[2-3 sentences: the outcome." / "Describe it.]") counts too."""
    text = _PLACEHOLDER_TEXT.sub(lambda m: " " * len(m.group(0)), text)
    opened = text.rfind("[")
    if opened >= 0 and "]" not in text[opened:]:
        text = text[:opened] + " " * (len(text) - opened)
    closed = text.find("]")
    if closed >= 0 and "[" not in text[:closed]:
        text = " " * (closed + 1) + text[closed + 1:]
    return text


_CAPITALISED = re.compile(r"(?<![\w.@/*-])(?:[A-Z][a-z]+[A-Za-z0-9]*|[A-Z]{2,}[a-z]?s?)"
                          r"(?:-[A-Z][A-Za-z0-9]*)*(?![\w*@-]|\.\w)")
# an interface label in bold mid-sentence ("flip it in the **Networking** section", "use
# **Make Leader**"): one to four words, the first capitalised
_MENU_STEP = re.compile(r"\s*(?:→|->|>|›|»)\s*")


def _menu_steps(text: str, strong) -> list[tuple[int, int, bool]]:
    """Bold spans as (start, end, in a menu path), a menu path cut into its steps:
    "**Settings → Shared Variables**" names two labels, even at a sentence's start."""
    out = []
    for start, end in strong:
        steps, last = [], start
        for step in _MENU_STEP.finditer(text, start, end):
            if step.start() > last:
                steps.append((last, step.start()))
            last = step.end()
        if last < end:
            steps.append((last, end))
        out += [(a, b, len(steps) > 1) for a, b in steps]
    return out


_BOLD_LABEL = re.compile(r"[A-Z][\w'&.+-]*(?: [\w'&.+-]+){0,3}")
_RATE = re.compile(r"(?:\bper[\s-]+|(?<=[\w)])\s?/\s?)(?P<unit>" + "|".join(
    f for forms in RATE_UNITS.values() for f in sorted(forms, key=len, reverse=True) if len(f) > 1)
    + r")\b", re.IGNORECASE)
_GRAIN_NOUN = "(?P<{}>" + "|".join(n + "s?" for n in GRAIN_NOUNS) + ")"
_GRAIN = re.compile(r"\bper[\s-]+" + _GRAIN_NOUN.format("a") + r"\b|\b(?:scoped|limited|restricted|tied"
                    r"|isolated)\s+to\s+(?:a\s+single|one|each|the|your|its|their|a)\s+"
                    + _GRAIN_NOUN.format("b") + r"\b|\b" + _GRAIN_NOUN.format("c")
                    + r"-(?:level|scoped|wide)\b", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\w:.])(?:[01]?\d|2[0-3]):[0-5]\d(?![\w:])")
# a quoted interface label or message: "Stop deployment", "Deploy" section (one word only
# with a control's noun after it or a verb of clicking before it)
_QUOTED_LABEL = re.compile(r"[\"“]([A-Z][\w-]*(?: [A-Z][\w-]*){1,5}|[A-Z][a-z][\w-]*"
                           r"(?: [a-z][\w-]*){1,3}|[A-Z][a-z][\w-]*)[\"”]")
_UI_NOUN_AFTER = re.compile(r"\s+(?:section|tab|button|menu|field|page|option|toggle|panel|"
                            r"settings?|link|dialog|modal|screen|card|column|view)\b")
_UI_VERB_BEFORE = re.compile(r"\b(?:click|select|pick|choose|press|hit|tap|open|toggle)\s+"
                             r"(?:the\s+|on\s+)?$", re.IGNORECASE)
_CAPITALISED_PHRASE = re.compile(
    r"(?<![\w.@/*-])(?:[A-Z][a-z][A-Za-z0-9]*|[A-Z]{2,})(?: (?:[A-Z][a-z][A-Za-z0-9]*|[A-Z]{2,}))+"
    r"(?![\w*@-])")
_COMMON_CAPITALISED = frozenset("""
I OK AM PM UTC ID IDs URL URLs API APIs CLI UI UX FAQ FAQs TL DR PR PRs CI CD OS VM VMs
""".split())


def find_line_names(text: str, vocabulary=None) -> list[tuple[int, int, str, int | None]]:
    """(start, end, text, vocabulary term or None) of the names of a source line: the
    vocabulary's names, and capitalised words that are not a sentence's first."""
    found = [(n.start, n.end, n.text, n.term) for n in find_names(text, vocabulary)] \
        if vocabulary is not None else []
    for match in _CAPITALISED_PHRASE.finditer(text):  # as the draft's are read: whole phrases
        if _sentence_start(text, match.start()) or match.group(0).split()[0] in _COMMON_CAPITALISED:
            continue
        if not any(s < match.end() and match.start() < e for s, e, _, _ in found):
            found.append((match.start(), match.end(), match.group(0), None))
    for match in _CAPITALISED.finditer(text):
        word = match.group(0)
        if word in _COMMON_CAPITALISED or word.isupper() or _sentence_start(text, match.start()):
            continue
        if any(s <= match.start() < e for s, e, _, _ in found):
            continue
        if vocabulary is not None and _known_word(vocabulary, word):
            continue
        found.append((match.start(), match.end(), word, None))
    return found


def _sentence_start(text: str, index: int) -> bool:
    """Is ``index`` the first word of the unit, of a sentence, or after a colon or a bullet?"""
    before = text[:index].rstrip(" \t\"'“‘(*_[")
    return not before or before[-1] in ".!?:;\n|•–—" or before.endswith(("**", "--"))


def _known_word(vocabulary, word: str) -> bool:
    """A vocabulary term of any type (a topic such as "Observability" is a word, not a name)."""
    lower = (word.lower(),)
    return lower in vocabulary.ci or (*lower[:-1], entity_key(lower[-1])) in vocabulary.ci_singular


_NAMED_VERSION = re.compile(r"\b(?P<name>[A-Z][A-Za-z0-9-]*)\s+(?P<v>\d+\.\d+(?:\.\d+)*)\b"
                            r"(?![\w%-]|\.\d|\s*(?:%|x\b))")


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



def find_names(text: str, vocabulary) -> list[Specific]:
    """Technology, company and product names of the vocabulary (not topics: they are words)."""
    if vocabulary is None:
        return []
    names = []
    for index, start, end in term_spans(vocabulary, text):
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


@lru_cache(maxsize=1)
def _token_parts_pattern():
    from kurt.index.vocabulary import TOKEN

    return re.compile(f"({TOKEN.pattern})")


def _token_parts(text: str) -> list[str]:
    """``text`` split around its vocabulary tokens (``kurt.index.vocabulary.TOKEN``): the
    gaps and the tokens alternate, so the tokens and their offsets come from one C call."""
    return _token_parts_pattern().split(text)


def term_spans(vocabulary, text: str) -> list[tuple[int, int, int]]:
    """(term index, start, end) of each vocabulary term in ``text``, longest match first, as
    ``kurt.index.entities.find_terms`` matches them.

    Only the tokens a match can start with (``Vocabulary.start_tokens``) are tried, with the
    lengths a match starting there can have (``Vocabulary.lengths``), and the token offsets
    are found only when the text holds such a token: most source sentences name no term, and
    this runs on every sentence of every source a draft may rely on.
    """
    from kurt.index.entities import _sentence_start

    parts = _token_parts(text)  # [gap, token, gap, token, ..., gap]
    words = parts[1::2]
    if not words:
        return []
    lower = " ".join(words).lower().split(" ")  # tokens are ASCII without spaces: one call
    starts, lengths = vocabulary.start_tokens, vocabulary.lengths
    if not starts and (vocabulary.ci or vocabulary.cs):  # tables filled by hand
        starts, lengths = vocabulary.starts(), vocabulary.surface_lengths()
    candidates = starts.intersection(lower)
    if not candidates:
        return []
    ends = list(accumulate(map(len, parts)))  # token k spans ends[2k]..ends[2k + 1]
    matches = list(zip(ends[0::2], ends[1::2], strict=False))
    ci, ci_singular, cs = vocabulary.ci, vocabulary.ci_singular, vocabulary.cs
    n = len(words)
    one = (1,)
    spans = []
    covered = 0  # tokens before this index belong to a match
    for i in [i for i, w in enumerate(lower) if w in candidates]:
        if i < covered:
            continue
        hit = None
        for length in lengths.get(lower[i], one):
            if i + length > n:
                continue
            entry = cs.get(tuple(words[i:i + length]))
            if entry is not None:
                index, not_start = entry
                if not (not_start and _sentence_start(text, matches, i)):
                    hit = (index, length)
                    break
            low = tuple(lower[i:i + length])
            index = ci.get(low)
            if index is None and low[-1].endswith("s"):
                index = ci_singular.get((*low[:-1], entity_key(low[-1])))
            if index is not None:
                hit = (index, length)
                break
        if hit is None:
            continue
        spans.append((hit[0], matches[i][0], matches[i + hit[1] - 1][1]))
        covered = i + hit[1]
    return spans
