"""Document filters shared by list, fetch, search, index and delete.

A ``DocumentFilter`` becomes one SQL ``WHERE`` clause: filtering happens in
the database, never by loading every document into memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kurt.errors import UsageError
from kurt.paging import Page
from kurt.store.db import Store
from kurt.store.documents import COLUMNS, STATUSES, Document

ENTITY_TYPES = ("Topic", "Technology", "Product", "Company", "Feature")
SORTS = {
    "url": "d.url",
    "title": "LOWER(d.title)",  # "API Cookbook" between "Access" and "AWS", as a reader expects
    "fetched": "d.fetched_at",
    "changed": "d.changed_at",
    "discovered": "d.discovered_at",
    "words": "d.word_count",
    "status": "d.status",
    # The most page views a provider synced (kurt.store.traffic); -1 without traffic: last
    # when descending.
    "pageviews": "COALESCE((SELECT MAX(t.pageviews) FROM document_traffic t"
                 " WHERE t.document_id = d.id), -1)",
}


@dataclass
class DocumentFilter:
    ids: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    url_prefix: str | None = None
    url_contains: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)  # globs on the URL (or path)
    exclude: list[str] = field(default_factory=list)
    with_entities: list[str] = field(default_factory=list)  # "Type:Name" or "Type:Name*"
    content_types: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    changed_since: str | None = None
    traffic_trends: list[str] = field(default_factory=list)  # rising, stable, declining
    include_delisted: bool = True

    def is_empty(self) -> bool:
        return not (
            self.ids or self.statuses or self.url_prefix or self.url_contains or self.include
            or self.exclude or self.with_entities or self.content_types or self.clusters
            or self.domains or self.changed_since or self.traffic_trends
        )

    def where(self, alias: str = "d") -> tuple[str, list]:
        """The SQL condition (on table alias ``alias``) and its parameters."""
        clauses: list[str] = []
        params: list = []
        a = alias
        if self.ids:
            clauses.append(f"{a}.id IN ({', '.join('?' * len(self.ids))})")
            params += self.ids
        if self.statuses:
            statuses = [normalize_status(s) for s in self.statuses]
            clauses.append(f"{a}.status IN ({', '.join('?' * len(statuses))})")
            params += statuses
        if self.url_prefix:
            clauses.append(f"{a}.url LIKE ? ESCAPE '\\'")
            params.append(_like_escape(self.url_prefix) + "%")
        for part in self.url_contains:
            clauses.append(f"{a}.url LIKE ? ESCAPE '\\'")
            params.append("%" + _like_escape(part) + "%")
        if self.include:
            ors = []
            for pattern in self.include:
                ors.append(f"({a}.url LIKE ? ESCAPE '\\' OR {a}.content_path LIKE ? ESCAPE '\\')")
                params += [glob_to_like(pattern)] * 2
            clauses.append("(" + " OR ".join(ors) + ")")
        for pattern in self.exclude:
            clauses.append(
                f"NOT ({a}.url LIKE ? ESCAPE '\\' OR COALESCE({a}.content_path, '') LIKE ? ESCAPE '\\')"
            )
            params += [glob_to_like(pattern)] * 2
        for spec in self.with_entities:
            sql, values = entity_match(spec)
            clauses.append(
                f"{a}.id IN (SELECT de.document_id FROM document_entities de"
                f" WHERE de.entity_id IN ({sql}))"
            )
            params += values
        if self.content_types:
            types = [normalize_content_type(t) for t in self.content_types]
            clauses.append(f"{a}.content_type IN ({', '.join('?' * len(types))})")
            params += types
        if self.clusters:
            clauses.append(
                f"EXISTS (SELECT 1 FROM document_clusters dc JOIN clusters c ON c.id = dc.cluster_id"
                f" WHERE dc.document_id = {a}.id AND (c.name IN ({', '.join('?' * len(self.clusters))})"
                f" OR CAST(c.id AS TEXT) IN ({', '.join('?' * len(self.clusters))})))"
            )
            params += list(self.clusters) * 2
        if self.domains:
            clauses.append(f"{a}.domain IN ({', '.join('?' * len(self.domains))})")
            params += [d.lower() for d in self.domains]
        if self.changed_since:
            clauses.append(f"COALESCE({a}.changed_at, {a}.fetched_at) >= ?")
            params.append(self.changed_since)
        if self.traffic_trends:  # a provider synced that trend (kurt.store.traffic)
            clauses.append(f"{a}.id IN (SELECT t.document_id FROM document_traffic t"
                           f" WHERE t.trend IN ({', '.join('?' * len(self.traffic_trends))}))")
            params += [t.strip().lower() for t in self.traffic_trends]
        if not self.include_delisted:
            clauses.append(f"{a}.delisted_at IS NULL")
        return (" AND ".join(clauses) or "1=1"), params


def entity_match(spec: str) -> tuple[str, list]:
    """SQL selecting the ids of the entities a "Type:Name" or "Type:Name*" spec names.

    A name matches the entity's key or one of its aliases; ``*`` makes it a
    prefix. Key ranges instead of LIKE, so the (type, key) index is used.
    """
    from kurt.index.keys import entity_key

    etype, name, prefix = parse_entity_spec(spec)
    key = entity_key(name)
    if prefix:
        condition, values = "{col} >= ? AND {col} < ?", [key, key + "\uffff"]
    else:
        condition, values = "{col} = ?", [key]
    sql = (
        f"SELECT e.id FROM entities e WHERE e.type = ? AND {condition.format(col='e.key')}"
        " UNION SELECT ea.entity_id FROM entity_aliases ea JOIN entities e ON e.id = ea.entity_id"
        f" WHERE e.type = ? AND {condition.format(col='ea.alias_key')}"
    )
    return sql, [etype, *values, etype, *values]


def normalize_content_type(value: str) -> str:
    """'API reference', 'api_reference' and 'API-Reference' -> 'api-reference'."""
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def filter_hints(store: Store, flt: DocumentFilter) -> list[str]:
    """Why a filter may match nothing: names it uses that the workspace does not know."""
    hints: list[str] = []
    if flt.with_entities:
        if store.query_one("SELECT 1 FROM entities LIMIT 1") is None:
            hints.append("The index has no entities yet: run 'kurt content index'")
        else:
            for spec in flt.with_entities:
                sql, values = entity_match(spec)
                if store.query_one(sql + " LIMIT 1", values) is None:
                    etype = parse_entity_spec(spec)[0]
                    hints.append(f"No entity {spec} in the index: see"
                                 f" 'kurt content list-entities {etype.lower()}'")
    for value in flt.content_types:
        wanted = normalize_content_type(value)
        if store.query_one("SELECT 1 FROM documents WHERE content_type = ? LIMIT 1", (wanted,)) is None:
            known = [r[0] for r in store.query(
                "SELECT DISTINCT content_type FROM documents WHERE content_type IS NOT NULL ORDER BY 1")]
            hints.append(f"No document has content type '{value}'"
                         + (f"; known: {', '.join(known)}" if known else
                            ": run 'kurt content index' to detect content types"))
    for name in flt.clusters:
        if store.query_one("SELECT 1 FROM clusters WHERE name = ? OR CAST(id AS TEXT) = ?",
                           (name, name)) is None:
            hints.append(f"No cluster '{name}': see 'kurt content list-clusters'")
    for domain in flt.domains:
        if store.query_one("SELECT 1 FROM documents WHERE domain = ? LIMIT 1",
                           (domain.lower(),)) is None:
            known = [r[0] for r in store.query(
                "SELECT domain FROM documents GROUP BY domain ORDER BY COUNT(*) DESC LIMIT 5")]
            hints.append(f"No documents from domain '{domain}'"
                         + (f"; known: {', '.join(known)}" if known else ""))
    if flt.traffic_trends and store.query_one("SELECT 1 FROM document_traffic LIMIT 1") is None:
        hints.append("No page traffic synced yet: run 'kurt analytics sync'")
    for ident in flt.ids:
        if store.query_one("SELECT 1 FROM documents WHERE id = ?", (ident,)) is None:
            hints.append(f"No document with id '{ident}'")
    return hints


def check_filter(store: Store, flt: DocumentFilter | None) -> None:
    """UsageError for an entity type or content type nobody could mean (a typo, not a miss).

    Custom entity types are fine when the index has entities of that type
    (a workspace vocabulary adds them); content types are the indexer's list,
    plus any an LLM stored.
    """
    if flt is None:
        return
    for spec in flt.with_entities:
        etype = parse_entity_spec(spec)[0]
        if etype not in ENTITY_TYPES and store.query_one(
                "SELECT 1 FROM entities WHERE type = ? LIMIT 1", (etype,)) is None:
            custom = [r[0] for r in store.query("SELECT DISTINCT type FROM entities ORDER BY 1")
                      if r[0] not in ENTITY_TYPES]
            raise UsageError(f"Unknown entity type '{spec.split(':', 1)[0]}' in \"{spec}\":"
                             f" use one of {', '.join([*ENTITY_TYPES, *custom])}")
    if flt.content_types:
        from kurt.index.content_types import CONTENT_TYPES

        for value in flt.content_types:
            wanted = normalize_content_type(value)
            if wanted not in CONTENT_TYPES and store.query_one(
                    "SELECT 1 FROM documents WHERE content_type = ? LIMIT 1", (wanted,)) is None:
                raise UsageError(f"Unknown content type '{value}': use one of {', '.join(CONTENT_TYPES)}")


def normalize_status(status: str) -> str:
    value = status.strip().upper().replace("-", "_")
    if value not in STATUSES:
        raise UsageError(f"Unknown status '{status}': use one of {', '.join(STATUSES)}")
    return value


def parse_entity_spec(spec: str) -> tuple[str, str, bool]:
    """'Topic:integration' -> ('Topic', 'integration', False); 'Technology:Post*' -> prefix."""
    if ":" not in spec:
        raise UsageError(
            f"--with-entity takes Type:Name, for example \"Topic:integration\" (got '{spec}')"
        )
    etype, name = spec.split(":", 1)
    etype = canonical_entity_type(etype)
    name = name.strip()
    prefix = name.endswith("*")
    name = name.rstrip("*").strip()
    if not name:
        raise UsageError(f"--with-entity '{spec}' has no name after the type")
    return etype, name, prefix


def canonical_entity_type(value: str) -> str:
    """Entity types are case-insensitive on input and capitalized in the store."""
    wanted = value.strip().lower()
    for known in ENTITY_TYPES:
        name = known.lower()
        plurals = {name + "s", name[:-1] + "ies" if name.endswith("y") else name + "s"}
        if wanted == name or wanted in plurals:
            return known
    custom = re.sub(r"[^a-z0-9_-]", "", wanted)
    if not custom:
        raise UsageError(f"Unknown entity type '{value}': use one of {', '.join(ENTITY_TYPES)}")
    return custom.capitalize()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def glob_to_like(pattern: str) -> str:
    """A shell-style glob on URLs (``*`` and ``**`` match anything, ``?`` one char) as LIKE."""
    out = []
    for ch in pattern:
        if ch == "*":
            if not out or out[-1] != "%":
                out.append("%")
        elif ch == "?":
            out.append("_")
        elif ch in "%_\\":
            out.append("\\" + ch)
        else:
            out.append(ch)
    like = "".join(out)
    # A pattern without a scheme matches anywhere in the URL ("*/blog/*" or "/blog/*").
    if not pattern.startswith(("http://", "https://", "*", "file:")):
        like = "%" + like
    return like


def select_documents(
    store: Store,
    flt: DocumentFilter,
    *,
    sort: str = "url",
    limit: int | None = None,
    offset: int = 0,
    descending: bool = False,
) -> list[Document]:
    """Documents matching ``flt``, sorted and paged in SQL."""
    check_filter(store, flt)
    where, params = flt.where("d")
    order = SORTS.get(sort.lstrip("-"))
    if order is None:
        raise UsageError(f"Unknown sort '{sort}': use one of {', '.join(SORTS)}")
    direction = "DESC" if descending or sort.startswith("-") else "ASC"
    sql = f"SELECT {', '.join('d.' + c for c in COLUMNS)} FROM documents d WHERE {where} ORDER BY {order} {direction}, d.id"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, -1 if limit is None else int(limit), int(offset)]
    return [Document.from_row(row) for row in store.query(sql, params)]


def page_documents(
    store: Store,
    flt: DocumentFilter,
    *,
    sort: str = "url",
    limit: int | None = None,
    offset: int = 0,
) -> Page[Document]:
    """The documents ``select_documents`` returns, with how many match in all."""
    docs = select_documents(store, flt, sort=sort, limit=limit, offset=offset)
    short = limit is None or len(docs) < limit  # the last page: the total is known
    if short and (docs or not offset):
        total = offset + len(docs)
    else:
        total = count_documents(store, flt)
    return Page(docs, total, limit, offset)


def count_documents(store: Store, flt: DocumentFilter) -> int:
    where, params = flt.where("d")
    row = store.query_one(f"SELECT COUNT(*) FROM documents d WHERE {where}", params)
    return int(row[0])
