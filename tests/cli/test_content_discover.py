"""``kurt content list|get|search|stats|links|delete`` run as a user would, on the railway docs."""

from __future__ import annotations

import os
import pty
import subprocess
import time

import pytest
from conftest import kurt_command
from index import build_sections

INTEGRATIONS = "https://docs.railway.com/docs/integrations"
OAUTH = INTEGRATIONS + "/oauth"


@pytest.fixture(scope="module")
def ro_ws(railway_workspace_template):
    """The shared railway workspace, for commands that only read."""
    build_sections(railway_workspace_template)
    return railway_workspace_template


@pytest.fixture
def rw_ws(railway_workspace):
    """A private railway workspace, for commands that change it."""
    build_sections(railway_workspace)
    return railway_workspace


def no_traceback(result):
    assert "Traceback" not in result.output
    return result


# -- the seed template's commands -----------------------------------------------------

def test_seed_search_integration(kurt, ro_ws):
    result = no_traceback(kurt("content", "search", "integration", cwd=ro_ws.root))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1. ")
    assert "/integrations" in result.stdout
    assert "sources/docs.railway.com/" in result.stdout and "**integration" in result.stdout.lower()


def test_seed_list_url_contains_integrations(kurt, ro_ws):
    result = kurt("content", "list", "--url-contains", "/integrations/", cwd=ro_ws.root)
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.strip().splitlines()
    assert rows[0].split()[:4] == ["ID", "STATUS", "TYPE", "WORDS"]
    assert len(rows) == 1 + 20  # docs/integrations/* below the /integrations page itself
    assert all("/integrations/" in row for row in rows[1:])
    assert "20 documents" in result.stderr


def test_seed_list_with_entity_topic_integration(kurt, ro_ws):
    result = no_traceback(kurt("content", "list", "--with-entity", "Topic:integration",
                               "--format", "json", "--limit", "0", cwd=ro_ws.root))
    assert result.exit_code == 0
    docs = result.json()["documents"]
    assert docs and any("/integrations/" in d["url"] for d in docs)


# -- list ------------------------------------------------------------------------------

def test_list_json_has_every_column(kurt, ro_ws):
    result = kurt("content", "list", "--url-prefix", OAUTH, "--format", "json", cwd=ro_ws.root)
    docs = result.json()["documents"]
    assert [d["url"] for d in docs][0] == OAUTH
    assert {"id", "status", "title", "content_path", "word_count", "content_type"} <= set(docs[0])


def test_list_paths_are_content_files(kurt, ro_ws):
    result = kurt("content", "list", "--url-contains", "/oauth/", "--format", "paths", cwd=ro_ws.root)
    paths = result.stdout.split()
    assert len(paths) == 8 and all((ro_ws.root / p).is_file() for p in paths)


def test_list_csv(kurt, ro_ws):
    result = kurt("content", "list", "--url-contains", "/oauth/", "--format", "csv", cwd=ro_ws.root)
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("id,status,content_type,word_count,title,url")
    assert len(lines) == 9


def test_list_csv_without_results_still_prints_the_header(kurt, ro_ws):
    result = kurt("content", "list", "--url-contains", "/no-such-page/", "--format", "csv", cwd=ro_ws.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["id,status,content_type,word_count,title,url,content_path,"
                                          "domain,fetched_at,changed_at,error"]
    assert "No documents match" in result.stderr


def test_list_pages_with_limit_offset_and_tells_the_total(kurt, ro_ws):
    first = kurt("content", "list", "--limit", "5", "--format", "paths", cwd=ro_ws.root)
    second = kurt("content", "list", "--limit", "5", "--offset", "5", "--format", "paths", cwd=ro_ws.root)
    assert len(first.stdout.split()) == len(second.stdout.split()) == 5
    assert not set(first.stdout.split()) & set(second.stdout.split())
    assert "showing 1-5 of 383" in first.stderr


@pytest.mark.parametrize("sort_args", [["--sort=-words"], ["--sort", "-words"]])
def test_list_sorts_descending(kurt, ro_ws, sort_args):
    docs = kurt("content", "list", *sort_args, "--limit", "3", "--format", "json",
                cwd=ro_ws.root).json()["documents"]
    words = [d["word_count"] for d in docs]
    assert words == sorted(words, reverse=True)


def test_list_no_match_is_not_an_error(kurt, ro_ws):
    result = kurt("content", "list", "--url-contains", "/nothing-here/", "--format", "json", cwd=ro_ws.root)
    assert result.exit_code == 0 and result.json()["documents"] == [] and result.json()["total"] == 0
    table = kurt("content", "list", "--url-contains", "/nothing-here/", cwd=ro_ws.root)
    assert table.exit_code == 0 and "No documents match" in table.stderr


def test_list_unknown_entity_says_where_to_look(kurt, ro_ws):
    result = kurt("content", "list", "--with-entity", "Topic:zzzz-nothing", cwd=ro_ws.root)
    assert result.exit_code == 0
    assert "No documents match" in result.stderr and "kurt content" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--sort", "size"], "Unknown sort 'size'"),
    (["--status", "DONE"], "Unknown status 'DONE'"),
    (["--with-entity", "integration"], "--with-entity takes Type:Name"),
    (["--with-entity", "???:x"], "Unknown entity type"),
    (["--with-entity", "Gizmo:x"], "Unknown entity type 'Gizmo'"),
    (["--with-content-type", "blog"], "Unknown content type 'blog': use one of"),
    (["--changed-since", "yesterday"], "not a date"),
])
def test_list_bad_options_are_usage_errors(kurt, ro_ws, args, message):
    result = no_traceback(kurt("content", "list", *args, cwd=ro_ws.root))
    assert result.exit_code == 2 and message in result.stderr


