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
                   "kept": result.kept, "warnings": result.warnings})
        return
    root = result.workspace.root
    if result.created:
        click.echo(f"Kurt workspace ready in {root}")
        for line in _grouped(result.created):
            click.echo(f"  created  {line}")
    else:
        click.echo(f"Kurt workspace already set up in {root}: nothing changed.")
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"Next: {_enter(root)}kurt content add https://docs.example.com   "
               "(or a local folder: kurt content add ./docs)")


def _enter(root: Path) -> str:
    """``cd DIR && `` when the workspace is not the current folder, so the hint runs as printed."""
    import os
    import shlex

    here = Path.cwd().resolve()
    if root == here:
        return ""
    relative = os.path.relpath(root, here)
    shown = relative if not relative.startswith("..") else str(root)
    return f"cd {shlex.quote(shown)} && "


def _grouped(paths: list[str]) -> list[str]:
    """One line per path, except folders with three or more new files: one line each."""
    from collections import defaultdict

    by_folder: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        folder, _, name = path.rpartition("/")
        by_folder[folder].append(name)
    lines, shown = [], set()
    for path in paths:
        folder = path.rpartition("/")[0]
        names = by_folder[folder]
        if folder and len(names) >= 3:
            if folder not in shown:
                shown.add(folder)
                lines.append(f"{folder}/  ({len(names)} files: {', '.join(n.rsplit('.', 1)[0] for n in names[:4])}"
                             f"{', ...' if len(names) > 4 else ''})")
        else:
            lines.append(path)
    return lines
