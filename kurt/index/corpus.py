"""The corpus pass of the index: what only the whole set of documents tells.

Per-document indexing (``kurt.index.pipeline``) stores each page's shape
(``kurt.index.shapes``) and candidate names (``kurt.index.names``), and marks
its directory and its names dirty (so does deleting a document). After the
documents of a run are written, ``apply_corpus`` (one transaction, main
process; nothing at all when nothing is dirty):

1. judges every dirty directory again from the shapes of all its pages (one
   indexed query per directory): the items of a directory of integrations
   become content type ``integration`` and get ``Topic:integration`` (rows of
   ``document_entities`` with ``origin = 'corpus'``); pages that stop being
   items get their own type back;
2. decides every dirty name again and replaces its corpus rows: the documents
   that write it (and, for a partner, the directory pages titled with it).
   ``discovered_names`` keeps each decision with its evidence.

A candidate name becomes an entity (``discover_names``), never when it is a
byline author of the site, when it holds at least one of:

- Company: the title of an item of a directory of integrations; the left side
  of a "<X> + <Product>" heading whose right side recurs (the site's product);
  the anchor of a link to a host that spells it; or, written mid-sentence in
  at least ``MIN_DOCS`` documents, a company cue ("the X team", "the X
  integration") at least ``MIN_CUES`` times;
- Product: the right side of "+" headings in at least two documents;
- Technology: written mid-sentence in at least ``MIN_DOCS`` documents with a
  technology cue ("X files", "the X API") at least ``MIN_CUES`` times, more
  than company cues.

A capitalised name the corpus also writes in lowercase (more than
``LOWER_SHARE`` of its capitalised uses: "Image", "Install", "Public" are UI
labels and sentence starts, not names) counts only from a directory or a "+"
heading. A name in more than ``CHROME_SHARE`` of a site's documents (a banner, a
footer, the site's own name in a call to action) counts only with a "+"
heading or a link to its own domain: without them it is navigation or chrome.
Names the vocabulary knows are not candidates at all (``kurt.index.names``).

The pass reads a directory's shapes only when the directory changed, and a
name's candidate rows only when one of its documents changed: re-indexing one
page costs a few queries; the first index of 30,000 documents one aggregation
over their candidate rows (about ten a document).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from kurt.index.keys import entity_key
from kurt.index.names import NameHit
from kurt.index.shapes import PageShape, judge_directory

MIN_DOCS = 3
MIN_CUES = 2
CHROME_SHARE = 0.5
LOWER_SHARE = 0.25  # a name written in lowercase more than a quarter as often as capitalised is a word
CHROME_MIN_DOCS = 10  # a site smaller than this has no chrome to tell apart
ORIGIN = "corpus"


@dataclass
class Discovered:
    """A name the corpus pass decided on: the entity it is (``type`` None: none), and why."""

    type: str | None
    name: str
    key: str
    documents: int
    evidence: str


@dataclass
class CorpusReport:
    directories: int = 0  # judged again
    integration_items: int = 0  # items of the directories judged again
    discovered: int = 0  # names made entities
    rows: int = 0  # document-entity rows written


def write_shape(conn: sqlite3.Connection, document_id: str, shape: PageShape | None,
                names: list[NameHit], local_type: str | None) -> None:
    """Store one document's shape and names and mark its directory dirty (caller's transaction)."""
    old = conn.execute("SELECT directory FROM document_shapes WHERE document_id = ?", (document_id,)).fetchone()
    conn.execute("INSERT INTO names_dirty (key) SELECT key FROM document_names WHERE document_id = ?"
                 " ON CONFLICT DO NOTHING", (document_id,))
    conn.execute("DELETE FROM document_names WHERE document_id = ?", (document_id,))
    if old is not None:
        _mark_dirty(conn, old[0])
    if shape is None:
        conn.execute("DELETE FROM document_shapes WHERE document_id = ?", (document_id,))
        return
    conn.execute(
        "INSERT INTO document_shapes (document_id, directory, words, outline, title_name, integration_words,"
        " plus_title, anchor_title, local_type, item) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
        " ON CONFLICT (document_id) DO UPDATE SET directory = excluded.directory, words = excluded.words,"
        " outline = excluded.outline, title_name = excluded.title_name,"
        " integration_words = excluded.integration_words, plus_title = excluded.plus_title,"
        " anchor_title = excluded.anchor_title, local_type = excluded.local_type, item = 0",
        (document_id, shape.directory, shape.words, shape.outline, shape.title_name, shape.integration_words,
         int(shape.plus_title), int(shape.anchor_title), local_type),
    )
    _mark_dirty(conn, shape.directory)
    conn.executemany(
        "INSERT INTO document_names (document_id, key, name, mid, initial, title, heading, plus_left,"
        " plus_right, anchor_domain, company_cue, tech_cue, lower)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(document_id, h.key, h.name, h.mid, h.initial, int(h.title), h.heading, int(h.plus_left),
          int(h.plus_right), int(h.anchor_domain), h.company_cue, h.tech_cue, h.lower) for h in names],
    )
    conn.executemany("INSERT INTO names_dirty (key) VALUES (?) ON CONFLICT DO NOTHING", [(h.key,) for h in names])


def _mark_dirty(conn: sqlite3.Connection, directory: str) -> None:
    conn.execute("INSERT INTO corpus_dirty (directory) VALUES (?) ON CONFLICT DO NOTHING", (directory,))


def apply_corpus(conn: sqlite3.Connection) -> CorpusReport:
    """Judge the dirty directories and decide the dirty names again (caller's transaction)."""
    report = CorpusReport()
    dirty = [r[0] for r in conn.execute("SELECT directory FROM corpus_dirty ORDER BY directory")]
    if not dirty and conn.execute("SELECT 1 FROM names_dirty LIMIT 1").fetchone() is None:
        return report  # nothing indexed or deleted since the last pass
    topic = _entity(conn, "Topic", "integration", "integration")
    for directory in dirty:
        report.integration_items += _judge(conn, directory, topic)
    report.directories = len(dirty)
    conn.execute("DELETE FROM corpus_dirty")
    found = discover_names(conn)
    report.discovered = sum(1 for d in found if d.type)
    report.rows = _name_rows(conn, found)
    conn.execute("DELETE FROM names_dirty")
    return report


def _judge(conn: sqlite3.Connection, directory: str, topic: int) -> int:
    """Judge one directory again: its items' content type and ``Topic:integration`` rows."""
    rows = conn.execute(
        "SELECT s.document_id, s.words, s.outline, s.title_name, s.integration_words, s.plus_title,"
        " s.anchor_title, s.local_type, s.item FROM document_shapes s JOIN documents d ON d.id = s.document_id"
        " WHERE s.directory = ? AND d.status = 'FETCHED' ORDER BY s.document_id", (directory,)
    ).fetchall()
    shapes = [PageShape(directory, r["words"], r["outline"], r["title_name"], r["integration_words"],
                        bool(r["plus_title"]), bool(r["anchor_title"])) for r in rows]
    verdict = judge_directory(directory, shapes)
    items = set(verdict.items) if verdict.integration else set()
    for i, row in enumerate(rows):
        item, doc_id = i in items, row["document_id"]
        if item != bool(row["item"]) and row["title_name"]:  # its name's evidence changed
            conn.execute("INSERT INTO names_dirty (key) VALUES (?) ON CONFLICT DO NOTHING",
                         (entity_key(row["title_name"]),))
        conn.execute("DELETE FROM document_entities WHERE document_id = ? AND entity_id = ? AND origin = ?",
                     (doc_id, topic, ORIGIN))
        if item:
            conn.execute("UPDATE document_shapes SET item = 1 WHERE document_id = ?", (doc_id,))
            conn.execute("UPDATE documents SET content_type = 'integration' WHERE id = ?", (doc_id,))
            conn.execute("INSERT INTO document_entities (document_id, entity_id, mentions, origin)"
                         " VALUES (?, ?, 1, ?) ON CONFLICT (document_id, entity_id) DO NOTHING",
                         (doc_id, topic, ORIGIN))
        elif row["item"]:  # no longer an item: the page's own type again
            conn.execute("UPDATE document_shapes SET item = 0 WHERE document_id = ?", (doc_id,))
            conn.execute("UPDATE documents SET content_type = ? WHERE id = ?", (row["local_type"], doc_id))
    conn.execute("DELETE FROM directory_shapes WHERE directory = ?", (directory,))
    if verdict.similar:
        conn.execute(
            "INSERT INTO directory_shapes (directory, pages, items, integration, evidence) VALUES (?, ?, ?, ?, ?)",
            (directory, len(rows), len(verdict.items), int(verdict.integration), "; ".join(verdict.evidence)),
        )
    return len(items)


def discover_names(conn: sqlite3.Connection) -> list[Discovered]:
    """Decide again the names ``names_dirty`` lists: one Discovered each, whose ``type`` is
    None when the name is (no longer) an entity (see the module docstring)."""
    keys = [r[0] for r in conn.execute("SELECT key FROM names_dirty ORDER BY key")]
    if not keys:
        return []
    sites: dict[str, int] = {}
    for row in conn.execute("SELECT domain, COUNT(*) FROM documents WHERE status = 'FETCHED' GROUP BY domain"):
        sites[row[0]] = row[1]
    authors = {entity_key(r[0]) for r in conn.execute(
        "SELECT DISTINCT author FROM documents WHERE author IS NOT NULL AND author <> ''")}
    rows = conn.execute(
        "SELECT n.key, d.domain, COUNT(*) AS docs, SUM(n.mid) AS mid, SUM(CASE WHEN n.mid > 0 THEN 1 ELSE 0 END)"
        " AS mid_docs, SUM(n.plus_right) AS plus_right,"
        " MAX(n.anchor_domain) AS anchor, SUM(n.company_cue) AS company, SUM(n.tech_cue) AS tech,"
        " SUM(n.lower) AS lower, SUM(n.initial) AS initial"
        " FROM names_dirty k JOIN document_names n ON n.key = k.key JOIN documents d ON d.id = n.document_id"
        " GROUP BY n.key, d.domain"
    ).fetchall()
    totals: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    chrome: set[str] = set()
    for r in rows:
        t = totals[r["key"]]
        for column in ("docs", "mid", "mid_docs", "plus_right", "company", "tech", "lower", "initial"):
            t[column] += r[column] or 0
        t["anchor"] = max(t["anchor"], r["anchor"] or 0)
        site = sites.get(r["domain"], 0)
        if site >= CHROME_MIN_DOCS and r["docs"] > CHROME_SHARE * site:
            chrome.add(r["key"])
    items = _item_titles(conn)
    wanted = set(keys)
    for key, (_, docs) in items.items():
        if key in wanted:
            totals[key]["item_title"] = docs
    products = _products(conn)
    for key in _partners_of(conn, products):
        totals[key]["plus_left"] = 1
    found = []
    for key in keys:
        t = totals.get(key)
        kind, why = (None, "") if t is None or key in authors else _kind(t, key in chrome)
        if t is not None and key in products and key not in authors and kind != "Company":
            kind, why = "Product", f"right of '+' headings in {t['plus_right']} documents"
        found.append(Discovered(kind, "", key, t["docs"] if t else 0, why))
    _names(conn, [d for d in found if d.type], items)
    return found


def _item_titles(conn: sqlite3.Connection) -> dict[str, tuple[str, int]]:
    """Titles of the items of directories of integrations (key -> name, pages): partners, even
    when the vocabulary knows the name as something else (Technology:Airflow is a partner too)."""
    out: dict[str, tuple[str, int]] = {}
    for row in conn.execute("SELECT title_name, COUNT(*) FROM document_shapes WHERE item = 1"
                            " AND title_name IS NOT NULL GROUP BY title_name"):
        key = entity_key(row[0])
        out[key] = (row[0], out.get(key, (row[0], 0))[1] + row[1])
    return out


def _products(conn: sqlite3.Connection) -> set[str]:
    """The right sides of "+" headings in two documents or more: the site's products."""
    return {r[0] for r in conn.execute(
        "SELECT key FROM document_names WHERE plus_right = 1 GROUP BY key HAVING COUNT(*) >= 2")}


def _partners_of(conn: sqlite3.Connection, products: set[str]) -> set[str]:
    """The dirty names on the left of a "+" heading whose right side is one of ``products``."""
    if not products:
        return set()
    marks = ", ".join("?" * len(products))
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT l.key FROM names_dirty k JOIN document_names l ON l.key = k.key"
        " JOIN document_names r ON r.document_id = l.document_id AND r.plus_right = 1"
        f" WHERE l.plus_left = 1 AND r.key IN ({marks})", sorted(products))}