def test_outside_a_workspace(kurt, tmp_path):
    result = kurt("content", "list", cwd=tmp_path)
    assert result.exit_code == 1 and "kurt init" in result.stderr


# -- get -------------------------------------------------------------------------------

def test_get_shows_metadata_and_outline(kurt, ro_ws):
    result = kurt("content", "get", OAUTH, cwd=ro_ws.root)
    assert result.exit_code == 0, result.stderr
    assert "title:        Login with Railway" in result.stdout
    path = ro_ws.root / "sources/docs.railway.com/docs/integrations/oauth.md"
    line = path.read_text().split("\n").index("## OIDC configuration") + 1
    assert "Outline (5 passages):" in result.stdout
    assert f"OIDC configuration  [{line}-" in result.stdout
    assert "Links out" in result.stdout


def test_get_json_and_content(kurt, ro_ws):
    data = kurt("content", "get", OAUTH, "--format", "json", cwd=ro_ws.root).json()
    assert data["document"]["url"] == OAUTH and "content" not in data
    assert [o["heading"] for o in data["outline"]][:2] == ["Use cases", "OIDC configuration"]
    path = data["document"]["content_path"]
    content = kurt("content", "get", path, "--content", cwd=ro_ws.root)
    assert content.stdout == (ro_ws.root / path).read_text()


def test_get_content_of_a_deleted_file_says_to_refetch(kurt, rw_ws):
    path = "sources/docs.railway.com/docs/integrations/oauth.md"
    (rw_ws.root / path).unlink()
    result = no_traceback(kurt("content", "get", OAUTH, "--content", cwd=rw_ws.root))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: The content file {path} of document ")
    assert "'kurt content fetch --refetch " in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (rw_ws.root / path).exists()


def test_get_unknown_id_exits_1(kurt, ro_ws):
    result = no_traceback(kurt("content", "get", "ffffffffffff", cwd=ro_ws.root))
    assert result.exit_code == 1 and "No document 'ffffffffffff'" in result.stderr


# -- search ----------------------------------------------------------------------------

def test_search_json_gives_citations(kurt, ro_ws):
    hits = kurt("content", "search", "custom domain", "--format", "json", "--limit", "5",
                cwd=ro_ws.root).json()["passages"]
    assert len(hits) == 5
    for hit in hits:
        path, lines = hit["citation"].rsplit(":", 1)
        start, _, end = lines.partition("-")
        start, end = int(start), int(end or start)
        assert path == hit["content_path"] and (start, end) == (hit["line_start"], hit["line_end"])
        assert "**" in hit["snippet"] or "domain" in hit["heading_path"].lower()


def test_search_takes_list_filters(kurt, ro_ws):
    hits = kurt("content", "search", "token", "--url-prefix", INTEGRATIONS + "/oauth",
                "--format", "json", cwd=ro_ws.root).json()["passages"]
    assert hits and all(h["url"].startswith(INTEGRATIONS + "/oauth") for h in hits)


def test_search_words_as_several_arguments(kurt, ro_ws):
    result = kurt("content", "search", "github", "autodeploy", "--format", "json", cwd=ro_ws.root)
    assert result.json()["passages"][0]["url"].endswith("/deployments/github-autodeploys")


@pytest.mark.parametrize("query", ["", "   ", "-- -foo", "!!!"])
def test_search_without_words_exits_2(kurt, ro_ws, query):
    args = query.split(" ", 1) if query.startswith("--") else [query]
    result = no_traceback(kurt("content", "search", *args, cwd=ro_ws.root))
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")


def test_search_without_query_is_a_usage_error(kurt, ro_ws):
    assert kurt("content", "search", cwd=ro_ws.root).exit_code == 2


def test_search_no_match(kurt, ro_ws):
    result = kurt("content", "search", "xyzzyplugh", "--format", "json", cwd=ro_ws.root)
    assert result.exit_code == 0 and result.json()["passages"] == [] and result.stderr == ""
    table = kurt("content", "search", "xyzzyplugh", cwd=ro_ws.root)
    assert table.exit_code == 0 and "No passages match" in table.stderr


# -- stats and links -------------------------------------------------------------------

def test_stats(kurt, ro_ws):
    data = kurt("content", "stats", "--format", "json", cwd=ro_ws.root).json()
    assert data["documents"] == 383 and data["by_status"] == {"FETCHED": 383}
    assert data["index"]["sections"] > 383
    text = kurt("content", "stats", cwd=ro_ws.root)
    assert text.exit_code == 0 and "Documents: 383" in text.stdout


