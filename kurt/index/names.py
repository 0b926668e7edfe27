"""Names a page gives that the vocabulary lacks: the candidates of corpus-discovered entities.

``find_names`` reads one document (pure: in the indexing workers) and returns
the proper names it writes that no vocabulary term covers, each with the
evidence the corpus pass (``kurt.index.corpus``) weighs:

- ``mid``: mentions inside a sentence, after a lowercase word, a digit or a
  comma ("loads the data with Streamkeep before"), where a capital letter
  marks a name; runs that open a sentence, line or list item are not read
  ("Looking back", "Most teams"), nor words of a title-cased phrase
  ("Infrastructure as Code") or interface labels in bold or quotes ("click
  **Add**"); ``initial``: the name's other capitalised uses on the page;
  ``lower``: its uses in lowercase ("image" beside "Image": a word, not a name);
- ``title``: the page's title is this name (a directory of partner pages
  titles each page with the partner's name, whatever its case: "dbt");
- ``plus_left`` / ``plus_right``: a heading, or a short line, "<X> + <Y>" (or
  "X and Y", "X with Y" when the page's title is X): X is a partner, Y the
  site's product;
- ``anchor_domain``: a link whose anchor starts with the name and whose
  target's registrable domain spells it ("[Brightwater Sync documentation]
  (https://docs.brightwatersync.io/...)"; "[Docs](https://docs.x.com)" does not);
- ``company_cue`` / ``tech_cue``: a mention followed by a word that says what
  the name is ("the Streamkeep team", "the Tidewell integration" / "Parquet
  files", "the Lumenfold API").

A name is a run of one to four capitalised tokens ("Brightwater Sync",
"HubSpot"); text in code, HTML tags and images is not read; months,
weekdays, words in capitals (INGESTION, SQL), adjectives such as
"CPU-based", numbered titles ("Page 12") and the vocabulary's terms are never
names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kurt.index.entities import clean_text
from kurt.index.keys import entity_key
from kurt.index.vocabulary import Vocabulary

MAX_NAMES = 40  # per document: the most mentioned
MAX_TOKENS = 4

# A run of capitalised tokens: "Brightwater Sync", "HubSpot", "Apache Airflow", "dbt Cloud" is not
# (a lowercase first token is read only from titles and "+" headings).
_WORD = r"[A-Z][A-Za-z0-9]*(?:[.'’-][A-Za-z0-9]+)*"
_RUN = re.compile(rf"(?<![\w.@/#-]){_WORD}(?:[ \t]+{_WORD}){{0,{MAX_TOKENS + 1}}}(?![\w@/-])")
_MID_RUN = re.compile(rf"(?<=[a-z0-9,;)%] ){_WORD}(?:[ \t]+{_WORD}){{0,{MAX_TOKENS + 1}}}(?![\w@/-])")
_PLUS = re.compile(r"^\s*(.{1,60}?)\s+(?:\+|x|×|and|with|for)\s+(.{1,60}?)\s*$")
_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"`+[^`\n]*`+")
_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,2000}>")  # an HTML or MDX tag, over lines
_TITLE_JOINERS = frozenset({"as", "of", "vs"})  # "Infrastructure as Code"; not "Call the X"
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NONSPACE = re.compile(r"\S+")
_IMAGE = re.compile(r"!\[[^\]\n]*\]")
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[.'’+#-][A-Za-z0-9]+)*\+*")
_COMPOUND = re.compile(r"^[A-Z][A-Za-z]*-[a-z]+$")  # "Late-arriving", "CPU-based": an adjective
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})
_POSSESSIVE = re.compile(r"['’]s$")
_CUE_NEXT = re.compile(r"^[\s,]*([A-Za-z]+)")
_CUE_PREV = re.compile(r"([A-Za-z]+)[\s,]*$")

COMPANY_NEXT = frozenset({
    "team", "teams", "inc", "ltd", "llc", "gmbh", "corp", "integration", "integrations", "connector",
    "connectors", "partnership", "founders", "ceo", "cto",
})
TECH_NEXT = frozenset({
    "files", "file", "format", "formats", "tables", "table", "sdk", "api", "apis", "driver", "drivers",
    "library", "libraries", "extension", "extensions", "cluster", "clusters", "database", "databases",
    "engine", "queries", "query", "cli", "module", "package", "runtime", "protocol", "schema", "bucket",
    "buckets", "container", "containers", "server", "servers", "instance", "instances",
})
COMPANY_PREV = frozenset({"partnered", "partnering", "acquired", "joined"})

# Function words that open a sentence before a name ("In Streamkeep, ...") and words that
# are capitalised for other reasons than being a name.
FUNCTION_WORDS = frozenset("""
a about above after again against all also although an and any are as at be because been before
being below between both but by can could did do does doing down during each even every few for
from further had has have having he her here hers him his how however i if in into is it its just
let like may me might more most much must my no nor not now of off on once only or other our out
over own per please same she should since so some such than that the their them then there these
they this those though through thus to too under until up upon us very was we well were what when
where whether which while who whom why will with within without would yes yet you your yours
today tomorrow yesterday here next last new first second third one two three four five six seven
eight nine ten many several each every most some more less see read learn get use try start
note tip step example warning important update updated posted written by via
""".split())
MONTHS_DAYS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
""".split())


