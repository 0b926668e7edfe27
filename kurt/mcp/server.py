"""``kurt mcp``: the workspace as an MCP server over stdio, on the official MCP Python SDK.

Each tool declares its arguments with types and bounds (the SDK publishes them as the
tool's JSON input schema and rejects arguments that do not fit, as a tool error), runs
the matching ``kurt.mcp.tools`` function in a worker thread, and returns its dict as
structured content. A ``KurtError`` becomes a tool error with the CLI's one-line
message; any other exception is a bug, logged on stderr with its traceback, and the
call fails as a tool error while the server keeps serving.

Long operations (add, fetch) report progress with MCP progress notifications and
stop when the client cancels the request: the fetch records what it finished,
releases the rest, and the next call resumes.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Annotated, Any, Literal

import anyio
import anyio.lowlevel
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from mcp_types import CallToolResult, Resource, TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kurt import __version__
from kurt.errors import KurtError, NotFound
from kurt.mcp import tools
from kurt.mcp.guard import MAX_PATH

__all__ = ["build_server", "serve"]

log = logging.getLogger("kurt.mcp")

PROGRESS_EVERY = 0.25  # seconds between progress notifications (the first and last always go)
MAX_COUNT = 10_000  # the largest page or limit a tool accepts
MAX_OFFSET = 1_000_000_000  # far past any workspace: following next_offset never hits a bound

Text = Annotated[str, Field(min_length=1, max_length=MAX_PATH)]
Short = Annotated[str, Field(min_length=1, max_length=200)]
Strings = Annotated[list[Annotated[str, Field(max_length=MAX_PATH)]], Field(max_length=100)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description=(
    "skip this many first; follow next_offset for the rest"))]
Line = Annotated[int, Field(ge=1, le=10_000_000)]

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)

INSTRUCTIONS = """\
Kurt keeps a local, searchable copy of a company's sources (sources/<domain>/<path>.md)
and helps write drafts grounded in them. Start with workspace_status. Find facts with
search (passages with citations such as sources/x.md:12-30) and get_document; cite
every fact as <!-- Source: PATH:START-END -->. Plan with project_status, create
drafts with new_draft, quote evidence with draft_evidence, and run check_draft after
every writing pass. show_topic prints the workflow rules (project-workflow,
find-sources, write-draft, ...)."""


class Filters(BaseModel):
    """The document filters of 'kurt content list' (all must match)."""

    model_config = ConfigDict(extra="forbid")

    statuses: Strings = Field(default_factory=list, description=(
        "NOT_FETCHED, FETCHED, ERROR, SKIPPED or GONE"))
    url_prefix: Annotated[str, Field(max_length=MAX_PATH)] | None = None
    url_contains: Strings = Field(default_factory=list, description="all must be in the URL")
    include: Strings = Field(default_factory=list, description="URL or path globs, e.g. */docs/*")
    exclude: Strings = Field(default_factory=list)
    with_entities: Strings = Field(default_factory=list, description="e.g. Topic:integration")
    content_types: Strings = Field(default_factory=list, description="tutorial, guide, reference...")
    clusters: Strings = Field(default_factory=list)
    domains: Strings = Field(default_factory=list, description="'local' for files")
    changed_since: Annotated[str, Field(max_length=40)] | None = Field(
        None, description="YYYY-MM-DD")
    traffic_trends: list[Literal["rising", "stable", "declining"]] = Field(default_factory=list)


def _filters(value: Filters | None) -> dict | None:
    return value.model_dump() if value is not None else None


class KurtServer(MCPServer):
    """MCPServer whose resource list follows the workspace's files as they come and go."""

    def __init__(self, session: tools.Session, **kwargs):
        super().__init__(**kwargs)
        self.session = session

    async def list_resources(self) -> list[Resource]:
        static = await super().list_resources()
        files = await anyio.to_thread.run_sync(tools.resource_files, self.session)
        return static + [Resource(uri=f.uri, name=f.name, description=f.description,
                                  mime_type="text/markdown") for f in files]

    async def call_tool(self, name, arguments, context=None):
        """As the SDK's, with arguments that do not fit the input schema reported on one line
        (the SDK gives pydantic's multi-line report, with its error-type tags and doc links)."""
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if not isinstance(exc.__cause__, ValidationError):
                raise
            return CallToolResult(content=[TextContent(type="text", text=argument_error(
                name, exc.__cause__))], is_error=True)


