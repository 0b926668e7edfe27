"""Copies: documents that hold the same page (the site's page and a folder export of it,
``/~jane`` and ``/%7Ejane`` stored before URLs were normalised, a mirror on another host).

Search, ``template customize`` and source proposals show one document of a set of
copies. Two documents are copies when they have the same **copy key**:

- the same content hash (the same markdown, byte for byte), or
- the same ``documents.duplicate_key``: the smallest unit key (``kurt.index.boilerplate``)
  among the document's own text, that is its paragraphs and list items outside
  boilerplate passages, not common on its site or any other (a mirror carries the
  original's banner), and held by no other document of its site when it has such units. A page and its copy hold the same paragraphs, so they
  share their smallest one (a min-hash: documents sharing most of their paragraphs
  share it with that probability), while the site's chrome, which differs between an
  extracted web page and a markdown export, takes no part in it.

The key is set with the boilerplate flags, at the end of each index run.
"""

from __future__ import annotations

from collections.abc import Iterable

from kurt.index.boilerplate import COMMON, SINGLE, TEXT


def duplicate_key(units: Iterable[tuple[int, int | None, int, int]], flagged: set[int],
                  statuses: dict[int, int], chrome: set[int] = frozenset()) -> int | None:
    """The copy key of a document from its units (position, hash, chars, kind), its
    boilerplate passages, its site's key statuses and the keys common on any site
    (``chrome``: a mirror's banner is the original site's banner); None when it has no
    own text."""
    own = [key for position, key, _, kind in units
           if kind == TEXT and key is not None and position not in flagged
           and statuses.get(key, SINGLE) != COMMON and key not in chrome]
    singles = [key for key in own if statuses.get(key, SINGLE) == SINGLE]
    pool = singles or own
    return min(pool) if pool else None


def copy_key(duplicate: int | None, content_hash: str | None) -> str | None:
    """What ``one_copy`` compares (the SQL of ``kurt.search.COPIES``, in Python)."""
    return str(duplicate) if duplicate is not None else content_hash
