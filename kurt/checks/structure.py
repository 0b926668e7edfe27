"""``structure/*``: the body follows its template, and nothing of the template is left in it.

The template's section headings (its ``##`` headings) must be in the body, in
the template's order; every outline section must have a heading that writes
it; and the prose must hold nothing left from the template: placeholders
(``[Partner]``, ``{{PLACEHOLDER}}``, ``[X] minutes``, ``YYYY-MM-DD``), open
choices (``[Beginner / Intermediate / Advanced]``), ``[EXAMPLE: ...]`` text,
``TODO``. Code, inline code and comments are not prose; markdown links,
reference links, footnotes and task boxes are not placeholders.
"""

from __future__ import annotations

import re

from kurt.checks.context import outline_key_for, stems

_TODO = re.compile(r"\b(TODO|TBD|FIXME)\b")
_REFERENCE = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*\S", re.MULTILINE)
_CHOICE = re.compile(r"\s/\s|\s\|\s")
_NUMBER = re.compile(r"^\[(?:X|N|#|\d+)\]$")
_EXAMPLE = re.compile(r"\[EXAMPLE: (?:[^\[\]\n]|\[[^\[\]\n]*\])*\]")


def check(ctx):
    if not ctx.is_draft:
        return
    yield from _sections(ctx)
    yield from _leftovers(ctx)


# -- sections --------------------------------------------------------------------------

def _normal(heading: str) -> str:
    text = re.sub(r"\[[^\]]*\]|\{\{[^}]*\}\}", " ", heading.lower()).replace("&", " and ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def heading_matches(wanted: str, heading: str) -> bool:
    """Whether a body heading writes the template heading ``wanted`` (same words, or all of
    its words among the heading's: 'Setup Guide' is written by 'Setup guide for Stripe')."""
    if _normal(wanted) == _normal(heading):
        return True
    need = stems(_normal(wanted))
    return bool(need) and need <= stems(_normal(heading))


def _sections(ctx):
    template = ctx.template
    headings = ctx.body.headings
    if template is None:
        return
    found: list[tuple[str, int]] = []  # (template heading, index among the body headings)
    for wanted in template.required_headings:
        # a section heading of the template is a level-2 heading: look there first
        index = next((i for i, h in enumerate(headings)
                      if h.level <= 2 and heading_matches(wanted, h.text)), None)
        if index is None:
            index = next((i for i, h in enumerate(headings) if heading_matches(wanted, h.text)),
                         None)
        if index is None:
            line = _insert_line(ctx, template.required_headings, wanted, headings)
            yield ctx.finding("structure/required-section",
                              f"the template's section '## {wanted}' is missing: add it "
                              f"(template {template.name})", (line, 1))
        else:
            found.append((wanted, index))
    keep = _increasing(found)
    for position, (_wanted, index) in enumerate(found):
        if position in keep:
            continue
        heading = headings[index]
        after = next((w for p, (w, _i) in enumerate(found) if p > position and p in keep), None)
        where = f"before '{after}'" if after else "later"
        yield ctx.finding("structure/section-order",
                          f"'{heading.text}' is out of the template's order: move it {where}",
                          (heading.line, heading.column, heading.line,
                           heading.column + len(heading.text) - 1))
    covered = {outline_key_for(h.text, [i.key for i in ctx.outline]) for h in headings}
    for item in ctx.outline:
        if item.key in covered:
            continue
        if any(stems(item.key) and stems(item.key) <= stems(h.text) for h in headings):
            continue
        yield ctx.finding("structure/outline-coverage",
                          f"the outline section '{item.key}' ({item.purpose}) has no heading in "
                          "the body: write it, or take it out of the outline", item.where)


def _insert_line(ctx, wanted_order: list[str], wanted: str, headings) -> int:
    """Where a missing section belongs: the line of the next template section present."""
    later = wanted_order[wanted_order.index(wanted) + 1:]
    for name in later:
        for h in headings:
            if heading_matches(name, h.text):
                return h.line
    lines = ctx.body.lines  # none comes after it: the end of the draft
    last = len(lines)
    while last > ctx.body.first_line and not lines[last - 1].strip():
        last -= 1
    return last


def _increasing(found: list[tuple[str, int]]) -> set[int]:
    """Positions of ``found`` in a longest run of increasing body positions (in order)."""
    n = len(found)
    if n == 0:
        return set()
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if found[j][1] < found[i][1] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    i = max(range(n), key=lambda k: (best[k], -k))
    keep = set()
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


# -- what is left from the template --------------------------------------------------------

def _span(ctx, start: int, end: int) -> tuple[int, int, int, int]:
    line, column = ctx.body.position(start)
    end_line, end_column = ctx.body.position(max(end - 1, start))
    return line, column, end_line, end_column


def _leftovers(ctx):
    from kurt.writing.template_parse import placeholder_spans

    body = ctx.body
    prose = body.prose
    labels = {m.group(1).strip().lower() for m in _REFERENCE.finditer(prose)}
    examples = [(m.start(), m.end()) for m in _EXAMPLE.finditer(body.without_comments)]
    for start, end in examples:
        yield ctx.finding("structure/example",
                          "example text from the template: rewrite it from the sources, or "
                          "delete it", _span(ctx, start, end))
    for start, end, token in placeholder_spans(prose):
        if any(s <= start < e for s, e in examples):
            continue
        if not _is_placeholder(token, prose, start, end, labels):
            continue
        inner = token[1:-1].strip() if token.startswith("[") else token
        if token.startswith("[") and _CHOICE.search(inner) and not token.startswith("[EXAMPLE"):
            options = [o.strip() for o in re.split(r"\s[/|]\s", inner) if o.strip()]
            yield ctx.finding("structure/choice",
                              f"a choice left open from the template: {token}: keep the one "
                              f"that applies (e.g. '{options[0]}') and delete the others",
                              _span(ctx, start, end))
        elif _NUMBER.match(token):
            yield ctx.finding("structure/placeholder",
                              f"a number left to fill in: {token}: write the value the sources "
                              "give", _span(ctx, start, end))
        elif token == "YYYY-MM-DD":
            yield ctx.finding("structure/placeholder",
                              "a date left to fill in: YYYY-MM-DD: write the real date",
                              _span(ctx, start, end))
        else:
            yield ctx.finding("structure/placeholder",
                              f"placeholder left from the template: {token}: write what it "
                              "stands for (from the sources), or delete it",
                              _span(ctx, start, end))
    for match in _TODO.finditer(prose):
        yield ctx.finding("structure/todo",
                          f"'{match.group(1)}' left in the prose: finish it or delete it",
                          _span(ctx, match.start(), match.end()))


def _is_placeholder(token: str, prose: str, start: int, end: int, labels: set[str]) -> bool:
    if not token.startswith("["):
        return True  # {{NAME}}, YYYY-MM-DD
    inner = token[1:-1].strip()
    if not inner or inner.startswith(("^", "!")) or inner.isdigit():
        return False  # footnote, GitHub alert ([!NOTE]), numbered reference
    if inner.lower() in labels:
        return False  # a reference link: [text] with a [text]: URL definition
    after = prose[end:end + 1]
    if after == "[":
        return False  # [text][ref]: a reference link
    line_start = prose.rfind("\n", 0, start) + 1
    if after == ":" and not prose[line_start:start].strip() and start - line_start <= 3:
        return False  # a reference definition: [text]: URL
    before = prose[start - 1:start] if start else ""
    return before != "!"
