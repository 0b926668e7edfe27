"""``kurt init``: lay out a workspace."""

from __future__ import annotations

from pathlib import Path

import click

from kurt.cli.options import format_option
from kurt.cli.output import emit_json


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@format_option("table", "json", default="table")
def init(directory: Path, output_format: str) -> None:
    """Create a Kurt workspace in DIRECTORY (default: here). Safe to run twice.

    \b
    Example:
      kurt init my-content && cd my-content
    """
    from kurt.workspace import init_workspace

    result = init_workspace(directory)
    if output_format == "json":
        emit_json({"workspace": str(result.workspace.root), "created": result.created,
                   "kept": result.kept})
        return
    root = result.workspace.root
    if result.created:
        click.echo(f"Kurt workspace ready in {root}")
        for path in result.created:
            click.echo(f"  created  {path}")
    else:
        click.echo(f"Kurt workspace already set up in {root}: nothing changed.")
    click.echo("Next: kurt content add https://docs.example.com   (or: kurt content map folder PATH)")
