"""Vale scopes: which blocks of a document a rule reads.

A block carries a dotted scope such as ``text.heading.h2.md`` (a level-2
heading of a markdown file), ``sentence.md`` or ``text.list.md``, and the
scope of the block it sits in (its parent). A rule's ``scope`` is a list of
alternatives; one alternative is a ``&``-joined list of selectors, each a
dotted name that the block's scope must contain (``heading``, ``heading.h1``,
``table.cell``) or, with ``~``, one its parent must not contain
(``sentence & ~list``: sentences outside list items). A negated selector never
matches the ``raw`` or ``summary`` blocks, which have no parent.
"""

from __future__ import annotations

from dataclasses import dataclass

# The scope names of the blocks Kurt builds from a document (see kurt.checks.vale.markdown).
BUILT = frozenset({
    "text", "heading", "h1", "h2", "h3", "h4", "h5", "h6", "paragraph", "sentence", "list",
    "table", "header", "cell", "attr", "alt", "link", "strong", "emphasis", "raw", "summary",
    "md", "txt",
})


@dataclass(frozen=True)
class Selector:
    parts: frozenset[str]
    negated: bool

    @classmethod
    def parse(cls, text: str) -> Selector:
        text = text.strip()
        negated = text.startswith("~")
        parts = text.lstrip("~").strip().split(".")
        return cls(frozenset(p.strip() for p in parts if p.strip()), negated)


@dataclass(frozen=True)
class Scope:
    alternatives: tuple[tuple[Selector, ...], ...]
    source: tuple[str, ...]

    @classmethod
    def parse(cls, value: str | list[str] | None) -> Scope:
        if value is None or value == "" or value == []:
            value = ["text"]
        if isinstance(value, str):
            value = [value]
        alternatives = []
        for item in value:
            alternatives.append(tuple(Selector.parse(part) for part in str(item).split("&")))
        return cls(tuple(alternatives), tuple(str(v) for v in value))

    def matches(self, scope: frozenset[str], parent: frozenset[str]) -> bool:
        sized = "raw" in scope or "summary" in scope
        for selectors in self.alternatives:
            for selector in selectors:
                if selector.negated:
                    if sized or selector.parts <= parent:
                        break
                elif not selector.parts <= scope:
                    break
            else:
                return True
        return False

    def names(self) -> set[str]:
        """Every scope name the rule mentions."""
        return {part for alt in self.alternatives for sel in alt for part in sel.parts}

    def never_built(self) -> set[str]:
        """Scope names the rule asks for that Kurt never builds (``blockquote``, ``code``, ...)."""
        return {part for alt in self.alternatives for sel in alt if not sel.negated
                for part in sel.parts} - BUILT
