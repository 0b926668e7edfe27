"""Everything the checks need to know about one draft, read once: ``DraftContext``.

The runner builds one context per file: its text and body structure
(``kurt.checks.body``), the parsed frontmatter with the line and column of every
key, the template it names, the outline with each section's sources, the
``<!-- Source: ... -->`` citations resolved against the store, the evidence
file's content hashes, and the body's sections (``body_sections``). Which
source passages back each section is ``kurt.checks.section_sources``.
Building a context never writes anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kurt.checks.body import Body, read_body
from kurt.checks.corpus import Corpus, Resolved

_STEM_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("the and for with your you our how what why this that from into are its "
                  "not can use using".split())


@dataclass
class Shared:
    """What every context of one run shares: the workspace, the corpus, settings, caches."""

    ws: object
    corpus: Corpus
    config: object  # kurt.config.ChecksConfig
    check_links: bool = False
    selection: object | None = None  # kurt.checks.selection.Selection (None: every rule)
    judge: object | None = None  # an LLM judge for grounding/claim (--judge llm)
    analysis_cache: bool = True  # keep source analyses in .kurt/ between runs (grounding)
    jobs: int = 1  # processes that check the run's files (kurt.checks.runner.workers)
    templates: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # per-family caches (Vale configs, link results)


@dataclass
class Span:
    line: int
    column: int
    end_line: int
    end_column: int  # inclusive


@dataclass
class OutlineItem:
    key: str
    purpose: str
    sources: list[str]
    where: Span
    source_spans: list[Span] = field(default_factory=list)


@dataclass
class InventoryItem:
    path: str
    where: Span


@dataclass
class CitationAt:
    """A citation of the body, checked (``kurt.writing.citations.Citation``), with its place."""

    citation: object
    line: int
    column: int
    end_column: int


# -- the frontmatter's positions ---------------------------------------------------------

def yaml_positions(raw: str, first_line: int) -> tuple[dict, dict]:
    """(key spans, value spans) by path of keys and indices, e.g. ``("outline", "setup")``;
    lines are file lines (the YAML starts at ``first_line``)."""
    import yaml

    keys: dict[tuple, Span] = {}
    values: dict[tuple, Span] = {}
    try:
        root = yaml.compose(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return keys, values
    lines = raw.split("\n")

    def span(node) -> Span:
        start, end = node.start_mark, node.end_mark
        end_line, end_col = end.line, end.column
        if end_col == 0 and end_line > start.line:
            end_line -= 1
            end_col = len(lines[end_line]) if end_line < len(lines) else 1
        return Span(start.line + first_line, start.column + 1, end_line + first_line,
                    max(end_col, start.column + 1))

    def walk(node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                keys[(*path, name)] = span(key_node)
                values[(*path, name)] = span(value_node)
                walk(value_node, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                values[(*path, index)] = span(item)
                keys[(*path, index)] = span(item)
                walk(item, (*path, index))

    if root is not None:
        walk(root, ())
    return keys, values


# -- matching body headings to outline sections ----------------------------------------------

def stems(text: str) -> set[str]:
    words = _STEM_WORD.findall(str(text).lower().replace("_", " "))
    return {w[:5] for w in words if len(w) > 2 and w not in _STOP}


def outline_key_for(heading: str, keys: list[str]) -> str | None:
    """The outline section a heading writes (most shared words; an exact slug first)."""
    from kurt.writing.names import slugify

    slug = slugify(heading)
    for key in keys:
        if slugify(key) == slug:
            return key
    words = stems(heading)
    best, best_score = None, 0
    for key in keys:
        score = len(words & stems(key))
        if score > best_score:
            best, best_score = key, score
    return best


# -- the context ---------------------------------------------------------------------------

@dataclass
class DraftContext:
    shared: Shared
    path: Path
    rel: str  # relative to the workspace (POSIX), or absolute outside it
    text: str = ""
    unreadable: str | None = None  # why the file could not be read as text
    has_frontmatter: bool = False
    frontmatter: dict | None = None  # None when missing or invalid
    frontmatter_error: object | None = None  # kurt.errors.FormatError
    yaml_first_line: int = 0
    yaml_last_line: int = 0
    key_spans: dict = field(default_factory=dict)
    value_spans: dict = field(default_factory=dict)
    body: Body | None = None

    # -- basics ------------------------------------------------------------------------

    @property
    def ws(self):
        return self.shared.ws

    @property
    def corpus(self) -> Corpus:
        return self.shared.corpus

    @property
    def config(self):
        return self.shared.config

    @property
    def is_draft(self) -> bool:
        """A readable file whose frontmatter parsed (the draft families can run)."""
        return self.frontmatter is not None and self.body is not None

    def finding(self, rule: str, message: str, where: Span | tuple | None = None, *,
                severity: str | None = None, evidence=None, suggestion: str | None = None):
        """A ``Finding`` of this file; ``where`` is a Span, (line, column[, end_line,
        end_column]), or None for the whole file (line 1). The severity defaults to the
        rule's own (the runner applies kurt.toml's overrides)."""
        from kurt.checks.finding import Finding
        from kurt.checks.registry import rule_info

        if where is None:
            where = Span(1, 1, 1, 1)
        elif not isinstance(where, Span):
            line, column, *rest = where
            end_line = rest[0] if rest else line
            end_column = rest[1] if len(rest) > 1 else column
            where = Span(line, column, end_line, end_column)
        if severity is None:
            info = rule_info(rule)
            severity = info.severity if info else "warning"
        return Finding(rule=rule, severity=severity, path=self.rel, line=where.line,
                       column=where.column, end_line=where.end_line,
                       end_column=where.end_column, message=message, evidence=evidence,
                       suggestion=suggestion)

    @property
    def first_line(self) -> int:
        """The body's first line that holds something (where file-wide findings point)."""
        if self.body is None:
            return 1
        lines = self.body.lines
        for number in range(self.body.first_line, len(lines) + 1):
            if lines[number - 1].strip():
                return number
        return self.body.first_line

    def key_span(self, *path) -> Span:
        """Where a frontmatter key is; the closest enclosing key, else the frontmatter's first line."""
        path = tuple(path)
        while path:
            if path in self.key_spans:
                return self.key_spans[path]
            path = path[:-1]
        line = self.yaml_first_line or 1
        return Span(line, 1, line, 1)

    def value_span(self, *path) -> Span:
        return self.value_spans.get(tuple(path)) or self.key_span(*path)

    # -- the draft -------------------------------------------------------------------------

    @cached_property
    def project_dir(self) -> Path | None:
        """``projects/<p>`` when the file is a draft of a project."""
        try:
            parts = self.path.resolve().relative_to(self.ws.projects_dir.resolve()).parts
        except ValueError:
            return None
        return self.ws.projects_dir.resolve() / parts[0] if len(parts) > 1 else None

    @property
    def document(self) -> str:
        data = self.frontmatter or {}
        return str(data.get("document") or self.path.stem)

    @cached_property
    def template_ref(self) -> str | None:
        value = (self.frontmatter or {}).get("format_template")
        return str(value).strip() if value else None

    @cached_property
    def template_result(self) -> tuple[object | None, str | None]:
        """(parsed Template, None) or (None, why not)."""
        if not self.template_ref:
            return None, "no format_template"
        cache = self.shared.templates
        if self.template_ref not in cache:
            cache[self.template_ref] = resolve_template(self.ws, self.template_ref)
        return cache[self.template_ref]

    @property
    def template(self):
        return self.template_result[0]

    @cached_property
    def outline(self) -> list[OutlineItem]:
        data = (self.frontmatter or {}).get("outline")
        if not isinstance(data, dict):
            return []
        items = []
        for key, entry in data.items():
            entry = entry if isinstance(entry, dict) else {}
            sources = entry.get("sources") or []
            if isinstance(sources, str):
                sources = [sources]
            if not isinstance(sources, list):
                sources = []
            sources = [str(s) for s in sources if s is not None and str(s).strip()]
            spans = [self.value_span("outline", key, "sources", i) for i in range(len(sources))]
            items.append(OutlineItem(str(key), str(entry.get("purpose") or key), sources,
                                     self.key_span("outline", key), spans))
        return items

    @cached_property
    def inventory(self) -> list[InventoryItem]:
        """The frontmatter's ``sources`` list: the draft's source inventory."""
        data = (self.frontmatter or {}).get("sources")
        if not isinstance(data, list):
            return []
        out = []
        for index, item in enumerate(data):
            path = item.get("path") if isinstance(item, dict) else item
            if path is None or not str(path).strip():
                continue
            where = self.value_span("sources", index, "path") if isinstance(item, dict) \
                else self.value_span("sources", index)
            out.append(InventoryItem(str(path).strip(), where))
        return out

    @cached_property
    def evidence_hashes(self) -> dict[str, str]:
        from kurt.writing.citations import evidence_hashes

        if self.project_dir is None:
            return {}
        path = self.project_dir / "research" / f"{self.document}-evidence.md"
        try:
            return evidence_hashes(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return {}

    @cached_property
    def citations(self) -> list[CitationAt]:
        """Every citation of the body, resolved (statuses from kurt.writing.citations)."""
        from kurt.writing.citations import CitationChecker, find_comments

        if self.body is None:
            return []
        checker = CitationChecker(self.ws, self.corpus.store, self.evidence_hashes,
                                  self.corpus.line_counts)
        text = self.body.citable
        found = []
        for _start, content_start, content in find_comments(text):
            line, column = self.body.position(content_start)
            if self.corpus.store is None:
                continue
            for citation in checker.comment(content, line):
                at = content.find(citation.cited)
                first = column + max(at, 0)
                found.append(CitationAt(citation, line, first,
                                        first + max(len(citation.cited), 1) - 1))
        return found

    def resolve(self, ref: str) -> Resolved:
        return self.corpus.resolve(ref)

    # -- sections ----------------------------------------------------------------------------

    @cached_property
    def body_sections(self) -> list[tuple[int, int, str | None, str | None]]:
        """(first line, last line, heading, outline key) of each part of the body that a
        level-1 or level-2 heading opens (text before the first one is a part of its own)."""
        if self.body is None:
            return []
        total = len(self.body.lines)
        first = self.body.first_line
        keys = [item.key for item in self.outline]
        tops = [h for h in self.body.headings if h.level <= 2]
        bounds: list[tuple[int, int, str | None]] = []
        lead_end = tops[0].line - 1 if tops else total
        if any(self.body.line_text(n).strip() for n in range(first, lead_end + 1)):
            bounds.append((first, lead_end, None))
        for index, heading in enumerate(tops):
            end = tops[index + 1].line - 1 if index + 1 < len(tops) else total
            bounds.append((heading.line, end, heading.text))
        return [(start, end, heading, outline_key_for(heading, keys) if heading else None)
                for start, end, heading in bounds]


def resolve_template(ws, ref: str):
    """(Template, None) for a draft's ``format_template`` (a path in the workspace, or a
    template name), or (None, why not)."""
    from kurt.errors import FormatError, NotFound, UsageError
    from kurt.writing.templates import load_template, parse_template

    cleaned = ref.strip().lstrip("/")
    candidate = ws.root / cleaned
    name = Path(cleaned).stem
    # A draft is text anyone (or any agent) writes: its path must not climb out of the
    # workspace. (A template the user linked in from a shared folder is the user's choice.)
    if cleaned.endswith(".md") and (".." in Path(cleaned).parts or Path(cleaned).is_absolute()):
        return None, (f"'{ref}' is outside the workspace: name a template of the workspace "
                      "(see 'kurt template list')")
    try:
        if cleaned.endswith(".md") and candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            return parse_template(text, name=name, path=Path(cleaned), origin="workspace"), None
        return load_template(ws, name), None
    except FormatError as exc:
        return None, f"the template does not parse: {exc}"
    except (NotFound, UsageError):
        return None, (f"no template '{ref}': see 'kurt template list', or fix format_template")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot read the template {ref}: {exc}"


def read_file(path: Path) -> tuple[str | None, str | None]:
    """(text, None) or (None, why it is not readable text)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror or exc}"
    if b"\0" in data[:8192]:
        return None, "a binary file, not markdown"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start} cannot be decoded): save it as UTF-8"
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def build_context(shared: Shared, path: Path) -> DraftContext:
    """Read ``path`` once and parse what every check needs (nothing is written)."""
    from kurt.checks.corpus import relative_file
    from kurt.errors import FormatError
    from kurt.writing import frontmatter

    ctx = DraftContext(shared=shared, path=Path(path), rel=relative_file(shared.ws, path))
    text, problem = read_file(ctx.path)
    if text is None:
        ctx.unreadable = problem
        return ctx
    ctx.text = text
    first_line = 1
    try:
        fm = frontmatter.parse(text, ctx.rel)
    except FormatError as exc:
        ctx.has_frontmatter = True
        ctx.frontmatter_error = exc
        fm = None
        # the body still starts after the closing fence, when there is one
        lines = text.split("\n")
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")),
                       None)
        first_line = closing + 2 if closing is not None else len(lines) + 1
        ctx.yaml_first_line, ctx.yaml_last_line = 2, (closing or len(lines))
    if fm is not None and fm.has_frontmatter:
        ctx.has_frontmatter = True
        ctx.frontmatter = fm.data
        ctx.yaml_first_line = fm.first_line
        head_lines = text[: len(text) - len(fm.body)].count("\n")
        ctx.yaml_last_line = head_lines - 1
        first_line = head_lines + 1
        ctx.key_spans, ctx.value_spans = yaml_positions(fm.text, fm.first_line)
    first_line = min(first_line, text.count("\n") + 1)
    ctx.body = read_body(text, first_line)
    return ctx
