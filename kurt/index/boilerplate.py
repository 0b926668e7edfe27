"""Boilerplate: what a site repeats on many of its pages, told from what its pages say.

A CMS puts the same blocks on every page: an event banner, a call to action,
"Subscribe to our newsletter", a cookie or embedded-video notice, a "PREVIOUS
POSTS" list, navigation left over by the extractor. They stay in the stored
files (the file is what the site says), but a search hit, a quoted passage or a
style example made of them is noise. Nothing here knows any site's wording:

- Every passage (``kurt.index.sections``) is cut into **units**: its heading,
  and each line of its text (a paragraph as an extractor writes it, a list item, a
  row of links; code blocks are never units: a snippet repeated on many pages is
  content). Lines rather than blank-line blocks, because an extractor often joins a
  site's row of links and its cookie notice with no blank line between them. A unit is keyed by a 64-bit
  hash of its normalised text (lower case, link targets, markup and spacing
  removed), so the same banner on two pages is one key.
- The index keeps, per **site** (the domain of a web page, the mapped folder of a
  local file), how many documents hold each key (table ``unit_counts``), and each
  document's units in one row (``document_units``). A key held by at least
  ``threshold(n)`` of the site's ``n`` indexed documents is **common**: 3% of the
  site, at least ``MIN_DOCUMENTS`` and at most ``MAX_DOCUMENTS`` (a block on 50 pages
  is a template's, however large the site). A key held by two documents or more is
  **repeated**.
- A passage is **boilerplate** when at least ``PASSAGE_SHARE`` of its text (by
  characters) is common units; or, in a listing (a common heading over lines a
  third of which are links: "PREVIOUS POSTS", "Related"), links and repeated units
  (the titles and excerpts of other pages, each found on a few pages). A passage
  with more than ``MAX_BLOCKS`` common lines is a template of the content, kept.
  The flag is ``sections.boilerplate``; search, evidence, template examples and
  source proposals skip flagged passages.

Counts are kept cheaply as the corpus grows: indexing a document writes its one row
and adds or removes one count per key it gained or lost (``UnitRecorder.record``);
deleting it takes it out of the counts. At the end of a run ``refresh`` reads the
site's repeated keys (counts of two or more), compares their status with the one stored
in ``boilerplate_units``, and recomputes the flags of the documents indexed in the run
and of the documents holding a key whose status changed, so a banner that becomes
common as the site grows flags the pages indexed before it, and a key that falls
under the threshold (the site grew, pages were deleted) frees its passages. Only
changed flags are written.
"""

from __future__ import annotations

import math
import re
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from kurt.index.sections import Section, searchable_text
from kurt.index.units import CODE, HEADING, LINK, TEXT, normalize, unit_hash

THRESHOLD_SHARE = 0.03  # a key on this share of a site's documents is common...
MIN_DOCUMENTS = 5  # ...and on at least this many
MAX_DOCUMENTS = 50  # ...a key on this many documents is common whatever the site's size
PASSAGE_SHARE = 0.5  # a passage this much boilerplate (by characters) is flagged
CHUNK = 400  # ids per IN (...) list

LISTING_LINKS = 1 / 3  # a passage under a common heading whose units are this much links is a listing
MAX_BLOCKS = 8  # more common paragraphs than this in one passage: a template of the content, kept
SINGLE, REPEATED, COMMON = 0, 1, 2  # status of a key

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")  # at any indentation: fences in list items too
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-+*]|\d{1,9}[.)])\s+")
_MARKER_STARTS = frozenset("-+*0123456789")
_LINK_ONLY = re.compile(r"[*_]*!?\[[^\]]+\]\([^)]*\)[*_]*[.,;:]?|<a\s[^>]*>[^<]*</a>")


class Unit(NamedTuple):
    """One heading or line of a passage (or its code, unhashed). A tuple: a document has
    dozens, made in the index workers and sent to the writer."""

    hash: int | None  # None for code: counted in the passage's size, never as boilerplate
    chars: int
    kind: int = TEXT


def _unit(text: str, kind: int = TEXT) -> Unit | None:
    norm = normalize(text)
    return Unit(unit_hash(norm), len(norm), kind) if norm else None


def _line_unit(line: str) -> Unit | None:
    """The unit of one line of text (a list marker, link targets and tags removed)."""
    text = line.strip()
    if text[:1] in _MARKER_STARTS:
        text = _LIST_ITEM.sub("", text)
    kind = TEXT
    if "[" in text or "<" in text:  # the few lines with links, images or tags
        if _LINK_ONLY.fullmatch(text):
            kind = LINK
        text = searchable_text(text)
    return _unit(text, kind)


