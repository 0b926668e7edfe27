"""Facts for a new draft's placeholders, read from the ingested sources, each with its line.

``kurt draft new`` fills ``[Partner support URL]`` and ``[Partner > Settings > API]``
only from what a source says (see ``kurt.writing.placeholders``); this module finds it:

- a partner's **support or docs URL**: a link, anywhere in the corpus (the store's
  ``links`` table), to the partner's own site: a host named after it
  (``support.fivetran.com``, ``getdbt.com`` for dbt) or a link whose anchor names it,
  on another site than the page's own. A support URL is one whose address or anchor
  says support, help, contact or community; failing that, a link to the partner's
  site from the partner's own page (the directory page titled "Fivetran") stands in.
- a **menu path** (``Settings > API Keys``): a line of the partner's own pages, or of
  the draft's sources when the line names the partner, that writes a path of
  capitalised steps separated by ``>``, ``→``, ``›`` or ``»`` leading to the screen the
  placeholder names.

Every fact carries the stored file and line it is on, so the draft cites it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kurt.writing.names import slugify
from kurt.writing.placeholders import Fact

_SUPPORT = re.compile(r"support|help|contact|community|forum", re.IGNORECASE)
_DOCS = re.compile(r"docs?\b|documentation|developers?|api\b|guides?", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s+(?:>|→|›|»)\s+")
_WORD = re.compile(r"[\w(][\w&'()/-]*(?:\.\w[\w&'()/-]*)*")  # "Node.js", not "API."
_PUNCTUATION = re.compile(r"[.,;:!?](?=\s|$)|\|")  # ends a step
# words that end the last step of a menu path ("Settings > API keys and copy the key")
_STOP = frozenset("a an and as at by choose click copy create enable find for from go in into navigate "
                  "of on open or press see select tab the then to under use visit where which with".split())
MAX_STEP_WORDS = 4
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
MAX_LINKS = 500  # candidate links read per value


class SourceFacts:
    """Facts about the draft's subject from ``document_ids`` (the draft's sources) and the
    corpus; answers are computed once per value."""

    def __init__(self, ws, store, document_ids: list[str]):
        self.ws, self.store = ws, store
        self.document_ids = list(dict.fromkeys(d for d in document_ids if d))
        self._texts: dict[str, list[str] | None] = {}
        self._pages: dict[str, list[dict]] = {}

    # -- URLs -----------------------------------------------------------------------------

    def support_url(self, value: str, kind: str) -> Fact | None:
        """A link to ``value``'s site: ``kind`` ``support`` or ``docs`` (see the module doc)."""
        slug = slugify(value).replace("-", "")
        if len(slug) < 2:
            return None
        own = {p["id"] for p in self._subject_pages(value)}
        rows = self.store.query(
            "SELECT l.document_id, l.target_url, l.anchor, d.url, d.content_path FROM links l"
            " JOIN documents d ON d.id = l.document_id"
            " WHERE d.status = 'FETCHED' AND d.content_path IS NOT NULL"
            " AND (l.target_url LIKE 'http%') AND (lower(l.target_url) LIKE ? OR lower(l.anchor) LIKE ?)"
            " ORDER BY d.url LIMIT ?",
            (f"%{slug}%", f"%{value.lower()}%", MAX_LINKS))
        pattern = _SUPPORT if kind == "support" else _DOCS
        ranked = []
        for row in rows:
            if not _partner_site(row["target_url"], row["url"], row["anchor"], slug, value):
                continue
            about = row["document_id"] in own
            fits = bool(pattern.search(row["target_url"].split("://", 1)[-1])
                        or pattern.search(row["anchor"] or ""))
            if not fits and not about:
                continue  # a link from elsewhere only counts when it is the kind asked for
            ranked.append((not fits, not about, len(row["target_url"]), row))
        for *_, row in sorted(ranked, key=lambda r: r[:3]):
            line = self._line_of(row["content_path"], _url_forms(row["target_url"]))
            if line:
                return Fact(row["target_url"], row["content_path"], line)
        return None

    # -- menu paths -------------------------------------------------------------------------

    def menu_path(self, value: str, target: str) -> Fact | None:
        """A menu path leading to ``target`` ("API") in a source about ``value``."""
        from kurt.writing.subject import subject_of

        words = [w.lower() for w in re.findall(r"\w+", target)]
        if not words:
            return None
        subject = subject_of(self.store, [value])
        pages = self._subject_pages(value)
        own = {p["id"] for p in pages}
        paths = {p["id"]: p["content_path"] for p in pages}
        if self.document_ids:
            marks = ",".join("?" * len(self.document_ids))
            for row in self.store.query(
                    f"SELECT id, content_path FROM documents WHERE id IN ({marks})"
                    " AND content_path IS NOT NULL", self.document_ids):
                paths.setdefault(row["id"], row["content_path"])
        for doc_id, path in paths.items():
            lines = self._text(path) or []
            fence = False
            for number, line in enumerate(lines, 1):
                if _FENCE.match(line):
                    fence = not fence
                    continue
                if fence or (doc_id not in own and not subject.count(line)):
                    continue
                for steps in menu_paths(line):
                    last = {w.lower() for w in re.findall(r"\w+", steps[-1])}
                    if all(w in last for w in words):
                        return Fact(" > ".join(steps), path, number)
        return None

    # -- reading ------------------------------------------------------------------------------

    def _subject_pages(self, value: str) -> list[dict]:
        """The documents titled after ``value`` or at a URL naming it, shortest URL first."""
        if value not in self._pages:
            from kurt.writing.subject import subject_of

            subject = subject_of(self.store, [value])
            rows = self.store.query(
                "SELECT id, url, title, content_path FROM documents"
                " WHERE status = 'FETCHED' AND content_path IS NOT NULL")
            found = [dict(r) for r in rows if subject and (
                subject.count(r["title"] or "", aliases=False) or subject.in_url(r["url"]))]
            self._pages[value] = sorted(found, key=lambda r: (not subject.exact(r["title"] or ""),
                                                              len(r["url"])))
        return self._pages[value]

    def _text(self, path: str) -> list[str] | None:
        if path not in self._texts:
            from kurt.store.content import source_text

            text = source_text(self.ws.root, self.store, path)
            self._texts[path] = None if text is None else text.split("\n")
        return self._texts[path]

    def _line_of(self, path: str, forms: list[str]) -> int | None:
        """The number of the first line holding one of ``forms``."""
        for number, line in enumerate(self._text(path) or [], 1):
            if any(form in line for form in forms):
                return number
        return None


