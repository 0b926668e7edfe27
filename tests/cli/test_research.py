"""End to end: the installed ``kurt research`` against local servers speaking Perplexity's,
HN Algolia's and Reddit's APIs and a local site with feeds and pages to ingest."""

from __future__ import annotations

import json

import pytest
import yaml

from kurt.sample_site import load_markdown_site, serve
from kurt.writing.projects import plan_sources
from tests.chat_completions import ChatCompletionsServer
from tests.integrations.servers import (
    HackerNewsServer,
    JsonApiServer,
    RedditServer,
    hn_story,
    reddit_post,
)

KEY = "pplx-e2e"


@pytest.fixture(scope="module")
def site(railway_corpus):
    with serve(load_markdown_site(railway_corpus)) as served:
        yield served


class Perplexity(ChatCompletionsServer):
    def __init__(self, cited: list[str]):
        self.script, self.cited = [], cited
        super().__init__(self.answer)

    def answer(self, request):
        if request["auth"] != f"Bearer {KEY}":
            return 401, {}, {"error": {"message": "Invalid API key provided.", "type": "invalid_request_error"}}
        if self.script:
            return self.script.pop(0)
        return 200, {}, {
            "model": "sonar", "citations": self.cited,
            "search_results": [{"title": f"Page {i + 1}", "url": u, "date": f"2025-01-0{i + 1}"}
                               for i, u in enumerate(self.cited)],
            "choices": [{"message": {"role": "assistant",
                                     "content": "Deploy with `railway up` [1], configure builds [2]."}}]}


