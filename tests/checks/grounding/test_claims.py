"""grounding/claim: factual sentences, support scores, the MiniLM blend and the LLM judge."""

import json

import pytest

from kurt.checks.grounding import check_claims
from kurt.checks.grounding.claims import check_claims_in, is_factual, score_sentences
from kurt.checks.grounding.judge import LLMJudge
from kurt.checks.grounding.prepared import Grounding
from kurt.checks.grounding.prose import read_prose
from kurt.checks.passages import Passage, SectionSources
from tests.chat_completions import ChatCompletionsServer, reply

SOURCE = """# Healthchecks

When a new deployment is triggered, Railway queries the healthcheck endpoint until it
receives an HTTP 200 response. Only then is the new deployment made active.

The default timeout on healthchecks is 300 seconds. If the application fails to serve a 200
status code during this time, the deploy is marked as failed.

Railway uses the hostname healthcheck.railway.app when it performs healthchecks, so add it to
your allowed hosts if your application restricts incoming traffic by hostname.
"""
SUPPORTED = ("Railway queries the healthcheck endpoint of a new deployment until it receives "
             "an HTTP 200 response, and only then is the deployment made active.")
UNSUPPORTED = ("Every healthcheck also scans the container image for known vulnerabilities "
               "and blocks releases that contain critical ones.")


def sections():
    return [SectionSources(1, 200, None, [Passage("sources/h.md", 1, 11, SOURCE)])]


def draft(*sentences: str) -> str:
    return "# Healthchecks on Railway\n\n" + " ".join(sentences) + "\n"


@pytest.mark.parametrize("sentence, factual", [
    (SUPPORTED, True),
    ("Why does this matter for your users?", False),
    ("Click Settings and open the Networking tab.", False),
    ("Run the deploy again and watch the logs.", False),
    ("In this guide, we look at healthchecks and restarts.", False),
    ("Let's see how this works in practice.", False),
    ("Next, we configure the timeout.", False),
    ("Here is the full configuration:", False),
    ("It works.", False),  # too short to judge
    ("Deploys wait for the healthcheck to pass before traffic moves.", True),
    ("Runs are skipped when the previous run is still active.", True),  # "Runs" is not an order
])
def test_is_factual(vocabulary, sentence, factual):
    from kurt.checks.grounding.lexical import terms_of

    [unit] = [u for u in read_prose(sentence).units if u.kind == "sentence"]
    assert is_factual(unit, terms_of(unit.prose(), vocabulary)) is factual


def test_headings_and_table_cells_are_not_scored(vocabulary):
    text = "# Railway scans every image for viruses daily\n\n| Plan | Scans antivirus daily |\n|---|---|\n| Pro | yes |\n"
    grounding = Grounding(text, "d.md", sections(), vocabulary=vocabulary)
    assert score_sentences(grounding) == []


def test_a_paraphrase_is_supported_and_an_invention_is_not(vocabulary):
    findings = check_claims(draft(SUPPORTED, UNSUPPORTED), "d.md", sections(),
                            vocabulary=vocabulary)
    assert len(findings) == 1
    [finding] = findings
    assert finding.rule == "grounding/claim" and finding.severity == "warning"
    assert finding.message.startswith("No source supports this sentence (support 0.")
    assert finding.line == 3 and finding.column == len(SUPPORTED) + 2
    assert finding.end_column == len(SUPPORTED) + 1 + len(UNSUPPORTED)
    assert finding.evidence.path == "sources/h.md"
    assert finding.suggestion.startswith("the closest source passage is sources/h.md:")


def test_scores_rank_the_supported_sentence_higher(vocabulary):
    grounding = Grounding(draft(SUPPORTED, UNSUPPORTED), "d.md", sections(), vocabulary=vocabulary)
    supported, unsupported = score_sentences(grounding)
    assert supported.score > 0.6 > 0.3 > unsupported.score


def test_minilm_embeddings_blend_into_unsure_scores(vocabulary):
    from kurt.index.embeddings import semantic_available

    if semantic_available():
        pytest.skip("the optional MiniLM model is not installed")
    from kurt.index.encoders import load_model

    grounding = Grounding(draft(SUPPORTED, UNSUPPORTED), "d.md", sections(), vocabulary=vocabulary)
    plain = {s.unit.text: s.score for s in score_sentences(grounding)}

    class Counting:
        def __init__(self):
            self.model, self.calls = load_model(), 0

        def embed(self, texts):
            self.calls += 1
            return self.model.embed(texts)

    embedder = Counting()
    blended = {s.unit.text: s.score for s in score_sentences(grounding, embedder=embedder)}
    from kurt.checks.grounding.claims import UNSURE

    for text, score in plain.items():
        if UNSURE[0] <= score < UNSURE[1]:
            assert blended[text] != score
        else:
            assert blended[text] == score
    assert embedder.calls <= 1


# -- the LLM judge, against a local server speaking the chat completions wire format ---------

