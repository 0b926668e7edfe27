"""The index commands, run as the installed ``kurt`` on the indexed railway workspace."""

from __future__ import annotations

import os
import pty
import subprocess
import time

from conftest import kurt_command


def test_index_reports_fresh_documents(kurt, railway_workspace):
    result = kurt("content", "index", "--format", "json", cwd=railway_workspace.root)
    assert result.exit_code == 0, result.output
    data = result.json()
    assert (data["selected"], data["indexed"], data["fresh"]) == (383, 0, 383)


def test_index_force_with_filter(kurt, railway_workspace):
    result = kurt("content", "index", "--url-contains", "/integrations/", "--force",
                  cwd=railway_workspace.root)
    assert result.exit_code == 0, result.output
    assert "Indexed 20 of 20" in result.stdout


def test_list_with_entity_topic_integration(kurt, railway_workspace):
    result = kurt("content", "list", "--with-entity", "Topic:integration", "--limit", "0", "--format", "json",
                  cwd=railway_workspace.root)
    if result.exit_code != 0 and "No such command" in result.output:
        return  # content list belongs to the search engineer's module
    urls = {d["url"] for d in result.json()["documents"]}
    assert "https://docs.railway.com/docs/integrations/stripe" in urls
    assert "https://docs.railway.com/guides/set-up-a-datadog-agent" in urls


def test_list_entities_technology(kurt, railway_workspace):
    result = kurt("content", "list-entities", "technology", "--min-docs", "5", "--format", "json",
                  cwd=railway_workspace.root)
    assert result.exit_code == 0, result.output
    rows = result.json()["entities"]
    assert result.json()["total"] == len(rows) and result.json()["next_offset"] is None
    names = [r["name"] for r in rows]
    assert {"PostgreSQL", "Redis", "Docker", "Node.js"} <= set(names)
    assert all(r["type"] == "Technology" and r["documents"] >= 5 for r in rows)
    assert [r["documents"] for r in rows] == sorted((r["documents"] for r in rows), reverse=True)


def test_list_entities_unknown_type(kurt, railway_workspace):
    result = kurt("content", "list-entities", "gizmo", cwd=railway_workspace.root)
    assert result.exit_code == 2
    assert "Unknown entity type 'gizmo'" in result.stderr and "Technology" in result.stderr
    assert "Traceback" not in result.output


def test_cluster_then_list_clusters(kurt, railway_workspace):
    made = kurt("content", "cluster", "--k", "6", "--format", "json", cwd=railway_workspace.root)
    assert made.exit_code == 0, made.output
    listed = kurt("content", "list-clusters", "--format", "json", cwd=railway_workspace.root)
    clusters = listed.json()["clusters"]
    assert [c["name"] for c in clusters] == [c["name"] for c in made.json()["clusters"]]
    assert sum(c["documents"] for c in clusters) == made.json()["documents"]


def test_gaps_table(kurt, railway_workspace):
    result = kurt("content", "gaps", "--ours", "/docs/", "--theirs", "/guides/", "--type", "technology",
                  "--min-docs", "3", cwd=railway_workspace.root)
    assert result.exit_code == 0, result.output
    assert "theirs-only" in result.stdout and "Celery" in result.stdout


def test_index_llm_without_key_says_what_to_do(kurt, railway_workspace):
    result = kurt("content", "index", "--llm", cwd=railway_workspace.root, env={"OPENAI_API_KEY": ""})
    assert result.exit_code == 1
    assert "No API key for the LLM" in result.stderr


def run_in_terminal(args, cwd, timeout: float = 240) -> tuple[int, str]:
    """Run kurt with a pseudo-terminal as its stdout and stderr; everything it drew."""
    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"} | {"NO_COLOR": "1",
                                                                          "COLUMNS": "160"}
    proc = subprocess.Popen([*kurt_command(), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=child, stderr=child)
    os.close(child)
    output, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    return proc.wait(timeout=60), output.decode(errors="replace")


def test_index_shows_a_progress_bar_on_a_terminal(railway_workspace):
    code, output = run_in_terminal(["content", "index", "--force"], railway_workspace.root)
    assert code == 0, output
    assert "Indexing" in output and "383/383" in output  # the bar: label, count of total
    assert "/s" in output and "elapsed," in output and "left" in output  # rate, time left
    assert "Indexed 383 of 383 fetched documents" in output


def test_index_draws_no_progress_bar_when_piped(kurt, railway_workspace):
    result = kurt("content", "index", "--force", cwd=railway_workspace.root)
    assert result.exit_code == 0, result.output
    assert "Indexing" not in result.output and "383/383" not in result.output
    assert result.stdout.startswith("Indexed 383 of 383 fetched documents")


def _index_stats(kurt, root):
    result = kurt("content", "stats", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.output
    return result.json()["index"]


def test_a_profile_change_makes_the_index_stale_until_it_is_rebuilt(kurt, railway_workspace):
    root = railway_workspace.root
    fresh = _index_stats(kurt, root)
    assert (fresh["indexed"], fresh["stale"], fresh["vocabulary_changed"]) == (383, 0, False)

    voice = kurt("profile", "--company", "Railway", "--voice", "Direct", cwd=root)
    assert voice.exit_code == 0, voice.output  # the company is a vocabulary term: stale
    assert "The index is stale now" in voice.stderr and "run 'kurt content index'" in voice.stderr
    stale = _index_stats(kurt, root)
    assert (stale["indexed"], stale["stale"], stale["vocabulary_changed"]) == (0, 383, True)
    text = kurt("content", "stats", cwd=root)
    assert "Index: 0 up to date, 383 stale" in text.stdout
    assert "the vocabulary changed since the last index (the profile's company or products" in text.stdout
    assert "run 'kurt content index' to re-index every document" in text.stdout

    part = kurt("content", "index", "--url-contains", "/integrations/", cwd=root)
    assert part.exit_code == 0 and "Indexed 20 of 20" in part.stdout
    assert "the others are stale until 'kurt content index' runs without filters" in part.stderr
    assert _index_stats(kurt, root)["vocabulary_changed"] is True

    whole = kurt("content", "index", cwd=root)
    assert whole.exit_code == 0 and "Indexed 383 of 383" in whole.stdout
    assert "The vocabulary changed since the last index" in whole.stderr
    rebuilt = _index_stats(kurt, root)
    assert (rebuilt["indexed"], rebuilt["stale"], rebuilt["vocabulary_changed"]) == (383, 0, False)

    audience = kurt("profile", "--audience", "Developers", cwd=root)  # not in the vocabulary
    assert audience.exit_code == 0 and "stale" not in audience.stderr
    assert _index_stats(kurt, root)["vocabulary_changed"] is False
    products = kurt("profile", "--product", "Railway Metal", "--format", "json", cwd=root)
    assert products.exit_code == 0 and products.stderr == ""  # JSON: the note is in "notes"
    assert products.json()["products"] == ["Railway Metal"]
    assert products.json()["notes"][0].startswith("The index is stale now")
    assert _index_stats(kurt, root)["vocabulary_changed"] is True