def _kind(t: dict, chrome: bool) -> tuple[str | None, str]:
    if t["item_title"]:
        return "Company", "the title of a page in a directory of integrations"
    if t["plus_left"]:
        return "Company", "left of a '<X> + <Product>' heading"
    if t["lower"] > LOWER_SHARE * (t["mid"] + t["initial"]):
        return None, ""  # a word written with a capital now and then ("Image", "Install"), not a name
    if t["anchor"]:
        if t["tech"] > t["company"]:
            return "Technology", "the anchor of a link to its own domain"
        return "Company", "the anchor of a link to its own domain"
    if chrome or t["mid_docs"] < MIN_DOCS:
        return None, ""
    if t["company"] >= MIN_CUES and t["company"] >= t["tech"]:
        return "Company", f"{t['company']} company cues in {t['mid_docs']} documents"
    if t["tech"] >= MIN_CUES:
        return "Technology", f"{t['tech']} technology cues in {t['mid_docs']} documents"
    return None, ""


def _names(conn: sqlite3.Connection, found: list[Discovered], items: dict[str, tuple[str, int]]) -> None:
    """Give each discovered name its display spelling: a directory page's title, else the
    spelling of titles, else the most written one."""
    if not found:
        return
    wanted = {d.key: d for d in found}
    best: dict[str, tuple[int, int, str]] = {}
    for row in conn.execute(
        "SELECT n.key, n.name, MAX(n.title) AS title, SUM(n.mid + n.initial + n.heading + n.title) AS n"
        " FROM names_dirty k JOIN document_names n ON n.key = k.key GROUP BY n.key, n.name"
    ):
        if row["key"] not in wanted:
            continue
        rank = (row["title"], row["n"], row["name"])
        if row["key"] not in best or rank > best[row["key"]]:
            best[row["key"]] = rank
    for key, d in wanted.items():
        d.name = items[key][0] if key in items else best[key][2] if key in best else key


