"""docs/cli.md is the CLI reference generated from --help; it must match the code."""

from pathlib import Path

from kurt.cli.reference import render_reference

REPO = Path(__file__).resolve().parents[2]


def test_cli_reference_is_up_to_date():
    checked_in = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert checked_in == render_reference(), (
        "docs/cli.md is stale: run 'python -m kurt.cli.reference > docs/cli.md'"
    )


def test_every_command_has_help_and_an_example():
    import click

    from kurt.cli import cli
    from kurt.cli.reference import walk

    for path, command, _ in walk(cli, ("kurt",)):
        assert command.help, f"{' '.join(path)} has no help"
        if not isinstance(command, click.Group):
            assert "Example" in command.help, f"{' '.join(path)} has no Example block"
