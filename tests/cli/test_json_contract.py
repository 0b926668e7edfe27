"""The JSON contract (docs/json.md), for every command of the installed ``kurt``.

The command tree is walked, so a new command is covered the day it is added: each
one that takes ``--format json`` runs in a real workspace (ingested from a site on
127.0.0.1, with local stand-ins for the research and analytics APIs) and must print
exactly one JSON object on stdout and nothing on stderr; a failing invocation must
print one ``{"error": {"code", "message"}}`` line on stderr with the text mode's exit
code. And a listing of 67 pages is never cut silently.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import click
import pytest

from kurt.errors import ERROR_CODES
from kurt.sample_site import load_markdown_site, serve
from tests.integrations.servers import (
    HackerNewsServer,
    PlausibleServer,
    RedditServer,
    Traffic,
    hn_story,
    reddit_post,
)

ECOSYSTEM_PAGES = 67  # more than a table's 50: the case of the issue
DOCS_PAGES = 12
TECHNOLOGIES = ["PostgreSQL", "Redis", "Docker", "Kubernetes", "Terraform", "GitHub"]
PLAUSIBLE_KEY = "pl-contract"
SITE_ID = "docs.acme.example"
DRAFT = "projects/launch/drafts/integration-page-stripe.md"


def json_commands() -> dict[str, click.Command]:
    """Every command of the tree that takes ``--format json``, by its path ('content list')."""
    from kurt.cli import cli
    from kurt.cli.reference import walk

    found = {}
    for path, command, _ in walk(cli, ("kurt",)):
        fmt = next((p for p in command.params if p.name == "output_format"), None)
        if fmt is not None and "json" in getattr(fmt.type, "choices", ()):
            found[" ".join(path[1:])] = command
    return found


def data_commands_without_json() -> list[str]:
    """Leaf commands with no ``--format json``, except those that output no data."""
    from kurt.cli import cli
    from kurt.cli.reference import walk

    return [" ".join(path[1:]) for path, command, _ in walk(cli, ("kurt",))
            if not isinstance(command, click.Group) and " ".join(path[1:]) not in json_commands()
            and " ".join(path[1:]) not in NO_DATA]


# Commands that print no data, so take no --format (each with why).
NO_DATA = {
    "mcp": "serves MCP over stdio; its tools return structured content",
}

# How to run each command with success, in order (placeholders filled by ``fill``). A
# command missing here runs with no argument: one that needs arguments fails the test,
# which says to add it.
CASES: dict[str, list[list[str]]] = {
    "init": [["init", "{tmp}/another"]],
    "demo": [["demo", "{tmp}/demo"]],
    "content add": [["content", "add", "{folder}"]],
    "content map url": [["content", "map", "url", "{site}/", "--dry-run"]],
    "content map folder": [["content", "map", "folder", "{folder}"]],
    "content fetch": [["content", "fetch", "--dry-run"],
                      ["content", "fetch", "--refetch", "--url-contains", "/docs/", "--limit", "3"]],
    "content list": [["content", "list"], ["content", "list", "--limit", "5", "--offset", "3"]],
    "content get": [["content", "get", "{doc}"], ["content", "get", "{doc}", "--content"]],
    "content search": [["content", "search", "integration"],
                       ["content", "search", "integration", "--offset", "5", "--limit", "3"]],
    "content stats": [["content", "stats"]],
    "content links": [["content", "links", "{doc}"]],
    "content delete": [["content", "delete", "--url-contains", "/docs/", "--dry-run"],
                       ["content", "delete", "{doc}", "--yes"]],
    "content index": [["content", "index", "--force", "--url-contains", "/docs/"]],
    "content list-entities": [["content", "list-entities"],
                              ["content", "list-entities", "technology", "--limit", "2"]],
    "content cluster": [["content", "cluster", "--k", "3"]],
    "content list-clusters": [["content", "list-clusters"]],
    "content gaps": [["content", "gaps", "--ours", "/ecosystem/", "--theirs", "/docs/"]],
    "content rebuild": [["content", "rebuild", "--no-index"]],
    "template show": [["template", "show", "integration-page"]],
    "template new": [["template", "new", "partner-page", "--from", "integration-page"]],
    "template customize": [["template", "customize", "integration-page", "--url-contains",
                            "/ecosystem/", "--dry-run"]],
    "profile": [["profile"], ["profile", "--voice", "Plain and direct"]],
    "project new": [["project", "new", "second", "--goal", "Another launch"]],
    "project add-source": [["project", "add-source", "launch", "{doc}"]],
    "project show": [["project", "show", "launch"]],
    "draft new": [["draft", "new", "launch", "--template", "blog-post", "--name", "second"]],
    "draft evidence": [["draft", "evidence", DRAFT]],
    "draft status": [["draft", "status", DRAFT, "draft", "--force"]],
    "draft sources": [["draft", "sources", DRAFT]],
    "draft add-source": [["draft", "add-source", DRAFT, "overview", "{docpath}"]],
    "draft remove-source": [["draft", "add-source", DRAFT, "overview", "{docpath}"],
                            ["draft", "remove-source", DRAFT, "all", "{docpath}"]],
    "draft check": [["draft", "check", DRAFT, "--rule", "frontmatter/status"]],
    "research search": [["research", "search", "How do teams deploy?", "--no-save"]],
    "research hackernews": [["research", "hackernews", "railway", "--no-save"]],
    "research reddit": [["research", "reddit", "railway", "--no-save"]],
    "research feeds": [["research", "feeds", "{feed}", "--no-save"]],
    "analytics sync": [["analytics", "sync", "--provider", "plausible", "--until", "2025-06-30"]],
    "store copy": [["store", "copy", "--to", "{pg}"]],
    "content sync": [["content", "sync"]],
}

# Commands that do not need a workspace (everything else refuses to run outside one).
NO_WORKSPACE = {"init", "demo", "show"}  # show: the shipped workflow texts serve anywhere


def page(n: int, section: str) -> str:
    tech = TECHNOLOGIES[n % len(TECHNOLOGIES)]
    name = f"{section.title()} partner {n:02d}"
    return (f"---\ntitle: {name}\n---\n\n# {name}\n\n"
            f"The {name} integration connects your services to {tech}. It takes a few "
            f"minutes to set up and needs {tech} credentials.\n\n## Set up the integration\n\n"
            f"1. Open the {name} dashboard.\n2. Add the {tech} integration.\n"
            f"3. Deploy {name} again.\n")  # steps a site repeats on every page are boilerplate


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    for n in range(ECOSYSTEM_PAGES):
        (root / "ecosystem").mkdir(exist_ok=True)
        (root / "ecosystem" / f"partner-{n:02d}.md").write_text(page(n, "ecosystem"))
    for n in range(DOCS_PAGES):
        (root / "docs").mkdir(exist_ok=True)
        (root / "docs" / f"guide-{n:02d}.md").write_text(page(n, "docs"))
    return root


@pytest.fixture(scope="module")
def site(site_folder):
    with serve(load_markdown_site(site_folder)) as served:
        yield served


@pytest.fixture(scope="module")
def apis(site):
    from tests.cli.test_research import KEY, Feeds, Perplexity
    from tests.integrations.analytics.data import PERIOD

    cited = [site.url("/ecosystem/partner-01")]
    host = urlsplit(site.base_url).hostname
    traffic = Traffic({(host, "/ecosystem/partner-01"): (20, 8)}, split=PERIOD.start)
    with HackerNewsServer([hn_story(1, "Railway deploys", cited[0], 120, "2025-04-01")]) as hn, \
            RedditServer([reddit_post("p1", "Railway tips", "selfhosted", score=7)]) as reddit, \
            PlausibleServer(traffic, site_id=SITE_ID, key=PLAUSIBLE_KEY) as plausible, \
            Feeds(cited) as feeds:
        answer = Perplexity(cited)
        yield {"hn": hn, "reddit": reddit, "plausible": plausible, "perplexity": answer,
               "feed": feeds.base_url + "/feed.xml",
               "env": {"PERPLEXITY_API_KEY": KEY, "PLAUSIBLE_API_KEY": PLAUSIBLE_KEY}}
        answer.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory, site, apis, kurt_module):
    """A workspace with the site ingested and indexed, a profile, a project and a draft."""
    root = tmp_path_factory.mktemp("contract") / "ws"
    kurt = kurt_module
    assert kurt("init", str(root), cwd=root.parent).exit_code == 0
    config = root / "kurt.toml"
    text = config.read_text().replace("allow_private_addresses = false",
                                      "allow_private_addresses = true")
    text = text.replace("[research]\n", f"""[research]
