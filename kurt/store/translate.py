"""The SQLite dialect the store's queries are written in, translated for PostgreSQL.

Kurt's queries and migrations are written once, in the portable SQL SQLite reads
(``?`` placeholders, TEXT/INTEGER/REAL columns). A PostgreSQL store runs them
through ``to_postgres`` (queries) and ``ddl_to_postgres`` (migrations), so the
few differences live here, in one place, rather than in every module:

- ``?`` placeholders become ``%s``, and a literal ``%`` becomes ``%%`` (psycopg);
- ``INSERT OR IGNORE`` becomes ``INSERT ... ON CONFLICT DO NOTHING``;
- ``LIKE`` becomes ``ILIKE`` (SQLite's LIKE ignores the case of ASCII letters);
- ``instr(a, b)`` becomes ``strpos(a, b)``; scalar ``MAX(a, b)`` / ``MIN(a, b)`` become
  ``GREATEST`` / ``LEAST``;
- ``ORDER BY`` terms get SQLite's NULL order (first when ascending, last when
  descending), so both stores list rows in the same order;
- types: INTEGER is 64-bit (BIGINT), REAL is double precision, BLOB is BYTEA; in a
  migration, ``id INTEGER PRIMARY KEY`` becomes an identity column and TEXT columns
  compare byte by byte (``COLLATE "C"``), as SQLite's do.

What cannot be translated (FTS5 tables, triggers written for SQLite) has a
PostgreSQL variant of its migration in ``migrations/postgresql/`` instead.
Statements are translated once and cached.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ORDER_END = {"LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT", "ON", "RETURNING", "FOR",
              "WINDOW", "HAVING"}
_TYPES = {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION", "BLOB": "BYTEA"}


def _tokens(sql: str) -> list[tuple[str, str]]:
    """(kind, text) tokens: 'str' literals, 'ident' quoted names, 'comment', 'word',
    'space', and single 'char's. Enough of SQL's lexical rules to rewrite it safely."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(("str" if c == "'" else "ident", sql[i:j + 1]))
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j == -1 else j
            out.append(("comment", sql[i:j]))
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j == -1 else j + 2
            out.append(("comment", sql[i:j]))
            i = j
        elif c.isspace():
            j = i
            while j < n and sql[j].isspace():
                j += 1
            out.append(("space", sql[i:j]))
            i = j
        else:
            match = _WORD.match(sql, i)
            if match:
                out.append(("word", match.group(0)))
                i = match.end()
            else:
                out.append(("char", c))
                i += 1
    return out


def _upper(token: tuple[str, str]) -> str:
    return token[1].upper() if token[0] == "word" else ""


def _next_code(tokens: list[tuple[str, str]], i: int) -> int:
    """The index of the next token after ``i`` that is not space or a comment."""
    i += 1
    while i < len(tokens) and tokens[i][0] in ("space", "comment"):
        i += 1
    return i


def _closing(tokens: list[tuple[str, str]], open_at: int) -> tuple[int, bool]:
    """The index of the ')' matching the '(' at ``open_at``, and whether a comma
    separates arguments at its top level."""
    depth, comma = 0, False
    for k in range(open_at, len(tokens)):
        kind, text = tokens[k]
        if kind != "char":
            continue
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
            if depth == 0:
                return k, comma
        elif text == "," and depth == 1:
            comma = True
    return len(tokens) - 1, comma


def _order_terms(tokens: list[tuple[str, str]], start: int) -> tuple[list[int], int]:
    """After ORDER BY at ``start``: the index after each term (where a NULLS clause goes),
    and the index where the clause ends."""
    ends, depth, k, has_nulls = [], 0, start, False
    terms_nulls = []
    while k < len(tokens):
        kind, text = tokens[k]
        if kind == "char" and text == "(":
            depth += 1
        elif kind == "char" and text == ")":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and kind == "char" and text in ",;":
            ends.append(k)
            terms_nulls.append(has_nulls)
            has_nulls = False
            if text == ";":
                return [e for e, nulls in zip(ends, terms_nulls, strict=True) if not nulls], k
        elif depth == 0 and kind == "word":
            word = text.upper()
            if word == "NULLS":
                has_nulls = True
            elif word in _ORDER_END:
                break
        k += 1
    # the last term ends before any trailing space
    last = k
    while last > start and tokens[last - 1][0] in ("space", "comment"):
        last -= 1
    ends.append(last)
    terms_nulls.append(has_nulls)
    return [e for e, nulls in zip(ends, terms_nulls, strict=True) if not nulls], k


