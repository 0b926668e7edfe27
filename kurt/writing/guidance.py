"""The style guidance a customized template carries: its decided choices and DO/DON'T examples.

Made by ``kurt.writing.customize`` from measured pages, refined by
``kurt.writing.customize_llm``; both read and write these records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Choice:
    label: str
    options: list[str]
    value: str | None  # None: not measurable from pages, left for the user
    measurement: str | None
    refined: bool = False  # value chosen by the LLM (the measurements could not decide)
    reason: str | None = None  # the LLM's reason for a refined value


@dataclass
class Example:
    kind: str  # "do" | "dont"
    sentence: str
    reason: str
    document_id: str | None  # None for a constructed DON'T
    url: str | None
    line: int | None
    constructed: bool = False
    refined: bool = False  # picked by the LLM (a DO is still verified to occur in the pages)