def _name_rows(conn: sqlite3.Connection, found: list[Discovered]) -> int:
    """Replace the corpus rows of each name decided again: its documents, and for a Company the
    directory pages titled with it."""
    rows = 0
    items: dict[str, list[str]] = defaultdict(list)
    for row in conn.execute("SELECT document_id, title_name FROM document_shapes"
                            " WHERE item = 1 AND title_name IS NOT NULL"):
        items[entity_key(row[1])].append(row[0])
    for d in found:
        old = conn.execute("SELECT type, entity_id FROM discovered_names WHERE key = ?", (d.key,)).fetchone()
        if old is not None:
            conn.execute("DELETE FROM document_entities WHERE entity_id = ? AND origin = ?", (old[1], ORIGIN))
            conn.execute("DELETE FROM discovered_names WHERE key = ?", (d.key,))
        if not d.type:
            continue
        entity_id = _entity(conn, d.type, d.name, d.key)
        conn.execute("INSERT INTO discovered_names (key, type, name, entity_id, evidence) VALUES (?, ?, ?, ?, ?)",
                     (d.key, d.type, d.name, entity_id, d.evidence))
        cur = conn.execute(
            "INSERT INTO document_entities (document_id, entity_id, mentions, origin)"
            " SELECT n.document_id, ?, MAX(n.mid + n.initial + n.heading + n.title, 1), ?"
            " FROM document_names n WHERE n.key = ?"
            " ON CONFLICT (document_id, entity_id) DO NOTHING", (entity_id, ORIGIN, d.key),
        )
        rows += max(cur.rowcount, 0)
        if d.type == "Company" and d.key in items:  # the item pages, where the name is no candidate
            cur = conn.executemany(
                "INSERT INTO document_entities (document_id, entity_id, mentions, origin) VALUES (?, ?, 1, ?)"
                " ON CONFLICT (document_id, entity_id) DO NOTHING",
                [(doc_id, entity_id, ORIGIN) for doc_id in items[d.key]])
            rows += max(cur.rowcount, 0)
    return rows


def _entity(conn: sqlite3.Connection, etype: str, name: str, key: str) -> int:
    row = conn.execute("SELECT id FROM entities WHERE type = ? AND key = ?", (etype, key)).fetchone()
    if row is not None:
        return int(row[0])
    return int(conn.execute("INSERT INTO entities (type, name, key) VALUES (?, ?, ?)",
                            (etype, name, key)).lastrowid)