@dataclass
class NameHit:
    """One candidate name in one document, with its evidence (see the module docstring)."""

    key: str
    name: str
    mid: int = 0
    initial: int = 0
    title: bool = False
    heading: int = 0
    plus_left: bool = False
    plus_right: bool = False
    anchor_domain: bool = False
    company_cue: int = 0
    tech_cue: int = 0
    lower: int = 0  # times the name is written in lowercase on the page

    @property
    def mentions(self) -> int:
        return self.mid + self.initial + self.heading + int(self.title)


def find_names(vocab: Vocabulary, *, title: str | None, sections: list, links: list) -> list[NameHit]:
    """Candidate names of one document (objects with heading and body; links with anchor and
    target_url); see the module docstring."""
    hits: dict[str, NameHit] = {}
    keys: dict[str, tuple[str, str] | None] = {}  # a written name -> (key, name), or None

    def name_of(written: str) -> tuple[str, str] | None:
        found = keys.get(written, "")
        if found == "":
            found = keys[written] = _name_key(vocab, written)
        return found

    def hit(name: str) -> NameHit | None:
        found = name_of(name)
        if found is None:
            return None
        key, clean = found
        known = hits.get(key)
        if known is None:
            known = hits[key] = NameHit(key, clean)
        return known

    title = (title or "").strip()
    title_name = title_as_name(title)
    if title_name:
        found = hit(title_name)
        if found is not None:
            found.title = True
    texts = []
    for section in sections:
        heading = (section.heading or "").strip()
        if heading and heading != title:
            _read_heading(heading, title_name, hit)
            texts.append(heading)
        if section.body:
            body = _prose(section.body)
            if "+" in body:  # a "<X> + <Product>" heading an extractor turned into a line
                for line in body.split("\n"):
                    if " + " in line and len(line) <= 80 and _PLUS.match(line.strip(" #*_")):
                        _read_heading(line.strip(" #*_"), title_name, hit)
            _read_prose(body, hit, name_of)
            texts.append(body)
    for link in links:
        _read_anchor(link, hit)
    ranked = sorted(hits.values(), key=lambda h: (-h.mentions, h.key))
    # A name only ever written at the start of a sentence or in a heading is no evidence of a
    # name ("Looking back", "Handling schema changes"): it is kept only with other evidence.
    kept = [h for h in ranked if h.mid or h.title or h.plus_left or h.plus_right or h.anchor_domain][:MAX_NAMES]
    if kept:
        _count_other_uses(kept, "\n".join(texts))
    return kept


def _prose(body: str) -> str:
    """A section's text without code, HTML tags, link targets and URLs: where names are written."""
    if "```" in body or "~~~" in body:
        body = _FENCED.sub("\n", body)
    if "`" in body:
        body = _CODE_SPAN.sub(" ", body)
    if "<" in body:
        body = _TAG.sub(" ", body)
    if "![" in body:
        body = _IMAGE.sub(" ", body)
    return clean_text(body)


def _count_other_uses(hits: list[NameHit], text: str) -> None:
    """The other times each name is written: with its capital elsewhere (at the start of a
    sentence: ``initial``), and in lowercase (``lower``): "Image" is a word, not a name, on a
    page that says "image" too; "Streamkeep" is never written "streamkeep"."""
    for h in hits:
        h.initial = max(text.count(h.name) - h.mid - h.heading, 0)
        low = h.name.lower()
        if h.name == low:
            continue
        n = text.count(low)  # "images" counts for "Image"
        if n and len(low) <= 5:  # a short word may sit inside others ("hex" in "hexadecimal")
            n = len(re.findall(rf"(?<![\w-]){re.escape(low)}s?(?![\w-])", text))
        h.lower = n


