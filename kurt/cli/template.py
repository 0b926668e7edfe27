"""``kurt template``: list, show, copy, update and customize format templates."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import document_filter_options, format_option
from kurt.cli.output import emit_json, emit_table
from kurt.suggest import command, in_quotes

LIST_COLUMNS = [("name", "NAME"), ("origin", "ORIGIN"), ("length", "LENGTH"),
                ("customized", "CUSTOMIZED"), ("modified", "EDITED"), ("title", "TITLE")]


@click.group()
def template() -> None:
    """Format templates: the anatomy of every page you write.

    \b
    Examples:
      kurt template list
      kurt template show integration-page --format json
      kurt template customize integration-page --url-contains /integrations/
    """


def render_template_list(app, output_format: str) -> None:
    """Shared by ``kurt template list`` and ``kurt show format-templates``."""
    from kurt.writing.templates import list_templates

    infos = list_templates(app.workspace)
    if output_format == "json":
        from kurt.paging import page_of

        emit_json(page_of([info.to_dict() for info in infos]).to_dict("templates"))
        return
    rows = []
    for info in infos:
        row = info.to_dict()
        row["length"] = f"{info.length[0]}-{info.length[1]} words" if info.length else None
        if info.error:
            row["title"] = f"BROKEN: {info.error}"
        rows.append(row)
    emit_table(rows, LIST_COLUMNS, empty="No templates: run 'kurt init' to install them.")


@template.command("list")
@format_option("table", "json")
@pass_app
def list_command(app, output_format: str) -> None:
    """List format templates (workspace copies win over built-ins).

    \b
    Example:
      kurt template list --format json
    """
    render_template_list(app, output_format)


@template.command()
@click.argument("name")
@format_option("text", "json", default="text")
@pass_app
def show(app, name: str, output_format: str) -> None:
    """Show a template: its text, or its parsed parts with --format json.

    \b
    Example:
      kurt template show integration-page --format json
    """
    from kurt.writing.templates import load_template

    tpl = load_template(app.workspace, name)
    if output_format == "json":
        emit_json(tpl.to_dict())
    else:
        click.echo(tpl.text, nl=not tpl.text.endswith("\n"))


@template.command()
@click.argument("name")
@click.option("--from", "source", required=True, metavar="EXISTING",
              help="The template to copy (built-in or workspace).")
@format_option("text", "json", default="text")
@pass_app
def new(app, name: str, source: str, output_format: str) -> None:
    """Create template NAME as a copy of an existing one, to edit.

    \b
    Example:
      kurt template new partner-page --from integration-page
    """
    from kurt.writing.templates import new_template

    path = new_template(app.workspace, name, source=source)
    if output_format == "json":
        emit_json({"name": name, "path": app.workspace.relative(path), "from": source})
        return
    click.echo(f"Created {app.workspace.relative(path)} from '{source}': edit it, then "
               + in_quotes(command("kurt template show", name)))


@template.command()
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--diff", "show_diff", is_flag=True,
              help="For each kept (edited) copy, show how the built-in changed since it was installed.")
@format_option("table", "json")
@pass_app
def update(app, dry_run: bool, show_diff: bool, output_format: str) -> None:
    """Refresh unedited template copies from the built-ins; edited ones are kept.

    \b
    Example:
      kurt template update --dry-run
      kurt template update --dry-run --diff
    """
    from kurt.writing.templates import update_templates

    report = update_templates(app.workspace, dry_run=dry_run, diff=show_diff)
    if output_format == "json":
        emit_json({"dry_run": report.dry_run,
                   "templates": [vars(e) for e in report.entries]})
        return
    emit_table([vars(e) for e in report.entries],
               [("name", "NAME"), ("action", "ACTION"), ("path", "PATH")])
    for entry in report.entries:
        if entry.diff_note is None:
            continue
        click.echo(f"\n{entry.path}: {entry.diff_note}")
        if entry.diff:
            click.echo(entry.diff, nl=False)
    verb = "would be" if dry_run else "were"
    click.echo(f"{report.count('updated')} updated, {report.count('added')} added, "
               f"{report.count('kept-edited')} kept (edited), {report.count('unchanged')} "
               f"unchanged ({'dry run: nothing written' if dry_run else 'done'}).", err=True)
    if report.count("kept-edited"):
        hint = "" if show_diff else ": add --diff to see what changed in the built-ins"
        click.echo(f"Edited copies {verb} kept as they are{hint}.", err=True)


@template.command()
@click.argument("name")
@document_filter_options()
@click.option("--from-search", "query", metavar="QUERY",
              help="Pick pages among the search results for QUERY.")
@click.option("--pages", default=3, show_default=True, type=int,
              help="How many pages to learn the style from.")
@click.option("--dry-run", is_flag=True, help="Print the new Style Guidelines; write nothing.")
@click.option("--force", is_flag=True, help="Re-customize an already customized template.")
@click.option("--llm", "use_llm", is_flag=True,
              help="Refine the measured result with the LLM of kurt.toml [llm] (undecided "
                   "choices, DO/DON'T picks, a voice summary). A failed request keeps the "
                   "measured result and warns.")
@format_option("text", "json", default="text")
@pass_app
def customize(app, name: str, flt, query: str | None, pages: int, dry_run: bool, force: bool,
              use_llm: bool, output_format: str) -> None:
    """Fill a template's Style Guidelines from 2-3 pages of your corpus.

    \b
    Example:
      kurt template customize integration-page --url-contains /integrations/
      kurt template customize documentation-tutorial --from-search "tutorial"
      kurt template customize blog-post --url-contains /blog/ --llm
    """
    from kurt.writing.customize import customize_template

    llm = None
    if use_llm:
        from kurt.writing.customize_llm import client_for_customize

        llm = client_for_customize(app.workspace)
    report = customize_template(app.workspace, app.store, name, flt=flt, query=query,
                                pages=pages, dry_run=dry_run, force=force, llm=llm)
    if output_format == "json":
        emit_json(report)  # its llm outcome holds what _warn_llm says
        return
    _warn_llm(report.llm)
    if dry_run:
        click.echo("## Style Guidelines" + "\n" + report.section)
        click.echo(f"Dry run: {report.path} was not changed. Check the pages under "
                   f"'Customized from', then run it again without --dry-run.", err=True)
        return
    click.echo(f"Customized {report.path} from {len(report.pages)} pages:")
    for page in report.pages:
        click.echo(f"  {page.document_id}  {page.url}")
    for choice in report.choices:
        if choice.value:
            click.echo(f"  {choice.label}: {choice.value}"
                       + (" (refined by LLM)" if choice.refined else ""))
    if report.llm is not None and report.llm.status == "refined":
        o = report.llm
        click.echo(f"Refined by {o.model}: {o.refined_choices} choices, {o.refined_do} DO, "
                   f"{o.refined_dont} DON'T" + (", voice summary" if o.voice_summary else ""))
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(f"Next: {command('kurt template show', name)}", err=True)


def _warn_llm(outcome) -> None:
    if outcome is None:
        return
    if outcome.status == "failed":
        click.echo(f"Warning: LLM refinement failed ({outcome.message}); kept the result "
                   "measured from the pages, run again with --llm --force to retry.", err=True)
    for rejected in outcome.rejected:
        click.echo(f"Warning: rejected LLM pick: {rejected}", err=True)
