"""``frontmatter/*``: the draft's YAML frontmatter holds what Kurt and the other checks need.

Required keys, an allowed ``status``, a ``format_template`` that names a template
that exists and parses, real dates, and every outline section of the template
in the draft's outline.
"""

from __future__ import annotations

import datetime as _dt

from kurt.writing.draft_file import STATUSES

REQUIRED = ("project", "document", "format_template", "created", "status", "outline")
DATE_KEYS = ("created", "updated", "date", "published", "last_updated")
HINTS = {
    "project": "the project's name (its folder under projects/)",
    "document": "the draft's name, e.g. integration-page-stripe",
    "format_template": "the template's path, e.g. kurt/templates/formats/integration-page.md",
    "created": "the date, written YYYY-MM-DD",
    "status": "outline, draft or final",
    "outline": "one entry per section, with its purpose and sources",
}


def check(ctx):
    if ctx.unreadable:
        return
    if not ctx.has_frontmatter:
        yield ctx.finding(
            "frontmatter/missing",
            f"{ctx.rel} has no frontmatter, so it is not a Kurt draft: create drafts with "
            "'kurt draft new PROJECT --template T --name N' (to check only its style: "
            "kurt draft check --rule style FILE)")
        return
    if ctx.frontmatter_error is not None:
        exc = ctx.frontmatter_error
        line = getattr(exc, "line", None) or 1
        yield ctx.finding("frontmatter/invalid", getattr(exc, "problem", str(exc)), (line, 1))
        return
    data = ctx.frontmatter
    yield from _required(ctx, data)
    yield from _status(ctx, data)
    yield from _template(ctx, data)
    yield from _dates(ctx, data)
    yield from _outline_sections(ctx, data)


def _empty(value) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def _required(ctx, data: dict):
    first = ctx.yaml_first_line or 1
    for key in REQUIRED:
        if key not in data:
            yield ctx.finding("frontmatter/required-key",
                              f"'{key}' is missing from the frontmatter: add '{key}:' with "
                              f"{HINTS[key]}", (first, 1))
        elif _empty(data[key]):
            yield ctx.finding("frontmatter/required-key",
                              f"'{key}' is empty: give it {HINTS[key]}", ctx.key_span(key))
    outline = data.get("outline")
    if outline is not None and not _empty(outline) and not isinstance(outline, dict):
        yield ctx.finding("frontmatter/required-key",
                          "'outline' must map each section name to its purpose and sources",
                          ctx.value_span("outline"))


def _status(ctx, data: dict):
    status = data.get("status")
    if status is None or _empty(status):
        return
    if str(status).strip().lower() not in STATUSES:
        yield ctx.finding("frontmatter/status",
                          f"status '{status}' is not one of {', '.join(STATUSES)}: set it with "
                          f"'kurt draft status {ctx.rel} draft'", ctx.value_span("status"))


def _template(ctx, data: dict):
    if _empty(data.get("format_template")):
        return
    template, problem = ctx.template_result
    if template is None:
        yield ctx.finding("frontmatter/template", f"format_template: {problem}",
                          ctx.value_span("format_template"))


def _is_date(value) -> bool:
    if isinstance(value, _dt.date):
        return True
    text = str(value).strip()
    try:
        if len(text) == 10:
            _dt.date.fromisoformat(text)
        else:
            _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _dates(ctx, data: dict):
    for key, value in data.items():
        name = str(key)
        if name not in DATE_KEYS and not name.endswith("_date"):
            continue
        if _empty(value) or _is_date(value):
            continue
        shown = str(value)
        hint = "fill it in" if "YYYY" in shown.upper() else "write a real date"
        yield ctx.finding("frontmatter/date",
                          f"{name}: '{shown}' is not a date: {hint} as YYYY-MM-DD, e.g. "
                          f"{_dt.date.today().isoformat()}", ctx.value_span(name))


def _outline_sections(ctx, data: dict):
    template = ctx.template
    if template is None or not isinstance(data.get("outline"), dict):
        return
    from kurt.writing.names import slugify

    present = {slugify(item.key) for item in ctx.outline}
    for section in template.outline:
        if slugify(section.key) not in present:
            yield ctx.finding("frontmatter/outline-section",
                              f"the template's outline section '{section.key}' ({section.purpose}) "
                              "is not in the draft's outline: add it under 'outline:', or "
                              "silence this if the draft leaves it out on purpose",
                              ctx.key_span("outline"))