# The wording a partner directory puts around the partner's name in a page title:
# "Connect Airbyte to Quackbase", "Airbyte integration", "Airbyte connector for Quackbase",
# "Airbyte for Quackbase". Only the name is the title's name.
_TITLE_WORDING = (
    re.compile(r"^(?:connect|integrate|sync|use)\s+(?P<name>.+?)\s+(?:with|to|and|in)\s+\S.*$", re.I),
    re.compile(r"^(?P<name>.+?)\s+(?:integrations?|connectors?|apps?|plugins?|extensions?|add-?ons?)"
               r"(?:\s+(?:for|with|by|in|and)\s+\S.*)?$", re.I),
    re.compile(r"^(?P<name>.+?)\s+for\s+\S.*$", re.I),
)


def title_as_name(title: str) -> str | None:
    """The title when it is a name (one to four tokens, no sentence, no question), else None.

    "Airbyte", "Brightwater Sync", "dbt" are names; "What is ETL?", "How we made queries
    faster" and "Pricing plans" (no capital after the first word) are not. A partner
    directory's wording around the name is left out: "Airbyte integration", "Airbyte for
    Quackbase", "Connect Airbyte to Quackbase" -> "Airbyte"."""
    title = re.split(r"\s+[|–—-]\s+", title.strip())[0].strip()  # "Airbyte | Quackbase"
    for wording in _TITLE_WORDING:
        found = wording.match(title)
        if found and _bare_title_name(found.group("name")):
            return found.group("name")
    return _bare_title_name(title)


def _bare_title_name(title: str) -> str | None:
    if not title or len(title) > 60 or re.search(r"[?!:,;()\"“]", title):
        return None
    tokens = title.split()
    if not 1 <= len(tokens) <= MAX_TOKENS or any(t.isdigit() or "#" in t for t in tokens):
        return None  # "Page 12", "Issue #3": a numbered page, not a name
    if any(t.lower() in FUNCTION_WORDS for t in tokens):
        return None
    rest_capitalised = all(t[0].isupper() or t[0].isdigit() for t in tokens[1:])
    if len(tokens) > 1 and not rest_capitalised:
        return None
    if len(tokens) == 1 and not re.fullmatch(r"[A-Za-z][A-Za-z0-9.+-]*", tokens[0]):
        return None
    return title


def _name_key(vocab: Vocabulary, written: str) -> tuple[str, str] | None:
    """(key, name) of a name as written (punctuation and a possessive taken off), or None when
    it is no name; remembered by the vocabulary, since pages repeat the same names."""
    memo = vocab.memo.get("names")
    if memo is None:
        memo = vocab.memo["names"] = {}
    found = memo.get(written, "")
    if found == "":
        clean = _POSSESSIVE.sub("", written.strip(" .,:;!?'’\"()[]*_"))
        found = (entity_key(clean), clean) if _is_name(vocab, clean) else None
        if len(memo) < 200_000:
            memo[written] = found
    return found


def _is_name(vocab: Vocabulary, name: str) -> bool:
    tokens = name.split()
    if not tokens or len(tokens) > MAX_TOKENS or len(name) < 2:
        return False
    low = [t.lower() for t in tokens]
    if low[0] in FUNCTION_WORDS or low[-1] in FUNCTION_WORDS or any(t in MONTHS_DAYS for t in low):
        return False
    lower = tuple(low)
    if lower in vocab.ci or tuple(tokens) in vocab.cs or \
            (*lower[:-1], entity_key(lower[-1])) in vocab.ci_singular:
        return False
    if all(_shouted(t) for t in tokens if not t.isdigit()):
        return False  # words in capitals: a label (INGESTION) or an acronym (SQL, AES-256)
    if len(tokens) > 1:
        known = sum(1 for t, lt in zip(tokens, low, strict=True) if _named_term(vocab, t, lt))
        if known >= 2 or known == len(tokens):
            return False  # known names side by side ("Postgres Docker Redis"), not a new one
    return all(_NAME_TOKEN.fullmatch(t) for t in tokens) and not any(_COMPOUND.match(t) for t in tokens)


def _named_term(vocab: Vocabulary, token: str, low: str) -> bool:
    """Whether the vocabulary names ``token`` alone as something other than a topic."""
    index = vocab.ci.get((low,))
    if index is None:
        entry = vocab.cs.get((token,))
        index = entry[0] if entry else None
    return index is not None and vocab.terms[index].type != "Topic"


