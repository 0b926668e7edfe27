"""``lint``: run a Vale configuration's rules on one markdown or text file.

The file is read into blocks (kurt.checks.vale.markdown), each rule runs on the
blocks its scope names, and each alert becomes a ``Finding`` at its exact line
and column. A finding is dropped when its text lies wholly in what is not
prose (code, URLs, frontmatter, comments), wholly inside a quotation, when a
``<!-- vale ... -->`` comment turned its rule off there, when the same rule
already reported the same place, or past the rule's ``limit``. Findings come
back in Vale's order: by line, then column.
"""

from __future__ import annotations

import os
from pathlib import Path

from kurt.checks.finding import VALE_LEVELS, Finding, vale_rule_id
from kurt.checks.vale.blocks import Block, Document
from kurt.checks.vale.config import ValeConfig, find_config, load_config
from kurt.checks.vale.controls import silenced
from kurt.checks.vale.markdown import read_markdown
from kurt.checks.vale.prose import read_plain_text
from kurt.checks.vale.rules import Alert, FileState, Rule
from kurt.checks.vale.rules.base import whitespace_to_space
from kurt.errors import ConfigError, FormatError, UsageError

DEFAULT_NAME = "stdin.md"


def read_source(path: Path) -> str:
    """A file's text with Vale's newline handling; FormatError for a file that is not text."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    if b"\0" in data[:8192]:
        raise FormatError(path, None, "a binary file, not markdown or text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(path, None, "not a UTF-8 text file") from None
    return normalize(text)


def normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def resolve_config(config: ValeConfig | str | Path | None, near: Path) -> ValeConfig:
    if isinstance(config, ValeConfig):
        return config
    if config is not None:
        return load_config(config)
    found = find_config(near)
    if found is None:
        raise ConfigError(f"no .vale.ini in {near} or a parent folder: add one with StylesPath "
                          f"and BasedOnStyles, or pass the configuration")
    return load_config(found)


def lint(source: str | os.PathLike, config: ValeConfig | str | Path | None = None, *,
         path: str | os.PathLike | None = None) -> list[Finding]:
    """Findings of the Vale rules of ``config`` in one file.

    ``source`` is a file (a ``Path``) or the text itself (a ``str``); ``path``
    names the file in findings and picks its format and its ``.vale.ini``
    sections (default: the file's own path, or ``stdin.md`` for text).
    ``config`` is a loaded ``ValeConfig`` (load it once for many files), a
    ``.vale.ini`` path, or None to use the nearest ``.vale.ini``.
    """
    if isinstance(source, os.PathLike):
        text = read_source(Path(source))
        name = os.fspath(path if path is not None else source)
        near = Path(source).resolve().parent
    else:
        text = normalize(source)
        name = os.fspath(path) if path is not None else DEFAULT_NAME
        near = Path(name).parent if path is not None else Path.cwd()
    return lint_text(text, name, resolve_config(config, near))


def read_document(text: str, settings, config: ValeConfig) -> Document:
    token_spans = [m.span() for p in settings.token_ignores for m in p.finditer(text)]
    block_spans = [m.span() for p in settings.block_ignores for m in p.finditer(text)]
    if settings.format == "txt":
        return read_plain_text(text, token_ignores=token_spans, block_ignores=block_spans)
    return read_markdown(text, token_ignores=token_spans, block_ignores=block_spans,
                         ignored_scopes=config.ignored_scopes, mdx=settings.mdx)


def lint_text(text: str, name: str, config: ValeConfig) -> list[Finding]:
    settings = config.settings_for(name)
    if settings.format is None:
        raise UsageError(f"{name}: style checks read markdown (.md, .mdx, .markdown) and plain "
                         f"text (.txt), not '{Path(name).suffix or 'no extension'}' files")
    rules = config.active_rules(settings)
    if not rules:
        return []
    doc = read_document(normalize(text), settings, config)
    blocks = list(doc.blocks)
    if any(r.scope.matches(frozenset({"summary", doc.ext}), frozenset()) for r in rules):
        blocks.append(doc.summary())
    if any(r.scope.matches(frozenset({"raw", doc.ext}), frozenset()) for r in rules):
        blocks.append(doc.raw())
    return _Reporter(doc, name).report(blocks, rules)


class _Reporter:
    """Runs rules over blocks and keeps the alerts that make findings."""

    def __init__(self, doc: Document, name: str):
        self.doc = doc
        self.name = name
        self.state = FileState(counts=doc.counts)
        self.seen: set[tuple[int, int, str]] = set()
        self.reported: dict[str, int] = {}
        self.findings: list[Finding] = []

    def report(self, blocks: list[Block], rules: list[Rule]) -> list[Finding]:
        for block in blocks:
            for rule in rules:
                if rule.scope.matches(block.scope, block.parent):
                    for alert in rule.run(block, self.state):
                        self.add(rule, block, alert)
        return sorted(self.findings, key=lambda f: (f.line, f.column, f.rule))

    def add(self, rule: Rule, block: Block, alert: Alert) -> None:
        definition = rule.definition
        if alert.start is None:
            first = last = 0
            line = column = end_line = end_column = 1
        else:
            start = alert.start
            while start < alert.end - 1 and block.text[start] == "\n":
                start += 1
            first, last = block.span(start, alert.end)
            if self.doc.is_masked(first, last) or self.doc.in_quotes(first, last):
                return
            line, column = self.doc.position(first)
            end_line, end_column = self.doc.position(last)
        if silenced(self.doc.controls, first, rule.name, alert.match):
            return
        key = (line, column, rule.name)
        if key in self.seen:
            return
        if definition.limit and self.reported.get(rule.name, 0) >= definition.limit:
            return
        self.seen.add(key)
        self.reported[rule.name] = self.reported.get(rule.name, 0) + 1
        self.findings.append(Finding(
            rule=vale_rule_id(rule.name), severity=VALE_LEVELS[definition.level], path=self.name,
            line=line, column=column, end_line=end_line, end_column=end_column,
            message=whitespace_to_space(alert.message), suggestion=alert.suggestion,
            link=definition.link or None))
