"""Boilerplate passages: the detector's parts, and the flags it keeps in a real SQLite index."""

from __future__ import annotations

import hashlib

import pytest

from kurt.index.boilerplate import COMMON, REPEATED, flagged_positions, passage_units, threshold
from kurt.index.pipeline import index_documents
from kurt.index.sections import Section
from kurt.index.units import CODE, HEADING, LINK, TEXT, normalize
from kurt.search import search
from kurt.store.delete import delete_documents
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.store.filters import DocumentFilter

BANNER = "Join us at DataConf 2026 — register now [Register now](https://x.com/events/dataconf)"
SUBSCRIBE = ("### Subscribe to our newsletter\n\nGet the latest posts and product news every other"
             " week. No spam, unsubscribe anytime.\n\nBy subscribing you agree to our Privacy Policy.")
WORDS = ["kestrel", "marmot", "heron", "otter", "badger", "lynx", "puffin", "walrus", "bison", "ibis",
         "gecko", "tapir", "okapi", "quokka", "dingo", "koala", "llama", "panda", "zebra", "yak",
         "eland", "civet", "dhole", "genet", "hyrax", "kudu", "margay", "numbat", "oryx", "serval"]


def section(body: str, heading: str | None = None, position: int = 0) -> Section:
    return Section(position, heading, heading or "Page", 2 if heading else 0, 1, 1, body)


# -- units ------------------------------------------------------------------------------------

def test_a_passage_is_cut_into_heading_paragraphs_items_and_code():
    units = passage_units(section(
        "First paragraph on one line.\n\n- one item\n- [a link](https://x.com/a)\n\n"
        "```bash\nkurt init\n```\n\nLast words.", heading="Setup"))
    kinds = [u.kind for u in units]
    assert kinds == [HEADING, TEXT, TEXT, LINK, TEXT, CODE]
    assert units[1].chars == len("first paragraph on one line")
    assert units[-1].hash is None and units[-1].chars == len("kurt init")


@pytest.mark.parametrize("a, b", [
    ("Join us — [register now](https://a.example/x)", "join us — [Register now](https://b.example/y)"),
    ("**Subscribe** to  our newsletter.", "Subscribe to our newsletter"),
    ("- Watch later", "Watch later"),
])
def test_one_block_written_two_ways_is_one_key(a, b):
    assert [u.hash for u in passage_units(section(a))] == [u.hash for u in passage_units(section(b))]


def test_normalize_drops_markup_and_edge_punctuation():
    assert normalize("  **PREVIOUS  POSTS**: ") == "previous posts"


@pytest.mark.parametrize("documents, expected", [
    (1, 5), (20, 5), (166, 5), (167, 6), (560, 17), (1000, 30), (1667, 50), (30_000, 50),
])
def test_threshold_is_a_share_of_the_site_between_bounds(documents, expected):
    assert threshold(documents) == expected


# -- which passages are boilerplate --------------------------------------------------------------

def rows(position, *units):
    return [(position, key, chars, kind) for key, chars, kind in units]


def test_a_passage_mostly_made_of_common_blocks_is_flagged():
    units = rows(0, (1, 60, TEXT), (2, 10, TEXT)) + rows(1, (1, 60, TEXT), (3, 200, TEXT))
    assert flagged_positions(units, {1: COMMON}) == {0}


def test_repeated_blocks_count_only_in_a_listing_under_a_common_heading():
    listing = rows(4, (9, 14, HEADING), (10, 40, LINK), (11, 70, TEXT), (12, 40, LINK), (13, 70, TEXT))
    statuses = {9: COMMON, 11: REPEATED, 13: REPEATED}
    assert flagged_positions(listing, statuses) == {4}
    assert flagged_positions(listing, {**statuses, 9: REPEATED}) == set()  # heading not common
    prose = rows(4, (9, 14, HEADING), (11, 70, TEXT), (13, 70, TEXT))  # no links: not a listing
    assert flagged_positions(prose, statuses) == set()


def test_a_template_of_many_common_paragraphs_is_content():
    steps = rows(2, *[(k, 60, TEXT) for k in range(1, 10)])  # nine setup steps every guide repeats
    assert flagged_positions(steps, {k: COMMON for k in range(1, 10)}) == set()
    assert flagged_positions(steps[:8], {k: COMMON for k in range(1, 10)}) == {2}


def test_code_counts_as_content():
    units = rows(0, (1, 50, TEXT), (None, 200, CODE))
    assert flagged_positions(units, {1: COMMON}) == set()


# -- flags in a real index -------------------------------------------------------------------------

def put(ws, store, url, body, title, domain="x.com"):
    add_discovered(store, [Discovered(url=url, domain=domain)])
    path = f"sources/{domain}/{url.rsplit('/', 1)[-1]}.md"
    (ws.root / path).parent.mkdir(parents=True, exist_ok=True)
    (ws.root / path).write_text(f"---\nurl: {url}\ntitle: {title}\n---\n\n{body}\n", encoding="utf-8")
    update_document(store, document_id(url), status="FETCHED", title=title, content_path=path,
                    content_hash=hashlib.sha256(body.encode()).hexdigest())
    return document_id(url)


def page(n: int, *, banner: bool = True) -> str:
    animal = WORDS[n % len(WORDS)]
    parts = [BANNER] if banner else []
    parts += [f"# The {animal} report", f"The {animal} population grew by {n} percent this year, "
              f"and the {animal} keepers counted every nest twice.", SUBSCRIBE]
    return "\n\n".join(parts)