hackernews_url = "{apis['hn'].api_url}"
reddit_url = "{apis['reddit'].base_url}"
reddit_user_agent = "python:kurt-contract:0.1.0 (by /u/kurt-e2e)"
""", 1).replace('base_url = "https://api.perplexity.ai"',
                f'base_url = "{apis["perplexity"].base_url}"')
    config.write_text(text + f"""
[analytics.plausible]
base_url = "{apis['plausible'].base_url}"
site_id = "{SITE_ID}"
""")
    for args in (["content", "add", site.url("/")],
                 ["profile", "--company", "Acme", "--product", "Acme Cloud"],
                 ["project", "new", "launch", "--goal", "Integration pages"],
                 ["draft", "new", "launch", "--template", "integration-page", "--name", "stripe",
                  "--var", "partner=Stripe"]):
        result = kurt(*args, cwd=root, env=apis["env"])
        assert result.exit_code == 0, f"kurt {' '.join(args)}: {result.output}"
    return root


@pytest.fixture(scope="module")
def kurt_module():
    from tests.conftest import run_kurt

    return run_kurt


@pytest.fixture
def ws(base, tmp_path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(base, target)
    return target


def fill(args: list[str], *, ws: Path, site, apis, folder: Path, tmp: Path,
         pg: str = "postgresql://kurt@127.0.0.1/none") -> list[str]:
    """The case's arguments with {doc}, {docpath}, {site}, {feed}, {folder}, {tmp} and {pg}
    (a PostgreSQL database) filled."""
    stored = sorted((ws / "sources").rglob("partner-03.md")) if (ws / "sources").is_dir() else []
    values = {"doc": site.url("/ecosystem/partner-03"),
              "docpath": stored[0].relative_to(ws).as_posix() if stored else "sources/none.md",
              "site": site.base_url, "feed": apis["feed"], "folder": str(folder / "docs"),
              "tmp": str(tmp), "pg": pg}
    return [arg.format(**values) for arg in args]


def assert_one_json_object(result, args) -> dict:
    where = f"kurt {' '.join(args)}"
    assert result.exit_code == 0, f"{where}: exit {result.exit_code}: {result.output}"
    assert result.stderr == "", f"{where} wrote on stderr in JSON mode: {result.stderr}"
    data = json.loads(result.stdout)  # one document: anything after it is "Extra data"
    assert isinstance(data, dict), f"{where}: a JSON {type(data).__name__}, not an object"
    if "next_offset" in data:  # a listing: the counts of docs/json.md
        assert {"total", "limit", "offset"} <= set(data), where
        lists = [key for key, value in data.items() if isinstance(value, list)]
        assert lists, f"{where}: a page without its items"
    return data


def assert_json_error(result, code: str | None = None) -> dict:
    assert result.exit_code != 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"not one line on stderr: {result.stderr}"
    error = json.loads(lines[0])["error"]
    assert set(error) >= {"code", "message"} and error["code"] in ERROR_CODES, error
    assert error["message"] and "\n" not in error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


# -- the tree -----------------------------------------------------------------------------------

def test_every_data_command_takes_format_json():
    assert data_commands_without_json() == []


def test_docs_name_the_keys_of_every_json_command():
    """docs/json.md has a row for each command that prints JSON ('show TOPIC' for 'show')."""
    import re

    text = (Path(__file__).parents[2] / "docs" / "json.md").read_text(encoding="utf-8")
    table = text.split("## Top-level keys by command", 1)[1]
    named = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            first = line.split(" | ")[0]
            group = ""
            for name in re.findall(r"`([^`]+)`", first):
                name = re.sub(r" [A-Z]+\b.*", "", name)  # 'show TOPIC' is 'show'
                if " " in name:
                    group = name.split(" ")[0] + " "
                elif group:  # '`research search`, `hackernews`' names 'research hackernews'
                    name = group + name
                named.add(name)
    assert sorted(set(json_commands()) - named) == []


def test_every_case_names_a_command():
    assert set(CASES) - set(json_commands()) == set()


# -- success: one JSON object on stdout, nothing on stderr --------------------------------------

@pytest.mark.parametrize("name", sorted(json_commands()))
def test_success_prints_one_json_object_and_nothing_else(name, ws, site, site_folder, apis,
                                                          tmp_path, kurt, request):
    command = json_commands()[name]
    cases = CASES.get(name)
    if cases is None:
        needed = [p.name for p in command.params if getattr(p, "required", False)]
        assert not needed, f"add a case for 'kurt {name}' to CASES (it needs {needed})"
        cases = [name.split()]
    pg = request.getfixturevalue("pg_url") if any("{pg}" in a for c in cases for a in c) else ""
    for case in cases:
        args = [*fill(case, ws=ws, site=site, apis=apis, folder=site_folder, tmp=tmp_path, pg=pg),
                "--format", "json"]
        result = kurt(*args, cwd=ws, env=apis["env"])
        assert_one_json_object(result, args)


# -- failure: one JSON error on stderr, the text mode's exit code --------------------------------

@pytest.mark.parametrize("name", sorted(json_commands()))
def test_a_bad_option_is_a_json_usage_error(name, ws, kurt):
    args = [*name.split(), "--format", "json", "--no-such-option"]
    result = kurt(*args, cwd=ws)
    assert result.stdout == ""
    error = assert_json_error(result, "usage")
    assert "--no-such-option" in error["message"]
    text = kurt(*name.split(), "--no-such-option", cwd=ws)
    assert text.exit_code == result.exit_code == 2
    assert "Error: No such option" in text.stderr and not text.stderr.lstrip().startswith("{")


@pytest.mark.parametrize("name", sorted(set(json_commands()) - NO_WORKSPACE))
def test_outside_a_workspace_is_a_json_error(name, site, site_folder, tmp_path, kurt, apis):
    empty = tmp_path / "empty"
    empty.mkdir()
    case = CASES.get(name, [name.split()])[-1]
    args = fill(case, ws=empty, site=site, apis=apis, folder=site_folder, tmp=tmp_path)
    result = kurt(*args, "--format", "json", cwd=empty, env=apis["env"])
    assert result.stdout == ""
    assert_json_error(result, "not_a_workspace")
    assert kurt(*args, cwd=empty, env=apis["env"]).exit_code == result.exit_code == 1


@pytest.mark.parametrize(("args", "code", "exit_code"), [
    (["content", "get", "nothing-like-this"], "not_found", 1),
    (["project", "new", "launch", "--goal", "Again"], "conflict", 2),
    (["template", "show", "no-such-template"], "not_found", 1),
    (["content", "list", "--sort", "nonsense"], "usage", 2),
    (["content", "search", "AND OR NOT"], "usage", 2),
    (["content", "list", "--limit", "-1"], "usage", 2),
    (["research", "search", "q"], "service", 1),  # no API key in the environment
])
def test_errors_carry_their_code_and_the_text_exit_code(ws, kurt, args, code, exit_code):
    result = kurt(*args, "--format", "json", cwd=ws)
    assert result.stdout == ""
    assert_json_error(result, code)
    text = kurt(*args, cwd=ws)
    assert text.exit_code == result.exit_code == exit_code
    assert text.stderr.startswith("Error: ") or "Error: " in text.stderr


def test_a_command_that_fails_with_a_result_prints_both(ws, kurt):
    """draft check with errors: the findings on stdout, the error on stderr, exit 1."""
    result = kurt("draft", "check", DRAFT, "--format", "json", cwd=ws)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["errors"] > 0
    assert assert_json_error(result, "failed")["message"].endswith('see "findings" on stdout')


# -- no silent truncation -----------------------------------------------------------------------

def test_a_67_page_listing_is_never_cut_silently(ws, kurt):
    args = ["content", "list", "--url-contains", "/ecosystem/"]
    data = kurt(*args, "--format", "json", cwd=ws).json()
    assert (data["total"], data["limit"], data["offset"], data["next_offset"]) == (
        ECOSYSTEM_PAGES, None, 0, None)
    assert len(data["documents"]) == ECOSYSTEM_PAGES
    csv = kurt(*args, "--format", "csv", cwd=ws)
    assert len(csv.stdout.strip().splitlines()) == 1 + ECOSYSTEM_PAGES
    paths = kurt(*args, "--format", "paths", cwd=ws)
    assert len(paths.stdout.split()) == ECOSYSTEM_PAGES and paths.stderr == ""
    table = kurt(*args, cwd=ws)  # a table shows 50, and says so
    assert len(table.stdout.strip().splitlines()) == 1 + 50
    assert "showing 1-50 of 67 documents" in table.stderr and "--offset 50" in table.stderr


def test_following_next_offset_reads_every_document_once(ws, kurt):
    seen, offset = [], 0
    while offset is not None:
        data = kurt("content", "list", "--url-contains", "/ecosystem/", "--limit", "20",
                    "--offset", str(offset), "--format", "json", cwd=ws).json()
        assert data["total"] == ECOSYSTEM_PAGES and data["limit"] == 20
        seen += [d["url"] for d in data["documents"]]
        offset = data["next_offset"]
    assert len(seen) == len(set(seen)) == ECOSYSTEM_PAGES


def test_search_says_when_more_passages_match_and_pages_through_them(ws, kurt):
    args = ["content", "search", "integration", "--url-contains", "/ecosystem/",
            "--per-document", "1", "--format", "json"]
    first = kurt(*args, cwd=ws).json()
    assert len(first["passages"]) == 10 and first["next_offset"] == 10
    seen, offset = [], 0
    while offset is not None:
        data = kurt(*args, "--limit", "25", "--offset", str(offset), cwd=ws).json()
        seen += [p["url"] for p in data["passages"]]
        offset = data["next_offset"]
    assert len(seen) == len(set(seen)) == ECOSYSTEM_PAGES  # one passage per page, every page
    assert data["total"] == ECOSYSTEM_PAGES  # the last page knows the total
    table = kurt(*args[:-2], cwd=ws)
    assert "showing 1-10 passages" in table.stderr and "--offset 10" in table.stderr


def test_a_limited_entity_listing_says_how_many_there_are(ws, kurt):
    every = kurt("content", "list-entities", "--format", "json", cwd=ws).json()
    two = kurt("content", "list-entities", "--limit", "2", "--format", "json", cwd=ws).json()
    assert every["total"] == len(every["entities"]) > 2 and every["next_offset"] is None
    assert (two["total"], len(two["entities"]), two["next_offset"]) == (every["total"], 2, 2)


@pytest.mark.parametrize("command", [["content", "search", "integration"], ["content", "list"],
                                     ["content", "list-entities"]])
def test_an_offset_past_the_end_is_an_empty_last_page(ws, kurt, command):
    huge = str(2**63 - 10)
    result = kurt(*command, "--offset", huge, "--limit", "5", "--format", "json", cwd=ws)
    data = assert_one_json_object(result, command)
    items = next(value for value in data.values() if isinstance(value, list))
    assert items == [] and data["next_offset"] is None and data["offset"] == int(huge)
