"""``customize_template(..., llm=client)`` against a local server speaking chat completions."""

from __future__ import annotations

import json

import pytest

from kurt.index.llm import ChatClient, LLMError
from kurt.store.filters import DocumentFilter
from kurt.writing.customize import customize_template
from kurt.writing.customize_llm import client_for_customize, locate
from tests.chat_completions import ChatCompletionsServer, reply

KEY = "sk-customize-test"
FABRICATED = "Railway makes every integration effortless and magical for all teams."
GUIDES = DocumentFilter(url_prefix="https://docs.railway.com/guides/")


class ChatAPI(ChatCompletionsServer):
    """An OpenAI-compatible endpoint on 127.0.0.1; ``answer(payload) -> (status, body)``."""

    def __init__(self):
        self.answer = canned_answer
        super().__init__(self.chat)

    def chat(self, request: dict):
        if request["auth"] != f"Bearer {KEY}":
            return 401, {}, {"error": {"message": "bad key"}}
        status, answer = self.answer(json.loads(request["body"]["messages"][-1]["content"]))
        return (200, {}, reply(answer)) if status == 200 else (status, {}, answer)


def canned_answer(payload: dict) -> tuple[int, dict]:
    """A plausible answer: one real DO sentence (the last candidate), one fabricated one,
    a value for every undecided choice, an attempt to override a measured one."""
    real = payload["candidate_sentences"][-1]["sentence"]
    undecided = payload["undecided_choices"]
    return 200, {
        "choices": [{"label": c["label"], "value": c["options"][-1], "reason": "Pages agree."}
                    for c in undecided]
        + [{"label": "Voice", "value": "Passive", "reason": "Overriding the measurement."}],
        "do": [{"sentence": real, "reason": "concrete and direct"},
               {"sentence": FABRICATED, "reason": "sounds great"}],
        "dont": [{"sentence": "Things can be configured in various ways as needed.",
                  "reason": "Vague: names nothing the reader can do."}],
        "voice_summary": "Direct, second-person instructions\nthat name real commands.",
    }


@pytest.fixture
def api():
    server = ChatAPI()
    yield server
    server.close()


def client(api, key=KEY) -> ChatClient:
    return ChatClient(api.base_url, key, "test-model", timeout=5, sleep=lambda s: None)


def run(ws, llm, **kw):
    store = ws.open_store()
    try:
        return customize_template(ws, store, "documentation-tutorial", flt=GUIDES, llm=llm, **kw)
    finally:
        store.close()


def test_request_speaks_the_chat_completions_wire_format(railway_workspace, api):
    run(railway_workspace, client(api), dry_run=True)
    (request,) = api.requests
    assert request["method"] == "POST" and request["path"] == "/v1/chat/completions"
    assert request["auth"] == f"Bearer {KEY}"
    body = request["body"]
    assert body["model"] == "test-model"
    assert body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    payload = json.loads(body["messages"][1]["content"])
    assert set(payload) == {"template", "pages", "measurements", "decided_choices",
                            "undecided_choices", "candidate_sentences"}
    assert payload["template"] == "documentation-tutorial"
    assert payload["undecided_choices"], "the tutorial has choices no measurement decides"
    assert all(c["value"] for c in payload["decided_choices"])
    assert "passive_ratio" in payload["measurements"]
    assert len(payload["candidate_sentences"]) > 5  # DO/DON'T picks plus more from the pages


def test_fabricated_do_sentence_is_rejected(railway_workspace, api):
    ws = railway_workspace
    report = run(ws, client(api))
    text = (ws.templates_dir / "documentation-tutorial.md").read_text(encoding="utf-8")
    assert FABRICATED not in text
    assert all(ex.sentence != FABRICATED for ex in report.examples)
    assert any(FABRICATED[:40] in r and "not found in the pages" in r
               for r in report.llm.rejected)


def test_accepted_do_sentences_occur_in_the_cited_page(railway_workspace, api):
    ws = railway_workspace
    report = run(ws, client(api))
    refined = [ex for ex in report.examples if ex.kind == "do" and ex.refined]
    assert len(refined) == report.llm.refined_do == 1
    for ex in (e for e in report.examples if e.kind == "do"):
        page = next(p for p in report.pages if p.document_id == ex.document_id)
        lines = (ws.root / page.path).read_text(encoding="utf-8").split("\n")
        assert ex.sentence in lines[ex.line - 1]
    assert "- Why this works (refined by LLM): Concrete and direct" in report.section