def passage_units(section: Section) -> list[Unit]:
    """The units of one passage: its heading, then its lines (code apart)."""
    units: list[Unit] = []
    if section.heading:
        unit = _unit(section.heading, HEADING)
        if unit:
            units.append(unit)
    code_chars = 0
    fence: str | None = None
    for line in section.body.split("\n"):
        opened = _FENCE.match(line) if "`" in line or "~" in line else None
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            else:
                code_chars += len(line.strip())
            continue
        if opened:
            fence = opened.group(1)
        elif line.strip():  # every line is a unit: an extractor joins a link row and a notice
            unit = _line_unit(line)  # with no blank line between them
            if unit is not None:
                units.append(unit)
    if code_chars:
        units.append(Unit(None, code_chars, CODE))
    return units


def document_units(sections: list[Section]) -> list[tuple[int, Unit]]:
    """(passage position, unit) for every unit of a document."""
    return [(s.position, u) for s in sections for u in passage_units(s)]


def threshold(documents: int) -> int:
    """How many of a site's ``documents`` must hold a key for it to be common."""
    return min(MAX_DOCUMENTS, max(MIN_DOCUMENTS, math.ceil(THRESHOLD_SHARE * documents)))


def status(count: int, common_at: int) -> int:
    return COMMON if count >= common_at else REPEATED if count >= 2 else SINGLE


def flagged_positions(units: Iterable[tuple[int, int | None, int, int]],
                      statuses: dict[int, int], common: set[int] | None = None) -> set[int]:
    """The boilerplate passages of one document, from its units as (position, hash, chars,
    kind) and the status of the site's repeated keys (absent: held by one document).

    ``common``: the keys of ``statuses`` that are COMMON (worked out here when not given).
    Only a passage holding one can be boilerplate (a listing needs a common heading), so
    the others are not weighed at all."""
    if common is None:
        common = {key for key, found in statuses.items() if found == COMMON}
    if not common:
        return set()
    by_position: dict[int, list[tuple[int | None, int, int]]] = defaultdict(list)
    candidates = set()
    for position, key, chars, kind in units:
        by_position[position].append((key, chars, kind))
        if key in common:
            candidates.add(position)
    flagged = set()
    for position in candidates:
        rows = by_position[position]
        total = sum(chars for _, chars, _ in rows)
        if not total:
            continue
        chars, blocks = _boilerplate(rows, statuses)
        if chars >= PASSAGE_SHARE * total and blocks <= MAX_BLOCKS:
            flagged.add(position)
    return flagged


def _boilerplate(rows: list[tuple[int | None, int, int]], statuses: dict[int, int]) -> tuple[int, int]:
    """The characters of a passage's boilerplate units, and how many of them are paragraphs
    (not links or headings). Boilerplate units are the common ones; in a listing (a common
    heading over links to other pages, as "PREVIOUS POSTS" or "Related"), its links and
    the units found on other pages too (the linked pages' excerpts).

    Site chrome is a handful of blocks (a banner, a notice, "Subscribe" and its line of
    text); a passage with more common paragraphs than ``MAX_BLOCKS`` is a template of the
    content (the same eight setup steps in every framework guide), which a guide's
    reader needs: it is not boilerplate."""
    texts = [kind for key, _, kind in rows if kind in (TEXT, LINK)]
    listing = bool(texts) and texts.count(LINK) >= LISTING_LINKS * len(texts) and any(
        kind == HEADING and statuses.get(key) == COMMON for key, _, kind in rows)
    boiler = blocks = 0
    for key, chars, kind in rows:
        if key is None:
            continue
        found = statuses.get(key, SINGLE)
        if found == COMMON or (listing and (kind == LINK or found == REPEATED)):
            boiler += chars
            blocks += kind == TEXT
    return boiler, blocks


def site_of(conn: sqlite3.Connection, document_id: str) -> str | None:
    """The site whose pages a document is counted with: its domain, or for a local file the
    folder it was mapped from."""
    row = conn.execute("SELECT source_kind, domain, source_root FROM documents WHERE id = ?",
                       (document_id,)).fetchone()
    if row is None:
        return None
    if row[0] == "file":
        return f"file:{row[2] or row[1]}"
    return row[1]


def common_keys(store, document_id: str) -> set[int]:
    """The keys common on the site of a document (``store``: a Store), as last flagged: what
    a quote of one of its passages may begin or end with (a banner, a call to action)."""
    row = store.query_one("SELECT source_kind, domain, source_root FROM documents WHERE id = ?",
                          (document_id,))
    if row is None:
        return set()
    site = f"file:{row[2] or row[1]}" if row[0] == "file" else row[1]
    return {r[0] for r in store.query("SELECT hash FROM boilerplate_units WHERE site = ? AND status = ?",
                                      (site, COMMON))}


