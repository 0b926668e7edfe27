"""Rendering results: readable tables for people, stable JSON and CSV for scripts."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass

import click


def to_jsonable(value):
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def emit_json(data) -> None:
    """Write ``data`` as indented JSON on stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=to_jsonable))


def emit_error(code: str, message: str, *, as_json: bool, **extra) -> None:
    """An error on stderr: ``Error: message`` for people, or with ``--format json`` one line
    ``{"error": {"code": ..., "message": ...}}`` (codes: ``kurt.errors.ERROR_CODES``)."""
    if as_json:
        error = {"code": code, "message": message, **extra}
        click.echo(json.dumps({"error": error}, ensure_ascii=False, default=to_jsonable), err=True)
    else:
        click.echo(f"Error: {message}", err=True)


def emit_note(page, noun: str) -> None:
    """On stderr, when a page is not the whole listing: ``showing 1-50 of 67 <noun> (...)``."""
    note = page.note(noun)
    if note:
        click.echo(note, err=True)


def emit_csv(rows: Sequence[dict], columns: Sequence[str]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})


def emit_table(
    rows: Sequence[dict],
    columns: Sequence[tuple[str, str]],
    *,
    empty: str = "Nothing to show.",
    max_width: int | None = None,
) -> None:
    """A plain aligned table: ``columns`` is a list of (key, header). The widest column shrinks to fit."""
    if not rows:
        click.echo(empty, err=True)
        return
    width = max_width or shutil.get_terminal_size((140, 24)).columns
    cells = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    headers = [header for _, header in columns]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    while sum(widths) + 2 * (len(widths) - 1) > width:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= 12:
            break
        widths[widest] -= 1
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        click.echo("  ".join(_fit(c, w) for c, w in zip(row, widths, strict=True)).rstrip())


def emit_lines(lines: Iterable[str]) -> None:
    for line in lines:
        click.echo(line)


def emit_aligned(pairs: Sequence[tuple[str, str]], *, indent: str = "  ") -> None:
    """Indented ``key  value`` lines, each key padded to the widest one."""
    width = max((len(key) for key, _ in pairs), default=0)
    for key, value in pairs:
        click.echo(f"{indent}{key:<{width}}  {value}")


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value).replace("\n", " ")


def _fit(text: str, width: int) -> str:
    if len(text) <= width:
        return text.ljust(width)
    return text[: max(width - 1, 0)] + "…"
