"""The corpus pass of the index: what only the whole set of documents tells.

Per-document indexing (``kurt.index.pipeline``) stores each page's shape
(``kurt.index.shapes``) and candidate names (``kurt.index.names``), and marks
its directory dirty. After the documents of a run are written,
``apply_corpus`` (one transaction, main process):

1. judges every dirty directory again from the shapes of all its pages (one
   indexed query per directory): the items of a directory of integrations
   become content type ``integration``; pages that stop being items get their
   own type back;
2. rebuilds the corpus's entity rows (``document_entities.origin = 'corpus'``):
   ``Topic:integration`` for every item, and the discovered names as entities
   of the documents that write them.

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

The pass reads every directory's shapes only when the directory changed; the
name aggregation is one GROUP BY over ``document_names`` (a few candidate rows
per document), so a re-index of one page costs milliseconds.
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
    """A name the corpus pass made an entity, and why."""

    type: str
    name: str
    key: str
    documents: int
    evidence: str


@dataclass
class CorpusReport:
    directories: int = 0  # judged again
    integration_items: int = 0  # pages of directories of integrations (whole store)
    discovered: int = 0  # names made entities
    rows: int = 0  # document-entity rows written


def write_shape(conn: sqlite3.Connection, document_id: str, shape: PageShape | None,
                names: list[NameHit], local_type: str | None) -> None:
    """Store one document's shape and names and mark its directory dirty (caller's transaction)."""
    old = conn.execute("SELECT directory FROM document_shapes WHERE document_id = ?", (document_id,)).fetchone()
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


def _mark_dirty(conn: sqlite3.Connection, directory: str) -> None:
    conn.execute("INSERT INTO corpus_dirty (directory) VALUES (?) ON CONFLICT DO NOTHING", (directory,))


def apply_corpus(conn: sqlite3.Connection) -> CorpusReport:
    """Judge the dirty directories and rebuild the corpus's entity rows (caller's transaction)."""
    report = CorpusReport()
    dirty = [r[0] for r in conn.execute("SELECT directory FROM corpus_dirty ORDER BY directory")]
    if not dirty:  # nothing indexed or deleted since the last pass
        return report
    for directory in dirty:
        _judge(conn, directory)
    report.directories = len(dirty)
    conn.execute("DELETE FROM corpus_dirty")
    conn.execute("DELETE FROM document_entities WHERE origin = ?", (ORIGIN,))
    report.integration_items = _integration_topics(conn)
    found = discover_names(conn)
    report.discovered = len(found)
    report.rows = _name_rows(conn, found)
    return report


def _judge(conn: sqlite3.Connection, directory: str) -> None:
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
        item = i in items
        if item:
            conn.execute("UPDATE document_shapes SET item = 1 WHERE document_id = ?", (row["document_id"],))
            conn.execute("UPDATE documents SET content_type = 'integration' WHERE id = ?", (row["document_id"],))
        elif row["item"]:  # no longer an item: the page's own type again
            conn.execute("UPDATE document_shapes SET item = 0 WHERE document_id = ?", (row["document_id"],))
            conn.execute("UPDATE documents SET content_type = ? WHERE id = ?",
                         (row["local_type"], row["document_id"]))
    conn.execute("DELETE FROM directory_shapes WHERE directory = ?", (directory,))
    if verdict.similar:
        conn.execute(
            "INSERT INTO directory_shapes (directory, pages, items, integration, evidence) VALUES (?, ?, ?, ?, ?)",
            (directory, len(rows), len(verdict.items), int(verdict.integration), "; ".join(verdict.evidence)),
        )


def _integration_topics(conn: sqlite3.Connection) -> int:
    topic = _entity(conn, "Topic", "integration", "integration")
    cur = conn.execute(
        "INSERT INTO document_entities (document_id, entity_id, mentions, origin)"
        " SELECT s.document_id, ?, 1, ? FROM document_shapes s WHERE s.item = 1"
        " ON CONFLICT (document_id, entity_id) DO NOTHING", (topic, ORIGIN),
    )
    return max(cur.rowcount, 0)


def discover_names(conn: sqlite3.Connection) -> list[Discovered]:
    """The candidate names that become entities, with their type (see the module docstring)."""
    sites: dict[str, int] = {}
    for row in conn.execute("SELECT domain, COUNT(*) FROM documents WHERE status = 'FETCHED' GROUP BY domain"):
        sites[row[0]] = row[1]
    authors = {entity_key(r[0]) for r in conn.execute(
        "SELECT DISTINCT author FROM documents WHERE author IS NOT NULL AND author <> ''")}
    rows = conn.execute(
        "SELECT n.key, d.domain, COUNT(*) AS docs, SUM(n.mid) AS mid, SUM(CASE WHEN n.mid > 0 THEN 1 ELSE 0 END)"
        " AS mid_docs, SUM(n.plus_right) AS plus_right,"
        " MAX(n.anchor_domain) AS anchor, SUM(n.company_cue) AS company, SUM(n.tech_cue) AS tech,"
        " SUM(n.lower) AS lower, SUM(n.initial) AS initial,"
        " SUM(CASE WHEN n.title = 1 AND s.item = 1 THEN 1 ELSE 0 END) AS item_title"
        " FROM document_names n JOIN documents d ON d.id = n.document_id"
        " LEFT JOIN document_shapes s ON s.document_id = n.document_id"
        " GROUP BY n.key, d.domain"
    ).fetchall()
    totals: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    chrome: set[str] = set()
    for r in rows:
        t = totals[r["key"]]
        for column in ("docs", "mid", "mid_docs", "plus_right", "company", "tech", "item_title", "lower",
                       "initial"):
            t[column] += r[column] or 0
        t["anchor"] = max(t["anchor"], r["anchor"] or 0)
        site = sites.get(r["domain"], 0)
        if site >= CHROME_MIN_DOCS and r["docs"] > CHROME_SHARE * site:
            chrome.add(r["key"])
    products = {k for k, t in totals.items() if t["plus_right"] >= 2 and k not in authors}
    for key in _partners_of(conn, products):
        totals[key]["plus_left"] = 1
    found = []
    for key, t in totals.items():
        if key in authors:
            continue
        kind, why = _kind(t, key in chrome)
        if key in products and kind != "Company":
            kind, why = "Product", f"right of '+' headings in {t['plus_right']} documents"
        if kind:
            found.append(Discovered(kind, "", key, t["docs"], why))
    _names(conn, found)
    _item_titles(conn, found, authors)
    return found


def _item_titles(conn: sqlite3.Connection, found: list[Discovered], authors: set[str]) -> None:
    """Titles of the items of directories of integrations are partners, even when the
    vocabulary knows the name as something else (Technology:Airflow is also a partner)."""
    have = {d.key for d in found if d.type == "Company"}
    for row in conn.execute("SELECT title_name, COUNT(*) FROM document_shapes WHERE item = 1"
                            " AND title_name IS NOT NULL GROUP BY title_name"):
        key = entity_key(row[0])
        if key not in have and key not in authors:
            have.add(key)
            found.append(Discovered("Company", row[0], key, row[1],
                                    "the title of a page in a directory of integrations"))


def _partners_of(conn: sqlite3.Connection, products: set[str]) -> set[str]:
    """Names on the left of a "+" heading whose right side is one of ``products``."""
    if not products:
        return set()
    marks = ", ".join("?" * len(products))
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT l.key FROM document_names l JOIN document_names r"
        " ON r.document_id = l.document_id AND r.plus_right = 1"
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


def _names(conn: sqlite3.Connection, found: list[Discovered]) -> None:
    """Give each discovered name its display spelling: the title's, else the most written."""
    if not found:
        return
    wanted = {d.key: d for d in found}
    best: dict[str, tuple[int, int, str]] = {}
    for row in conn.execute(
        "SELECT key, name, MAX(title) AS title, SUM(mid + initial + heading + title) AS n"
        " FROM document_names GROUP BY key, name"
    ):
        if row["key"] not in wanted:
            continue
        rank = (row["title"], row["n"], row["name"])
        if row["key"] not in best or rank > best[row["key"]]:
            best[row["key"]] = rank
    for key, d in wanted.items():
        d.name = best[key][2] if key in best else key


def _name_rows(conn: sqlite3.Connection, found: list[Discovered]) -> int:
    rows = 0
    items: dict[str, list[str]] = defaultdict(list)
    for row in conn.execute("SELECT document_id, title_name FROM document_shapes"
                            " WHERE item = 1 AND title_name IS NOT NULL"):
        items[entity_key(row[1])].append(row[0])
    for d in found:
        entity_id = _entity(conn, d.type, d.name, d.key)
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

