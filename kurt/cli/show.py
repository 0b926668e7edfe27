"""``kurt show``: read-only overviews of what the workspace holds."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import format_option


@click.group()
def show() -> None:
    """Show what the workspace offers.

    \b
    Example:
      kurt show format-templates
    """


@show.command("format-templates")
@format_option("table", "json")
@pass_app
def format_templates(app, output_format: str) -> None:
    """List format templates (same as 'kurt template list').

    \b
    Example:
      kurt show format-templates --format json
    """
    from kurt.cli.template import render_template_list

    render_template_list(app, output_format)
