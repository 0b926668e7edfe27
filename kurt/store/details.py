"""One document in full, for ``kurt content get``: metadata, outline, entities, links, clusters."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import NotFound, UsageError
from kurt.store.db import Store
from kurt.store.documents import Document, get_document

DIRECTIONS = ("in", "out", "both")


@dataclass
class OutlineEntry:
    """One heading of the document, with the lines its section covers."""

    level: int
    heading: str
    heading_path: str
    line_start: int
    line_end: int


@dataclass
class EntityMention:
    type: str
    name: str
    mentions: int
    origin: str = "local"


@dataclass
class LinkRef:
    """A link between documents. ``direction`` 'out': this document links to ``url``;
    'in': the document at ``url`` links to this one. ``document_id`` is set when
    the other end is an ingested document."""

    direction: str
    url: str
    document_id: str | None = None
    title: str | None = None
    anchor: str | None = None


@dataclass
class ClusterRef:
    id: int
    name: str
    score: float | None = None


@dataclass
class DocumentDetails:
    document: Document
    outline: list[OutlineEntry] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    links_out: list[LinkRef] = field(default_factory=list)
    links_in: list[LinkRef] = field(default_factory=list)
    clusters: list[ClusterRef] = field(default_factory=list)
    sections: int = 0  # passages in the search index
    content: str | None = None  # the stored markdown, when asked for


def document_details(store: Store, ident: str, workspace_root: Path, *,
                     with_content: bool = False) -> DocumentDetails:
    """Everything Kurt knows about one document (by id, id prefix, URL or path)."""
    doc = get_document(store, ident, workspace_root)
    details = DocumentDetails(doc)
    rows = store.query(
        "SELECT heading, heading_path, level, line_start, line_end FROM sections"
        " WHERE document_id = ? ORDER BY position", (doc.id,))
    details.sections = len(rows)
    details.outline = _outline(rows)
    details.entities = [
        EntityMention(r["type"], r["name"], r["mentions"], r["origin"])
        for r in store.query(
            "SELECT e.type, e.name, de.mentions, de.origin FROM document_entities de"
            " JOIN entities e ON e.id = de.entity_id WHERE de.document_id = ?"
            " ORDER BY de.mentions DESC, e.type, e.name", (doc.id,))
    ]
    details.links_out = _links_out(store, doc)
    details.links_in = _links_in(store, doc)
    details.clusters = [
        ClusterRef(r["id"], r["name"], r["score"])
        for r in store.query(
            "SELECT c.id, c.name, dc.score FROM document_clusters dc"
            " JOIN clusters c ON c.id = dc.cluster_id WHERE dc.document_id = ?"
            " ORDER BY dc.score DESC, c.name", (doc.id,))
    ]
    if with_content:
        details.content = read_content(store, doc, workspace_root)
    return details


def _outline(rows) -> list[OutlineEntry]:
    """Headings in order; a heading's line range runs to the end of its last passage."""
    outline: list[OutlineEntry] = []
    for row in rows:
        if row["heading"] is not None:
            outline.append(OutlineEntry(row["level"], row["heading"], row["heading_path"] or "",
                                        row["line_start"], row["line_end"]))
        elif outline and row["level"] == outline[-1].level and row["level"] > 0:
            outline[-1].line_end = row["line_end"]  # a passage continuing that heading
    return outline


def read_content(store: Store, doc: Document, workspace_root: Path) -> str:
    """The stored markdown of a fetched document: its file in sources/, written from a
    shared store first when this workspace lacks it (``kurt.store.content.source_text``)."""
    from kurt.store.content import missing_file_message, source_text

    if not doc.content_path:
        raise NotFound(
            f"Document {doc.id} has no content yet (status {doc.status}): "
            f"fetch it with 'kurt content fetch {doc.id}'")
    text = source_text(workspace_root, store, doc.content_path)
    if text is None:
        raise NotFound(missing_file_message(store, doc, workspace_root))
    return text


def _links_out(store: Store, doc: Document) -> list[LinkRef]:
    return [
        LinkRef("out", r["target_url"], r["target_id"], r["title"], r["anchor"])
        for r in store.query(
            "SELECT l.target_url, l.target_id, l.anchor, t.title FROM links l"
            " LEFT JOIN documents t ON t.id = l.target_id WHERE l.document_id = ?"
            " ORDER BY l.target_id IS NULL, l.target_url", (doc.id,))
    ]


def _links_in(store: Store, doc: Document) -> list[LinkRef]:
    """Links from other documents, resolved to this one or naming its URL (or canonical URL)."""
    names = {doc.url, doc.url.rstrip("/"), doc.url.rstrip("/") + "/"}
    if doc.canonical_url:
        names.add(doc.canonical_url)
    names = sorted(names)
    marks = ", ".join("?" * len(names))
    return [
        LinkRef("in", r["url"], r["document_id"], r["title"], r["anchor"])
        for r in store.query(
            "SELECT DISTINCT l.document_id, l.anchor, s.url, s.title FROM links l"
            " JOIN documents s ON s.id = l.document_id"
            f" WHERE (l.target_id = ? OR l.target_url IN ({marks})) AND l.document_id <> ?"
            " ORDER BY s.url", (doc.id, *names, doc.id))
    ]


def document_links(store: Store, ident: str, workspace_root: Path,
                   direction: str = "both") -> tuple[Document, list[LinkRef]]:
    """The links out of and/or into one document."""
    if direction not in DIRECTIONS:
        raise UsageError(f"Unknown direction '{direction}': use one of {', '.join(DIRECTIONS)}")
    doc = get_document(store, ident, workspace_root)
    links: list[LinkRef] = []
    if direction in ("out", "both"):
        links += _links_out(store, doc)
    if direction in ("in", "both"):
        links += _links_in(store, doc)
    return doc, links
