"""Copies: documents that hold the same page (the site's page and a folder export of it,
``/~jane`` and ``/%7Ejane`` stored before URLs were normalised, a mirror on another host).

Search, ``template customize`` and source proposals show one document of a set of
copies. Two documents are copies when they have the same **copy key**:

- the same content hash (the same markdown, byte for byte), or
- the same ``documents.duplicate_key``: a hash of the two smallest unit keys
  (``kurt.index.boilerplate``) among the document's own lines: outside boilerplate
  passages, and held by one document only on every site (not a banner, not a line a
  page shares with another page of its site). A page and its copy on another site or
  folder hold the same own lines, so they share their two smallest (a min-hash:
  documents with Jaccard similarity J share them with a probability near J squared),
  while the site's chrome, which differs between an extracted web page and a
  markdown export, takes no part in it. Copies within one site share every line, so
  they have no own lines: their content hash tells them.

The key is set with the boilerplate flags, at the end of each index run.
"""

from __future__ import annotations

from collections.abc import Iterable

from kurt.index.units import TEXT, unit_hash


def duplicate_key(units: Iterable[tuple[int, int | None, int, int]], flagged: set[int],
                  shared: set[int]) -> int | None:
    """The copy key of a document from its units (position, hash, chars, kind), its
    boilerplate passages and the keys held by two documents or more of any one site
    (``shared``: chrome, and lines pages have in common); None when it has no own text."""
    own = sorted({key for position, key, _, kind in units
                  if kind == TEXT and key is not None and position not in flagged
                  and key not in shared})
    if len(own) >= 2:
        return unit_hash(f"{own[0]} {own[1]}")
    return own[0] if own else None


def copy_key(duplicate: int | None, content_hash: str | None) -> str | None:
    """What ``one_copy`` compares (the SQL of ``kurt.search.COPIES``, in Python)."""
    return str(duplicate) if duplicate is not None else content_hash
