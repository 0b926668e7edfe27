"""kurt research search: Perplexity's chat completions API, through Kurt's chat client."""

from __future__ import annotations

import pytest

from kurt.errors import KurtError
from kurt.index.llm import ChatClient, LLMError
from kurt.integrations.http import ServiceError
from kurt.integrations.research import perplexity
from tests.chat_completions import ChatCompletionsServer

KEY = "pplx-test-key"

ANSWER = {
    "id": "abc", "model": "sonar", "object": "chat.completion", "created": 1735000000,
    "citations": ["https://docs.example.com/pooling", "https://blog.example.org/pgbouncer#setup"],
    "search_results": [
        {"title": "PgBouncer setup", "url": "https://blog.example.org/pgbouncer#setup",
         "date": "2024-11-02", "last_updated": "2025-01-05"},
        {"title": "Connection pooling", "url": "https://docs.example.com/pooling", "date": None,
         "last_updated": "2025-02-01", "snippet": "Use a pooler in front of Postgres."},
        {"title": "Not cited", "url": "https://other.example.net/x"},
    ],
    "choices": [{"index": 0, "finish_reason": "stop", "message": {
        "role": "assistant", "content": "Use PgBouncer in transaction mode [1][2]."}}],
    "usage": {"prompt_tokens": 10, "completion_tokens": 12, "total_tokens": 22},
}


class Perplexity(ChatCompletionsServer):
    def __init__(self):
        self.script = []
        super().__init__(self.answer)
        self.base_url = self.base_url.removesuffix("/v1")

    def answer(self, request):
        if request["auth"] != f"Bearer {KEY}":
            return 401, {}, {"error": {"message": "Invalid API key provided.",
                                       "type": "invalid_request_error", "code": 401}}
        if self.script:
            return self.script.pop(0)
        if request["body"]["model"] not in ("sonar", "sonar-pro"):
            return 400, {}, {"error": {"message": f"Invalid model '{request['body']['model']}'",
                                       "type": "invalid_model", "code": 400}}
        return 200, {}, ANSWER


@pytest.fixture
def api():
    server = Perplexity()
    yield server
    server.close()


def client(api, key=KEY, model="sonar", waits=None, **kw):
    return ChatClient(api.base_url, key, model, timeout=5, retries=2,
                      sleep=(waits.append if waits is not None else lambda s: None),
                      service="Perplexity", settings="research", **kw)


def test_the_answer_keeps_its_citations_in_order_with_titles_and_dates(api):
    result = perplexity.search("How to pool Postgres connections?", client(api))
    assert result.answer == "Use PgBouncer in transaction mode [1][2]."
    assert result.model == "sonar"
    assert [r.url for r in result.references] == ["https://docs.example.com/pooling",
                                                  "https://blog.example.org/pgbouncer"]
    first, second = result.references
    assert (first.title, first.date, first.site) == ("Connection pooling", "2025-02-01", "docs.example.com")
    assert first.excerpt == "Use a pooler in front of Postgres."
    assert (second.title, second.date) == ("PgBouncer setup", "2024-11-02")


def test_the_request_is_a_chat_completion_with_the_search_filters(api):
    perplexity.search("q?", client(api), recency="month", domains=["docs.example.com"])
    body = api.requests[0]["body"]
    assert api.requests[0]["path"] == "/chat/completions"
    assert body["model"] == "sonar" and body["messages"][-1] == {"role": "user", "content": "q?"}
    assert body["search_recency_filter"] == "month"
    assert body["search_domain_filter"] == ["docs.example.com"]
    assert "response_format" not in body and "temperature" not in body


def test_search_results_are_the_references_when_there_are_no_citations(api):
    api.script = [(200, {}, {**ANSWER, "citations": None})]
    result = perplexity.search("q", client(api))
    assert [r.title for r in result.references] == ["PgBouncer setup", "Connection pooling", "Not cited"]


def test_openai_style_url_citations_are_read_too(api):
    message = {"role": "assistant", "content": "See [docs].", "annotations": [
        {"type": "url_citation", "url_citation": {"url": "https://a.example/x", "title": "A"}},
        {"type": "url_citation", "url_citation": {"url": "https://a.example/x", "title": "A"}}]}
    api.script = [(200, {}, {"model": "gpt-search", "choices": [{"message": message}]})]
    result = perplexity.search("q", client(api))
    assert [(r.url, r.title) for r in result.references] == [("https://a.example/x", "A")]


