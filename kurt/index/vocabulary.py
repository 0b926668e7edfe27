"""The vocabulary of entities the local indexer recognizes, and the workspace's additions.

The built-in vocabulary (``kurt/resources/vocabulary/builtin.toml``) names
technologies, companies and topics of B2B and developer content. A team adds
its own products, features, aliases and even new entity types in the
workspace file named by ``[index] vocabulary`` in kurt.toml (default
``kurt/vocabulary.toml``)::

    # kurt/vocabulary.toml
    disable = ["Technology:Render"]  # built-in entries that are wrong for your sources
                                     # (top-level keys go before the first [[entity]])
    [[entity]]
    type = "Product"                 # Topic, Technology, Product, Company, Feature, or your own
    name = "Railway"                 # the display name
    aliases = ["Railway app", "railway.com"]

    [[entity]]
    type = "Feature"
    name = "Private Networking"
    aliases = ["private network"]
    case_sensitive = false           # true: match only in exactly this case

    [[entity]]
    type = "Technology"
    name = "PostgreSQL"              # an entry the built-in vocabulary knows: adds aliases
    aliases = ["pg16"]

Products also come from the profile (``kurt/profile.md``: company and products).
Every name and alias is matched on word boundaries; see ``kurt.index.entities``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kurt.errors import FormatError
from kurt.index.keys import entity_key

BUILTIN_TYPES = ("Topic", "Technology", "Product", "Company", "Feature")

# Word tokens: letters/digits with inner dots, hyphens, + and # (Node.js, C++, C#, sign-in),
# and a leading dot for .NET. Apostrophes and slashes split tokens ("Go's", "CI/CD").
# (The common case first: the same tokens as an optional leading dot, found faster.)
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#]*(?:[.\-][A-Za-z0-9+#]+)*"
                   r"|(?<![\w.])\.[A-Za-z][A-Za-z0-9+#]*(?:[.\-][A-Za-z0-9+#]+)*")


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text)


@dataclass(frozen=True)
class Surface:
    """One way of writing a term: its text and its case rule."""

    text: str
    case_sensitive: bool = False
    not_sentence_start: bool = False
    plural: bool = True  # False: "supports" (a verb) is not the topic "support"


@dataclass
class Term:
    type: str
    name: str
    category: str | None = None
    surfaces: list[Surface] = field(default_factory=list)
    origin: str = "builtin"  # builtin, workspace, profile

    @property
    def key(self) -> str:
        return entity_key(self.name)

    def alias_keys(self) -> list[str]:
        keys = {entity_key(s.text) for s in self.surfaces} | {self.key}
        return sorted(keys)


@dataclass
class Vocabulary:
    """Terms plus the lookup tables the matcher uses (built by ``compile``)."""

    terms: list[Term] = field(default_factory=list)
    ci: dict[tuple[str, ...], int] = field(default_factory=dict)  # lowercased tokens -> term
    ci_singular: dict[tuple[str, ...], int] = field(default_factory=dict)  # last token singular
    cs: dict[tuple[str, ...], tuple[int, bool]] = field(default_factory=dict)  # exact tokens
    multi_first: frozenset[str] = frozenset()  # lowercased first tokens of multi-token surfaces
    max_len: int = 1
    # (type, key) -> term, kept by ``add`` and ``disable`` so adding stays linear
    _known: dict[tuple[str, str], Term] = field(default_factory=dict, repr=False, compare=False)
    start_tokens: frozenset[str] = frozenset()  # lowercased tokens a match can start with
    # lowercased first token of multi-token surfaces -> their lengths in tokens, longest first
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # the one-token entries of cs, ci and ci_singular keyed by the token itself (no tuple to
    # build for the common match)
    singles: tuple[dict, dict, dict] = field(default_factory=lambda: ({}, {}, {}))
    # what the matchers derive from the tables (a term's alias keys, whether a word is a name),
    # filled as documents are read, emptied by ``compile``; never pickled to a worker
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "memo": {}}

    def alias_keys(self, index: int) -> list[str]:
        """``terms[index].alias_keys()``, computed once (the caller must not change it)."""
        key = ("alias_keys", index)
        keys = self.memo.get(key)
        if keys is None:
            keys = self.memo[key] = self.terms[index].alias_keys()
        return keys

    @property
    def types(self) -> list[str]:
        seen = list(BUILTIN_TYPES)
        for term in self.terms:
            if term.type not in seen:
                seen.append(term.type)
        return seen

    def find(self, etype: str, name: str) -> Term | None:
        key = entity_key(name)
        for term in self.terms:
            if term.type == etype and (term.key == key or key in term.alias_keys()):
                return term
        return None

    def add(self, term: Term) -> None:
        """Add a term, merging it into a known one of the same type and key."""
        self.memo = {}
        if len(self._known) != len(self.terms):  # terms given to the constructor
            self._known = {(t.type, t.key): t for t in reversed(self.terms)}
        known = self._known.get((term.type, term.key))
        if known is None:
            if not any(s.text == term.name for s in term.surfaces):
                term.surfaces.insert(0, Surface(term.name))
            self.terms.append(term)
            self._known[(term.type, term.key)] = term
            return
        have = {(s.text, s.case_sensitive) for s in known.surfaces}
        for surface in term.surfaces:
            if (surface.text, surface.case_sensitive) not in have:
                known.surfaces.append(surface)

    def fingerprint(self) -> str:
        """A hash of every term and surface: the index is stale when it changes."""
        import hashlib

        digest = hashlib.sha256()
        for term in sorted(self.terms, key=lambda t: (t.type, t.name)):
            surfaces = sorted((s.text, s.case_sensitive, s.not_sentence_start, s.plural)
                              for s in term.surfaces)
            digest.update(repr((term.type, term.name, term.category, surfaces)).encode())
        return digest.hexdigest()[:16]

    def disable(self, etype: str, name: str) -> None:
        key = entity_key(name)
        self.memo = {}
        self.terms = [t for t in self.terms if not (t.type == etype and t.key == key)]
        self._known.pop((etype, key), None)

    def compile(self) -> Vocabulary:
        """Build the lookup tables; call after the last ``add``."""
        self.ci, self.ci_singular, self.cs = {}, {}, {}
        self.memo = {}
        first: set[str] = set()
        max_len = 1
        for index, term in enumerate(self.terms):
            for surface in term.surfaces:
                tokens = tuple(tokenize(surface.text))
                if not tokens:
                    continue
                max_len = max(max_len, len(tokens))
                if len(tokens) > 1:
                    first.add(tokens[0].lower())
                if surface.case_sensitive:
                    self.cs.setdefault(tokens, (index, surface.not_sentence_start))
                    continue
                lower = tuple(t.lower() for t in tokens)
                self.ci.setdefault(lower, index)
                if surface.plural:
                    self.ci_singular.setdefault(_singular_last(lower), index)
        self.multi_first = frozenset(first)
        self.max_len = max_len
        self.start_tokens = self.starts()
        self.lengths = self.surface_lengths()
        self.singles = self.single_tables()
        return self

    def single_tables(self) -> tuple[dict, dict, dict]:
        """(cs, ci, ci_singular) restricted to one-token keys, keyed by that token."""
        return tuple({key[0]: value for key, value in table.items() if len(key) == 1}
                     for table in (self.cs, self.ci, self.ci_singular))

    def surface_lengths(self) -> dict[str, tuple[int, ...]]:
        """Lowercased first token of the multi-token surfaces -> the lengths (in tokens) a match
        starting with it can have, longest first, 1 included: the only lengths worth trying."""
        lengths: dict[str, set[int]] = {}
        for table in (self.cs, self.ci, self.ci_singular):
            for key in table:
                if len(key) > 1:
                    lengths.setdefault(key[0].lower(), {1}).add(len(key))
        return {first: tuple(sorted(n, reverse=True)) for first, n in lengths.items()}

    def starts(self) -> frozenset[str]:
        """The lowercased tokens a match can start with; the matcher passes over every other
        token without trying the tables (``kurt.index.entities.find_terms``).

        They are the first tokens of multi-token surfaces, the one-token surfaces (the
        case-sensitive ones lowercased), and every token that ends with "s" and whose
        ``entity_key`` is a one-token plural surface's singular: the forms ``entity_key``
        maps to that singular (``-s``, ``-es``, ``-ies``, or the word itself).
        """
        starts = set(self.multi_first)
        starts.update(k[0].lower() for k in self.cs if len(k) == 1)
        starts.update(k[0] for k in self.ci if len(k) == 1)
        for (key,) in (k for k in self.ci_singular if len(k) == 1):
            forms = (key, key + "s", key + "es", key[:-1] + "ies" if key.endswith("y") else key)
            starts.update(f for f in forms if f.endswith("s") and entity_key(f) == key)
        return frozenset(starts)


def _singular_last(tokens: tuple[str, ...]) -> tuple[str, ...]:
    last = entity_key(tokens[-1])
    return (*tokens[:-1], last) if last != tokens[-1] else tokens


def parse_compact(entry: str, etype: str, category: str | None, origin: str) -> Term:
    """'Name: alias, =Alias, ~Alias, ^alias' -> a Term (see builtin.toml for the marks)."""
    name, _, rest = entry.partition(":")
    texts = [name.strip()] + [a.strip() for a in rest.split(",") if a.strip()]
    surfaces = [_surface(text) for text in texts]
    return Term(etype, surfaces[0].text, category, surfaces, origin)


def _surface(text: str, case_sensitive: bool = False) -> Surface:
    if text.startswith("^"):
        return Surface(text[1:].strip(), case_sensitive, plural=False)
    if text.startswith("~"):
        return Surface(text[1:].strip(), True, True)
    if text.startswith("="):
        return Surface(text[1:].strip(), True, False)
    return Surface(text, case_sensitive)


def builtin_vocabulary() -> Vocabulary:
    """The vocabulary shipped with Kurt (not compiled)."""
    text = (resources.files("kurt.resources") / "vocabulary" / "builtin.toml").read_text("utf-8")
    vocab = Vocabulary()
    _merge_data(vocab, tomllib.loads(text), "builtin", "builtin.toml")
    return vocab


def _merge_data(vocab: Vocabulary, data: dict, origin: str, path: object) -> None:
    for etype, categories in (data.get("terms") or {}).items():
        etype = _type_name(etype, path)
        if not isinstance(categories, dict):
            raise FormatError(path, None, f"[terms.{etype}] must be a table of lists")
        for category, entries in categories.items():
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise FormatError(path, None, f"[terms.{etype}] {category} must be a list of strings")
            for entry in entries:
                vocab.add(parse_compact(entry, etype, category, origin))
    entities = data.get("entity") or []
    if not isinstance(entities, list):
        raise FormatError(path, None, "'entity' must be written as [[entity]] tables")
    for number, item in enumerate(entities, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
                or not isinstance(item.get("type"), str) or not item["name"].strip():
            raise FormatError(path, None, f"[[entity]] number {number} needs a type and a name")
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not all(isinstance(a, str) for a in aliases):
            raise FormatError(path, None, f"[[entity]] '{item['name']}': aliases must be strings")
        cs = bool(item.get("case_sensitive", False))
        surfaces = [_surface(t.strip(), cs) for t in [item["name"], *aliases] if t.strip()]
        etype = _type_name(item["type"], path)
        vocab.add(Term(etype, surfaces[0].text, item.get("category"), surfaces, origin))
    for spec in data.get("disable") or []:
        if not isinstance(spec, str) or ":" not in spec:
            raise FormatError(path, None, f"disable: '{spec}' must be written Type:Name")
        etype, name = spec.split(":", 1)
        vocab.disable(_type_name(etype, path), name.strip())


def _type_name(value: str, path: object) -> str:
    clean = re.sub(r"[^A-Za-z0-9_-]", "", value.strip())
    if not clean:
        raise FormatError(path, None, f"'{value}' is not an entity type name")
    for known in BUILTIN_TYPES:
        if known.lower() == clean.lower():
            return known
    return clean[0].upper() + clean[1:].lower()


def load_vocabulary(ws=None, *, compiled: bool = True) -> Vocabulary:
    """The built-in vocabulary plus the workspace file and profile products, compiled
    (``compiled`` False: the terms only, enough for ``fingerprint`` and much faster)."""
    vocab = builtin_vocabulary()
    if ws is not None:
        path = ws.root / ws.config.index.vocabulary
        if path.is_file():
            merge_vocabulary_file(vocab, path)
        for term in _profile_terms(ws):
            vocab.add(term)
    return vocab.compile() if compiled else vocab


def merge_vocabulary_file(vocab: Vocabulary, path: Path) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        problem = str(exc).split(" (at line")[0]
        raise FormatError(path, line, f"{problem}: fix the TOML syntax") from exc
    except UnicodeDecodeError as exc:
        raise FormatError(path, None, "is not UTF-8 text") from exc
    _merge_data(vocab, data, "workspace", path)


def _profile_terms(ws) -> list[Term]:
    if not ws.profile_path.is_file():
        return []
    try:
        from kurt.writing.profile import load_profile

        profile = load_profile(ws)
    except ImportError:  # the writing package is optional for indexing
        return []
    except FormatError:  # a broken profile is reported by 'kurt profile', not by the indexer
        return []
    if profile is None:
        return []
    terms = []
    if profile.company:
        terms.append(Term("Company", profile.company.strip(), None, [], "profile"))
    for product in profile.products:
        name = product.split(":")[0].split(" - ")[0].strip()
        if name:
            terms.append(Term("Product", name, None, [], "profile"))
    return terms


# -- the vocabulary of the index ----------------------------------------------------------

VOCABULARY_KEY = "index_vocabulary"  # meta: fingerprint of the vocabulary of the last full index


def vocabulary_changed(ws, store) -> bool:
    """Whether the index was built with another vocabulary than the workspace has now: the
    profile's company or products, kurt/vocabulary.toml, or Kurt's built-in terms changed
    (``kurt content index`` then re-indexes every document). Here, not in the index
    pipeline, so ``kurt status`` asks without importing the indexer."""
    return fingerprint_changed(store, load_vocabulary(ws, compiled=False).fingerprint())


def fingerprint_changed(store, fingerprint: str) -> bool:
    """Whether documents were indexed with another vocabulary than ``fingerprint``.

    The fingerprint of the last full index run is kept in ``meta``; a run over
    part of the documents records it only when it was already current. A
    workspace indexed before fingerprints existed counts as changed.
    """
    row = store.query_one("SELECT value FROM meta WHERE key = ?", (VOCABULARY_KEY,))
    if row is not None:
        return row[0] != fingerprint
    return store.query_one("SELECT 1 FROM documents WHERE indexed_hash IS NOT NULL LIMIT 1") is not None
