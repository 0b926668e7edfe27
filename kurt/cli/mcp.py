"""``kurt mcp``: serve the workspace to MCP clients over stdio (kurt.mcp.server)."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app


@click.command()
@pass_app
def mcp(app) -> None:
    """Serve this workspace to MCP clients (Claude Code, Cursor...) over stdio.

    Clients start it themselves: 'kurt init' registers it in .mcp.json (Claude
    Code) and .cursor/mcp.json (Cursor). Tools act only on the workspace;
    see docs/agents.md.

    \b
    Example:
      kurt mcp
      kurt --workspace ~/content mcp
    """
    from kurt.mcp.server import serve

    ws = app.workspace
    ws.open_store().close()  # a missing or damaged database is a one-line error here
    serve(ws)
