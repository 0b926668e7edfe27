"""What the grounding checks read from each source passage, kept between runs.

Reading a passage (its two-sentence windows and their terms, its facts: numbers,
dates, versions, words, names, code tokens) is almost all the time of a
``kurt draft check`` run, and a source rarely changes between two runs. This
cache keeps that analysis in one SQLite file, ``.kurt/checks-cache.sqlite``::

    cache = AnalysisCache.open(ws, vocabulary)      # a disabled cache when it cannot open
    cache.load(passages, windows, facts)             # fills the run's in-memory caches
    ...                                              # the checks compute what is missing
    cache.save(passages, windows, facts)             # keeps what was computed, one transaction

An entry's key is a hash of ``ANALYSER_VERSION`` and the analyser's code
(``ANALYSER_MODULES``, the stemmer's version), the vocabulary (its terms in
order: a term is stored as its index), the passage's path and line range, and
the hash of the passage's text (the cited lines of the source file as they are
now): an edited source, a changed vocabulary or a new analyser gives new keys,
so an entry is never stale, only unused. Deleting the file clears the cache.

The cache is best effort and never changes a finding: a read-only workspace or
an unwritable file runs without it (or reads it without writing), a corrupt
file is removed and rebuilt, an entry that cannot be read is a miss, and
concurrent runs share the file through SQLite transactions (a run that finds
the file busy skips writing). Entries are pickles read by an unpickler that
builds only the analysis classes of ``kurt.checks.grounding`` and builtin
containers, so a planted file cannot run code.
"""

from __future__ import annotations

import copy
import hashlib
import io
import pickle
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