def test_measured_choices_are_kept_and_undecided_ones_refined(railway_workspace, api):
    ws = railway_workspace
    measured = {c.label: c.value for c in run(ws, None, dry_run=True).choices}
    report = run(ws, client(api))
    by_label = {c.label: c for c in report.choices}
    assert by_label["Voice"].value == measured["Voice"] == "Active"
    assert not by_label["Voice"].refined
    for label, value in measured.items():
        if value is None:
            choice = by_label[label]
            assert choice.refined and choice.value == choice.options[-1]
            assert f"{label}: {choice.value} (refined by LLM: Pages agree.)" in report.section
    assert not report.notes  # nothing left undecided


def test_voice_summary_and_constructed_dont_are_labelled(railway_workspace, api):
    report = run(railway_workspace, client(api))
    assert report.voice_summary == ("Direct, second-person instructions that name real "
                                    "commands.")
    assert f"**Voice (refined by LLM):** {report.voice_summary}" in report.section
    assert ("❌ **DON'T (constructed by LLM):** \"Things can be configured in various ways "
            "as needed.\"") in report.section
    assert report.llm.status == "refined"


def test_invalid_option_is_rejected_and_left_undecided(railway_workspace, api):
    api.answer = lambda payload: (200, {"choices": [
        {"label": c["label"], "value": "Something else"} for c in payload["undecided_choices"]]})
    report = run(railway_workspace, client(api))
    assert report.llm.refined_choices == 0
    assert report.notes and all("not measurable" in n for n in report.notes)
    assert any("is not one of its options" in r for r in report.llm.rejected)


def test_request_failure_keeps_the_measured_result(railway_workspace, api):
    ws = railway_workspace
    measured = run(ws, None, dry_run=True)
    api.answer = lambda payload: (500, {"error": {"message": "overloaded"}})
    report = run(ws, client(api))
    assert report.llm.status == "failed" and "HTTP 500" in report.llm.message
    assert report.section == measured.section
    assert report.written and "refined by LLM" not in (
        ws.templates_dir / "documentation-tutorial.md").read_text(encoding="utf-8")


def test_refused_key_raises_and_writes_nothing(railway_workspace, api):
    ws = railway_workspace
    path = ws.templates_dir / "documentation-tutorial.md"
    before = path.read_text(encoding="utf-8")
    with pytest.raises(LLMError, match="refused the key"):
        run(ws, client(api, key="sk-wrong"))
    assert path.read_text(encoding="utf-8") == before


def test_no_key_says_what_to_set(workspace, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(LLMError) as info:
        client_for_customize(workspace)
    message = str(info.value)
    assert "set OPENAI_API_KEY in the environment or in .env" in message
    assert "\n" not in message


def test_key_from_dotenv_makes_a_configured_client(workspace, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    workspace.env_path.write_text("OPENAI_API_KEY=sk-from-dotenv\n")
    chat = client_for_customize(workspace)
    assert chat.api_key == "sk-from-dotenv" and chat.model == workspace.config.llm.model


class _Doc:
    id, url = "doc1", "https://example.com/a"


class _Page:
    doc = _Doc()
    text = ("---\ntitle: A\n---\n\n# A\n\nRun `railway up` to deploy. Then open the dashboard.\n"
            "\nYou can add a database later.\n")


@pytest.mark.parametrize("sentence, line", [
    ("Run `railway up` to deploy.", 7),
    ("You can add a database later.", 9),
    ("Run `railway up` to deploy. Then open the dashboard.", 7),  # two sentences quoted together
    ("You can add a database.", None),  # close is not literal
    ("railway up", None),  # a fragment is not a sentence
    ("Run `railway up` to deploy.\nThen", None),
    ("", None),
])
def test_locate_accepts_only_literal_sentences(sentence, line):
    found = locate(sentence, [_Page()])
    assert (found[1] if found else None) == line