def flags(store, doc_id: str) -> dict[str, int]:
    return {row[0] or "": row[1] for row in store.query(
        "SELECT heading, boilerplate FROM sections WHERE document_id = ? ORDER BY position", (doc_id,))}


def test_banners_and_subscribe_blocks_are_flagged_and_left_out_of_search(workspace, store):
    ids = [put(workspace, store, f"https://x.com/p{n}", page(n), f"The {WORDS[n]} report")
           for n in range(12)]
    index_documents(workspace, store)
    assert flags(store, ids[3]) == {"": 1, "The otter report": 0, "Subscribe to our newsletter": 1}
    assert search(store, "dataconf") == []
    assert search(store, "unsubscribe") == []
    hits = search(store, "otter")
    assert [h.document_id for h in hits] == [ids[3]]
    text = (workspace.root / "sources/x.com/p3.md").read_text()
    assert "DataConf" in text and "Subscribe to our newsletter" in text  # kept in the file


def test_a_block_that_becomes_common_later_flags_the_pages_indexed_before(workspace, store):
    first = [put(workspace, store, f"https://x.com/p{n}", page(n), f"Report {n}") for n in range(4)]
    index_documents(workspace, store)
    assert flags(store, first[0])[""] == 0  # on 4 pages: not yet common (at least 5)
    assert len(search(store, "dataconf", limit=10)) == 4
    put(workspace, store, "https://x.com/p4", page(4), "Report 4")
    report = index_documents(workspace, store)
    assert report.indexed == 1  # only the new page is analysed...
    assert all(flags(store, doc)[""] == 1 for doc in first)  # ...yet the earlier pages are flagged
    assert search(store, "dataconf") == []


def test_a_block_that_stops_being_common_is_searchable_again(workspace, store):
    ids = [put(workspace, store, f"https://x.com/p{n}", page(n), f"Report {n}") for n in range(5)]
    index_documents(workspace, store)
    assert flags(store, ids[0])[""] == 1
    delete_documents(store, workspace.root, DocumentFilter(ids=ids[1:]))
    assert flags(store, ids[0])[""] == 0  # on one page now
    assert [h.document_id for h in search(store, "dataconf")] == [ids[0]]


def test_blocks_are_counted_per_site(workspace, store):
    for n in range(3):
        put(workspace, store, f"https://a.com/p{n}", page(n), f"A {n}", domain="a.com")
        put(workspace, store, f"https://b.com/p{n}", page(n + 10), f"B {n}", domain="b.com")
    index_documents(workspace, store)
    assert len(search(store, "dataconf", limit=10, per_document=1)) == 6  # 3 + 3 pages: never 5 on a site


def test_a_page_and_its_copy_show_once_in_search(workspace, store):
    ids = [put(workspace, store, f"https://x.com/p{n}", page(n), f"The {WORDS[n]} report")
           for n in range(8)]
    copy = put(workspace, store, "https://mirror.example/p3", page(3, banner=False), "The otter report",
               domain="mirror.example")
    index_documents(workspace, store)
    keys = dict(store.query("SELECT id, duplicate_key FROM documents"))
    assert keys[copy] is not None and keys[copy] == keys[ids[3]]
    assert len({keys[i] for i in ids}) == len(ids)
    hits = search(store, "otter")
    assert len({h.document_id for h in hits}) == 1
    both = search(store, "otter population", limit=20)  # a few hits, then the relaxed pass
    assert any(h.partial for h in both)
    assert len({h.document_id for h in both} & {ids[3], copy}) == 1


def test_pages_that_drop_a_block_on_reindex_take_it_out_of_the_counts(workspace, store):
    ids = [put(workspace, store, f"https://x.com/p{n}", page(n), f"Report {n}") for n in range(5)]
    index_documents(workspace, store)
    assert flags(store, ids[0])[""] == 1
    put(workspace, store, "https://x.com/p4", page(4, banner=False), "Report 4")  # a new version
    assert index_documents(workspace, store).indexed == 1
    assert flags(store, ids[0])[""] == 0  # on 4 pages now
    counts = dict(store.query("SELECT documents, COUNT(*) FROM unit_counts GROUP BY documents"))
    assert max(counts) == 5  # the Subscribe block, still on all five


def test_units_survive_their_packing():
    from kurt.index.boilerplate import document_units, pack, unpack

    sections = [section("A line.\n\n```\ncode\n```", heading="Intro"),
                section("[Docs](https://x.com/docs)", position=1)]
    units = document_units(sections)
    assert unpack(pack(units)) == [(p, u.hash, u.chars, u.kind) for p, u in units]
    assert [row[3] for row in unpack(pack(units))] == [HEADING, TEXT, CODE, LINK]


def test_packed_keys_are_the_keys_of_the_units_code_apart():
    from kurt.index.boilerplate import document_units, packed_keys, packed_units

    prose = [section("A line.\nAnother line.", heading="Intro")]
    with_code = prose + [section("```\ncode\n```\nAfter the code.", position=1)]
    for sections in (prose, with_code):
        units = document_units(sections)
        assert packed_keys(packed_units(sections)) == {u.hash for _, u in units if u.hash is not None}
    assert len(packed_keys(packed_units(with_code))) == 4  # heading, two lines, the line after
