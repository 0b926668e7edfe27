"""``kurt mcp`` driven by the MCP SDK's own client over a real stdio subprocess.

The package is tests/kurt_mcp, not tests/mcp: with tests/ not a package, a folder
named mcp would shadow the SDK itself.

Each test starts the installed ``kurt mcp`` in a real workspace that holds local
folder content (a subset of the railway docs) ingested by the library, as
``kurt content add ./folder`` would.
"""

from __future__ import annotations

import json
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests.conftest import RAILWAY_CORPUS, kurt_command, run_kurt

SUBSET = ["docs/integrations.md", "docs/ai/agent-integrations/slack.md",
          "docs/ai/agent-integrations/discord.md", "docs/observability/webhooks.md",
          "docs/networking/domains.md", "guides/cron-jobs.md"]
REQUIRED_TOOLS = {"search", "list_documents", "get_document", "list_entities", "add_sources",
                  "fetch_documents", "project_status", "new_draft", "draft_evidence",
                  "check_draft", "template_show", "workspace_status", "show_topic"}


def _copy_subset(target: Path) -> None:
    for rel in SUBSET:
        source = RAILWAY_CORPUS / rel
        if not source.exists():
            source = next(RAILWAY_CORPUS.rglob(Path(rel).name))
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / rel)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A workspace with the subset ingested from its own folder material/, and a project."""
    from kurt.ingest.add import add_sources
    from kurt.workspace import init_workspace
    from kurt.writing.projects import create_project

    ws = init_workspace(tmp_path_factory.mktemp("mcp") / "ws").workspace
    _copy_subset(ws.root / "material")
    store = ws.open_store()
    report = add_sources(ws, store, [str(ws.root / "material")])
    assert report.fetch.new == len(SUBSET)
    store.close()
    create_project(ws, "launch", "Integration pages")
    return ws


@asynccontextmanager
async def connect(root: Path):
    command = kurt_command()
    params = StdioServerParameters(command=command[0], args=[*command[1:], "mcp"], cwd=str(root),
                                   env={"NO_COLOR": "1"})
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


def drive(root: Path, scenario) -> None:
    """Run ``scenario(session)`` against a fresh ``kurt mcp`` subprocess."""
    async def main():
        async with connect(root) as session:
            await scenario(session)

    anyio.run(main)


def text_of(result) -> str:
    return "".join(block.text for block in result.content if getattr(block, "text", None))


async def ok(session, tool: str, arguments: dict | None = None, **kwargs) -> dict:
    result = await session.call_tool(tool, arguments or {}, **kwargs)
    assert not result.is_error, text_of(result)
    return result.structured_content


async def error(session, tool: str, arguments: dict) -> str:
    result = await session.call_tool(tool, arguments)
    assert result.is_error, f"{tool}({arguments}) should fail: {result.structured_content}"
    return text_of(result)


def test_every_tool_has_an_input_schema_and_structured_output(served):
    async def scenario(session):
        listed = (await session.list_tools()).tools
        names = {tool.name for tool in listed}
        assert REQUIRED_TOOLS <= names
        for tool in listed:
            assert tool.input_schema["type"] == "object", tool.name
            assert tool.output_schema is not None, tool.name
            assert tool.description, tool.name
        search = next(t for t in listed if t.name == "search")
        assert search.input_schema["required"] == ["query"]

    drive(served.root, scenario)


def test_search_returns_passages_with_citations_that_resolve(served):
    async def scenario(session):
        data = await ok(session, "search", {"query": "webhook", "limit": 3})
        assert data["count"] == len(data["hits"]) > 0
        hit = data["hits"][0]
        path, lines = hit["citation"].rsplit(":", 1)
        start, _, end = lines.partition("-")
        text = (served.root / path).read_text(encoding="utf-8").splitlines()
        assert int(start) <= int(end or start) <= len(text)
        assert hit["content_path"] == path and path.startswith("sources/local/")

    drive(served.root, scenario)


def test_search_says_when_more_passages_match_and_pages_on(served):
    async def scenario(session):
        every = await ok(session, "search", {"query": "webhook", "limit": 200, "per_document": 0})
        assert every["next_offset"] is None and every["total"] == len(every["hits"]) > 2
        first = await ok(session, "search", {"query": "webhook", "limit": 2, "per_document": 0})
        assert len(first["hits"]) == 2 and first["next_offset"] == 2 and first["total"] is None
        rest = await ok(session, "search", {"query": "webhook", "limit": 200, "per_document": 0,
                                            "offset": first["next_offset"]})
        assert rest["next_offset"] is None and rest["total"] == every["total"]
        assert [h["citation"] for h in first["hits"] + rest["hits"]] == [
            h["citation"] for h in every["hits"]]

    drive(served.root, scenario)


def test_list_documents_pages_carry_total_and_next_offset(served):
    async def scenario(session):
        first = await ok(session, "list_documents", {"limit": 2})
        assert first["total"] == len(SUBSET) and first["next_offset"] == 2
        seen, offset = [], 0
        while offset is not None:
            page = await ok(session, "list_documents", {"limit": 4, "offset": offset})
            seen += [doc["id"] for doc in page["documents"]]
            offset = page["next_offset"]
        assert len(set(seen)) == len(SUBSET)
        everything = await ok(session, "list_documents", {"limit": 100})
        assert everything["next_offset"] is None and len(everything["documents"]) == len(SUBSET)
        assert "greater than or equal to 1" in await error(session, "list_documents", {"limit": 0})
        filtered = await ok(session, "list_documents", {
            "filters": {"url_contains": ["agent-integrations"], "statuses": ["FETCHED"]}})
        assert filtered["total"] == 2

    drive(served.root, scenario)


def test_get_document_gives_outline_and_a_line_range(served):
    async def scenario(session):
        listed = await ok(session, "list_documents", {"filters": {"url_contains": ["webhooks"]}})
        doc = listed["documents"][0]
        data = await ok(session, "get_document", {"ident": doc["id"]})
        assert data["document"]["id"] == doc["id"] and data["outline"]
        assert "content" not in data
        part = await ok(session, "get_document", {"ident": doc["content_path"], "line_start": 2,
                                                  "line_end": 4})
        lines = (served.root / doc["content_path"]).read_text(encoding="utf-8").splitlines(True)
        assert part["content"] == "".join(lines[1:4])
        assert part["line_count"] == len(lines) and part["next_line"] is None
        whole = await ok(session, "get_document", {"ident": doc["id"], "content": True})
        assert whole["content"] == "".join(lines)

    drive(served.root, scenario)


def test_list_entities_counts_documents(served):
    async def scenario(session):
        data = await ok(session, "list_entities", {"limit": 5})
        assert data["total"] >= len(data["entities"]) > 0
        assert all(e["documents"] >= 1 for e in data["entities"])

    drive(served.root, scenario)


def test_kurt_errors_are_tool_errors_with_the_cli_message(served):
    cli = run_kurt("content", "get", "no-such-document", cwd=served.root)
    assert cli.exit_code == 1

    async def scenario(session):
        message = await error(session, "get_document", {"ident": "no-such-document"})
        assert f"Error: {message}" == cli.stderr.strip()
        message = await error(session, "template_show", {"name": "integration-pag"})
        assert message.startswith("No template named 'integration-pag': did you mean")

    drive(served.root, scenario)


HOSTILE = [
    ("check_draft", {"targets": ["../../../etc/passwd"]}, "outside the workspace"),
    ("check_draft", {"targets": ["/etc"]}, "outside the workspace"),
    ("draft_evidence", {"draft": "projects/../../../../etc/hosts"}, "outside the workspace"),
    ("check_draft", {"targets": [".env"]}, "is not a project or draft name"),
    ("check_draft", {"targets": ["kurt/../.kurt/kurt.db"]}, "outside the workspace (or hidden)"),
    ("check_draft", {"targets": [".."]}, "is not a project or draft name"),
    ("add_sources", {"sources": ["/etc"]}, "outside the workspace"),
    ("add_sources", {"sources": ["~"]}, "outside the workspace"),
    ("add_sources", {"sources": ["material/../../.."]}, "outside the workspace"),
    ("add_sources", {"sources": ["https://user:secret@docs.example.com/"]}, "user name or password"),
    ("add_sources", {"sources": ["http://169.254.169.254/latest/meta-data/"]}, "Refused"),
    ("add_sources", {"sources": ["http://127.0.0.1:9/"]}, "Refused"),
    ("add_sources", {"sources": ["file:///etc/passwd"]}, "unsupported URL scheme"),
    ("new_draft", {"project": "../x", "template": "integration-page", "name": "a"},
     "is not a project name"),
    ("project_status", {"name": "../../etc"}, "is not a project name"),
    ("list_documents", {"limit": 10**30}, "less than or equal"),
    ("list_documents", {"limit": "ten"}, "valid integer"),
    ("list_documents", {"filters": {"bogus": 1}}, "Extra inputs are not permitted"),
    ("list_documents", {"filters": {"changed_since": "yesterday"}}, "is not a date"),
    ("list_documents", {"sort": "bogus"}, "Unknown sort"),
    ("search", {"query": "x" * 5000}, "at most 1000 characters"),
    ("search", {"query": "a", "limit": -1}, "greater than or equal"),
    ("search", {"query": '"unbalanced'}, ""),
    ("get_document", {"ident": "x", "line_start": 0}, "greater than or equal"),
    ("get_document", {"ident": "\x00/etc/passwd"}, "No document"),
    ("add_sources", {"sources": "material"}, "valid list"),
    ("add_sources", {"sources": ["m"] * 21}, "at most 20 items"),
    ("no_such_tool", {}, "Unknown tool"),
]


def test_hostile_arguments_are_tool_errors_and_the_server_keeps_serving(served):
    async def scenario(session):
        for tool, arguments, expected in HOSTILE:
            result = await session.call_tool(tool, arguments)
            if tool == "search" and arguments["query"] == '"unbalanced':
                continue  # a query that parses is fine either way; it must not crash
            assert result.is_error, f"{tool}({arguments}) did not fail"
            assert expected in text_of(result), f"{tool}({arguments}): {text_of(result)}"
            assert "\n" not in text_of(result).strip(), f"{tool}: not one line: {text_of(result)}"
            assert "[type=" not in text_of(result) and "validation error for" not in text_of(result)
        status = await ok(session, "workspace_status")
        assert status["documents"] == len(SUBSET)

    drive(served.root, scenario)
    assert not (served.root.parent / "x").exists()


def test_add_folder_reports_progress_notifications(served):
    extra = served.root / "material-extra"
    for i in range(12):
        (extra / f"note-{i}.md").parent.mkdir(parents=True, exist_ok=True)
        (extra / f"note-{i}.md").write_text(f"# Note {i}\n\nAbout widget {i}.\n", encoding="utf-8")
    seen = []

    async def scenario(session):
        async def on_progress(progress, total, message):
            seen.append((progress, total, message))

        data = await ok(session, "add_sources", {"sources": ["material-extra"]},
                        progress_callback=on_progress)
        assert data["fetch"]["new"] == 12
        again = await ok(session, "add_sources", {"sources": ["material-extra"]})
        assert again["fetch"]["selected"] == 0 and again["already_fetched"] == 12

    drive(served.root, scenario)
    assert seen and seen[-1][0] == seen[-1][1] == 12
    assert "Adding" in seen[0][2]


def test_cancelling_an_add_stops_it_and_the_next_call_resumes(tmp_path):
    from kurt.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws").workspace
    folder = ws.root / "big"
    folder.mkdir()
    n = 400
    for i in range(n):
        (folder / f"page-{i:04d}.md").write_text(f"# Page {i}\n\n" + "Words here. " * 50 + "\n",
                                                 encoding="utf-8")

    async def scenario(session):
        with anyio.CancelScope() as scope:
            async def on_progress(progress, total, message):
                if progress >= 20:  # some pages done (the first notice may come before any)
                    scope.cancel()  # as a client does when the user stops the call

            await session.call_tool("add_sources", {"sources": ["big"]},
                                    progress_callback=on_progress)
        assert scope.cancelled_caught
        status = await ok(session, "workspace_status")  # the server is still serving
        fetched = status["by_status"].get("FETCHED", 0)
        assert 0 < fetched < n, fetched
        again = await ok(session, "workspace_status")
        assert again["by_status"] == status["by_status"]  # the cancelled add had stored it all
        data = await ok(session, "add_sources", {"sources": ["big"]})
        assert data["already_fetched"] == fetched  # the status said what the cancelled add did
        assert data["already_fetched"] + data["fetch"]["new"] == n

    drive(ws.root, scenario)
    store = ws.open_store()
    try:
        assert store.query_one("SELECT COUNT(*) FROM documents WHERE status = 'FETCHED'")[0] == n
        assert store.query_one("SELECT COUNT(*) FROM documents WHERE lease_until IS NOT NULL")[0] == 0
    finally:
        store.close()


def test_folders_outside_need_allowed_roots(served, tmp_path):
    outside = tmp_path / "company-docs"
    outside.mkdir()
    (outside / "handbook.md").write_text("# Handbook\n\nThe release train leaves on Tuesdays.\n",
                                         encoding="utf-8")

    async def refused(session):
        assert "[mcp] allowed_roots" in await error(session, "add_sources",
                                                    {"sources": [str(outside)]})

    drive(served.root, refused)
    config = served.root / "kurt.toml"
    original = config.read_text(encoding="utf-8")
    assert "\n[mcp]\n" in original
    config.write_text(original.replace("\n[mcp]\n", f'\n[mcp]\nallowed_roots = ["{outside}"]\n'),
                      encoding="utf-8")

    async def allowed(session):
        data = await ok(session, "add_sources", {"sources": [str(outside / "handbook.md")]})
        assert data["fetch"]["new"] == 1

    try:
        drive(served.root, allowed)
    finally:
        config.write_text(original, encoding="utf-8")


def test_draft_tools_follow_the_workflow(served):
    async def scenario(session):
        project = await ok(session, "project_status", {"name": "launch"})
        assert project["name"] == "launch" and project["drafts"] == []
        created = await ok(session, "new_draft", {"project": "launch", "template": "integration-page",
                                                  "name": "slack", "variables": {"partner": "Slack"}})
        assert created["path"] == "projects/launch/drafts/integration-page-slack.md"
        assert (served.root / created["path"]).is_file()
        evidence = await ok(session, "draft_evidence", {"draft": created["path"]})
        assert (served.root / evidence["path"]).is_file()
        checked = await ok(session, "check_draft", {"targets": ["integration-page-slack"]})
        assert checked["files"] == [created["path"]]
        assert checked["summary"]["errors"] > 0  # an outline still holds the template's placeholders
        assert any(f["rule"].startswith("structure/") for f in checked["findings"])
        shown = await ok(session, "template_show", {"name": "integration-page"})
        assert shown["name"] == "integration-page"
        assert shown["text"].startswith("# Integration Page Template")
        listed = await ok(session, "project_status")
        assert [p["name"] for p in listed["projects"]] == ["launch"]
        topic = await ok(session, "show_topic", {"topic": "write-draft"})
        assert topic["text"] == (served.root / "kurt/rules/write-draft.md").read_text(encoding="utf-8")

    drive(served.root, scenario)


def test_resources_list_templates_plans_and_drafts(served):
    async def scenario(session):
        listed = {str(r.uri) for r in (await session.list_resources()).resources}
        assert "kurt://templates/integration-page" in listed
        assert "kurt://projects/launch/plan" in listed
        assert "kurt://topics/project-workflow" in listed
        topic = await session.read_resource("kurt://topics/find-sources")
        assert topic.contents[0].text == (served.root / "kurt/rules/find-sources.md").read_text(
            encoding="utf-8")
        plan = await session.read_resource("kurt://projects/launch/plan")
        assert plan.contents[0].text == (served.root / "projects/launch/plan.md").read_text(
            encoding="utf-8")
        template = await session.read_resource("kurt://templates/blog-post")
        assert template.contents[0].text == (
            served.root / "kurt/templates/formats/blog-post.md").read_text(encoding="utf-8")
        drafts = [uri for uri in listed if "/drafts/" in uri]
        for uri in drafts:
            text = (await session.read_resource(uri)).contents[0].text
            assert text.startswith("---")
        for bad in ("kurt://projects/..%2F..%2Fetc/plan", "kurt://projects/nope/plan",
                    "kurt://templates/NOT_A_NAME"):
            with pytest.raises(Exception):  # noqa: B017 - the SDK raises its protocol error type
                await session.read_resource(bad)

    drive(served.root, scenario)


def test_kurt_mcp_outside_a_workspace_is_a_one_line_error(tmp_path):
    result = run_kurt("mcp", cwd=tmp_path)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "kurt init" in result.stderr
    assert json.dumps(result.stdout) == '""'


def test_add_a_website_when_kurt_toml_allows_private_urls(tmp_path):
    """A real site on 127.0.0.1: refused by default (a model named it), added once allowed."""
    from kurt.sample_site import load_markdown_site, serve
    from kurt.workspace import init_workspace

    _copy_subset(tmp_path / "site")
    ws = init_workspace(tmp_path / "ws").workspace
    with serve(load_markdown_site(tmp_path / "site")) as running:
        url = running.base_url.rstrip("/") + "/docs/"

        async def refused(session):
            assert "allow_private_urls" in await error(session, "add_sources", {"sources": [url]})

        drive(ws.root, refused)
        config = ws.config_path
        config.write_text(config.read_text(encoding="utf-8").replace(
            "allow_private_urls = false", "allow_private_urls = true"), encoding="utf-8")
        seen = []

        async def allowed(session):
            async def on_progress(progress, total, message):
                seen.append(progress)

            data = await ok(session, "add_sources", {"sources": [url]}, progress_callback=on_progress)
            assert data["mapped"][0]["kind"] == "web"
            assert data["fetch"]["new"] == sum(1 for rel in SUBSET if rel.startswith("docs/"))
            found = await ok(session, "search", {"query": "webhook"})
            assert found["hits"] and found["hits"][0]["url"].startswith(running.base_url.rstrip("/"))

        drive(ws.root, allowed)
    assert seen


def test_search_modes_as_the_cli(served):
    async def scenario(session):
        default = await ok(session, "search", {"query": "webhook"})
        assert default["mode"] == "bm25" and default["notes"] == []
        hybrid = await ok(session, "search", {"query": "webhook", "mode": "hybrid"})
        assert hybrid["mode"] == "hybrid" and hybrid["hits"]
        assert "no embedding yet" in hybrid["notes"][0]  # nothing is embedded in this workspace
        assert "Input should be" in await error(session, "search", {"query": "a", "mode": "magic"})

    drive(served.root, scenario)


WEIRD = [None, -1, 10**40, "", "x" * 10_000, "../../../../etc/passwd", "\x00",
         {"a": {"b": [1]}}, ["../x"] * 3]


def test_every_tool_survives_wrong_and_hostile_values_of_every_argument(served):
    """Each argument of each tool gets values of the wrong type, out of range or hostile: the
    answer is a result or a tool error, never a crash (the SDK's bare 'Error executing
    tool NAME' is what an unexpected exception gives), and the server keeps serving."""
    crashes, multiline, calls = [], [], 0

    async def scenario(session):
        nonlocal calls
        for tool in (await session.list_tools()).tools:
            properties = tool.input_schema.get("properties", {})
            base = {name: "x" for name in tool.input_schema.get("required", [])}
            if tool.name in ("add_sources", "check_draft"):
                base = {key: ["x"] for key in base}
            for name in properties:
                for value in WEIRD:
                    calls += 1
                    result = await session.call_tool(tool.name, {**base, name: value})
                    text = text_of(result)
                    if result.is_error and text.strip() == f"Error executing tool {tool.name}":
                        crashes.append((tool.name, name, repr(value)[:40]))
                    if result.is_error and "\n" in text.strip():
                        multiline.append((tool.name, name, repr(value)[:40], text[:200]))
        assert (await ok(session, "workspace_status"))["documents"] >= len(SUBSET)

    drive(served.root, scenario)
    assert calls > 250
    assert crashes == []
    assert multiline == []  # a tool error is one line, as the CLI's
    assert not (served.root.parent / "x").exists()


def test_links_leading_out_of_the_workspace_are_refused(tmp_path):
    """A draft, plan, template, rule or source file that is a link to a file elsewhere (from a
    shared repository, say) is never read or written through a tool."""
    from kurt.ingest.add import add_sources
    from kurt.workspace import init_workspace
    from kurt.writing.projects import create_project

    ws = init_workspace(tmp_path / "ws").workspace
    (ws.root / "notes").mkdir()
    (ws.root / "notes/page.md").write_text("# Page\n\nWidgets.\n", encoding="utf-8")
    store = ws.open_store()
    add_sources(ws, store, [str(ws.root / "notes")])
    content_path = store.query_one("SELECT content_path FROM documents")[0]
    store.close()
    create_project(ws, "launch", "Pages")
    (ws.root / "projects/.obsidian").mkdir()  # an editor's folder: not a project, not refused
    (ws.root / "projects/.obsidian/app.json").write_text("{}", encoding="utf-8")

    async def fine(session):
        assert (await ok(session, "workspace_status"))["projects"][0]["name"] == "launch"
        assert (await ok(session, "project_status"))["projects"][0]["name"] == "launch"

    drive(ws.root, fine)
    secret = tmp_path / "secret.md"
    secret.write_text("---\nstatus: zanzibar\n---\n# zanzibar-secret\n", encoding="utf-8")
    links = [ws.root / "projects/launch/drafts/stolen.md", ws.root / "kurt/rules/write-draft.md",
             ws.root / "kurt/templates/formats/blog-post.md", ws.root / content_path]
    for link in links:
        link.parent.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        link.symlink_to(secret)

    async def scenario(session):
        for tool, arguments in [
            ("check_draft", {"targets": ["stolen"]}), ("check_draft", {}),
            ("project_status", {"name": "launch"}), ("workspace_status", {}),
            ("new_draft", {"project": "launch", "template": "integration-page", "name": "a"}),
            ("show_topic", {"topic": "write-draft"}), ("template_show", {"name": "blog-post"}),
            ("get_document", {"ident": content_path, "content": True}),
        ]:
            message = await error(session, tool, arguments)
            assert "leads outside the workspace" in message and "zanzibar" not in message, tool
        for uri in ("kurt://projects/launch/drafts/stolen", "kurt://projects/launch/plan",
                    "kurt://topics/write-draft", "kurt://templates/blog-post"):
            with pytest.raises(Exception, match="leads outside the workspace"):
                await session.read_resource(uri)
        found = await ok(session, "search", {"query": "zanzibar"})
        assert found["hits"] == []
        listed = {str(r.uri): r.description for r in (await session.list_resources()).resources}
        assert "leads outside the workspace" in listed["kurt://templates/blog-post"]
        assert "zanzibar" not in json.dumps(listed)
        assert "leads outside" in await error(session, "show_topic", {"topic": "format-templates"})

    drive(ws.root, scenario)
    assert not (ws.root / "projects/launch/drafts/integration-page-a.md").exists()
    assert secret.read_text(encoding="utf-8").startswith("---\nstatus: zanzibar")


def test_following_next_offset_never_meets_a_bound(served):
    """An offset past 10,000 (page 101 of a 30,000-document workspace at the default limit) is
    a page like any other, not an argument error."""
    async def scenario(session):
        for tool, arguments, key in [("list_documents", {}, "documents"),
                                     ("list_entities", {}, "entities"),
                                     ("search", {"query": "webhook"}, "hits")]:
            data = await ok(session, tool, {**arguments, "offset": 20_000})
            assert data[key] == [] and data["next_offset"] is None, tool

    drive(served.root, scenario)


def test_results_are_compact_and_listed_documents_are_summaries(served):
    """The text of a result is the structured content as compact JSON, and a listed document
    is a summary (get_document gives the rest), so a default page stays small enough for
    clients that limit a result's size (Claude Code: 50,000 characters, 25,000 tokens)."""
    from kurt.mcp.tools import LISTED

    async def scenario(session):
        result = await session.call_tool("list_documents", {})
        text = text_of(result)
        assert json.loads(text) == result.structured_content and "\n" not in text
        documents = result.structured_content["documents"]
        assert documents and all(list(doc) == list(LISTED) for doc in documents)
        assert len(text) < 400 * len(documents)
        full = await ok(session, "get_document", {"ident": documents[0]["id"]})
        assert full["document"]["content_hash"] and full["document"]["source_kind"] == "file"

    drive(served.root, scenario)


def test_a_long_document_comes_in_parts_that_join_up(tmp_path):
    from kurt.ingest.add import add_sources
    from kurt.mcp.tools import MAX_CONTENT_CHARS
    from kurt.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws").workspace
    (ws.root / "notes").mkdir()
    body = "".join(f"Line {i} of a long reference page about queues and workers.\n"
                   for i in range(3000))
    (ws.root / "notes/long.md").write_text("# Long page\n\n" + body, encoding="utf-8")
    store = ws.open_store()
    add_sources(ws, store, [str(ws.root / "notes")])
    content_path = store.query_one("SELECT content_path FROM documents")[0]
    store.close()
    stored = (ws.root / content_path).read_text(encoding="utf-8")
    assert len(stored) > 2 * MAX_CONTENT_CHARS

    async def scenario(session):
        parts, line = [], 1
        while line is not None:
            part = await ok(session, "get_document", {"ident": content_path, "line_start": line})
            assert len(part["content"]) <= MAX_CONTENT_CHARS and part["line_start"] == line
            parts.append(part["content"])
            line = part["next_line"]
        assert "".join(parts) == stored and len(parts) >= 3
        first = await ok(session, "get_document", {"ident": content_path, "content": True})
        assert first["content"] == parts[0] and first["next_line"] is not None

    drive(ws.root, scenario)


def test_get_document_lists_the_first_links_and_counts_them_all(served):
    async def scenario(session):
        listed = await ok(session, "list_documents", {})
        shown = [await ok(session, "get_document", {"ident": doc["id"]})
                 for doc in listed["documents"]]
        doc = max(shown, key=lambda d: d["links_out_total"])
        assert doc["links_out_total"] >= 2
        assert len(doc["links_out"]) == doc["links_out_total"]  # under the default 50: all
        one = await ok(session, "get_document", {"ident": doc["document"]["id"], "links": 1})
        assert len(one["links_out"]) == 1 and one["links_out_total"] == doc["links_out_total"]
        assert one["links_out"][0] == doc["links_out"][0]
        assert len(one["links_in"]) <= 1 and one["links_in_total"] == doc["links_in_total"]

    drive(served.root, scenario)
