"""Full-text search on a PostgreSQL store: PostgreSQL's own engine behind ``kurt.search``.

The same parsed query (``kurt.query.ParsedQuery``: AND of ORed terms, NOT, phrases,
prefix*, synonyms) becomes a ``tsquery`` built from parameters, never from raw user
text: each term is ``phraseto_tsquery('kurt_english', kurt_fold(...))`` (a word or a
phrase; English without its stop list, Latin diacritics folded as FTS5 folds them:
migration postgresql/0017), a prefix
``to_tsquery`` of quoted lexemes with ``:*``, combined with ``&&``, ``||`` and ``!!``.
Passages are matched on ``sections_fts.tsv`` (GIN; heading path weighted A, text B,
migration postgresql/0002) and ranked with ``ts_rank_cd``, the heading weighing
``HEADING_WEIGHT`` times the text, as BM25 does on SQLite; snippets come from
``ts_headline``. ``kurt.search`` re-ranks the rows the same way on both stores
(title and URL boosts, exact forms, the cap per document), so the query syntax,
filters and citations are the same; scores and snippets differ in detail.
"""

from __future__ import annotations

from dataclasses import dataclass

CONFIG = "kurt_english"  # english without its stop list (migration postgresql/0017)
# A passage's score: ts_rank_cd with the heading path (weight A) counting four times the
# text (B), normalised to 0..1 (rank / (rank + 1)), then scaled so that the scores of the
# judged queries' candidates have BM25's median on SQLite (8.3; ts_rank_cd's is 0.52):
# ``kurt.search`` adds the same title, URL, type and topic boosts on both stores, and they
# must weigh the same against the text's score. Scaled by 40 (the median 2.5 times BM25's)
# the judged queries ranked with MRR 0.825 / recall@10 0.950; by 16, 0.883 / 0.975
# (BM25: 0.872 / 0.975). Normalising by the passage's length (flags 1 or 2) did worse
# once its scale was matched the same way (MRR 0.73-0.79).
RANK_SCALE = 16.0
RANK = f"ts_rank_cd('{{0, 0, 0.25, 1}}', f.tsv, q.query, 32) * {RANK_SCALE}"


# Titles and URLs as migration postgresql/0005 indexes them (GIN on this expression).
TITLE_TSV = ("(setweight(to_tsvector('english', regexp_replace(coalesce(d.title, ''),"
             " '[^[:alnum:]]+', ' ', 'g')), 'A') || setweight(to_tsvector('english',"
             " regexp_replace(d.url, '[^[:alnum:]]+', ' ', 'g')), 'C'))")


@dataclass
class Query:
    """A parsed query for PostgreSQL: what passages must match, and any of its positive
    words (for ranking documents by title first)."""

    match: tuple[str, list]
    any_word: tuple[str, list]


def query(parsed, *, relaxed: bool = False) -> Query:
    return Query(tsquery(parsed, relaxed=relaxed), tsquery(parsed, relaxed=True, positive=True))


def tsquery(parsed, *, relaxed: bool = False, positive: bool = False) -> tuple[str, list]:
    """(SQL expression of type tsquery, its parameters) for ``parsed``."""
    params: list = []

    def term(t) -> str:
        if t.prefix:
            lexemes = [f"'{token.lower()}'" for token in t.tokens]
            lexemes[-1] += ":*"
            params.append(" <-> ".join(lexemes))
            return f"to_tsquery('{CONFIG}', kurt_fold(%s))"
        parts = []
        for tokens in [t.tokens, *t.alternatives]:
            params.append(" ".join(tokens))
            parts.append(f"phraseto_tsquery('{CONFIG}', kurt_fold(%s))")
        return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"

    groups = [[t for g in parsed.groups for t in g]] if relaxed else parsed.groups
    anded = []
    for group in groups:
        ored = [term(t) for t in group]
        anded.append(ored[0] if len(ored) == 1 else "(" + " || ".join(ored) + ")")
    expression = " && ".join(anded)
    excluded = [] if positive else [t for t in parsed.negatives if not t.required]
    if excluded:
        expression = f"({expression}) && !!(" + " || ".join(term(t) for t in excluded) + ")"
    return expression, params


def matches(store, query: Query, at_most: int) -> int:
    """How many passages match, counted up to ``at_most`` + 1 (bounded work)."""
    expression, params = query.match
    return store.query_one(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM sections_fts WHERE tsv @@ ({expression}) LIMIT ?) m"
        .replace("%s", "?"), (*params, at_most + 1))[0]


def title_documents(store, query: Query, where: str, where_params, limit: int) -> list[str]:
    """Documents whose title (weight 3) or URL (weight 1) holds any of the query's words,
    best first, as SQLite's document_titles_fts ranks them."""
    expression, params = query.any_word
    sql = (f"SELECT d.id FROM (SELECT {expression} AS query) q JOIN documents d"
           f" ON {TITLE_TSV} @@ q.query"
           f" WHERE d.status = 'FETCHED' AND {where}"
           " AND EXISTS (SELECT 1 FROM sections s WHERE s.document_id = d.id)"
           f" ORDER BY ts_rank_cd('{{0, 0.33, 0, 1}}', {TITLE_TSV}, q.query) DESC, d.id LIMIT ?")
    return [row[0] for row in store.query(sql.replace("%s", "?"),
                                          (*params, *where_params, limit))]


def candidates(store, query: Query, where: str, where_params, wanted: int,
               *, with_body: bool, extra: str = "") -> list:
    """Matching passages, best first, in the shape of ``kurt.search``'s SQLite query:
    (id, document id, heading path, line start, line end, -score, url, title, content path,
    text-only score, search body, then the ``extra`` columns). Boilerplate passages
    (``kurt.index.boilerplate``) are left out."""
    expression, params = query.match
    rank = RANK
    body_rank = "ts_rank_cd('{0, 0, 1, 0}', f.tsv, q.query)"
    sql = (
        f"SELECT s.id, s.document_id, s.heading_path, s.line_start, s.line_end, -({rank}) AS rank,"
        f" d.url, d.title, d.content_path, {body_rank}, "
        + ("s.search_body" if with_body else "''") + (f", {extra}" if extra else "")
        + f" FROM (SELECT {expression} AS query) q"
        " JOIN sections_fts f ON f.tsv @@ q.query"
        " JOIN sections s ON s.id = f.section_id"
        " JOIN documents d ON d.id = s.document_id"
        f" WHERE d.status = 'FETCHED' AND s.search_body <> '' AND s.boilerplate = 0 AND {where}"
        " ORDER BY rank, s.id LIMIT ?"
    )
    return store.query(sql.replace("%s", "?"), (*params, *where_params, wanted))


def snippets(store, query: Query, ids: list[int], start: str, end: str,
             words: int) -> dict[int, str]:
    """``ts_headline`` of each passage's text, matched words between ``start`` and ``end``."""
    expression, params = query.match
    marks = ", ".join("?" * len(ids))
    options = (f"StartSel={start}, StopSel={end}, MaxWords={words}, MinWords={max(words // 2, 1)},"
               " ShortWord=2, MaxFragments=1, FragmentDelimiter=…")
    rows = store.query(
        f"SELECT s.id, ts_headline('{CONFIG}', s.search_body, q.query, ?)"
        f" FROM (SELECT {expression} AS query) q, sections s WHERE s.id IN ({marks})".replace(
            "%s", "?"),
        (options, *params, *ids))
    return {row[0]: row[1] for row in rows}