def _descending(tokens: list[tuple[str, str]], end: int) -> bool:
    k = end - 1
    while k >= 0 and tokens[k][0] in ("space", "comment"):
        k -= 1
    return k >= 0 and _upper(tokens[k]) == "DESC"


@lru_cache(maxsize=4096)
def to_postgres(sql: str) -> str:
    """A query of the store (SQLite dialect) as PostgreSQL runs it with psycopg."""
    tokens = _tokens(sql)
    out: list[str] = []
    insert_or_ignore = False
    nulls_at: dict[int, str] = {}  # token index -> NULLS clause to insert before it
    renamed: dict[int, str] = {}  # token index -> new word
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        word = _upper(tokens[i])
        if word == "INSERT":
            j = _next_code(tokens, i)
            if j < len(tokens) and _upper(tokens[j]) == "OR":
                k = _next_code(tokens, j)
                action = _upper(tokens[k]) if k < len(tokens) else ""
                if action != "IGNORE":
                    raise ValueError(f"INSERT OR {action} has no PostgreSQL translation: "
                                     "write it as INSERT ... ON CONFLICT")
                insert_or_ignore = True
                for skip in range(i + 1, k + 1):
                    renamed[skip] = ""
        elif word == "ORDER":
            j = _next_code(tokens, i)
            if j < len(tokens) and _upper(tokens[j]) == "BY":
                ends, _ = _order_terms(tokens, j + 1)
                for end in ends:
                    nulls_at[end] = " NULLS LAST" if _descending(tokens, end) else " NULLS FIRST"
        elif word in ("MAX", "MIN"):
            j = _next_code(tokens, i)
            if j < len(tokens) and tokens[j] == ("char", "("):
                _, several = _closing(tokens, j)
                if several:
                    renamed[i] = "GREATEST" if word == "MAX" else "LEAST"
        elif word == "INSTR":
            renamed[i] = "strpos"
        elif word == "LIKE":
            renamed[i] = "ILIKE"
        elif word in _TYPES:
            renamed[i] = _TYPES[word]
        i += 1
    for index, (kind, text) in enumerate(tokens):
        if index in nulls_at:
            out.append(nulls_at[index])
        if index in renamed:
            out.append(renamed[index])
            continue
        if kind == "char" and text == "?":
            out.append("%s")
        elif kind == "char" and text == "%":
            out.append("%%")
        elif kind in ("str", "ident", "comment"):
            out.append(text.replace("%", "%%"))
        else:
            out.append(text)
    if len(tokens) in nulls_at:
        out.append(nulls_at[len(tokens)])
    result = "".join(out)
    if insert_or_ignore:
        result = result.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return re.sub(r"(INSERT)\s+(INTO)", r"\1 \2", result) if insert_or_ignore else result


def ddl_to_postgres(statement: str) -> str:
    """A migration statement (SQLite dialect, no placeholders) for PostgreSQL."""
    tokens = _tokens(statement)
    out: list[str] = []
    words = [_upper(t) for t in tokens]
    code = [w for w in words if w]
    table_ddl = code[:2] in (["CREATE", "TABLE"], ["ALTER", "TABLE"])
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        word = words[i]
        if word == "INTEGER" and table_ddl:
            j = _next_code(tokens, i)
            k = _next_code(tokens, j) if j < len(tokens) else j
            if j < len(tokens) and words[j] == "PRIMARY" and k < len(tokens) and words[k] == "KEY":
                out.append("BIGINT GENERATED BY DEFAULT AS IDENTITY")
            else:
                out.append("BIGINT")
        elif word in _TYPES:
            out.append(_TYPES[word])
        elif word == "TEXT" and table_ddl and _after_name(tokens, i):
            out.append('TEXT COLLATE "C"')
        else:
            out.append(text)
        i += 1
    return "".join(out)


def _after_name(tokens: list[tuple[str, str]], i: int) -> bool:
    """Whether the word at ``i`` follows a column name (it is a type, not a name)."""
    k = i - 1
    while k >= 0 and tokens[k][0] in ("space", "comment"):
        k -= 1
    return k >= 0 and tokens[k][0] in ("word", "ident") and _upper(tokens[k]) not in ("TABLE",)


def identity_tables(statements: list[str]) -> set[str]:
    """Tables whose ``id INTEGER PRIMARY KEY`` SQLite fills in (a cursor's ``lastrowid``)."""
    found = set()
    pattern = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(\s*id\s+INTEGER\s+"
                         r"PRIMARY\s+KEY", re.IGNORECASE)
    for statement in statements:
        match = pattern.search(statement)
        if match:
            found.add(match.group(1).lower())
    return found
