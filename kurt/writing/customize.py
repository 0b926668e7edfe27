"""The seed's one-time setup as a command: fill a template's Style Guidelines from real pages.

``customize_template`` picks the 2-3 pages of the corpus that best exemplify
the format, measures their style (``kurt.writing.style``), chooses a value for
every measurable ``[A / B / C]`` choice, picks DO sentences (and contrasting
DON'T ones) that literally occur in those pages, and rewrites ONLY the
``## Style Guidelines`` section of the workspace copy. Same corpus, same output.

With ``llm=`` (a chat client), ``kurt.writing.customize_llm`` refines the result
before anything is written: undecided choices, DO picks (verified to occur in
the pages), DON'T picks and a voice summary, each marked "refined by LLM".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from kurt.errors import Conflict, KurtError, NotFound, UsageError
from kurt.store.content import source_text
from kurt.writing import style
from kurt.writing.guidance import Choice, Example
from kurt.writing.template_parse import (
    CUSTOMIZATION_MARKER,
    STYLE_HEADING,
    Template,
    needs_customization,
    parse_template,
    section_span,
)

# template -> (default filter fields, default search query)
DEFAULT_SELECTION: dict[str, tuple[dict, str]] = {
    "integration-page": ({"url_contains": ["/integrations/"]}, "integration"),
    "documentation-tutorial": ({"url_contains": ["/guides/"]}, "tutorial getting started"),
    "reference-page": ({"url_contains": ["/reference"]}, "reference parameters"),
    "product-page": ({"url_contains": ["/product"]}, "product features"),
    "solution-page": ({"url_contains": ["/solutions/"]}, "solution"),
    "homepage": ({}, "home"),
    "blog-post": ({"url_contains": ["/blog/"]}, "blog"),
    "case-study": ({"url_contains": ["/customers/"]}, "case study customer"),
    "product-update-newsletter": ({"url_contains": ["/changelog"]}, "changelog new release"),
}
# template -> content types (from the local index) that fit it
CONTENT_TYPES: dict[str, tuple[str, ...]] = {
    "integration-page": ("integration",),
    "documentation-tutorial": ("tutorial", "guide"),
    "reference-page": ("reference", "api-reference"),
    "blog-post": ("blog-post",),
    "case-study": ("case-study",),
    "product-page": ("product-page", "landing-page"),
}
_CHOICE = re.compile(r"^(\s*[-*]\s+)([^:\[\n]+?):\s*\[([^\[\]\n]+/[^\[\]\n]+)\]\s*$")
CONSTRUCTED = "constructed"


@dataclass
class PageUsed:
    document_id: str
    url: str
    path: str
    title: str | None
    words: int
    fit: float


@dataclass
class CustomizationReport:
    template: str
    path: str
    written: bool
    pages: list[PageUsed]
    measurements: dict
    choices: list[Choice]
    examples: list[Example]
    section: str  # the new Style Guidelines section
    notes: list[str] = field(default_factory=list)
    voice_summary: str | None = None  # written by the LLM, when --llm refined the result
    llm: object | None = None  # a customize_llm.LLMOutcome when an LLM was asked


# -- picking pages --------------------------------------------------------------------

@dataclass
class _Candidate:
    doc: object
    text: str
    fit: float


def pick_pages(ws, store, template: Template, *, flt=None, query: str | None = None,
               pages: int = 3) -> list[_Candidate]:
    """The ``pages`` documents that best exemplify the template's format, best first."""
    from kurt.store.filters import DocumentFilter, select_documents

    given = flt is not None and not flt.is_empty()
    if not given and not query:
        defaults, query = DEFAULT_SELECTION.get(template.name, ({}, template.name.replace("-", " ")))
        flt = DocumentFilter(**defaults)
        if not select_documents(store, _fetched(flt), limit=1):
            flt = DocumentFilter()
    flt = _fetched(flt or DocumentFilter())
    ranks = _search_ranks(store, query, flt) if query else {}
    docs = select_documents(store, flt)
    if query and ranks:
        docs = [d for d in docs if d.id in ranks] or docs
    candidates = []
    for doc in docs:
        if not doc.content_path:
            continue
        text = source_text(ws.root, store, doc.content_path)
        if text is None:
            continue
        text = without_boilerplate(store, doc.id, text)
        fit = _fit(template, doc, text, ranks.get(doc.id))
        if fit is not None:
            candidates.append(_Candidate(doc, text, fit))
    candidates.sort(key=lambda c: (-c.fit, c.doc.url))
    return _one_copy_each(store, candidates)[:pages]


