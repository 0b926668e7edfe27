"""``length/*``: the prose (code and comments left out) is within the template's word range.

A template gives its range in its overview (``**Length:** 1000-1500 words``);
``[checks] length_tolerance`` (default 0.1) lets a draft miss it by that
fraction before it is reported.
"""

from __future__ import annotations


def check(ctx):
    if not ctx.is_draft:
        return
    template = ctx.template
    if template is None or template.length is None:
        return
    low, high = template.length
    tolerance = max(float(getattr(ctx.config, "length_tolerance", 0.1) or 0.0), 0.0)
    words = ctx.body.words
    floor, ceiling = int(low * (1 - tolerance)), int(round(high * (1 + tolerance)))
    line = ctx.first_line
    shown = f"{low:,}-{high:,} words ({template.name})"
    if words < floor:
        yield ctx.finding("length/too-short",
                          f"{words:,} words of prose (code left out); the template asks for "
                          f"{shown}: write at least {floor - words:,} more from the sources",
                          (line, 1))
    elif words > ceiling:
        yield ctx.finding("length/too-long",
                          f"{words:,} words of prose (code left out); the template asks for "
                          f"{shown}: cut at least {words - ceiling:,}", (line, 1))
