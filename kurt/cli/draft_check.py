"""``kurt draft check``: check drafts against their template and their sources."""

from __future__ import annotations

import os
import sys

import click

from kurt.cli.app import pass_app


@click.command("check")
@click.argument("targets", nargs=-1, metavar="[FILE|PROJECT|FOLDER]...")
@click.option("--rule", "rules", multiple=True, metavar="RULE",
              help="Run only these rules: a family (style) or an id (structure/placeholder); "
                   "repeatable or comma-separated.")
@click.option("--skip", "skip", multiple=True, metavar="RULE",
              help="Do not run these rules (families or ids); repeatable or comma-separated.")
@click.option("--format", "output_format", default="text", show_default=True,
              type=click.Choice(["text", "json", "sarif", "github", "line"], case_sensitive=False),
              help="text for people; json for scripts; sarif and github for CI; line is "
                   "Vale's path:line:col:rule:message.")
@click.option("--strict/--no-strict", default=None,
              help="Fail (exit 1) on warnings too, not only errors. Default: kurt.toml [checks].")
@click.option("--check-links/--no-check-links", default=None,
              help="Also request external links (politely, once each). Default: kurt.toml.")
@click.option("--judge", default="offline", show_default=True,
              type=click.Choice(["offline", "llm"], case_sensitive=False),
              help="llm: the LLM of kurt.toml [llm] re-checks the sentences grounding/claim "
                   "is unsure about.")
@click.option("--jobs", type=click.IntRange(min=0), default=None, metavar="N",
              help="Processes checking several drafts side by side (0: one per core; 1: "
                   "one). Default: kurt.toml [checks] jobs (0).")
@pass_app
def check(app, targets: tuple[str, ...], rules: tuple[str, ...], skip: tuple[str, ...],
          output_format: str, strict: bool | None, check_links: bool | None,
          judge: str, jobs: int | None) -> None:
    """Check drafts against their template and sources; never changes a draft.

    With no argument, every draft of the workspace. Exit status: 1 when there
    are errors (with --strict, warnings too), 2 on a usage error, else 0.
    Silence one finding with a comment in the draft, e.g.
    <!-- kurt: ignore style/banned-phrase --> before the paragraph.
    Rules and their ids: docs/checks.md.

    \b
    Example:
      kurt draft check projects/launch/drafts/integration-page-stripe.md
      kurt draft check launch --format json
      kurt draft check --rule style README.md
      kurt draft check --skip style,links --strict --format github
      kurt draft check launch --judge llm
    """
    from kurt.checks.formats import render
    from kurt.checks.runner import CheckOptions, needs_store
    from kurt.checks.runner import check as run

    ws = app.workspace
    llm_judge = None
    if judge.lower() == "llm":
        from kurt.checks.grounding.judge import LLMJudge

        llm_judge = LLMJudge.from_workspace(ws)
    options = CheckOptions(rules=rules, skip=skip, check_links=check_links, strict=strict,
                           judge=llm_judge,
                           jobs=ws.config.checks.jobs if jobs is None else jobs)
    store = app.store if needs_store(options, ws.config.checks) else None
    report = run(ws, targets, options, store=store)
    from kurt.checks.results import record_results

    record_results(ws, report, options)  # kurt status shows it while the draft is unchanged
    fmt = output_format.lower()
    color = fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = render(report, fmt, ws.root, color=color)
    if text:
        click.echo(text, color=color)
    for notice in report.notices if fmt != "json" else ():  # JSON: under "notices"
        click.echo(f"Note: {notice}", err=True)
    if fmt == "json" and report.exit_code:  # the contract: a non-zero exit has its JSON error
        from kurt.cli.output import emit_error

        failing = (f"{report.errors} error(s)" if report.errors
                   else f"{report.warnings} warning(s) (--strict)")
        emit_error("failed", f"{failing} found: see \"findings\" on stdout", as_json=True)
    if fmt == "text" and report.findings and sys.stderr.isatty():
        click.echo("Silence a finding the draft means with <!-- kurt: ignore RULE --> "
                   "(docs/checks.md)", err=True)
    click.get_current_context().exit(report.exit_code)