def test_a_refused_key_says_which_variable_to_check(api):
    with pytest.raises(LLMError) as caught:
        perplexity.search("q", client(api, key="wrong"))
    message = str(caught.value)
    assert "Perplexity refused the key (401: Invalid API key provided.)" in message
    assert "[research] api_key_env" in message


def test_an_unknown_model_names_the_api_s_reason(api):
    with pytest.raises(ServiceError, match="Invalid model 'sonar-x'"):
        perplexity.search("q", client(api, model="sonar-x"))


def test_429_is_retried_honouring_retry_after_up_to_the_cap(api):
    waits = []
    api.script = [(429, {"Retry-After": "3"}, {"error": {"message": "rate limited"}}),
                  (429, {"Retry-After": "900"}, {"error": {"message": "rate limited"}})]
    result = perplexity.search("q", client(api, waits=waits, max_retry_after=5))
    assert result.answer and waits == [3.0, 5.0]


def test_persistent_rate_limiting_is_one_line_to_try_later(api):
    api.script = [(429, {"Retry-After": "1"}, {"error": {"message": "slow"}})] * 3
    with pytest.raises(ServiceError) as caught:
        perplexity.search("q", client(api))
    assert str(caught.value) == "Perplexity kept rate-limiting (429); try again later"


def test_5xx_is_retried_then_reported(api):
    api.script = [(502, {}, "bad gateway")] * 3
    with pytest.raises(ServiceError, match="answered HTTP 502"):
        perplexity.search("q", client(api))
    assert len(api.requests) == 3


def test_missing_key_names_the_variable_and_the_setting(workspace, monkeypatch):
    monkeypatch.delenv("PERPLEXITY_API_KEY", raising=False)
    with pytest.raises(KurtError) as caught:
        perplexity.client_from_config(workspace)
    assert str(caught.value) == (
        "No API key for Perplexity: set PERPLEXITY_API_KEY in the environment or in .env "
        "(the variable is named by [research] api_key_env in kurt.toml)")


def test_the_key_comes_from_the_workspace_env_file(workspace, monkeypatch):
    monkeypatch.delenv("PERPLEXITY_API_KEY", raising=False)
    (workspace.root / ".env").write_text("PERPLEXITY_API_KEY=from-file\n")
    assert perplexity.client_from_config(workspace).api_key == "from-file"


@pytest.mark.parametrize("base_url, provider", [
    ("https://api.perplexity.ai", "perplexity"),
    ("http://127.0.0.1:8080/v1", "search"),
])
def test_another_openai_compatible_engine_is_named_by_its_host(base_url, provider):
    assert perplexity.answer_engine(base_url)[0] == provider


def test_a_key_the_service_quotes_back_is_blanked_out_of_the_message():
    quoting = ChatCompletionsServer(lambda request: (401, {}, {"error": {
        "message": f"Incorrect API key provided: {request['auth'][7:]}.", "type": "invalid_request_error"}}))
    try:
        with pytest.raises(LLMError) as caught:
            perplexity.search("q", ChatClient(quoting.base_url, "pplx-LEAKED-1234", "sonar", timeout=5,
                                              service="Perplexity", settings="research"))
    finally:
        quoting.close()
    assert "pplx-LEAKED-1234" not in str(caught.value)
    assert "Incorrect API key provided: ***." in str(caught.value)


def test_a_timeout_is_retried_then_one_line_to_try_later():
    import threading

    release = threading.Event()

    def hang(request):
        release.wait(5)
        return 200, {}, ANSWER

    slow = ChatCompletionsServer(hang)
    waits = []
    try:
        with pytest.raises(ServiceError) as caught:
            perplexity.search("q", ChatClient(slow.base_url, KEY, "sonar", timeout=0.2, retries=1,
                                              sleep=waits.append, service="Perplexity",
                                              settings="research"))
    finally:
        release.set()
        slow.close()
    assert len(slow.requests) == 2 and len(waits) == 1
    assert str(caught.value) == "Perplexity timed out after 0.2s: run the same command again later"


def test_a_dropped_connection_is_retried(api):
    waits = []
    api.script = [None]
    assert perplexity.search("q", client(api, waits=waits)).answer and len(waits) == 1
    assert len(api.requests) == 2


def test_a_connection_dropped_every_time_is_one_line_to_try_later(api):
    api.script = [None] * 3
    with pytest.raises(ServiceError) as caught:
        perplexity.search("q", client(api))
    assert str(caught.value) == ("Perplexity dropped the connection 3 times: run the same command "
                                 "again later")
