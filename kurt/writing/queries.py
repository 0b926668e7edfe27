"""Search queries made from writing: a section's purpose and a draft's variables as words.

Evidence, source proposals and subjects all search the corpus the same way through
``run_search``; it sits below them so that none has to import another.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+#]*")
STOPWORDS = frozenset("""
a about above after again all also an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has
have having here how i if in into is it its itself just may me might more most must my no nor
not now of off on once only or other our out over own same shall should so some such than that
the their them then there these they this those through to too under until up us use used using
very via was we were what when where which while who whom why will with within without would
you your yours etc e.g i.e partner product x
""".split())


def query_terms(*texts: str) -> list[str]:
    """Distinct lowercase content words of ``texts`` (stop words and 1-letter words dropped)."""
    seen: list[str] = []
    for text in texts:
        for word in WORD.findall(str(text or "").replace("-", " ").replace("_", " ")):
            word = word.lower().strip(".")
            if len(word) > 1 and word not in STOPWORDS and word not in seen:
                seen.append(word)
    return seen


def build_query(terms: list[str]) -> str:
    """Plain words: search ranks passages holding all of them first, then those holding some."""
    safe = [re.sub(r"[^a-z0-9]", "", t) for t in terms]
    return " ".join(t for t in safe if t and t.upper() not in ("OR", "AND", "NOT"))


def run_search(store, query: str, ids: list[str] | None, *, limit: int, per_document: int):
    """Ranked passages (best first) for ``query``, restricted to documents ``ids`` when given."""
    if not query:
        return []
    from kurt.store.filters import DocumentFilter

    flt = DocumentFilter(ids=list(ids)) if ids is not None else DocumentFilter(statuses=["FETCHED"])
    if ids is not None and not ids:
        return []
    from kurt.search import search

    return search(store, query, flt=flt, limit=limit, per_document=per_document)
