"""``file/*``: the file can be read as text at all (every other family needs it)."""

from __future__ import annotations


def check(ctx):
    if ctx.unreadable:
        yield ctx.finding("file/unreadable", f"{ctx.rel} cannot be checked: {ctx.unreadable}")
