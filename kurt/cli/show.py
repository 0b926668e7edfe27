"""``kurt show [TOPIC]``: the workflow texts the agent rules refer to (see kurt.topics)."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import format_option
from kurt.cli.output import emit_json, emit_table


@click.command()
@click.argument("topic", required=False)
@format_option("text", "json", default="text")
@pass_app
def show(app, topic: str | None, output_format: str) -> None:
    """Print a workflow text (the same as its rule file), or list the topics.

    'format-templates' lists this workspace's format templates (as
    'kurt template list'). Works outside a workspace too (shipped texts).

    \b
    Example:
      kurt show
      kurt show project-workflow
      kurt show format-templates --format json
    """
    from kurt.topics import FORMAT_TEMPLATES, list_topics, read_topic

    ws = _workspace_or_none(app)
    if topic is None:
        topics = list_topics()
        if output_format == "json":
            from kurt.paging import page_of

            items = [{"name": t.name, "description": t.description} for t in topics]
            emit_json(page_of(items).to_dict("topics"))
        else:
            emit_table([t.__dict__ for t in topics], [("name", "TOPIC"), ("description", "WHAT")])
            click.echo("Print one with: kurt show TOPIC", err=True)
        return
    if topic.strip().lower() == FORMAT_TEMPLATES and output_format == "json" and ws is not None:
        from kurt.cli.template import render_template_list

        render_template_list(app, "json")  # the same list as 'kurt template list --format json'
        return
    found = read_topic(topic, ws)
    if output_format == "json":
        emit_json(found)
        return
    if found.origin == "workspace":
        click.echo(f"(your edited copy: kurt/rules/{found.name}.md)", err=True)
    click.echo(found.text, nl=not found.text.endswith("\n"))


def _workspace_or_none(app):
    """The workspace when there is one; the shipped texts serve outside any workspace."""
    from kurt.errors import WorkspaceNotFound

    try:
        return app.workspace
    except WorkspaceNotFound:
        if app.workspace_option:
            raise
        return None
