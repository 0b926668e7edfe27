"""``kurt draft``: drafts from templates, their evidence, status and citations."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import format_option
from kurt.cli.output import emit_aligned, emit_json, emit_table
from kurt.suggest import command, in_quotes, quote


@click.group()
def draft() -> None:
    """Write from a template: outline with sources -> evidence -> draft -> final.

    \b
    Example:
      kurt draft new launch --template integration-page --name stripe --var partner=Stripe
      kurt draft evidence projects/launch/drafts/integration-page-stripe.md
      kurt draft status projects/launch/drafts/integration-page-stripe.md draft
    """


@draft.command("new")
@click.argument("project")
@click.option("--template", "template", required=True, metavar="NAME",
              help="Format template (see 'kurt template list').")
@click.option("--name", required=True, metavar="NAME", help="Draft name, e.g. the partner: stripe.")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="Fill [Name]/[Name Platform]/[name-name]/{{NAME}} placeholders, e.g. "
                   "partner=Stripe (repeatable).")
@click.option("--force", is_flag=True, help="Replace an existing draft.")
@click.option("--no-sources", is_flag=True, help="Do not propose sources from the corpus.")
@format_option("text", "json", default="text")
@pass_app
def new(app, project: str, template: str, name: str, variables: tuple[str, ...], force: bool,
        no_sources: bool, output_format: str) -> None:
    """Create projects/PROJECT/drafts/<template>-<name>.md with an outline mapped to sources.

    Variables fill the template's placeholders; a support URL or menu path is
    filled only from a source, with its citation. Example lines that now name
    the partner or product are marked [EXAMPLE: ...] until they are rewritten.

    \b
    Example:
      kurt draft new launch --template integration-page --name stripe --var partner=Stripe
    """
    from kurt.writing.drafts import new_draft, parse_variables

    parsed = parse_variables(variables)
    store = None if no_sources else app.store
    result = new_draft(app.workspace, store, project, template, name, parsed, force=force,
                       propose=not no_sources)
    if output_format == "json":
        emit_json(result)
        return
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"Created {result.path} (status: outline)")
    emit_aligned([(e.key, ", ".join(e.sources) if e.sources else "no source found")
                  for e in result.outline])
    from kurt.writing.citations import format_item

    for fact in result.facts:
        click.echo(f"Filled from {format_item(fact.path, fact.line)}: {fact.value}")
    if result.examples:
        click.echo(f"{result.examples} example line(s) marked [EXAMPLE: ...]: rewrite each from the "
                   "sources or delete it ('final' is refused while one is left)", err=True)
    click.echo(f"Next: {command('kurt draft evidence', result.path)}")


@draft.command("evidence")
@click.argument("file")
@click.option("--per-section", default=3, show_default=True, type=int,
              help="Passages to quote per outline section.")
@format_option("text", "json", default="text")
@pass_app
def evidence(app, file: str, per_section: int, output_format: str) -> None:
    """Quote the most relevant passages of each section's sources into research/.

    \b
    Example:
      kurt draft evidence projects/launch/drafts/integration-page-stripe.md
    """
    from kurt.writing.evidence import gather_evidence

    result = gather_evidence(app.workspace, app.store, file, per_section=per_section)
    if output_format == "json":
        emit_json(result)
        return
    click.echo(f"Wrote {result.path}: {result.passage_count} passages")
    emit_aligned([(s.key, f"{len(s.passages)} passages"
                   + (f" ({s.method})" if s.method != "search" else "")) for s in result.sections])
    click.echo("Next: write each section from its quotes, citing them; then "
               f"{command('kurt draft sources', result.draft)}", err=True)


@draft.command("status")
@click.argument("file")
@click.argument("status", type=click.Choice(["outline", "draft", "final"], case_sensitive=False))
@click.option("--force", is_flag=True,
              help="Allow moving back, skipping a step, or 'final' while 'kurt draft check' "
                   "reports errors (recorded as final_forced in the frontmatter).")
@format_option("text", "json", default="text")
@pass_app
def status(app, file: str, status: str, force: bool, output_format: str) -> None:
    """Move a draft to outline, draft or final; plan.md follows.

    Moving forward runs 'kurt draft check' on the draft: 'final' is refused
    while it reports errors (placeholders left, citations that do not resolve,
    missing sections, code that does not parse...), unless --force.

    \b
    Example:
      kurt draft status projects/launch/drafts/integration-page-stripe.md draft
    """
    from kurt.writing.status import set_status

    change = set_status(app.workspace, file, status, force=force, store=app.store)
    if output_format == "json":
        emit_json(change)
        return
    for warning in change.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if change.forced:
        click.echo(f"Forced: {change.document} is final with {change.errors} error(s) left "
                   "(recorded as final_forced in its frontmatter)", err=True)
    elif change.errors:
        click.echo(f"See them with: {command('kurt draft check', change.path)}", err=True)
    if not change.changed:
        click.echo(f"{change.document} is already '{change.new}'")
        return
    click.echo(f"{change.document}: {change.old} -> {change.new}")
    if change.new == "draft":
        click.echo("Next: have the draft reviewed, then "
                   f"{command('kurt draft status', change.path, 'final')}", err=True)
    elif change.new == "final":
        click.echo(f"Next: {command('kurt project show', change.project)}", err=True)


@draft.command("sources")
@click.argument("file")
@format_option("table", "json")
@pass_app
def sources(app, file: str, output_format: str) -> None:
    """Check the <!-- Source: path[:lines] --> citations of a draft against the store.

    A path with spaces is cited between angle brackets: <!-- Source: <sources/a b.md>:8-12 -->.

    \b
    Example:
      kurt draft sources projects/launch/drafts/integration-page-stripe.md
    """
    from kurt.errors import KurtError
    from kurt.writing.citations import line_range
    from kurt.writing.drafts import cited_sources

    report = cited_sources(app.workspace, app.store, file)
    if output_format == "json":
        emit_json({"draft": report.draft, "citations": report.citations,
                   "inventory": report.inventory, "uncited": report.uncited,
                   "uninventoried": report.uninventoried,
                   "unresolved": [c.cited for c in report.unresolved],
                   "changed": [c.cited for c in report.changed]})
    else:
        rows = [{"line": c.line, "path": c.path, "status": c.status, "id": c.document_id,
                 "lines": line_range(c.line_start, c.line_end) if c.line_start else ""}
                for c in report.citations]
        emit_table(rows, [("line", "LINE"), ("path", "CITED PATH"), ("lines", "LINES"),
                          ("status", "STATUS"), ("id", "DOCUMENT")],
                   empty="No <!-- Source: ... --> citations yet.")
        for path in report.uncited:
            click.echo(f"Not cited yet: {path}: cite it where you use it, or drop it with "
                       + in_quotes(command("kurt draft remove-source", report.draft, "all", path)),
                       err=True)
        for path in report.uninventoried:
            click.echo(f"Cited but not in the frontmatter sources: {path}: add it with "
                       + in_quotes(command("kurt draft add-source", report.draft) + " SECTION "
                                   + quote(path)), err=True)
        for c in report.changed:
            click.echo(f"Changed since evidence: {c.path} (line {c.line}): re-read it, or run "
                       + in_quotes(command("kurt draft evidence", report.draft)) + " again",
                       err=True)
        for c in report.citations:
            if c.fix:
                click.echo(f"Line {c.line}: {c.cited} is a path with spaces: write it "
                           f"<!-- Source: {c.fix} -->", err=True)
    if report.unresolved:
        raise KurtError(f"{len(report.unresolved)} citation(s) do not resolve (not ingested, "
                        "lines out of range, or a path with spaces not written <PATH>): fix the "
                        "path or range, or ingest the document with 'kurt content add'")


@draft.command("add-source")
@click.argument("file")
@click.argument("section")
@click.argument("documents", nargs=-1, required=True, metavar="DOC...")
@click.option("--purpose", metavar="TEXT", help="Why these documents are sources (kept in the inventory and plan).")
@format_option("text", "json", default="text")
@pass_app
def add_source(app, file: str, section: str, documents: tuple[str, ...], purpose: str | None,
               output_format: str) -> None:
    """Add ingested documents (id, URL or path) to an outline section's sources.

    \b
    Example:
      kurt draft add-source projects/launch/drafts/integration-page-stripe.md setup-guide \\
          sources/docs.example.com/docs/integrations/stripe.md --purpose "CLI setup steps"
    """
    from kurt.writing.draft_sources import add_source as run

    result = run(app.workspace, app.store, file, section, list(documents), purpose)
    if output_format == "json":
        emit_json(result)
        return
    for ref in result.added:
        click.echo(f"Added {ref.path} to {result.section}")
    for ref in result.already:
        click.echo(f"Already a source of {result.section}: {ref.path}")
    if result.plan_updated:
        click.echo("plan.md: Sources of Ground Truth updated")


@draft.command("remove-source")
@click.argument("file")
@click.argument("section")
@click.argument("document", metavar="DOC")
@format_option("text", "json", default="text")
@pass_app
def remove_source(app, file: str, section: str, document: str, output_format: str) -> None:
    """Take a document out of an outline section's sources (and the inventory when unused).

    SECTION 'all' takes it out of every section and out of the inventory.

    \b
    Example:
      kurt draft remove-source projects/launch/drafts/integration-page-stripe.md use-cases \\
          sources/docs.example.com/guides/payments.md
      kurt draft remove-source projects/launch/drafts/integration-page-stripe.md all 3f2a9c1b07de
    """
    from kurt.writing.draft_sources import remove_source as run

    result = run(app.workspace, app.store, file, section, document)
    if output_format == "json":
        emit_json(result)
        return
    where = "every section" if result.section == "all" else result.section
    for ref in result.removed:
        click.echo(f"Removed {ref.path} from {where}")
    for path in result.inventory_removed:
        click.echo(f"No section uses {path} any more: removed from the sources inventory")


@draft.command("list")
@click.argument("project", required=False)
@format_option("table", "json")
@pass_app
def list_(app, project: str | None, output_format: str) -> None:
    """List drafts with template, status, sections with and without sources, and word count.

    \b
    Example:
      kurt draft list launch
      kurt draft list --format json
    """
    from kurt.writing.drafts import list_drafts

    rows = list_drafts(app.workspace, project)
    if output_format == "json":
        from kurt.paging import page_of

        emit_json(page_of(rows).to_dict("drafts"))
        return
    table = [{**vars(r), "sections": f"{r.sections_with_sources}/{r.sections}",
              "empty": ", ".join(r.empty_sections)} for r in rows]
    emit_table(table, [("project", "PROJECT"), ("document", "DOCUMENT"), ("template", "TEMPLATE"),
                       ("status", "STATUS"), ("sections", "WITH SOURCES"), ("words", "WORDS"),
                       ("empty", "NO SOURCE")],
               empty="No drafts yet: create one with 'kurt draft new PROJECT --template T --name N'")


from kurt.cli.draft_check import check as _check  # noqa: E402 - the group's module stays light

draft.add_command(_check)
