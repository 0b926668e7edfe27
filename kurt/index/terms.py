"""Words as search and subject matching see them: tokens, their stems, and stem patterns.

``TOKEN`` is what SQLite FTS5's unicode61 tokenizer calls a token (letters and
digits, no underscore). ``stem`` is the stem FTS5's ``porter`` tokenizer gives
a token, so that matching in Python (regexes over passages, titles and URLs)
agrees with matching in SQL: ``integration``, ``integrates`` and
``integrating`` are all ``integr``. It is the original Porter algorithm
(snowballstemmer's ``porter``, not its ``english``, which is Porter2), with
SQLite's two departures: tokens of fewer than 3 or more than 64 bytes are kept
as they are, and step 2 maps ``-logi`` to ``-log`` and ``-bli`` to ``-ble``
(Porter's own later C release does too). tests/index/test_terms.py checks it
against a real FTS5 table.

``stem_pattern`` turns a word into a regex prefix that matches the words with
its stem as they are written in text (``queries`` -> ``quer[iy]``, so "query"
matches too).
"""

from __future__ import annotations

import functools
import re

__all__ = ["TOKEN", "stem", "stem_pattern"]

TOKEN = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiou")
MIN_BYTES, MAX_BYTES = 3, 64  # SQLite's porter tokenizer leaves other tokens as they are


@functools.cache
def _porter():
    import snowballstemmer  # imported on first use: it loads every language (~20 ms)

    return snowballstemmer.stemmer("porter")


@functools.lru_cache(maxsize=65_536)  # snippets stem every word of a passage: words repeat
def stem(token: str) -> str:
    """The stem SQLite FTS5's porter tokenizer indexes ``token`` under, lowercase."""
    word = _fold(token.lower())
    if not MIN_BYTES <= len(word.encode("utf-8")) <= MAX_BYTES:
        return word
    root = _porter().stemWord(word)
    # Step 2 in SQLite (and Porter's later C release): -logi -> -log, -bli -> -ble, where
    # the original has only -abli -> -able. Snowball's porter stops at -logi and -bli.
    if root.endswith("logi") and _measure(root[:-4]) > 0:
        return root[:-1]
    if root.endswith("bli") and _measure(root[:-3]) > 0:
        return _after_ble(root[:-3])
    return root


def _fold(word: str) -> str:
    """Latin letters without their diacritics ("café" -> "cafe"), as unicode61's
    remove_diacritics does; other scripts stay as they are."""
    if word.isascii():
        return word
    import unicodedata

    letters = []
    for letter in word:
        base = unicodedata.normalize("NFD", letter)[0]
        letters.append(base if base.isascii() else letter)
    return "".join(letters)


def _after_ble(base: str) -> str:
    """``base + "ble"`` through the rest of Porter's steps (4 and 5), as SQLite runs them."""
    if base.endswith(("a", "i")) and _measure(base[:-1]) > 1:
        return _step5(base[:-1])  # step 4: -able, -ible
    return _step5(base + "ble")


def _step5(word: str) -> str:
    """Porter's step 5: a final e goes (m > 1, or m == 1 and no *o ending); -ll -> -l (m > 1)."""
    if word.endswith("e"):
        m = _measure(word[:-1])
        if m > 1 or (m == 1 and not _cvc(word[:-1])):
            word = word[:-1]
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def _consonant(word: str, i: int) -> bool:
    letter = word[i]
    if letter in _VOWELS:
        return False
    if letter == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(word: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in ``word``."""
    m, previous_vowel = 0, False
    for i in range(len(word)):
        consonant = _consonant(word, i)
        if consonant and previous_vowel:
            m += 1
        previous_vowel = not consonant
    return m


def _cvc(word: str) -> bool:
    """Porter's *o: consonant-vowel-consonant at the end, the last not w, x or y."""
    return (len(word) >= 3 and _consonant(word, len(word) - 3) and not _consonant(word, len(word) - 2)
            and _consonant(word, len(word) - 1) and word[-1] not in "wxy")


def stem_pattern(token: str) -> str:
    """A regex (for lowercase text, followed by ``\\w*``) matching the written forms of the
    words that share ``token``'s stem: the stem, less a final ``e`` ("hope" must match
    "hoping"), with a final ``i`` that may be a ``y`` ("queri" must match "query") and a
    final ``bl`` that may be ``bil`` ("capabl" must match "capability"), with the word's
    own letters where it has diacritics.

    A stem shorter than 3 letters ("us" for "uses") would match too much: the word is
    used as it is.
    """
    word = token.lower()
    root = stem(word)
    if len(root) < 3:
        return re.escape(word)
    tail = ""
    if root.endswith("e") and len(root) > 3:
        root = root[:-1]
    if root.endswith("i"):
        root, tail = root[:-1], "[iy]"
    elif root.endswith("bl"):
        root, tail = root[:-1], "(?:l|il)"  # "capabl" is also written "capability"
    folded = _fold(word)
    if folded != word:  # "bücher", not "bucher": the text keeps its diacritics
        if len(folded) != len(word) or not folded.startswith(root):
            return re.escape(word)
        root = word[:len(root)]
    return re.escape(root) + tail