def without_boilerplate(store, document_id: str, text: str) -> str:
    """``text`` (a stored file) with the lines of its boilerplate passages blanked (see
    ``kurt.index.boilerplate``): line numbers stay true, banners and notices never become
    style examples."""
    rows = store.query("SELECT line_start, line_end FROM sections WHERE document_id = ?"
                       " AND boilerplate = 1", (document_id,))
    if not rows:
        return text
    lines = text.split("\n")
    for row in rows:
        for i in range(max(row[0] - 1, 0), min(row[1], len(lines))):
            lines[i] = ""
    return "\n".join(lines)


def _one_copy_each(store, candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates (best first) without copies of a page already among them (the site's
    page and a folder export of it: ``kurt.index.duplicates``)."""
    from kurt.search import copy_keys, one_copy

    keys = copy_keys(store, [c.doc.id for c in candidates])
    return one_copy(candidates, lambda c: keys.get(c.doc.id), lambda c: c.doc.id)


def _fetched(flt):
    return flt if flt.statuses else replace(flt, statuses=["FETCHED"])


def _search_ranks(store, query: str, flt) -> dict[str, int]:
    """Document id -> rank of its best search hit (empty when search is unavailable)."""
    try:
        from kurt.search import search
    except ImportError:  # search lands separately; filters alone still work
        return _title_matches(store, query, flt)
    ranks: dict[str, int] = {}
    for rank, hit in enumerate(search(store, query, flt=flt, limit=50, per_document=1)):
        ranks.setdefault(hit.document_id, rank)
    return ranks


def _title_matches(store, query: str, flt) -> dict[str, int]:
    from kurt.store.filters import select_documents

    words = [w.lower() for w in re.findall(r"\w+", query) if len(w) > 2]
    ranks = {}
    for doc in select_documents(store, flt):
        hay = f"{doc.title or ''} {doc.url}".lower()
        hits = sum(w in hay for w in words)
        if hits:
            ranks[doc.id] = len(words) - hits
    return ranks


def _fit(template: Template, doc, text: str, search_rank: int | None) -> float | None:
    """How well a page exemplifies the format; None when it has too little prose to learn from."""
    page = style.split_page(text)
    sentences = sum(len(style.sentences_of(line)) for _, line in page.prose)
    if sentences < 5:
        return None
    fit = 0.0
    wanted = CONTENT_TYPES.get(template.name, ())
    if getattr(doc, "content_type", None) and doc.content_type in wanted:
        fit += 2.0
    if template.length:
        low, high = template.length
        words = page.words
        if low <= words <= high:
            fit += 2.0
        else:
            distance = low - words if words < low else words - high
            fit += max(0.0, 2.0 - 2.0 * distance / high)
    if "code" in (template.text.split("## Style Guidelines")[0].lower()):
        fit += 1.0 if page.code else 0.0
        fit += 0.5 if any(b.full_file for b in page.code) else 0.0
    fit += min(len(page.headings), 8) / 8
    fit += 2.0 * anatomy_match(template.required_headings, [h for _, h in page.headings])
    if search_rank is not None:
        fit += max(0.0, 1.5 - 0.1 * search_rank)
    return round(fit, 4)


_HEADING_STOPWORDS = {"a", "an", "and", "the", "to", "of", "for", "with", "your", "you", "it",
                      "in", "on", "how", "what", "this", "up", "our", "we", "is", "are", "be"}


def _heading_words(heading: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", heading.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w
            for w in words if w not in _HEADING_STOPWORDS and len(w) > 1}


def anatomy_match(required: list[str], page_headings: list[str]) -> float:
    """Share (0-1) of the template's required headings that some heading of the page echoes.

    A page with "Prerequisites", "Troubleshooting" and "Next steps" sections has
    the anatomy of a tutorial; among pages of fitting length, it exemplifies the
    format better than one that merely has many headings.
    """
    wanted = [w for w in (_heading_words(h) for h in required) if w]
    if not wanted:
        return 0.0
    present = [_heading_words(h) for h in page_headings]
    matched = sum(1 for words in wanted if any(words & have for have in present))
    return matched / len(wanted)


# -- choosing values ------------------------------------------------------------------

def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def _levels(m: style.StyleMetrics) -> dict[str, float]:
    minimal = _clamp(1 - m.code_blocks_per_page / 3)
    pages = max(m.pages, 1)
    return {
        "formality": _clamp((m.fk_grade - 6) / 8 - 0.6 * min(m.contractions_per_sentence, 0.5)),
        "detail": _clamp((m.words_per_page - 300) / 1500),
        "steps": _clamp((m.numbered_items / pages + 2 * m.step_headings / pages) / 6),
        "trouble": _clamp(0.4 * m.troubleshooting_headings / pages + 3 * m.error_sentence_ratio),
        "code_minimal": minimal,
        "code_full": (1 - minimal) * m.full_file_ratio,
        "code_snippet": (1 - minimal) * (1 - m.full_file_ratio),
    }


def _pos(level: str, position: float):
    return lambda lv, m: 1 - abs(lv[level] - position)


# (group, label pattern, option pattern, scorer(levels, metrics))
RULES = [
    ("voice", r"^voice$", r"^active", lambda lv, m: 1 - m.passive_ratio),
    ("voice", r"^voice$", r"^passive", lambda lv, m: m.passive_ratio),
    ("person", r"", r"second person|\"you\"|\byou\b", lambda lv, m: m.person_you),
    ("person", r"", r"plural|\"we\"|\bwe\b", lambda lv, m: m.person_we),
    ("person", r"", r"first person(?! plural)", lambda lv, m: m.person_i),
    ("person", r"", r"third person", lambda lv, m: m.person_third),
    ("person", r"", r"imperative", lambda lv, m: m.imperative_ratio),
    ("code", r"code", r"full|complete|runnable", lambda lv, m: lv["code_full"]),
    ("code", r"code", r"snippet|incremental", lambda lv, m: lv["code_snippet"]),
    ("code", r"code", r"minimal|fragment", lambda lv, m: lv["code_minimal"]),
    ("steps", r"explanation", r"step", _pos("steps", 1.0)),
    ("steps", r"explanation", r"assumed", _pos("steps", 0.5)),
    ("steps", r"explanation", r"brief", _pos("steps", 0.0)),
    ("trouble", r"troubleshoot|error", r"comprehensive|every", _pos("trouble", 1.0)),
    ("trouble", r"troubleshoot|error", r"common", _pos("trouble", 0.5)),
    ("trouble", r"troubleshoot|error", r"minimal|link", _pos("trouble", 0.0)),
    ("formality", r"", r"casual|friendly|conversational|playful|witty|informal|encouraging",
     _pos("formality", 0.0)),
    ("formality", r"", r"professional|neutral|measured|instructional|calm|crisp",
     _pos("formality", 0.5)),
    ("formality", r"", r"academic|formal|terse|expert|strictly|precise", _pos("formality", 1.0)),
    ("detail", r"clarity|depth|density|copy amount", r"straightforward|short|brief|scannable",
     _pos("detail", 0.0)),
    ("detail", r"clarity|depth|density|copy amount", r"detailed|medium", _pos("detail", 0.5)),
    ("detail", r"clarity|depth|density|copy amount", r"comprehensive|long", _pos("detail", 1.0)),
]


def _describe(group: str, m: style.StyleMetrics) -> str:
    if group == "voice":
        return f"passive voice in {m.passive_ratio:.0%} of sentences"
    if group == "person":
        return (f"\"you\" in {m.person_you:.0%} of sentences, \"we\" in {m.person_we:.0%}, "
                f"imperatives {m.imperative_ratio:.0%}")
    if group == "code":
        return (f"{m.code_blocks} code blocks, {m.avg_code_lines:.1f} lines on average, "
                f"{m.full_file_ratio:.0%} full files")
    if group == "steps":
        return f"{m.numbered_items} numbered steps, {m.step_headings} \"Step N\" headings"
    if group == "trouble":
        return (f"{m.troubleshooting_headings} troubleshooting headings, "
                f"{m.error_sentence_ratio:.0%} of sentences about errors")
    if group == "formality":
        return (f"Flesch-Kincaid grade {m.fk_grade:.1f}, "
                f"{m.contractions_per_sentence:.2f} contractions per sentence")
    return f"{m.words_per_page:.0f} words per page, {m.avg_sentence_words:.1f} words per sentence"


def choose(label: str, options: list[str], m: style.StyleMetrics) -> Choice:
    """The option the measurements support, or value None when nothing measures it."""
    lv = _levels(m)
    scores: list[float | None] = []
    groups: dict[str, None] = {}
    for option in options:
        matched = []
        for group, label_re, option_re, scorer in RULES:
            if re.search(label_re, label.strip(), re.IGNORECASE) and \
                    re.search(option_re, option, re.IGNORECASE):
                matched.append(scorer(lv, m))
                groups.setdefault(group, None)
        scores.append(sum(matched) / len(matched) if matched else None)
    if sum(s is not None for s in scores) < 2:
        return Choice(label, options, None, None)
    best = max(range(len(options)), key=lambda i: (scores[i] if scores[i] is not None else -1, -i))
    measurement = "; ".join(_describe(g, m) for g in groups)
    return Choice(label, options, options[best], measurement)


# -- choosing examples ----------------------------------------------------------------

def pick_examples(candidates: list[_Candidate], *, do_count: int = 3, dont_count: int = 2
                  ) -> list[Example]:
    """DO sentences (best-scored, spread over the pages) and the weakest as DON'T."""
    scored = []
    for index, cand in enumerate(candidates):
        for line, sentence in style.page_sentences(cand.text):
            s = style.score_sentence(sentence)
            if s.literal and sentence in cand.text and sentence[:1].isupper() \
                    and sentence.endswith((".", "!", "?")) and s.words >= 6:
                scored.append((s, index, line, cand))
    seen: set[str] = set()
    ranked = sorted(scored, key=lambda t: (-t[0].score, t[1], t[2]))
    dos, used_pages = [], set()
    for pass_ in (0, 1):  # first one per page, then fill
        for s, index, line, cand in ranked:
            if len(dos) >= do_count or s.text in seen or s.weaknesses:
                continue
            if pass_ == 0 and index in used_pages:
                continue
            dos.append(_example("do", s, cand, line))
            seen.add(s.text)
            used_pages.add(index)
    donts = []
    for s, _index, line, cand in sorted(scored, key=lambda t: (t[0].score, t[1], t[2])):
        if len(donts) >= dont_count:
            break
        real = [w for w in s.weaknesses if not w.startswith(("not a complete", "too short"))]
        if s.text in seen or not real or s.score > 1:
            continue
        donts.append(_example("dont", s, cand, line))
        seen.add(s.text)
    if not donts and dos:
        donts.append(_constructed(dos[0]))
    return dos + donts


def _example(kind: str, s: style.SentenceScore, cand: _Candidate, line: int) -> Example:
    reason = ", ".join(s.reasons if kind == "do" else s.weaknesses)
    return Example(kind, s.text, reason[:1].upper() + reason[1:], cand.doc.id, cand.doc.url, line)


def _constructed(do: Example) -> Example:
    """A worse rewrite of a DO sentence, labelled as constructed (the pages had no weak one)."""
    body = do.sentence.rstrip(".!?")
    body = re.sub(r"\byou\b", "the user", body, flags=re.IGNORECASE)
    body = re.sub(r"\byour\b", "the relevant", body, flags=re.IGNORECASE)
    text = f"It should be noted that, in various cases, {body[:1].lower()}{body[1:]} as appropriate."
    return Example("dont", text, "Constructed rewrite of the DO sentence above (the pages had no "
                   "weak sentence): wordy, impersonal and vague", None, None, None, True)


# -- writing the section --------------------------------------------------------------

def render_section(section: list[str], *, choices: list[Choice], examples: list[Example],
                   pages: list[PageUsed], m: style.StyleMetrics,
                   voice_summary: str | None = None) -> list[str]:
    """The Style Guidelines lines with the marker, choices and DO/DON'T filled in."""
    by_label = {c.label: c for c in choices}
    out: list[str] = []
    for line in section:
        if CUSTOMIZATION_MARKER in line:
            out.append(f"**Customized with `kurt template customize` from {len(pages)} pages of "
                       "the corpus (see \"Customized from\" below).**")
            if voice_summary:
                out += ["", f"**Voice (refined by LLM):** {voice_summary}"]
            continue
        match = _CHOICE.match(line)
        choice = by_label.get(match.group(2).strip()) if match else None
        if choice and choice.value and choice.refined:
            why = f": {choice.reason}" if choice.reason else ""
            out.append(f"{match.group(1)}{match.group(2)}: {choice.value} (refined by LLM{why})")
        elif choice and choice.value:
            out.append(f"{match.group(1)}{match.group(2)}: {choice.value} "
                       f"(measured: {choice.measurement})")
        else:
            out.append(line)
    start = next((i for i, ln in enumerate(out) if ln.lstrip().startswith("✅")), None)
    end = _examples_end(out, start)
    block = _example_lines(examples) + [""] + _sources_lines(pages, m)
    if start is None:
        insert = _before_trailing_rule(out)
        return out[:insert] + block + [""] + out[insert:]
    return out[:start] + block + out[end:]


def _examples_end(lines: list[str], start: int | None) -> int:
    if start is None:
        return 0
    end = start
    for i in range(start, len(lines)):
        text = lines[i].strip()
        if text.startswith(("✅", "❌", "- Why this works", "- Reason")) or \
                (not text and i + 1 < len(lines) and lines[i + 1].strip().startswith(("✅", "❌"))):
            end = i + 1
        elif text and not text.startswith("- "):
            break
    return end


def _before_trailing_rule(lines: list[str]) -> int:
    i = len(lines)
    while i > 0 and lines[i - 1].strip() in ("", "---"):
        i -= 1
    return i


def _example_lines(examples: list[Example]) -> list[str]:
    lines = []
    for ex in examples:
        if lines:
            lines.append("")
        mark = " (refined by LLM)" if ex.refined else ""
        if ex.kind == "do":
            lines += [f"✅ **DO:** \"{ex.sentence}\"", f"- Why this works{mark}: {ex.reason}",
                      f"- From: {ex.url} (document {ex.document_id}, line {ex.line})"]
        elif ex.constructed:
            label = "constructed by LLM" if ex.refined else "constructed"
            lines += [f"❌ **DON'T ({label}):** \"{ex.sentence}\"", f"- Reason: {ex.reason}"]
        else:
            lines += [f"❌ **DON'T:** \"{ex.sentence}\"", f"- Reason{mark}: {ex.reason}",
                      f"- From: {ex.url} (document {ex.document_id}, line {ex.line})"]
    return lines


def _sources_lines(pages: list[PageUsed], m: style.StyleMetrics) -> list[str]:
    lines = ["**Customized from:**"]
    lines += [f"- `{p.document_id}` {p.url} ({p.path}, {p.words} words)" for p in pages]
    lines.append(
        f"- Measurements: {m.sentences} sentences, {m.avg_sentence_words:.1f} words per sentence, "
        f"Flesch-Kincaid grade {m.fk_grade:.1f}, passive voice {m.passive_ratio:.0%}, "
        f"\"you\" {m.person_you:.0%} / \"we\" {m.person_we:.0%} / third person "
        f"{m.person_third:.0%}, {m.code_blocks} code blocks ({m.avg_code_lines:.1f} lines on "
        f"average, {m.full_file_ratio:.0%} full files), {m.numbered_items} numbered steps, "
        f"{m.troubleshooting_headings} troubleshooting headings"
    )
    return lines


# -- the command ----------------------------------------------------------------------

def customize_template(ws, store, name: str, *, flt=None, query: str | None = None,
                       pages: int = 3, dry_run: bool = False, force: bool = False,
                       llm=None) -> CustomizationReport:
    """Fill the Style Guidelines of the workspace copy of ``name`` from the corpus.

    ``llm`` is an optional chat client (``ChatClient.complete_json``): the
    measured result is refined by it before the single write. An ``LLMError``
    (refused key, unknown model) propagates with nothing written; a failed
    request leaves the measured result, with ``report.llm.status == "failed"``.
    """
    from kurt.fileio import write_atomic
    from kurt.writing.templates import builtin_templates, load_template

    if not 1 <= pages <= 10:
        raise UsageError("--pages must be between 1 and 10 (2-3 pages are usually enough)")
    template = load_template(ws, name)
    target = ws.templates_dir / f"{name}.md"
    text = template.text
    if not needs_customization(text) or force:
        if not force:
            raise Conflict(f"Template '{name}' is already customized: run it again with --force "
                           "to redo the Style Guidelines from the built-in template")
        text = _restore_style_section(text, builtin_templates().get(name), name)
    template = parse_template(text, name=name, path=template.path, origin=template.origin)
    chosen = pick_pages(ws, store, template, flt=flt, query=query, pages=pages)
    if not chosen:
        from kurt.store.filters import DocumentFilter, count_documents

        matched = count_documents(store, _fetched(flt or DocumentFilter())) if flt else 0
        if matched:  # pages match, but none reads as this format once its boilerplate is set aside
            raise NotFound(f"{matched} fetched page{'s' if matched != 1 else ''} match those filters,"
                           f" but none has the {name} format's sections in its own text (passages"
                           " the site repeats on many pages do not count): choose other pages, or"
                           " give --from-search \"QUERY\"")
        raise NotFound("No fetched page matches those filters: widen them (see 'kurt content "
                       "list') or give --from-search \"QUERY\"")
    metrics = style.analyze([c.text for c in chosen])
    lines = text.split("\n")
    span = section_span(lines, STYLE_HEADING)
    if span is None:
        raise KurtError(f"Template '{name}' has no '## Style Guidelines' section to customize")
    section = lines[span[0] : span[1]]
    choices = [choose(mt.group(2).strip(), [o.strip() for o in mt.group(3).split("/")], metrics)
               for mt in map(_CHOICE.match, section) if mt]
    examples = pick_examples(chosen)
    used = [PageUsed(c.doc.id, c.doc.url, c.doc.content_path, c.doc.title,
                     style.split_page(c.text).words, c.fit) for c in chosen]
    summary = outcome = None
    if llm is not None:
        from kurt.writing.customize_llm import refine

        refined = refine(llm, template_name=name, candidates=chosen, pages=used,
                         metrics=metrics.to_dict(), choices=choices, examples=examples)
        choices, examples = refined.choices, refined.examples
        summary, outcome = refined.voice_summary, refined.outcome
    new_section = render_section(section, choices=choices, examples=examples, pages=used,
                                 m=metrics, voice_summary=summary)
    new_text = "\n".join(lines[: span[0]] + new_section + lines[span[1] :])
    parse_template(new_text, name=name, path=Path(ws.relative(target)), origin="workspace")
    notes = [f"{c.label}: not measurable from pages, left for you to choose"
             for c in choices if c.value is None]
    if not dry_run:
        write_atomic(target, new_text)
    return CustomizationReport(name, ws.relative(target), not dry_run, used, metrics.to_dict(),
                               choices, examples, "\n".join(new_section), notes, summary, outcome)


def _restore_style_section(text: str, builtin: str | None, name: str) -> str:
    """``text`` with its Style Guidelines section replaced by the built-in's original one."""
    if builtin is None or not needs_customization(builtin):
        raise KurtError(f"Template '{name}' has no built-in original to re-customize from: "
                        "restore its '[CUSTOMIZATION NEEDED' section by hand")
    lines, original = text.split("\n"), builtin.split("\n")
    span, orig_span = section_span(lines, STYLE_HEADING), section_span(original, STYLE_HEADING)
    if span is None or orig_span is None:
        raise KurtError(f"Template '{name}' has no '## Style Guidelines' section to customize")
    return "\n".join(lines[: span[0]] + original[orig_span[0] : orig_span[1]] + lines[span[1] :])
