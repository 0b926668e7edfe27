"""The chat-completions client and the LLM enricher, against a local server speaking that API."""

from __future__ import annotations

import pytest

from kurt.index.enrich import EnrichmentFailed, LLMEnricher
from kurt.index.llm import ChatClient, LLMError, LLMRequestFailed, client_from_config
from kurt.index.pipeline import index_documents
from kurt.index.vocabulary import builtin_vocabulary
from tests.chat_completions import ChatCompletionsServer, reply

KEY = "sk-test-123"


class FakeAPI(ChatCompletionsServer):
    """Answers derived from the request, or the queued ``script`` of (status, headers, body)."""

    def __init__(self):
        self.script: list[tuple[int, dict, object]] = []
        super().__init__(self.answer)

    def answer(self, request: dict):
        if request["auth"] != f"Bearer {KEY}":
            return 401, {}, {"error": {"message": "bad key"}}
        if self.script:
            return self.script.pop(0)
        user = request["body"]["messages"][-1]["content"]
        title = user.split("Title: ", 1)[1].split("\n", 1)[0]
        return 200, {}, reply({
            "content_type": "tutorial", "summary": f"About {title}.",
            "entities": [{"type": "Technology", "name": "postgres", "mentions": 2},
                         {"type": "Feature", "name": "Magic Deploys", "mentions": 1},
                         {"type": "Topic", "name": "x"}],
        })


@pytest.fixture
def api():
    server = FakeAPI()
    yield server
    server.close()


def client(api, key=KEY, **kw):
    return ChatClient(api.base_url, key, "test-model", timeout=5, sleep=lambda s: None, **kw)


def test_request_has_the_documented_shape(api):
    answer = client(api).complete_json([{"role": "user", "content": "Title: Hello\n"}])
    assert answer["summary"] == "About Hello."
    request = api.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == f"Bearer {KEY}"
    assert request["body"]["model"] == "test-model"
    assert request["body"]["response_format"] == {"type": "json_object"}
    assert request["body"]["messages"][0]["role"] == "user"


def test_refused_key_is_a_clear_kurt_error(api):
    with pytest.raises(LLMError, match="refused the key"):
        client(api, key="wrong").complete_json([{"role": "user", "content": "Title: x\n"}])


def test_429_is_retried_honouring_retry_after(api):
    waits = []
    api.script = [(429, {"Retry-After": "7"}, {"error": "slow down"})]
    c = ChatClient(api.base_url, KEY, "m", timeout=5, sleep=waits.append)
    assert c.complete_json([{"role": "user", "content": "Title: x\n"}])["content_type"] == "tutorial"
    assert waits == [7.0]


def test_persistent_5xx_fails_the_request_only(api):
    api.script = [(503, {}, "down")] * 3
    with pytest.raises(LLMRequestFailed, match="HTTP 503"):
        client(api).complete_json([{"role": "user", "content": "Title: x\n"}])


def test_invalid_json_content_fails_the_request(api):
    api.script = [(200, {}, {"choices": [{"message": {"content": "not json {"}}]})]
    with pytest.raises(LLMRequestFailed, match="invalid JSON"):
        client(api).complete_json([{"role": "user", "content": "Title: x\n"}])


def test_missing_key_says_what_to_set(workspace, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(LLMError, match="set OPENAI_API_KEY"):
        client_from_config(workspace)


def test_enricher_merges_entities_type_and_summary(api, workspace, store):
    from tests.index.test_pipeline import entities_of, put

    doc = put(workspace, store, "https://x.com/docs/faq", "Some words.\n", title="FAQ")
    enricher = LLMEnricher(client(api), builtin_vocabulary().compile())
    report = index_documents(workspace, store, enricher=enricher, workers=1)
    assert report.enriched == 1
    found = entities_of(store, doc)
    assert ("Technology", "PostgreSQL") in found  # normalized through the vocabulary
    assert ("Feature", "Magic Deploys") in found
    assert ("Topic", "x") not in found  # too short to be an entity
    row = store.query_one("SELECT content_type, description FROM documents WHERE id = ?", (doc,))
    assert tuple(row) == ("tutorial", "About FAQ.")
    origin = store.query_one("SELECT origin FROM document_entities de JOIN entities e ON e.id = de.entity_id"
                             " WHERE e.name = 'Magic Deploys'")[0]
    assert origin == "llm"


def test_failed_enrichment_keeps_the_local_index(api, workspace, store):
    from tests.index.test_pipeline import put

    doc = put(workspace, store, "https://x.com/a", "Redis.\n")
    api.script = [(500, {}, "boom")] * 3
    report = index_documents(workspace, store, enricher=LLMEnricher(client(api), builtin_vocabulary().compile()),
                             workers=1)
    assert report.indexed == 1 and report.enriched == 0
    assert any(reason.startswith("llm:") for reason in report.errors)
    assert store.query_one("SELECT indexed_hash IS NOT NULL FROM documents WHERE id = ?", (doc,))[0] == 1


def test_enrichment_failed_is_raised_for_bad_requests(api):
    api.script = [(500, {}, "boom")] * 3
    from kurt.index.pipeline import DocumentIndex

    with pytest.raises(EnrichmentFailed):
        LLMEnricher(client(api), builtin_vocabulary().compile()).enrich(None, DocumentIndex("a", "h"))