# Raise it whenever what the analysis produces changes (windows_of, read_facts, terms_of,
# the names and tokens readers, the classes pickled): every older entry is then unused.
# 2: windows keep their terms in order, not their pairs; 3: HTTP methods as tokens, "top 20" a
# number; 4: headings in a passage's words, "10+ minutes"; 5: a sentence wrapped over lines read
# whole; 6: key-value pairs in inline code as tokens; 7: no lowercase word set
ANALYSER_VERSION = "7"
FILE_NAME = "checks-cache.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS analysis (
    key TEXT PRIMARY KEY,
    generation TEXT NOT NULL,  -- hash of the analyser and vocabulary the entry was made with
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS analysis_generation ON analysis (generation);
"""
_BATCH = 500  # keys per SELECT (SQLite's parameter limit is 999 on old builds)


@dataclass
class CacheStats:
    status: str = "off"  # on | read-only (read, never written) | off (not used) | rebuilt
    hits: int = 0  # analyses read from the file
    misses: int = 0  # analyses asked for and not in the file
    written: int = 0  # analyses added to the file

    def as_dict(self) -> dict:
        return {"status": self.status, "hits": self.hits, "misses": self.misses,
                "written": self.written}


@dataclass
class AnalysisCache:
    path: Path | None  # None: disabled
    prefix: str = ""  # the version and vocabulary part of every key
    writable: bool = False
    stats: CacheStats = field(default_factory=CacheStats)
    _conn: sqlite3.Connection | None = None
    _loaded: dict = field(default_factory=dict)  # key -> what was in the file (to skip rewrites)
    _generation: tuple | None = field(default=None, repr=False)
    _keys: dict = field(default_factory=dict)  # (kind, path, lines) -> (text, key), this run

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def disabled(cls) -> AnalysisCache:
        return cls(None)

    @classmethod
    def open(cls, ws, vocabulary=None) -> AnalysisCache:
        """The cache of workspace ``ws`` for analyses made with ``vocabulary``; disabled (no
        error) when the file cannot be opened or created."""
        path = Path(ws.state_dir) / FILE_NAME
        cache = cls(path, prefix=f"{ANALYSER_VERSION}\0{code_key()}\0"
                               f"{vocabulary_key(vocabulary)}\0")
        rebuilt = False
        for attempt in range(2):
            try:
                cache._connect()
                break
            except sqlite3.DatabaseError as exc:
                cache._close()
                if attempt or not _corrupt(exc) or not _remove(path):
                    cache.path = None
                    cache.stats.status = "off"
                    return cache
                rebuilt = True
        cache.stats.status = ("rebuilt" if rebuilt else "on") if cache.writable else "read-only"
        cache._forget_other_generations()
        return cache

    @property
    def generation(self) -> str:
        known = self._generation
        if known is None or known[0] != self.prefix:  # hashed once per prefix, not per row
            known = self._generation = (self.prefix,
                                        hashlib.sha256(self.prefix.encode()).hexdigest()[:24])
        return known[1]

    def _forget_other_generations(self) -> None:
        """Drop the entries of another analyser or vocabulary: no run of this one reads them
        (so the file holds one generation, plus sources edited since)."""
        if not self.writable:
            return
        try:
            self._conn.execute("DELETE FROM analysis WHERE generation != ?", (self.generation,))
        except sqlite3.Error:
            pass  # busy: the next run does it

    def _connect(self) -> None:
        path = self.path
        if not path.parent.is_dir():
            raise sqlite3.OperationalError("no .kurt folder")
        if path.exists():
            self.writable = _can_write(path) and _can_write(path.parent)
        else:
            self.writable = _can_write(path.parent)
            if not self.writable:
                raise sqlite3.OperationalError("cannot create the cache file")
        if self.writable:
            conn = sqlite3.connect(path, timeout=2.0, isolation_level=None)
        else:
            from kurt.store.db import _read_only_uri

            conn = sqlite3.connect(_read_only_uri(path), uri=True, isolation_level=None)
        self._conn = conn
        if self.writable:
            conn.execute("PRAGMA journal_mode=WAL")
            # a cache: a commit lost to a power cut is recomputed, and WAL keeps the file whole
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(SCHEMA)
        conn.execute("SELECT COUNT(*) FROM analysis WHERE key = ''").fetchone()  # proves the file

    def reopen(self):
        """In a forked process: a connection of its own, the parent's left open (closing a
        forked copy of it is the parent's business, not this process's); returns the
        parent's. The cache is disabled here when the file cannot be opened."""
        inherited, self._conn = self._conn, None
        try:
            self._connect()
        except sqlite3.Error:
            self._conn = None
        return inherited

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def close(self) -> None:
        self._close()

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    # -- reading and writing -------------------------------------------------------------

    def key(self, passage, kind: str) -> str:
        ident = (kind, passage.path, passage.line_start, passage.line_end)
        known = self._keys.get(ident)  # the drafts of a run share passages: hash each once
        if known is not None and known[0] == passage.text:
            return known[1]
        key = self._key(passage, kind)
        self._keys[ident] = (passage.text, key)
        return key

    def _key(self, passage, kind: str) -> str:
        digest = hashlib.sha256(passage.text.encode("utf-8", "surrogatepass")).hexdigest()
        ident = f"{self.prefix}{kind}\0{passage.path}\0{passage.line_start}\0{passage.line_end}"
        return hashlib.sha256(f"{ident}\0{digest}".encode("utf-8", "surrogatepass")).hexdigest()

    def load(self, passages, windows: dict, facts: dict, vocabulary=None) -> None:
        """Fill ``windows`` ((path, start, end) -> [Window]) and ``facts`` ((path, start,
        end) -> SourceFacts) with what the file holds for ``passages`` (missing ones stay
        missing)."""
        if not self.enabled:
            return
        wanted: dict[str, tuple] = {}
        for passage in passages:
            ident = (passage.path, passage.line_start, passage.line_end)
            if ident not in windows:
                wanted[self.key(passage, "windows")] = ("windows", ident, passage)
            if ident not in facts:
                wanted[self.key(passage, "facts")] = ("facts", ident, passage)
        if not wanted:
            return
        rows = self._select(list(wanted))
        for key, (kind, ident, passage) in wanted.items():
            data = rows.get(key)
            value = _unpickle(data) if data is not None else None
            if value is None:
                self.stats.misses += 1
                continue
            try:
                if kind == "windows":
                    windows[ident] = _windows_from(value, passage)
                else:
                    facts[ident] = _facts_from(value, passage, vocabulary)
            except (TypeError, ValueError, AttributeError):
                self.stats.misses += 1
                continue
            self._loaded[key] = _state(value)
            self.stats.hits += 1

    def save(self, passages, windows: dict, facts: dict) -> None:
        """Keep the analyses of ``passages`` found in ``windows`` and ``facts`` that the file
        does not hold yet (or holds with fewer parts read), in one transaction."""
        if not self.enabled or not self.writable:
            return
        rows = []
        for passage in passages:
            ident = (passage.path, passage.line_start, passage.line_end)
            if ident in windows:
                key = self.key(passage, "windows")
                if key not in self._loaded:
                    value = _windows_to(windows[ident])
                    rows.append((key, value))
            if ident in facts:
                key = self.key(passage, "facts")
                found = facts[ident]
                if self._loaded.get(key) != _facts_state(found):
                    rows.append((key, _facts_to(found)))
        if not rows:
            return
        data = []
        for key, value in rows:
            blob = _pickled(value)
            if blob is not None:
                data.append((key, blob))
        if self._write(data):
            for key, value in rows:
                self._loaded[key] = _state(value)
            self.stats.written += len(data)

    def _write(self, data: list[tuple[str, bytes]]) -> bool:
        """Store (key, pickled analysis) rows in one transaction; False when the file would
        not take them (busy, full, read-only after all: the next run tries again)."""
        if not data:
            return True
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO analysis (key, generation, data) VALUES (?, ?, ?)",
                    [(key, self.generation, blob) for key, blob in data])
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            return False
        return True

    def taken(self, key: str, value, written: bool) -> None:
        """Note an analysis that another process read (and, ``written``, stored under ``key``):
        ``save`` does not write it again."""
        if written:
            self._loaded[key] = _state(value)
            self.stats.written += 1

    def missing(self, passages) -> list:
        """The passages whose windows, or facts (outside the project's scope: those are read
        only when needed), the file does not hold; all of them when it is disabled. Reads
        keys only, not the analyses."""
        if not self.enabled:
            return list(passages)
        wanted: dict[str, list] = {}
        for passage in passages:
            wanted.setdefault(self.key(passage, "windows"), []).append(passage)
            if passage.scope != "project":
                wanted.setdefault(self.key(passage, "facts"), []).append(passage)
        held: set[str] = set()
        try:
            keys = list(wanted)
            for i in range(0, len(keys), _BATCH):
                part = keys[i:i + _BATCH]
                marks = ",".join("?" * len(part))
                held.update(row[0] for row in self._conn.execute(
                    f"SELECT key FROM analysis WHERE key IN ({marks})", part))
        except sqlite3.Error:
            return list(passages)
        lacking = {id(p): p for key, found in wanted.items() if key not in held for p in found}
        return list(lacking.values())

    def _select(self, keys: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        try:
            for i in range(0, len(keys), _BATCH):
                part = keys[i:i + _BATCH]
                marks = ",".join("?" * len(part))
                for key, data in self._conn.execute(
                        f"SELECT key, data FROM analysis WHERE key IN ({marks})", part):
                    found[key] = data
        except sqlite3.Error:
            return found  # corrupt since it was opened, or locked: what was read so far
        return found


# The modules whose code decides what an analysis holds: their text is part of every key, so
# an edited analyser is never served an older analysis, even if ANALYSER_VERSION was not raised.
ANALYSER_MODULES = (
    "kurt.checks.grounding.lexical", "kurt.checks.grounding.facts",
    "kurt.checks.grounding.specifics", "kurt.checks.grounding.attribution",
    "kurt.checks.grounding.quantities", "kurt.checks.grounding.numbers",
    "kurt.checks.grounding.dates", "kurt.checks.grounding.code", "kurt.checks.grounding.kinds",
    "kurt.checks.passages", "kurt.index.terms", "kurt.index.keys", "kurt.index.entities",
    "kurt.index.sections",
)


def code_key() -> str:
    """A hash of the analyser's code, the stemmer's version and the Python version (pickles)."""
    import importlib
    import importlib.metadata
    import sys

    digest = hashlib.sha256(repr(sys.version_info[:2]).encode())
    for package in ("snowballstemmer", "PyStemmer"):  # PyStemmer: its C build, when installed
        try:
            digest.update(importlib.metadata.version(package).encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"no-{package}".encode())
    for name in ANALYSER_MODULES:
        module = importlib.import_module(name)
        try:
            digest.update(Path(module.__file__).read_bytes())
        except (OSError, TypeError):
            digest.update(name.encode())  # no source file (a frozen build): the version decides
    return digest.hexdigest()[:24]


def vocabulary_key(vocabulary) -> str:
    """A hash of the vocabulary's terms in order (analyses store terms by index)."""
    if vocabulary is None:
        return "none"
    digest = hashlib.sha256()
    for term in getattr(vocabulary, "terms", ()):
        surfaces = sorted((s.text, s.case_sensitive, s.not_sentence_start, s.plural)
                          for s in term.surfaces)
        digest.update(repr((term.type, term.name, term.category, surfaces)).encode())
    return digest.hexdigest()[:24]


# -- what is stored ----------------------------------------------------------------------------

def _windows_to(windows) -> tuple:
    return ("windows", tuple((w.line_start, w.line_end, w.text, w.terms, w.sequence)
                             for w in windows))


def _windows_from(value, passage) -> list:
    from kurt.checks.grounding.lexical import Window

    tag, rows = value
    if tag != "windows":
        raise ValueError(tag)
    return [Window(passage, start, end, text, frozenset(terms), tuple(sequence))
            for start, end, text, terms, sequence in rows]


def _facts_to(facts) -> tuple:
    """The facts without their links to this run (the passage and vocabulary they were read
    with, merged parts) and without the indexes built from them on demand."""
    stored = copy.copy(facts)
    stored._source = None
    stored._parts = None
    stored._dimensions = None
    stored._common = None
    stored._words = None
    stored._loose = None
    return ("facts", stored)


def _facts_from(value, passage, vocabulary):
    from kurt.checks.grounding.facts import SourceFacts

    tag, facts = value
    if tag != "facts" or not isinstance(facts, SourceFacts):
        raise ValueError(tag)
    facts._source = (passage, vocabulary)  # names and tokens not stored are read on demand
    return facts


def _state(value) -> tuple:
    """What an entry holds: windows, or facts with or without names and tokens read."""
    tag, body = value
    return _facts_state(body) if tag == "facts" else (tag,)


def _facts_state(facts) -> tuple:
    return ("facts", facts._names is not None, facts._tokens is not None)


_SAFE_BUILTINS = frozenset({"set", "frozenset", "tuple", "list", "dict", "float", "int",
                            "str", "bytes", "bool", "complex"})


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "builtins" and name in _SAFE_BUILTINS:
            return super().find_class(module, name)
        if module.startswith("kurt.checks.grounding.") and name[:1].isupper():
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of an analysis")


def _pickled(value) -> bytes | None:
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def _unpickle(data: bytes):
    try:
        value = _Unpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - any damaged entry is a miss
        return None
    if not (isinstance(value, tuple) and len(value) == 2 and value[0] in ("windows", "facts")):
        return None
    return value


# -- the file ----------------------------------------------------------------------------------

def _corrupt(exc: sqlite3.DatabaseError) -> bool:
    message = str(exc).lower()
    return "not a database" in message or "malformed" in message or "corrupt" in message


def _remove(path: Path) -> bool:
    """Remove a corrupt cache file (and its journal); False when it cannot be removed."""
    try:
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _can_write(path: Path) -> bool:
    import os

    return os.access(path, os.W_OK)


# -- reading sources in several processes ----------------------------------------------------

_READ: tuple | None = None  # what a forked reader reads: set by the parent before forking


def read_in_processes(passages, vocabulary, count: int, windows: dict, facts: dict,
                      stored: AnalysisCache | None = None) -> bool:
    """Read the windows and facts of ``passages`` that ``windows`` and ``facts`` (keyed by
    (path, start, end)) lack, in ``count`` forked processes, and add them; a passage in the
    project's scope gets its windows only. Each process keeps what it read in the cache
    ``stored`` itself (its own connection, one transaction) and passes it back pickled in
    the cache's compact form, so the parent neither pickles nor writes it again. False
    where processes cannot be forked (nothing read: the caller's checks read them as they
    go). ``start_reading`` and ``Reading.finish``: the same, the parent doing other work
    meanwhile."""
    reading = start_reading(passages, vocabulary, count, windows, facts, stored)
    if reading is None:
        return False
    reading.finish()
    return True


@dataclass
class Reading:
    """Sources being read in forked processes (``start_reading``): ``finish`` waits for
    them and adds what they read; when a reader fails, nothing (the drafts' checks then read
    the sources themselves, as with one process)."""
    pool: object
    result: object  # the pool's AsyncResult
    shares: list
    vocabulary: object
    windows: dict
    facts: dict
    stored: AnalysisCache | None
    done: bool = False

    def finish(self) -> None:
        """Wait for the readers and add their windows and facts (once; then the pool is
        gone)."""
        if self.done:
            return
        self.done = True
        try:
            parts = self.result.get()
        except Exception:  # noqa: BLE001 - a reader failed: the checks read as they go
            self._stop()
            return
        self.pool.close()
        self.pool.join()
        stored, windows, facts = self.stored, self.windows, self.facts
        for share, (part, written) in zip(self.shares, parts, strict=True):
            for passage, blobs in zip(share, part, strict=True):
                ident = (passage.path, passage.line_start, passage.line_end)
                for kind, blob in zip(("windows", "facts"), blobs, strict=True):
                    value = None if blob is None else _unpickle(blob)
                    if value is None:
                        continue
                    if kind == "windows":
                        windows.setdefault(ident, _windows_from(value, passage))
                    else:
                        facts.setdefault(ident, _facts_from(value, passage, self.vocabulary))
                    if stored is not None:
                        stored.taken(stored.key(passage, kind), value, written)

    def cancel(self) -> None:
        """Stop the readers (a run that ends before it needs them)."""
        if not self.done:
            self.done = True
            self._stop()

    def _stop(self) -> None:
        self.pool.terminate()
        self.pool.join()


def start_reading(passages, vocabulary, count: int, windows: dict, facts: dict,
                  stored: AnalysisCache | None = None) -> Reading | None:
    """Start reading ``passages`` in ``count`` forked processes (``read_in_processes``) and
    return at once; None where processes cannot be forked."""
    from kurt.checks.forking import fork_context

    global _READ
    context = fork_context()
    if context is None:
        return None
    shares = [passages[i::count] for i in range(count)]
    writing = stored is not None and stored.enabled and stored.writable
    _READ = (shares, vocabulary, set(windows), set(facts), stored if writing else None)
    try:
        pool = context.Pool(count)  # the readers fork here: they hold what _READ names
    finally:
        _READ = None
    result = pool.map_async(_read_share, range(count), chunksize=1)
    return Reading(pool, result, shares, vocabulary, windows, facts,
                   stored if writing else None)


def _read_share(number: int) -> tuple[list[tuple], bool]:
    """In a forked reader: the windows and facts of one share of the passages, pickled, and
    whether they were kept in the cache (by a connection of its own)."""
    from kurt.checks.grounding.facts import read_facts
    from kurt.checks.grounding.lexical import windows_of

    shares, vocabulary, have_windows, have_facts, stored = _READ
    memo: dict = {}
    out = []
    rows = []
    for passage in shares[number]:
        ident = (passage.path, passage.line_start, passage.line_end)
        blobs = (None if ident in have_windows else
                 _pickled(_windows_to(windows_of(passage, vocabulary, memo=memo))),
                 None if ident in have_facts or passage.scope == "project" else
                 _pickled(_facts_to(read_facts(passage, vocabulary))))
        out.append(blobs)
        if stored is not None:
            rows += [(stored.key(passage, kind), blob)
                     for kind, blob in zip(("windows", "facts"), blobs, strict=True) if blob]
    written = False
    if stored is not None:
        stored.reopen()  # the parent's connection must not cross the fork: one of its own
        written = stored.enabled and stored._write(rows)
        stored._close()
    return out, written