def _read_prose(text: str, hit, name_of) -> None:
    """Count the names ``text`` writes inside sentences (after a lowercase word, a digit or a
    comma): a capital there marks a name. Runs that open a sentence are not read at all.
    (``name_of``: a written name's key, None when it is no name, whatever its context.)"""
    for match in _MID_RUN.finditer(text):
        run = match.group()
        one_word = " " not in run and "\t" not in run
        if one_word and name_of(run) is None:
            continue  # the common case: a known term, a function word, a word in capitals
        start = match.start()
        before = text[max(0, start - 60):start - 1].rsplit(None, 2)  # the two words before it
        previous = before[-1] if before else ""
        if previous[:1].isupper() and previous[-1].isalnum() and previous.lower() not in FUNCTION_WORDS:
            continue  # the tail of a run that opened the sentence ("Brightwater Sync is ...")
        if previous in _TITLE_JOINERS and len(before) > 1 and before[-2][:1].isupper():
            continue  # inside a title-cased phrase: "Infrastructure as Code", "Config as Code"
        if one_word:
            if run.lower() in FUNCTION_WORDS:
                continue
            words = [(start, run)]
        else:
            words = [(start + m.start(), m.group()) for m in _NONSPACE.finditer(run)]
            while words and words[0][1].lower() in FUNCTION_WORDS:
                words = words[1:]
        for i, (_, word) in enumerate(words[:-1]):
            if word.endswith(("'s", "’s")):  # "Bolt's GitHub app": Bolt's, then another name
                words = words[:i + 1]
                break
        while words and (words[-1][1].lower() in FUNCTION_WORDS or len(words) > 1 and _shouted(words[-1][1])):
            words = words[:-1]  # "Avrotic API": the name, then a word in capitals that says what it is
        if not words or len(words) > MAX_TOKENS:
            continue  # nothing left, or a title-cased line rather than a name
        first, end = words[0][0], words[-1][0] + len(words[-1][1])
        if _label(text, first, end):
            continue
        found = hit(" ".join(w for _, w in words))
        if found is not None:
            found.mid += 1
            _cues(found, text[max(0, first - 30):first], text[end:end + 30])


def _label(text: str, start: int, end: int) -> bool:
    """A run in bold or quotes is a label of an interface ("click **Add**", "choose 'Manage'")."""
    before = text[max(0, start - 2):start]
    if before.endswith(("**", "__")):
        return True
    for mark in ("`", '"', "'", "“"):
        if before.endswith(mark):
            return text.startswith("”" if mark == "“" else mark, end)
    return False


def _shouted(token: str) -> bool:
    return len(token) > 1 and token.isupper()


def _cues(found: NameHit, before: str, after: str) -> None:
    nxt = _CUE_NEXT.match(after)
    word = nxt.group(1).lower() if nxt else ""
    if word in COMPANY_NEXT:
        found.company_cue += 1
    elif word in TECH_NEXT:
        found.tech_cue += 1
    prev = _CUE_PREV.search(before)
    if prev and prev.group(1).lower() in COMPANY_PREV:
        found.company_cue += 1


def _read_heading(heading: str, title_name: str | None, hit) -> None:
    maybe = " + " in heading or " x " in heading or " × " in heading or bool(title_name) and \
        heading.lower().startswith(title_name.lower())
    pair = _PLUS.match(heading) if maybe else None
    if pair:
        left, right = pair.group(1).strip(), pair.group(2).strip()
        plus = " + " in heading or " × " in heading or " x " in heading
        own = bool(title_name) and entity_key(left) == entity_key(title_name)
        # "X and Y" / "X with Y" count only when X is the page's own name; both sides read as names.
        if (plus or own) and (own or title_as_name(left)) and _capitalised_name(right):
            a, b = hit(left), hit(right)
            if a is not None and b is not None:
                a.plus_left = b.plus_right = True
                a.heading += 1
                b.heading += 1
                return


def _capitalised_name(text: str) -> bool:
    name = title_as_name(text)
    return bool(name) and name[0].isupper()


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


def _read_anchor(link, hit) -> None:
    anchor = (link.anchor or "").strip()
    host = (urlsplit(link.target_url).hostname or "").lower()
    if not anchor or not host or link.target_url.startswith("file:"):
        return
    labels = host.split(".")
    # The registrable name: "brightwatersync" in docs.brightwatersync.io, not "docs".
    name_at = -3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else -2
    labels = labels[name_at:name_at + 1] if len(labels) >= -name_at else []
    if not labels or len(labels[0]) < 3 or not _squash(anchor).startswith(labels[0]):
        return
    tokens = anchor.split()
    for n in range(min(MAX_TOKENS, len(tokens)), 0, -1):  # the longest anchor start the host spells
        name = " ".join(tokens[:n])
        if _squash(name) == labels[0]:
            if n > 1 and not _capitalised_name(name):
                return  # "GitHub status" (githubstatus.com) is a page, not a name
            found = hit(name)
            if found is not None:
                found.anchor_domain = True
            return