def is_common_line(line: str, keys: set[int]) -> bool:
    """Whether one line of a stored file is one of the site's common units (``common_keys``)."""
    if not keys or not line.strip() or line.lstrip().startswith("#"):
        return False  # a heading: the same section on every page is content, not chrome
    unit = _line_unit(line)
    return unit is not None and unit.hash in keys


def pack(units: list[tuple[int, Unit]]) -> bytes:
    """A document's units as one BLOB: int64 quadruples (position, hash, chars, kind), code's
    hash 0."""
    flat = array("q")
    for position, unit in units:
        flat.extend((position, unit.hash or 0, unit.chars, unit.kind))
    return flat.tobytes()


def unpack(blob: bytes) -> list[tuple[int, int | None, int, int]]:
    """(position, hash, chars, kind) rows of a packed document (hash None for code)."""
    flat = array("q")
    flat.frombytes(blob)
    return [(flat[i], None if flat[i + 3] == CODE else flat[i + 1], flat[i + 2], flat[i + 3])
            for i in range(0, len(flat), 4)]


def packed_units(sections: list[Section]) -> bytes:
    """``pack(document_units(sections))``: what an index worker sends the writer (one bytes
    object is far cheaper to hand between processes than dozens of tuples)."""
    return pack(document_units(sections))


def packed_keys(blob: bytes) -> set[int]:
    """The keys of a packed document (code has none)."""
    flat = array("q")
    flat.frombytes(blob)
    if CODE not in flat[3::4]:
        return set(flat[1::4])
    return {key for key, kind in zip(flat[1::4], flat[3::4], strict=True) if kind != CODE}


def _keys(rows: Iterable[tuple[int, int | None, int, int]]) -> set[int]:
    return {key for _, key, _, _ in rows if key is not None}


def _count(conn: sqlite3.Connection, site: str, keys: Iterable[int], step: int) -> None:
    """Add ``step`` (1 or -1) to the number of the site's documents holding each key."""
    if step > 0:
        conn.executemany("INSERT INTO unit_counts (site, hash, documents) VALUES (?, ?, 1)"
                         " ON CONFLICT (site, hash) DO UPDATE SET documents = unit_counts.documents + 1",
                         [(site, key) for key in keys])
    else:
        conn.executemany("UPDATE unit_counts SET documents = documents - 1 WHERE site = ? AND hash = ?",
                         [(site, key) for key in keys])


class UnitRecorder:
    """Records the units of documents as they are indexed, then refreshes the flags."""

    def __init__(self) -> None:
        self.touched: dict[str, set[str]] = defaultdict(set)  # site -> documents indexed

    def record(self, conn: sqlite3.Connection, document_id: str, sections: list[Section],
               units: bytes | None = None) -> None:
        """Replace a document's units (``packed_units(sections)``, computed when not given)
        and its share of the site's counts (inside the caller's transaction): one row per
        document, one count update per distinct key that changed."""
        site = site_of(conn, document_id)
        if site is None:
            return
        blob = units if units is not None else packed_units(sections)
        new = packed_keys(blob)
        old_row = conn.execute("SELECT site, units FROM document_units WHERE document_id = ?",
                               (document_id,)).fetchone()
        if old_row is None:
            _count(conn, site, new, 1)
        else:
            old = _keys(unpack(old_row[1]))
            if old_row[0] == site:
                _count(conn, site, old - new, -1)
                _count(conn, site, new - old, 1)
            else:
                _count(conn, old_row[0], old, -1)
                _count(conn, site, new, 1)
                self.touched[old_row[0]]  # noqa: B018 - its counts changed: recount it too
        conn.execute("INSERT INTO document_units (document_id, site, units) VALUES (?, ?, ?)"
                     " ON CONFLICT (document_id) DO UPDATE SET site = excluded.site,"
                     " units = excluded.units", (document_id, site, blob))
        self.touched[site].add(document_id)

    def refresh(self, conn: sqlite3.Connection) -> int:
        """Recount the sites indexed since the last refresh; the number of flags changed."""
        # larger sites first: their common blocks are known when a small copy's key is set
        order = sorted(self.touched.items(), key=lambda item: (-len(item[1]), item[0]))
        changed = sum(refresh_site(conn, site, documents) for site, documents in order)
        self.touched.clear()
        return changed


def forget_documents(conn: sqlite3.Connection, document_ids: list[str]) -> set[str]:
    """Take documents about to be deleted out of their sites' counts; the sites to refresh."""
    sites: set[str] = set()
    for chunk in _chunks(document_ids):
        for site, blob in conn.execute(
                f"SELECT site, units FROM document_units WHERE document_id IN ({','.join('?' * len(chunk))})",
                chunk):
            _count(conn, site, _keys(unpack(blob)), -1)
            sites.add(site)
    return sites


