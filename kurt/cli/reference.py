"""The CLI reference (docs/cli.md), generated from the commands' own --help.

``python -m kurt.cli.reference > docs/cli.md`` regenerates it; a test checks
that the checked-in file matches, so the docs stay in step with the code.
"""

from __future__ import annotations

import click


def walk(command: click.Command, path: tuple[str, ...], ctx: click.Context | None = None):
    """Yield (path, command, context) for a command and all its subcommands, depth first."""
    ctx = click.Context(command, info_name=path[-1], parent=ctx)
    yield path, command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, (*path, name), ctx)


def render_reference() -> str:
    from kurt.cli import cli

    parts = [
        "# Kurt CLI reference",
        "",
        "Generated from `--help` by `python -m kurt.cli.reference > docs/cli.md`; do not edit by hand.",
        "",
    ]
    for path, command, ctx in walk(cli, ("kurt",)):
        heading = "#" * min(len(path) + 1, 4)
        parts.append(f"{heading} `{' '.join(path)}`")
        parts.append("")
        with ctx:
            formatter = ctx.make_formatter()
            formatter.width = 100
            command.format_help(ctx, formatter)
            text = formatter.getvalue().rstrip()
        parts.append("```text")
        parts.append(text)
        parts.append("```")
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    click.echo(render_reference(), nl=False)