def test_stats_groups_errors_by_reason(kurt, rw_ws):
    store = rw_ws.open_store()
    store.conn.execute("UPDATE documents SET status = 'ERROR', error = 'HTTP 404 at ' || url"
                       " WHERE url LIKE '%/oauth/%'")
    store.close()
    data = kurt("content", "stats", "--format", "json", cwd=rw_ws.root).json()
    assert data["errors"] == [{"reason": "HTTP 404 at <url>", "status": "ERROR", "count": 8,
                               "example": OAUTH + "/authorized-apps"}]


def test_stats_text_says_how_many_error_reasons_it_left_out(kurt, rw_ws):
    store = rw_ws.open_store()
    ids = [row[0] for row in store.query("SELECT id FROM documents ORDER BY id LIMIT 25")]
    for i, ident in enumerate(ids):  # 25 reasons that differ by a word, not a number
        store.conn.execute("UPDATE documents SET status = 'ERROR', error = ? WHERE id = ?",
                           ("refused by host " + "abcdefghijklmnopqrstuvwxyz"[i], ident))
    store.conn.commit()
    store.close()
    assert len(kurt("content", "stats", "--format", "json", cwd=rw_ws.root).json()["errors"]) == 25
    text = kurt("content", "stats", cwd=rw_ws.root).stdout
    assert "(5 more reasons: --format json lists them all)" in text


def test_links_out_and_in(kurt, ro_ws):
    out = kurt("content", "links", "https://docs.railway.com/guides/nextjs", "--direction", "out",
               "--format", "json", cwd=ro_ws.root).json()
    assert "https://nextjs.org/" in {link["url"] for link in out["links"]}
    assert out["total"] == len(out["links"]) and out["direction"] == "out"
    both = kurt("content", "links", "https://docs.railway.com/guides/fullstack-nextjs", cwd=ro_ws.root)
    assert both.exit_code == 0 and "in " in both.stdout and "out" in both.stdout


# -- delete ----------------------------------------------------------------------------

def count(ws, where="1=1"):
    store = ws.open_store()
    try:
        return store.query_one(f"SELECT COUNT(*) FROM documents WHERE {where}")[0]
    finally:
        store.close()


def test_delete_needs_ids_or_filters(kurt, rw_ws):
    result = kurt("content", "delete", cwd=rw_ws.root)
    assert result.exit_code == 2 and "--all" in result.stderr
    assert count(rw_ws) == 383


def test_delete_without_a_terminal_needs_yes(kurt, rw_ws):
    result = kurt("content", "delete", "--url-contains", "/oauth/", cwd=rw_ws.root)
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert count(rw_ws) == 383


def test_delete_dry_run_deletes_nothing(kurt, rw_ws):
    result = kurt("content", "delete", "--url-contains", "/oauth/", "--dry-run", "--format", "json",
                  cwd=rw_ws.root)
    assert result.json()["would_delete"] == 8
    assert count(rw_ws) == 383


def test_delete_with_yes_removes_documents_files_and_passages(kurt, rw_ws):
    result = kurt("content", "delete", "--url-contains", "/oauth/", "--yes", cwd=rw_ws.root)
    assert result.exit_code == 0, result.stderr
    assert "Deleted 8 documents (8 files removed" in result.stdout
    assert count(rw_ws, "url LIKE '%/oauth/%'") == 0
    assert not (rw_ws.root / "sources/docs.railway.com/docs/integrations/oauth").exists()
    hits = kurt("content", "search", "authorized apps", "--format", "json", "--limit", "50",
                cwd=rw_ws.root).json()["passages"]
    assert not any("/oauth/" in h["url"] for h in hits)


def test_delete_by_id_and_unknown_id(kurt, rw_ws):
    ok = kurt("content", "delete", OAUTH, "--yes", "--format", "json", cwd=rw_ws.root)
    assert ok.json()["deleted"] == 1
    gone = no_traceback(kurt("content", "delete", OAUTH, "--yes", cwd=rw_ws.root))
    assert gone.exit_code == 1 and "No document" in gone.stderr


def run_in_terminal(args, cwd, answer: str) -> tuple[int, str]:
    """Run kurt with a pseudo-terminal as stdin/stdout/stderr and type ``answer``."""
    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"} | {"NO_COLOR": "1"}
    proc = subprocess.Popen([*kurt_command(), *args], cwd=cwd, env=env,
                            stdin=child, stdout=child, stderr=child)
    os.close(child)
    output = b""
    deadline = time.monotonic() + 60
    answered = False
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if not answered and b"Delete them?" in output:
            os.write(main, answer.encode() + b"\n")
            answered = True
    os.close(main)
    return proc.wait(timeout=60), output.decode(errors="replace")


@pytest.mark.parametrize("answer, remaining", [("y", 0), ("n", 8)])
def test_delete_asks_for_confirmation_in_a_terminal(rw_ws, answer, remaining):
    code, output = run_in_terminal(["content", "delete", "--url-contains", "/oauth/"], rw_ws.root, answer)
    assert code == 0, output
    assert "About to delete 8 documents and their files" in output
    assert count(rw_ws, "url LIKE '%/oauth/%'") == remaining
