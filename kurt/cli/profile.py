"""``kurt profile``: create, update or show the company profile (kurt/profile.md)."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import format_option
from kurt.cli.output import emit_json


@click.command()
@click.option("--company", metavar="NAME", help="Company name.")
@click.option("--website", metavar="URL", help="Company website.")
@click.option("--docs-url", metavar="URL", help="Documentation site.")
@click.option("--blog-url", metavar="URL", help="Blog.")
@click.option("--product", "products", multiple=True, metavar="NAME",
              help="A product name (repeatable; the first is the main one). Replaces the list.")
@click.option("--audience", metavar="TEXT", help="Who the content is for.")
@click.option("--voice", metavar="TEXT", help="How the content sounds.")
@format_option("text", "json", default="text")
@pass_app
def profile(app, company, website, docs_url, blog_url, products, audience, voice,
            output_format) -> None:
    """Create or update the company profile, or show it when given no options.

    \b
    Example:
      kurt profile --company Railway --website https://railway.com \\
        --product Railway --audience "Developers shipping apps" --voice "Direct, practical"
      kurt profile
    """
    from kurt.errors import NotFound
    from kurt.writing.profile import load_profile, save_profile

    ws = app.workspace
    values = dict(company=company, website=website, docs_url=docs_url, blog_url=blog_url,
                  products=list(products) or None, audience=audience, voice=voice)
    result = None
    if any(v is not None for v in values.values()):
        result = save_profile(ws, **values)
        current = result.profile
    else:
        current = load_profile(ws)
        if current is None:
            raise NotFound("No profile yet: create it with 'kurt profile --company NAME "
                           "--website URL --product NAME --audience \"...\" --voice \"...\"'")
    stale = None
    if result is not None and {"company", "products"} & set(result.changed):
        from kurt.index.pipeline import vocabulary_changed

        if vocabulary_changed(ws, app.store):  # the profile's names are entities of the index
            stale = ("The index is stale now (the profile's company and products are in its"
                     " vocabulary): run 'kurt content index'.")
    if output_format == "json":
        data = current.to_dict()
        data["path"] = ws.relative(ws.profile_path)
        if result is not None:
            data.update(created=result.created, changed=result.changed,
                        kept_sections=result.kept_sections)
        data["notes"] = [stale] if stale else []
        emit_json(data)
        return
    if result is not None:
        verb = "Created" if result.created else ("Updated" if result.changed else "Unchanged:")
        fields = f" ({', '.join(result.changed)})" if result.changed and not result.created else ""
        click.echo(f"{verb} {ws.relative(ws.profile_path)}{fields}", err=True)
        for heading in result.kept_sections:
            click.echo(f"Kept your edited '{heading}' section: update its text by hand.", err=True)
        if stale:
            click.echo(stale, err=True)
    rows = [("Company", current.company), ("Website", current.website), ("Docs", current.docs_url),
            ("Blog", current.blog_url), ("Products", ", ".join(current.products) or None),
            ("Audience", current.audience), ("Voice", current.voice)]
    for label, value in rows:
        click.echo(f"{label + ':':<10} {value if value else '-'}")
