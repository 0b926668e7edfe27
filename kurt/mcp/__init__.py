"""Kurt as an MCP server: ``kurt mcp`` serves the workspace to MCP clients over stdio.

- ``register``: the client configuration files ``kurt init`` writes (.mcp.json for
  Claude Code, .cursor/mcp.json for Cursor), merged without clobbering other servers;
- ``guard``: what a tool may touch (the workspace, allowed folders, checked URLs) and
  how hostile arguments become one-line tool errors;
- ``tools``: the tools and resources, each a thin call into the library;
- ``server``: the MCP server built on the official SDK, run over stdio.

Only ``server`` imports the MCP SDK, so ``kurt init`` stays light.
"""