def menu_paths(line: str) -> list[list[str]]:
    """The menu paths a line writes, as lists of steps: "Create a key in **Settings > API
    keys** and copy it" -> ``[["Settings", "API keys"]]``. A step starts with a capital
    and has at most ``MAX_STEP_WORDS`` words; the first is the run of capitalised words
    before a separator, the last ends at a stop word or punctuation."""
    parts = _SEPARATOR.split(re.sub(r"\*\*|__|`", "", line))
    found: list[list[str]] = []
    current = _tail(_PUNCTUATION.split(parts[0])[-1])
    for i, part in enumerate(parts[1:], 1):
        pieces = _PUNCTUATION.split(part)
        words = _WORD.findall(pieces[0])
        lead = _lead(words)
        if current and lead and lead[0][:1].isupper():
            current.append(" ".join(lead))
        else:
            lead = []
        goes_on = i < len(parts) - 1 and len(pieces) == 1 and lead and len(lead) == len(words)
        if not goes_on:
            if len(current) >= 2:
                found.append(current)
            current = _tail(pieces[-1]) if len(pieces) > 1 or len(lead) < len(words) else []
    return found


def _lead(words: list[str]) -> list[str]:
    """The words of a step that starts a part, up to a stop word."""
    step = []
    for word in words:
        if word.lower() in _STOP or len(step) == MAX_STEP_WORDS:
            break
        step.append(word)
    return step


def _tail(text: str) -> list[str]:
    """The step that ends ``text``: its last capitalised words (a path may start there)."""
    step: list[str] = []
    for word in reversed(_WORD.findall(text)):
        if not word[:1].isupper() or word.lower() in _STOP or len(step) == MAX_STEP_WORDS:
            break
        step.insert(0, word)
    return [" ".join(step)] if step else []


def _url_forms(url: str) -> list[str]:
    """The ways a stored (normalised) URL may be written in a page, most exact first."""
    forms = [url, url.rstrip("/")]
    bare = url.split("://", 1)[-1]
    forms += [bare, bare.rstrip("/")]
    return [f for f in dict.fromkeys(forms) if f]


def _partner_site(target: str, page_url: str, anchor: str | None, slug: str, value: str) -> bool:
    """Whether ``target`` is on the partner's own site, not on the page's site."""
    host = (urlsplit(target).hostname or "").lower()
    page_host = (urlsplit(page_url).hostname or "").lower()
    if not host or (page_host and (host == page_host or host.endswith("." + page_host)
                                   or page_host.endswith("." + host))):
        return False
    labels = host.split(".")[:-1]  # the name without its top-level domain
    if any(slug == label.replace("-", "") or (len(slug) >= 3 and slug in label.replace("-", ""))
           for label in labels):
        return True
    return bool(anchor) and value.lower() in (anchor or "").lower()