def argument_error(tool: str, exc: ValidationError, shown: int = 5) -> str:
    """The arguments pydantic rejected, as one line: where, and what was wrong with each."""
    errors = exc.errors(include_url=False, include_input=False)
    parts = []
    for err in errors[:shown]:
        where = ".".join(str(part) for part in err["loc"]) or "arguments"
        parts.append(f"{where}: {' '.join(str(err['msg']).split())}")
    more = f" (and {len(errors) - shown} more)" if len(errors) > shown else ""
    return (f"Wrong arguments to {tool}: {'; '.join(parts)}{more}: see the tool's input "
            "schema")


def tool_error(exc: KurtError) -> CallToolResult:
    """A Kurt error as the tool's result: is_error, and the CLI's one-line message as is."""
    return CallToolResult(content=[TextContent(type="text", text=exc.message)], is_error=True)


def tool_result(data: dict) -> CallToolResult:
    """A tool's dict as structured content, and as compact JSON text for clients that read the
    text (the SDK's default indents it, a third more characters: Claude Code saves a result
    over 50,000 characters to a file and refuses one over 25,000 tokens)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


async def _settled(session: tools.Session) -> None:
    """Wait until the long calls the client cancelled have stored what they did, so the next
    call sees it (a status right after a cancelled add counts what the add fetched)."""
    await anyio.lowlevel.checkpoint()  # a cancellation just delivered registers first
    while any(not done.is_set() for done in list(session.winding_down)):
        await anyio.sleep(0.02)


async def _run(fn, session: tools.Session, *args, **kwargs):
    """``fn(session, ...)`` in a worker thread; a KurtError becomes a tool error with the same
    message."""
    await _settled(session)
    try:
        return tool_result(await anyio.to_thread.run_sync(lambda: fn(session, *args, **kwargs)))
    except KurtError as exc:
        return tool_error(exc)


async def _run_long(ctx: Context, fn, session: tools.Session, *args, **kwargs):
    """Like ``_run`` for a long operation: progress notifications, and a cancellation stops it.

    The work runs in a worker thread that checks ``stop`` at each document; when the
    client cancels, ``stop`` is set and the server waits (shielded) for the thread to
    wind down, so nothing is left half-written; calls that come meanwhile wait for it too.
    """
    await _settled(session)
    stop, done = threading.Event(), threading.Event()
    last = [0.0]

    def progress(count: int, total: int, message: str) -> None:
        now = time.monotonic()
        if count not in (1, total) and now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        try:
            anyio.from_thread.run(ctx.report_progress, count, total, message)
        except Exception:  # noqa: BLE001 - a lost notification must not stop the work
            log.debug("progress notification not sent", exc_info=True)

    def work():
        try:
            return fn(session, *args, progress=progress, stop=stop, **kwargs)
        finally:
            done.set()

    try:
        return tool_result(await anyio.to_thread.run_sync(work, abandon_on_cancel=True))
    except KurtError as exc:
        return tool_error(exc)
    except anyio.get_cancelled_exc_class():
        stop.set()
        session.winding_down.add(done)
        try:
            with anyio.CancelScope(shield=True):
                while not done.is_set():
                    await anyio.sleep(0.02)
        finally:
            session.winding_down.discard(done)
        raise


def build_server(ws) -> KurtServer:
    """The MCP server for workspace ``ws`` with every tool and resource registered."""
    session = tools.Session(ws)
    server = KurtServer(session, name="kurt", version=__version__, instructions=INSTRUCTIONS,
                        log_level="WARNING")

    @server.tool(annotations=READ_ONLY)
    async def workspace_status() -> dict[str, Any]:
        """The workspace at a glance: documents by status and domain, what is stale, the index,
        projects with their drafts, and the next steps."""
        return await _run(tools.workspace_status, session)

    @server.tool(annotations=READ_ONLY)
    async def search(
        query: Annotated[str, Field(min_length=1, max_length=1000, description=(
            'Words must all match; "exact phrase", OR, -word and prefix* work'))],
        filters: Filters | None = None,
        limit: Annotated[int, Field(ge=1, le=200)] = 10,
        offset: Annotated[int, Field(ge=0, le=MAX_OFFSET, description=(
            "skip this many best passages; follow next_offset for more"))] = 0,
        per_document: Annotated[int, Field(ge=0, le=200, description="0: no cap")] = 2,
        mode: Annotated[Literal["bm25", "semantic", "hybrid"] | None, Field(description=(
            "default: hybrid when kurt.toml [search] semantic is on and passages are "
            "embedded, else bm25"))] = None,
    ) -> dict[str, Any]:
        """Search over fetched content: the best passages, each with its citation
        (path:start-end) to read and cite; next_offset (null on the last page) says when
        more passages match."""
        return await _run(tools.search, session, query, filters=_filters(filters), limit=limit,
                          offset=offset, per_document=per_document, mode=mode)

    @server.tool(annotations=READ_ONLY)
    async def list_documents(
        filters: Filters | None = None,
        sort: Annotated[str, Field(max_length=20, description=(
            "url, title, fetched, changed, discovered, words, status or pageviews; "
            "a leading '-' sorts descending"))] = "url",
        limit: Annotated[int, Field(ge=1, le=MAX_COUNT, description=(
            "rows per page; follow next_offset for the rest"))] = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Documents matching the filters, with total and next_offset (null when this page is
        the last): nothing is left out silently."""
        return await _run(tools.list_documents, session, filters=_filters(filters), sort=sort,
                          limit=limit, offset=offset)

    @server.tool(annotations=READ_ONLY)
    async def get_document(
        ident: Annotated[Text, Field(description="document id, id prefix, URL or path")],
        content: bool = False,
        line_start: Line | None = None,
        line_end: Line | None = None,
        links: Annotated[int, Field(ge=0, le=MAX_COUNT, description=(
            "at most this many links each way; links_out_total and links_in_total count "
            "them all"))] = 50,
    ) -> dict[str, Any]:
        """One document: metadata, headings outline with line ranges, entities, links (the
        first 50 each way, with their counts); with
        content (or a line range) its stored markdown, up to 30,000 characters a call
        (next_line says where to continue)."""
        return await _run(tools.get_document, session, ident, content=content,
                          line_start=line_start, line_end=line_end, links=links)

    @server.tool(annotations=READ_ONLY)
    async def list_entities(
        entity_type: Annotated[str, Field(max_length=100, description=(
            "Topic, Technology, Product, Feature..."))] | None = None,
        filters: Filters | None = None,
        min_docs: Annotated[int, Field(ge=1, le=1_000_000)] = 1,
        limit: Annotated[int, Field(ge=1, le=MAX_COUNT, description=(
            "rows per page; follow next_offset for the rest"))] = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Entities (topics, technologies, products...) with the number of documents that
        mention them, most common first."""
        return await _run(tools.list_entities, session, entity_type=entity_type,
                          filters=_filters(filters), min_docs=min_docs, limit=limit, offset=offset)

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False,
                                             open_world_hint=True))
    async def add_sources(
        sources: Annotated[list[Text], Field(min_length=1, max_length=20, description=(
            "website URLs, or folders and files inside the workspace (or [mcp] allowed_roots)"))],
        ctx: Context,
        include: Strings = [],  # noqa: B006 - pydantic copies defaults
        exclude: Strings = [],  # noqa: B006
        limit: Annotated[int, Field(ge=0, le=1_000_000)] | None = None,
        max_depth: Annotated[int, Field(ge=0, le=20)] | None = None,
        max_pages: Annotated[int, Field(ge=1, le=1_000_000)] | None = None,
    ) -> dict[str, Any]:
        """Map and fetch sources (a website, a folder, a file) and index them; progress comes as
        notifications; cancel to stop (what was fetched is kept; call again to resume)."""
        return await _run_long(ctx, tools.add_sources, session, list(sources), include=include,
                               exclude=exclude, limit=limit, max_depth=max_depth,
                               max_pages=max_pages)

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False,
                                             open_world_hint=True))
    async def fetch_documents(
        ctx: Context,
        filters: Filters | None = None,
        refetch: bool = False,
        limit: Annotated[int, Field(ge=0, le=1_000_000)] | None = None,
    ) -> dict[str, Any]:
        """Fetch documents already known (default: those not fetched yet); refetch asks again
        for fetched ones. Progress and cancellation as add_sources."""
        return await _run_long(ctx, tools.fetch_documents, session, filters=_filters(filters),
                               refetch=refetch, limit=limit)

    @server.tool(annotations=READ_ONLY)
    async def project_status(name: Short | None = None) -> dict[str, Any]:
        """A project's goal, documents by status, open tasks, sources and drafts; without a
        name, every project."""
        return await _run(tools.project_status, session, name)

    @server.tool(annotations=WRITES)
    async def new_draft(
        project: Short,
        template: Short,
        name: Annotated[str, Field(min_length=1, max_length=100, description="e.g. the partner")],
        variables: Annotated[dict[Annotated[str, Field(max_length=100)],
                                  Annotated[str, Field(max_length=2000)]],
                             Field(max_length=50, description="e.g. {\"partner\": \"Stripe\"}")]
        | None = None,
        force: bool = False,
    ) -> dict[str, Any]:
        """Create projects/PROJECT/drafts/<template>-<name>.md with its outline mapped to
        sources (status: outline)."""
        return await _run(tools.new_draft, session, project, template, name,
                          variables=variables, force=force)

    @server.tool(annotations=WRITES)
    async def draft_evidence(
        draft: Annotated[Text, Field(description="draft path or document name")],
        per_section: Annotated[int, Field(ge=1, le=20)] = 3,
    ) -> dict[str, Any]:
        """Quote the most relevant passages of each section's sources into the project's
        research/ folder, and return them."""
        return await _run(tools.draft_evidence, session, draft, per_section=per_section)

    @server.tool(annotations=READ_ONLY)
    async def check_draft(
        targets: Annotated[list[Text], Field(max_length=100, description=(
            "draft paths, draft names or project names (empty: every draft)"))] = [],  # noqa: B006
        rules: Strings = [],  # noqa: B006
        skip: Strings = [],  # noqa: B006
        strict: bool | None = None,
    ) -> dict[str, Any]:
        """Check drafts against their template and sources (as 'kurt draft check'): findings
        with rule, severity, line and message, and a summary."""
        return await _run(tools.check_draft, session, list(targets), rules=rules, skip=skip,
                          strict=strict)

    @server.tool(annotations=READ_ONLY)
    async def template_show(name: Short) -> dict[str, Any]:
        """A format template: its parsed parts (length, outline, headings, placeholders) and text."""
        return await _run(tools.template_show, session, name)

    @server.tool(annotations=READ_ONLY)
    async def show_topic(topic: Short) -> dict[str, Any]:
        """A workflow text the agent rules refer to (project-workflow, profile-workflow,
        find-sources, add-source, write-draft, use-templates, format-templates)."""
        return await _run(tools.show_topic, session, topic)

    _resources(server, session)
    return server


def _resources(server: KurtServer, session: tools.Session) -> None:
    async def read(fn, *args) -> str:
        try:
            return await anyio.to_thread.run_sync(lambda: fn(session, *args))
        except NotFound as exc:
            raise ResourceNotFoundError(exc.message) from None
        except KurtError as exc:
            raise ResourceError(exc.message) from None

    @server.resource("kurt://topics/{name}", mime_type="text/markdown",
                     description="A workflow text (as 'kurt show NAME').")
    async def topic(name: str) -> str:
        return await read(tools.read_topic, name)

    @server.resource("kurt://templates/{name}", mime_type="text/markdown",
                     description="A format template (the workspace copy wins).")
    async def template(name: str) -> str:
        return await read(tools.read_template, name)

    @server.resource("kurt://projects/{project}/plan", mime_type="text/markdown",
                     description="A project's plan.md.")
    async def plan(project: str) -> str:
        return await read(tools.read_plan, project)

    @server.resource("kurt://projects/{project}/drafts/{draft}", mime_type="text/markdown",
                     description="A draft of a project, frontmatter and prose.")
    async def draft(project: str, draft: str) -> str:
        return await read(tools.read_draft, project, draft)


def serve(ws) -> None:
    """Serve ``ws`` over stdio until the client closes the connection."""
    os.chdir(ws.root)  # relative paths in the library mean the workspace's
    build_server(ws).run("stdio")
