"""A page of a listing: the items shown, how many there are in all, where the next page starts.

Every listing Kurt prints with ``--format json`` is a page (docs/json.md): the
reader always learns whether it saw everything, so nothing is cut silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int | None  # None: not counted (ranked results); ``more`` then says if more exist
    limit: int | None = None  # None: no limit was asked for
    offset: int = 0
    more: bool = False  # items exist after these (used when ``total`` is None)

    @property
    def end(self) -> int:
        return self.offset + len(self.items)

    @property
    def next_offset(self) -> int | None:
        """The --offset of the next page; None when these are the last items."""
        if self.total is not None:
            return self.end if self.end < self.total else None
        return self.end if self.more else None

    @property
    def complete(self) -> bool:
        """True when the page holds every item (nothing skipped before, nothing after)."""
        return self.offset == 0 and self.next_offset is None

    def to_dict(self, key: str, **extra) -> dict:
        """``{**extra, total, limit, offset, next_offset, key: items}``: the counts come
        first, so a reader that cuts a long output still sees them."""
        return {**extra, "total": self.total, "limit": self.limit, "offset": self.offset,
                "next_offset": self.next_offset, key: self.items}

    def note(self, noun: str) -> str | None:
        """``showing 1-50 of 67 documents (...)`` when the page is not everything, else None."""
        if self.complete:
            return None
        if not self.items:
            return f"No {noun} after offset {self.offset}" + (
                f" (there are {self.total})" if self.total is not None else "") + "."
        of = f" of {self.total}" if self.total is not None else ""
        more = "" if self.next_offset is None else f"; next: --offset {self.next_offset}"
        return (f"showing {self.offset + 1}-{self.end}{of} {noun} "
                f"(use --limit and --offset for more{more})")


def page_of(items: list[T], limit: int | None = None, offset: int = 0) -> Page[T]:
    """The page ``offset``..``offset + limit`` of a list held whole."""
    chosen = items[offset:] if limit is None else items[offset:offset + limit]
    return Page(chosen, len(items), limit, offset)


def probed_page(items: list[T], limit: int | None, offset: int = 0) -> Page[T]:
    """A page from up to ``offset + limit + 1`` ranked items (best first), uncounted: the one
    past the page, when present, says that more exist."""
    if limit is None:
        return Page(items[offset:], len(items), None, offset)
    chosen = items[offset:offset + limit]
    more = len(items) > offset + limit
    return Page(chosen, None if more else len(items), limit, offset, more=more)