class Feeds(JsonApiServer):
    def __init__(self, links: list[str]):
        self.links = links
        super().__init__()

    def answer(self, request):
        if request["path"] != "/feed.xml":
            return 404, {"Content-Type": "text/plain"}, "no"
        items = "".join(f"<item><title>Post {i}</title><link>{u}</link>"
                        f"<pubDate>Mon, 0{i + 1} Jun 2025 10:00:00 GMT</pubDate></item>"
                        for i, u in enumerate(self.links))
        return 200, {"Content-Type": "application/rss+xml"}, (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>Railway blog</title>{items}</channel></rss>")


@pytest.fixture
def apis(site):
    pages = site.site.page_paths()
    cited = [site.url(pages[1]), site.url(pages[2])]
    hits = [hn_story(1, "Railway deploys explained", cited[0], 120, "2025-04-01", 33),
            hn_story(2, "Ask HN: Railway or Fly?", None, 40, "2025-02-01")]
    posts = [reddit_post("p1", "Railway private networking tips", "selfhosted", url=cited[1], score=77),
             reddit_post("p2", "Railway vs Render", "selfhosted", score=12, selftext="Which one?")]
    with HackerNewsServer(hits) as hn, RedditServer(posts) as reddit, Feeds(cited) as feeds:
        answer = Perplexity(cited)
        yield {"perplexity": answer, "hn": hn, "reddit": reddit, "feeds": feeds, "cited": cited}
        answer.close()


@pytest.fixture
def ws(kurt, tmp_path, apis):
    root = tmp_path / "ws"
    assert kurt("init", str(root), cwd=tmp_path).exit_code == 0
    config = root / "kurt.toml"
    text = config.read_text().replace("allow_private_addresses = false", "allow_private_addresses = true")
    config.write_text(text.replace("[research]\n", f"""[research]
hackernews_url = "{apis['hn'].api_url}"
reddit_url = "{apis['reddit'].base_url}"
reddit_user_agent = "python:kurt-research:0.1.0 (by /u/kurt-e2e)"
retries = 2
max_retry_after = 3
""", 1).replace('base_url = "https://api.perplexity.ai"', f'base_url = "{apis["perplexity"].base_url}"'))
    assert kurt("project", "new", "launch", "--goal", "Railway launch post", cwd=root).exit_code == 0
    plan = root / "projects/launch/plan.md"
    plan.write_text(plan.read_text().replace(
        "- [ ] List what must be researched", "- [ ] How do teams deploy on Railway?\n- [ ] List what must be researched"))
    return root


def test_search_answers_saves_records_and_ingests(kurt, ws, apis):
    result = kurt("research", "search", "How do teams deploy on Railway?", "--project", "launch",
                  "--ingest", "--format", "json", cwd=ws, env={"PERPLEXITY_API_KEY": KEY})
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["provider"] == "search" and data["answer"].startswith("Deploy with `railway up` [1]")
    assert [r["url"] for r in data["references"]] == apis["cited"]
    assert all(r["document_id"] for r in data["references"])
    saved = ws / data["path"]
    assert data["path"].startswith("projects/launch/research/") and saved.is_file()
    front = yaml.safe_load(saved.read_text().split("---\n")[1])
    assert front["query"] == "How do teams deploy on Railway?" and front["references"] == 2
    plan = (ws / "projects/launch/plan.md").read_text()
    assert f"- [x] How do teams deploy on Railway? (web search (sonar), {data['searched_at'][:10]}: research/" in plan
    assert [s.document_id for s in plan_sources(plan)] == [r["document_id"] for r in data["references"]]
    docs = kurt("content", "list", "--format", "json", cwd=ws).json()["documents"]
    assert {d["url"] for d in docs} == set(apis["cited"])
    assert {d["status"] for d in docs} == {"FETCHED"} and {d["discovered_via"] for d in docs} == {"research"}
    sent = apis["perplexity"].requests[0]
    assert sent["auth"] == f"Bearer {KEY}" and sent["body"]["model"] == "sonar"


def test_cited_pages_on_a_local_address_are_not_ingested_by_default(kurt, ws, apis):
    config = ws / "kurt.toml"
    config.write_text(config.read_text().replace("allow_private_addresses = true", "allow_private_addresses = false"))
    result = kurt("research", "search", "q", "--ingest", cwd=ws, env={"PERPLEXITY_API_KEY": KEY})
    assert result.exit_code == 0, result.stderr
    assert "Ingested 0 of 2 cited pages as documents." in result.stdout
    assert "refused: 127.0.0.1 is a loopback address" in result.stdout
    assert kurt("content", "list", "--format", "json", cwd=ws).json()["documents"] == []


def test_search_as_text_shows_the_answer_and_numbered_sources(kurt, ws, apis):
    result = kurt("research", "search", "deploys?", "--recency", "month", cwd=ws,
                  env={"PERPLEXITY_API_KEY": KEY})
    assert result.exit_code == 0, result.stderr
    assert "Deploy with `railway up` [1], configure builds [2]." in result.stdout
    assert f"  1. [Page 1](<{apis['cited'][0]}>) — 2025-01-01" in result.stdout
    assert "Saved research/" in result.stdout
    assert apis["perplexity"].requests[0]["body"]["search_recency_filter"] == "month"


def test_rate_limiting_is_waited_out(kurt, ws, apis):
    apis["perplexity"].script = [(429, {"Retry-After": "1"}, {"error": {"message": "rate limited"}})]
    result = kurt("research", "search", "q", "--no-save", "--format", "json", cwd=ws,
                  env={"PERPLEXITY_API_KEY": KEY})
    assert result.exit_code == 0, result.stderr
    assert len(apis["perplexity"].requests) == 2 and result.json()["path"] is None
    assert not (ws / "research").exists()


@pytest.mark.parametrize("env, message", [
    ({"PERPLEXITY_API_KEY": ""}, "Error: No API key for the answer engine at 127.0.0.1: set PERPLEXITY_API_KEY"),
    ({"PERPLEXITY_API_KEY": "wrong-key"}, "refused the key (401: Invalid API key provided.): check the key in the variable named by [research] api_key_env"),
])
def test_a_missing_or_refused_key_is_one_line(kurt, ws, env, message):
    result = kurt("research", "search", "q", "--project", "launch", cwd=ws, env=env)
    assert result.exit_code == 1 and message in result.stderr
    assert result.stderr.count("\n") == 1 and "wrong-key" not in result.stderr
    assert not list((ws / "projects/launch/research").iterdir())  # nothing half-written


def test_an_unknown_project_fails_before_any_request(kurt, ws, apis):
    result = kurt("research", "search", "q", "--project", "nope", cwd=ws, env={"PERPLEXITY_API_KEY": KEY})
    assert result.exit_code == 1 and "No project 'nope'" in result.stderr
    assert apis["perplexity"].requests == []


def test_hackernews_lists_stories_and_ingests_the_linked_pages_only(kurt, ws, apis):
    result = kurt("research", "hackernews", "railway", "--ingest", "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert [r["title"] for r in data["references"]] == ["Railway deploys explained", "Ask HN: Railway or Fly?"]
    story, ask = data["references"]
    assert (story["points"], story["comments"]) == (120, 33) and story["document_id"]
    assert ask["document_id"] is None and ask["url"] not in data["ingested"]
    assert data["path"].startswith("research/")
    assert apis["hn"].requests[0]["path"] == "/api/v1/search"


def test_hackernews_text_output(kurt, ws):
    result = kurt("research", "hackernews", "railway", "--min-points", "100", "--no-save", cwd=ws)
    assert result.exit_code == 0, result.stderr
    assert "Hacker News: railway" in result.stdout
    assert "120 points, 33 comments, by pg — [discussion](<https://news.ycombinator.com/item?id=1>)" in result.stdout


def test_reddit_searches_a_subreddit_with_the_configured_user_agent(kurt, ws, apis):
    result = kurt("research", "reddit", "railway", "--subreddit", "selfhosted", "--sort", "top",
                  "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert [r["site"] for r in data["references"]] == ["r/selfhosted", "r/selfhosted"]
    sent = apis["reddit"].requests[0]
    assert sent["path"] == "/r/selfhosted/search.json"
    assert sent["headers"]["user-agent"] == "python:kurt-research:0.1.0 (by /u/kurt-e2e)"


def test_reddit_unknown_subreddit_is_one_line(kurt, ws):
    result = kurt("research", "reddit", "railway", "--subreddit", "nosuchsub", cwd=ws)
    assert result.exit_code == 1 and result.stderr.strip() == (
        "Error: Reddit has no subreddit r/nosuchsub (it offered a subreddit search instead): check the name")


def test_feeds_are_read_and_saved(kurt, ws, apis):
    feed = apis["feeds"].base_url + "/feed.xml"
    result = kurt("research", "feeds", feed, "--project", "launch", "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert [r["title"] for r in data["references"]] == ["Post 1", "Post 0"]
    assert data["references"][0]["site"] == "Railway blog"
    saved = (ws / data["path"]).read_text()
    assert "- Feeds: " + feed in saved


def test_an_unreadable_feed_is_one_line(kurt, ws, apis):
    result = kurt("research", "feeds", apis["feeds"].base_url + "/missing.xml", cwd=ws)
    assert result.exit_code == 1 and "No feed could be read" in result.stderr
    assert result.stderr.count("\n") == 1


def test_unreachable_api_names_the_setting(kurt, ws):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = ws / "kurt.toml"
    text = config.read_text()
    start = text.index("hackernews_url = ")
    end = text.index("\n", start)
    config.write_text(text[:start] + f'hackernews_url = "http://127.0.0.1:{port}/api/v1"' + text[end:])
    result = kurt("research", "hackernews", "railway", cwd=ws)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "check [research] hackernews_url in kurt.toml" in result.stderr


def test_json_results_are_stable_keys(kurt, ws):
    data = kurt("research", "hackernews", "railway", "--no-save", "--format", "json", cwd=ws).json()
    assert set(data) == {"provider", "query", "searched_at", "references", "answer", "model",
                         "options", "notes", "path", "recorded_in", "ingested", "limit",
                         "limit_reached"}
    assert data["limit"] == 20 and data["limit_reached"] is (len(data["references"]) >= 20)
    json.dumps(data)


def test_the_key_is_never_written_or_printed(kurt, ws, apis):
    apis["perplexity"].script = [(429, {"Retry-After": "1"}, {"error": {"message": "rate limited"}})]
    runs = [kurt("research", "search", "How do teams deploy on Railway?", "--project", "launch",
                 "--ingest", cwd=ws, env={"PERPLEXITY_API_KEY": KEY}),
            kurt("research", "search", "q", "--format", "json", cwd=ws, env={"PERPLEXITY_API_KEY": KEY}),
            kurt("research", "search", "q", cwd=ws, env={"PERPLEXITY_API_KEY": "refused-key-9f2c"})]
    assert [r.exit_code for r in runs] == [0, 0, 1]
    assert any((ws / "projects/launch/research").iterdir()) and any((ws / "research").iterdir())
    for path in ws.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert KEY.encode() not in data and b"refused-key-9f2c" not in data, path
    for run in runs:
        assert KEY not in run.stdout + run.stderr and "refused-key-9f2c" not in run.stdout + run.stderr