def judge_server(verdicts):
    """A server that answers each request with ``verdicts(sentences) -> [bool]``."""

    def respond(request):
        payload = json.loads(request["body"]["messages"][-1]["content"])
        answer = [{"id": item["id"], "supported": verdict, "reason": "test"}
                  for item, verdict in zip(payload["sentences"], verdicts(payload["sentences"]),
                                           strict=True)]
        return 200, {}, reply({"verdicts": answer})

    return ChatCompletionsServer(respond)


def make_judge(server, **kwargs):
    from kurt.index.llm import ChatClient

    client = ChatClient(server.base_url, "test-key", "judge-model", timeout=5,
                        sleep=lambda seconds: None, **kwargs)
    return LLMJudge(client, batch=2)


def test_the_judge_overrules_the_offline_score_on_unsure_sentences(vocabulary):
    server = judge_server(lambda items: [not i["sentence"].startswith("Railway queries")
                                         for i in items])
    try:
        grounding = Grounding(draft(SUPPORTED, UNSUPPORTED), "d.md", sections(),
                              vocabulary=vocabulary)
        findings = check_claims_in(grounding, judge=make_judge(server), unsure=(0.0, 1.01))
    finally:
        server.close()
    [finding] = findings
    assert finding.column == 1  # the judge said the first sentence is unsupported
    assert "the LLM judge found no support" in finding.message
    [request] = server.requests
    assert request["auth"] == "Bearer test-key" and request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["model"] == "judge-model" and body["response_format"] == {"type": "json_object"}
    sent = json.loads(body["messages"][-1]["content"])["sentences"]
    assert [s["id"] for s in sent] == [1, 2]
    assert sent[0]["passages"][0]["source"].startswith("sources/h.md:")


def test_only_unsure_sentences_reach_the_judge(vocabulary):
    server = judge_server(lambda items: [True] * len(items))
    try:
        grounding = Grounding(draft(SUPPORTED, UNSUPPORTED), "d.md", sections(),
                              vocabulary=vocabulary)
        scores = [s.score for s in score_sentences(grounding)]
        low = min(scores) - 0.01  # the unsupported one is unsure, the supported one is sure
        findings = check_claims_in(grounding, judge=make_judge(server), unsure=(low, max(scores)))
    finally:
        server.close()
    assert findings == []  # the judge found support for the low one
    [request] = server.requests
    assert len(json.loads(request["body"]["messages"][-1]["content"])["sentences"]) == 1


def test_a_failing_judge_keeps_the_offline_verdicts(vocabulary):
    server = ChatCompletionsServer(lambda request: (503, {}, {"error": "overloaded"}))
    try:
        grounding = Grounding(draft(SUPPORTED, UNSUPPORTED), "d.md", sections(),
                              vocabulary=vocabulary)
        offline = check_claims_in(grounding)
        judged = check_claims_in(grounding, judge=make_judge(server, retries=1),
                                 unsure=(0.0, 1.01))
    finally:
        server.close()
    assert [(f.line, f.column) for f in judged] == [(f.line, f.column) for f in offline]
    assert len(server.requests) == 2  # one try and one retry, then the batch is given up


def test_a_refused_key_stops_the_check_with_one_line(vocabulary):
    from kurt.index.llm import LLMError

    server = ChatCompletionsServer(lambda request: (401, {}, {"error": "bad key"}))
    try:
        grounding = Grounding(draft(SUPPORTED, UNSUPPORTED), "d.md", sections(),
                              vocabulary=vocabulary)
        with pytest.raises(LLMError, match="refused the key"):
            check_claims_in(grounding, judge=make_judge(server), unsure=(0.0, 1.01))
    finally:
        server.close()


def test_a_judge_answer_that_leaves_sentences_out_keeps_their_offline_verdict(vocabulary):
    server = ChatCompletionsServer(lambda request: (200, {}, reply({"verdicts": [
        {"id": 99, "supported": True}, "junk", {"id": 1, "supported": "yes"}]})))
    try:
        judge = make_judge(server)
        assert judge.judge([("a sentence", []), ("another", [])]) == [None, None]
    finally:
        server.close()


def test_the_judge_from_a_workspace_uses_its_llm_settings(workspace, monkeypatch):
    from kurt.workspace import Workspace

    server = judge_server(lambda items: [False] * len(items))
    try:
        toml = workspace.root / "kurt.toml"
        text, default = toml.read_text(), 'base_url = "https://api.openai.com/v1"'
        local = f'base_url = "{server.base_url}"'
        # (a workspace on PostgreSQL has its own kurt.toml, with no [llm] section yet)
        toml.write_text(text.replace(default, local) if default in text else f"{text}\n[llm]\n{local}\n")
        monkeypatch.setenv("OPENAI_API_KEY", "from-env")
        judge = LLMJudge.from_workspace(Workspace(workspace.root))
        assert judge.judge([("A sentence to judge.", [])]) == [False]
    finally:
        server.close()
    assert server.requests[0]["auth"] == "Bearer from-env"
    assert server.requests[0]["body"]["model"] == "gpt-4o-mini"
