"""Numbers in running text: their value, unit, what they count, and whether they state a fact.

``find_numbers(text, draft=True)`` finds each number written in digits (``1,000``,
``1k``, ``8GB``, ``$5``, ``99.9%``, ``24-hour``) or in words with a unit or a
magnitude (``one minute``, ``ten thousand``), reads the unit after it into a
``Quantity`` (``kurt.checks.grounding.numbers``), notes the noun it counts
(``100 requests`` -> ``request``), and marks list labels (``Step 2``,
``3 steps``, ``5 common mistakes``) and bare years (``in 2024``). Numbers that
are part of an identifier (``EC2``, ``gpt-4``, ``v1``, ``1.2.3``, ``24/7``,
``10:30``, ``2FA``) are not numbers. ``draft=False`` reads a source
generously: spelled-out numbers without a unit, ``a minute``, ``half a day``,
``twice``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import kurt.checks.grounding.numbers as num
from kurt.checks.grounding.dates import YEAR

STOPWORDS = frozenset("""
a about after all also an and any are as at be because been before being both but by can
could did do does each either every few for from had has have how if in into is it its just
may might more most much must no nor not now of off on once only or other our out over own
same should so some such than that the their them then there these they this those through
to too under until up very via was we were what when where whether which while who why will
with within without would yet you your already always even ever instead still
""".split())

MASK = "*"
# Words before a number that make it a label, not a fact: "Step 2", "Option 3", "#1".
LABEL_BEFORE = frozenset("""
step steps part phase option section chapter figure fig table line lines item page method
approach stage tip no number rule level lesson round tier example question problem exercise
task case scenario point slide screenshot appendix footnote note week day
""".split())
# Nouns after a number that count the draft's own structure: "3 steps", "5 common mistakes".
LABEL_AFTER = frozenset("""
step steps way ways thing things tip tips reason reasons option options method methods
approach approaches stage stages part parts example examples question questions mistake
mistakes lesson lessons takeaway takeaways section sections idea ideas pattern patterns
strategy strategies practice practices trick tricks pitfall pitfalls benefit benefits
feature features key main simple easy quick common essential important best core things
""".split())
_NOT_BEFORE_LABEL = frozenset("for to of in on at per with by from and or than as".split())
# Words after a bare year that show it is a count ("2000 requests") rather than a date.
_COUNT_AFTER_YEAR = re.compile(r"\s+[a-z][a-z-]+")
_YEAR_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|since|of|from|until|till|by|during|before|after|early|late|mid|around|"
    r"circa|year|fall|spring|summer|winter)\s+|[-–(]\s*)$", re.IGNORECASE)

_NUMBER = re.compile(
    r"(?P<cur>US\$|\$|€|£)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suf>[A-Za-z%×µμ]+)?")
_WORD = re.compile(r"[A-Za-z%×µμ]+(?:/[A-Za-z]+)?")


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


# patterns of the readers below, compiled once (they run on every line of every source)
_WORD_BEFORE = re.compile(r"([A-Za-z#]+)[\s.]*$")
_CENT_POINTS = re.compile(r"\s+(cent|points)\b")
_COMPARED = re.compile(r"\s+(?:faster|slower|more|less|larger|smaller|your|their|its|our|what|"
                       r"cheaper|bigger|as|the|higher|lower)\b")
_NOUN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
ONE_UNIT = re.compile(r"\b(half\s+)?(?:an?|one)\s+(second|minute|hour|day|week|month|"
                       r"year)\b", re.IGNORECASE)
MULTIPLE_WORD = re.compile(r"\b(twice|double|triple|half)\b", re.IGNORECASE)
_MAGNITUDE_AFTER = re.compile(r"[\s-]+(hundred|thousand|million|billion|trillion)\b", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z]+")
_HYPHEN_WORD = re.compile(r"-\s*[a-z]")
_WORD_GAP = re.compile(r"[\s-]+")
# words that make a spelled-out number a limit or a default, a fact to check ("up to nine")
_BOUND_BEFORE = re.compile(r"\b(?:up to|at most|at least|as many as|as few as|no more than|no fewer than"
                           r"|a maximum of|a minimum of|maximum of|minimum of|limited to|capped at"
                           r"|held to|restricted to|set to"
                           r"|defaults? to|defaulting to|default of)\s+$", re.IGNORECASE)
_RANGE_GAP = re.compile(r"\s*(?:-|–|to|,?\s*(?:and|or)|,)\s*")

def _word_after(text: str, index: int) -> tuple[str, int, int] | None:
    """The word (letters, %, ×) after ``index``, skipping spaces and one hyphen: (word, start, end)."""
    j = index
    if text[j:j + 1] == "+" and text[j + 1:j + 2] in (" ", "\t", "\u00a0"):
        j += 1  # "10+ minutes": ten minutes or more
    while j < len(text) and text[j] in " \t\u00a0":
        j += 1
    if j < len(text) and text[j] in "-–" and j == index:
        j += 1
    found = _WORD.match(text, j)
    if not found:
        return None
    return found.group(0), found.start(), found.end()


def _word_before(text: str, index: int) -> str:
    found = _WORD_BEFORE.search(text[max(0, index - 30):index])
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
    two = _CENT_POINTS.match(text[end:])
    if two and word.lower() in ("per", "percentage"):
        word = f"{word} {two.group(1)}"
        end += two.end()
    unit = num.unit_of(word, digits=digits)
    if unit is None and word.lower() == "times" and _COMPARED.match(text[end:]):
        unit = num.unit_of(word)  # "ten times faster", "ten times your bill": a multiplier
    if unit is None:
        return None
    if word.lower() == "times" and not _COMPARED.match(text[end:]):
        return None  # "3 times a day" is a frequency, not a multiplier
    if word.lower() in ("m", "d", "h", "s", "b") and end < len(text) and text[end] == "'":
        return None
    return unit, end, word


def _noun_after(text: str, index: int) -> str | None:
    """What a number counts: the next one or two words, lowercase ("concurrent builds")."""
    words = []
    for match in _NOUN_WORD.finditer(text[index:index + 40]):
        word = match.group(0).lower()
        if not words and text[index:index + match.start()].strip(" -") not in ("", "/"):
            return None
        if word in _FUNCTION_WORDS or word in STOPWORDS or len(word) < 2:
            break
        words.append(word)
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
        for match in ONE_UNIT.finditer(text):
            unit = num.UNITS[match.group(2).lower()]
            value = 0.5 if match.group(1) else 1.0  # "half a day" is 12 hours
            found.append(NumberMention(match.start(), match.end(),
                                       num.Quantity(unit.dimension, value * unit.factor), value,
                                       None, True, False, False))
        for match in MULTIPLE_WORD.finditer(text):
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
        words = _MAGNITUDE_AFTER.match(text[unit_end:])
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
    words = _LETTERS.findall(text[index:index + 40])[:3]
    if words and words[0].lower() in _NOT_BEFORE_LABEL:
        return False  # "3.5 for quick lookups": a preposition, not "5 quick tips"
    return any(w.lower() in LABEL_AFTER for w in words[:2])


def _words_mention(text: str, match: re.Match, *, draft: bool) -> NumberMention | None:
    value = num.parse_words(match.group(0))
    if value is None:
        return None
    start, end = match.span()
    if end < len(text) and text[end] == "-" and not _HYPHEN_WORD.match(text[end:]):
        return None
    unit = _unit_after(text, end, digits=False)
    if unit is not None:
        quantity = num.Quantity(unit[0].dimension, value * unit[0].factor)
        return NumberMention(start, unit[1], quantity, value, None, True, False, False)
    magnitude = any(w in num.MAGNITUDES for w in _WORD_GAP.split(match.group(0).lower()))
    if draft and not magnitude and (value < 2 or not _BOUND_BEFORE.search(text[max(0, start - 30):start])):
        return None  # "two ways", "one of the", "three services": not checked in prose
        # (a bound is: "can go up to nine", "defaults to three"; "limited to one X" is "a single X")
    noun = _noun_after(text, end)
    label = _word_before(text, start) in LABEL_BEFORE or _label_after(text, end)
    return NumberMention(start, end, num.Quantity("count", value), value, noun, True, label, False)


def _propagate_range_units(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """"2-4 GB", "2 to 4 GB", "between 2 and 4 GB": the first number takes the second's unit;
    so does each item of a list ending in one ("after 1, 3, 12, or 24 hours")."""
    out = list(found)
    for i in reversed(range(len(found) - 1)):
        first, second = found[i], out[i + 1]
        if first.quantity.dimension != "count" or second.quantity.dimension == "count":
            continue
        gap = text[first.end:second.start]
        if not _RANGE_GAP.fullmatch(gap):
            continue
        factor = second.quantity.value / second.raw if second.raw else 1.0
        out[i] = NumberMention(first.start, first.end,
                               num.Quantity(second.quantity.dimension, first.raw * factor),
                               first.raw, None, first.words, False, False)
    return out