def site_documents(conn: sqlite3.Connection, site: str) -> int:
    """The indexed documents of a site."""
    if site.startswith("file:"):
        root = site[5:]
        sql = ("SELECT COUNT(*) FROM documents WHERE source_kind = 'file'"
               " AND COALESCE(source_root, domain) = ? AND indexed_hash IS NOT NULL")
        return int(conn.execute(sql, (root,)).fetchone()[0])
    return int(conn.execute(
        "SELECT COUNT(*) FROM documents WHERE domain = ? AND source_kind <> 'file'"
        " AND indexed_hash IS NOT NULL", (site,)).fetchone()[0])


def refresh_site(conn: sqlite3.Connection, site: str, touched: Iterable[str] = ()) -> int:
    """Bring a site's key statuses and boilerplate flags up to date (see the module
    docstring); the number of passages whose flag changed."""
    common_at = threshold(site_documents(conn, site))
    conn.execute("DELETE FROM unit_counts WHERE site = ? AND documents <= 0", (site,))
    new = {key: status(count, common_at) for key, count in conn.execute(
        "SELECT hash, documents FROM unit_counts WHERE site = ? AND documents >= 2", (site,))}
    old = dict(conn.execute("SELECT hash, status FROM boilerplate_units WHERE site = ?", (site,)))
    moved = {key for key in new.keys() | old.keys() if new.get(key, SINGLE) != old.get(key, SINGLE)}
    affected = set(touched)
    if moved:  # the documents holding a key whose status changed: read the site's units once
        for doc, blob in conn.execute("SELECT document_id, units FROM document_units WHERE site = ?",
                                      (site,)):
            if doc not in affected and not moved.isdisjoint(_keys(unpack(blob))):
                affected.add(doc)
    conn.executemany("DELETE FROM boilerplate_units WHERE site = ? AND hash = ?",
                     [(site, key) for key in moved if key not in new])
    conn.executemany(
        "INSERT INTO boilerplate_units (site, hash, status) VALUES (?, ?, ?)"
        " ON CONFLICT (site, hash) DO UPDATE SET status = excluded.status",
        [(site, key, new[key]) for key in moved if key in new])
    return _reflag(conn, sorted(affected), new)


def _reflag(conn: sqlite3.Connection, documents: list[str], statuses: dict[int, int]) -> int:
    """Write the flags (and copy keys, ``kurt.index.duplicates``) of ``documents`` that
    differ from what their units say now."""
    from kurt.index.duplicates import duplicate_key

    shared = {row[0] for row in conn.execute("SELECT hash FROM boilerplate_units")}  # any site
    common = {key for key, found in statuses.items() if found == COMMON}
    changed = 0
    for chunk in _chunks(documents):
        marks = ",".join("?" * len(chunk))
        units = {doc: unpack(blob) for doc, blob in conn.execute(
            f"SELECT document_id, units FROM document_units WHERE document_id IN ({marks})", chunk)}
        current = defaultdict(dict)
        for doc, position, flag in conn.execute(
                f"SELECT document_id, position, boilerplate FROM sections WHERE document_id IN ({marks})",
                chunk):
            current[doc][position] = flag
        keys = dict(conn.execute(f"SELECT id, duplicate_key FROM documents WHERE id IN ({marks})",
                                 chunk))
        updates, copies = [], []
        for doc in chunk:
            flagged = flagged_positions(units.get(doc, ()), statuses, common)
            for position, flag in current[doc].items():
                want = int(position in flagged)
                if flag != want:
                    updates.append((want, doc, position))
            key = duplicate_key(units.get(doc, ()), flagged, shared)
            if doc in keys and keys[doc] != key:
                copies.append((key, doc))
        conn.executemany("UPDATE sections SET boilerplate = ? WHERE document_id = ? AND position = ?",
                         updates)
        conn.executemany("UPDATE documents SET duplicate_key = ? WHERE id = ?", copies)
        changed += len(updates)
    return changed


def refresh_all(conn: sqlite3.Connection) -> int:
    """Recount every site; the flags changed."""
    sites = [row[0] for row in conn.execute("SELECT DISTINCT site FROM document_units")]
    gone = [row[0] for row in conn.execute("SELECT DISTINCT site FROM boilerplate_units")
            if row[0] not in set(sites)]
    conn.executemany("DELETE FROM boilerplate_units WHERE site = ?", [(s,) for s in gone])
    return sum(refresh_site(conn, site) for site in sites)


def _chunks(items: list) -> Iterable[list]:
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
