"""Optional LLM refinement of a template customization (``kurt template customize --llm``).

The deterministic analysis in ``kurt.writing.customize`` always runs first and
stays the ground truth. This module sends its measurements, chosen values and
candidate sentences to an OpenAI-compatible chat completions API
(``kurt.index.llm.ChatClient``) and merges the answer conservatively:

- a choice the measurements decided keeps its measured value; only undecided
  ``[A / B / C]`` lines take the LLM's value, and only when it is one of the
  line's own options;
- a DO example must be text that literally occurs in one of the chosen pages
  (anything else is rejected and reported); it is cited with page and line;
- a DON'T example may come from the pages or be a contrasting sentence the LLM
  wrote, which is then labelled as constructed; it needs a reason;
- the voice summary is one paragraph, labelled as written by the LLM.

Failure policy: no key (or a refused key, an unknown model or endpoint) is an
``LLMError`` raised before anything is written (exit 1). A failed request
(timeout, 5xx, repeated 429, invalid JSON) is recorded on the outcome with
status ``failed``; the caller keeps the deterministic result and warns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from kurt.index.llm import LLMError, LLMRequestFailed
from kurt.writing import style
from kurt.writing.guidance import Choice, Example

EXTRA_SENTENCES = 12  # candidate sentences beyond the deterministic DO/DON'T picks
MAX_DO = 3
MAX_DONT = 2
MAX_SUMMARY_CHARS = 1200
MAX_DONT_WORDS = 60

SYSTEM_PROMPT = """\
You help a content team customize a writing template from real pages of their own site.
You receive JSON with the template name, the pages used, style measurements computed from
those pages, the choices already decided by the measurements, the choices the measurements
could not decide (each with its allowed options), and candidate sentences quoted from the pages.

Answer with ONE JSON object and nothing else:
{
  "choices": [{"label": "<an undecided label>", "value": "<exactly one of its options>",
               "reason": "<one short sentence>"}],
  "do": [{"sentence": "<copied verbatim from the pages>", "reason": "<why it exemplifies the style>"}],
  "dont": [{"sentence": "<a weak sentence from the pages, or a contrasting one you write>",
            "reason": "<why to avoid it>"}],
  "voice_summary": "<one paragraph describing the voice of these pages>"
}
Rules: give 2-3 "do" sentences copied character for character from the candidate sentences
or the pages (never rephrase them); give 1-2 "dont" sentences, each with a reason; give a
value only for undecided choices; do not contradict the measurements."""


@dataclass
class LLMOutcome:
    """What the LLM contributed (or why it contributed nothing)."""

    model: str
    status: str  # "refined" | "failed"
    message: str | None = None  # why the request failed
    refined_choices: int = 0
    refined_do: int = 0
    refined_dont: int = 0
    voice_summary: bool = False
    rejected: list[str] = field(default_factory=list)  # picks dropped, each with why


@dataclass
class Refinement:
    """The merged result: choices and examples to render, plus what the LLM did."""

    choices: list[Choice]
    examples: list[Example]
    voice_summary: str | None
    outcome: LLMOutcome


def client_for_customize(ws, *, http=None):
    """The configured chat client, or an ``LLMError`` saying exactly what to set."""
    from kurt.index.llm import client_from_config

    config = ws.config.llm
    if not ws.secret(config.api_key_env):
        raise LLMError(
            f"--llm needs an API key: set {config.api_key_env} in the environment or in .env "
            f"(the variable is named by [llm] api_key_env; base_url and model are in kurt.toml "
            "[llm]), or run without --llm"
        )
    return client_from_config(ws, http=http)


def candidate_sentences(candidates, examples: list[Example], *, extra: int = EXTRA_SENTENCES
                        ) -> list[dict]:
    """The deterministic DO/DON'T picks plus the next best-scored sentences of the pages."""
    out: list[dict] = []
    seen: set[str] = set()
    for ex in examples:
        if ex.document_id and ex.sentence not in seen:
            seen.add(ex.sentence)
            out.append({"sentence": ex.sentence, "document_id": ex.document_id,
                        "deterministic_pick": ex.kind})
    scored = []
    for index, cand in enumerate(candidates):
        for line, sentence in style.page_sentences(cand.text):
            score = style.score_sentence(sentence)
            if score.literal and score.words >= 6 and sentence in cand.text:
                scored.append((-score.score, index, line, sentence, cand.doc.id))
    added = 0
    for _neg, _index, _line, sentence, doc_id in sorted(scored):
        if added >= extra:
            break
        if sentence in seen:
            continue
        seen.add(sentence)
        out.append({"sentence": sentence, "document_id": doc_id})
        added += 1
    return out


def build_messages(template_name: str, *, pages, metrics: dict, choices: list[Choice],
                   sentences: list[dict]) -> list[dict]:
    """The chat messages: the system rules and one JSON payload with everything measured."""
    payload = {
        "template": template_name,
        "pages": [{"document_id": p.document_id, "url": p.url, "title": p.title,
                   "words": p.words} for p in pages],
        "measurements": metrics,
        "decided_choices": [{"label": c.label, "value": c.value, "measured": c.measurement}
                            for c in choices if c.value],
        "undecided_choices": [{"label": c.label, "options": c.options}
                              for c in choices if not c.value],
        "candidate_sentences": sentences,
    }
    return [{"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False, indent=1)}]


def locate(sentence: str, candidates) -> tuple[object, int] | None:
    """(page, line) where ``sentence`` literally occurs as prose, or None."""
    if not sentence or "\n" in sentence:
        return None
    for cand in candidates:
        for line, found in style.page_sentences(cand.text):
            if found == sentence:
                return cand, line
    for cand in candidates:  # 2-3 consecutive sentences quoted together
        at = cand.text.find(sentence)
        if at >= 0 and sentence[:1].isupper() and sentence.endswith((".", "!", "?")):
            return cand, cand.text.count("\n", 0, at) + 1
    return None


def refine(client, *, template_name: str, candidates, pages, metrics: dict,
           choices: list[Choice], examples: list[Example]) -> Refinement:
    """Ask the LLM and merge its answer; a failed request keeps the deterministic result."""
    model = getattr(client, "model", "llm")
    messages = build_messages(template_name, pages=pages, metrics=metrics, choices=choices,
                              sentences=candidate_sentences(candidates, examples))
    try:
        answer = client.complete_json(messages)
    except LLMRequestFailed as exc:
        outcome = LLMOutcome(model, "failed", str(exc))
        return Refinement(choices, examples, None, outcome)
    return merge(answer, choices=choices, examples=examples, candidates=candidates, model=model)


def merge(answer: dict, *, choices: list[Choice], examples: list[Example], candidates,
          model: str) -> Refinement:
    """Merge an LLM answer into the deterministic choices and examples (conservatively)."""
    outcome = LLMOutcome(model, "refined")
    new_choices = _merge_choices(_items(answer.get("choices")), choices, outcome)
    dos = _merge_dos(_items(answer.get("do")), examples, candidates, outcome)
    donts = _merge_donts(_items(answer.get("dont")), examples, dos, candidates, outcome)
    summary = _summary(answer.get("voice_summary"))
    outcome.voice_summary = summary is not None
    return Refinement(new_choices, dos + donts, summary, outcome)


def _items(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _unquote(sentence: str) -> str:
    sentence = sentence.strip()
    if len(sentence) > 1 and sentence[0] == sentence[-1] and sentence[0] in "\"'":
        sentence = sentence[1:-1].strip()
    return sentence


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _merge_choices(items: list[dict], choices: list[Choice], outcome: LLMOutcome) -> list[Choice]:
    answers = {_norm(_text(i.get("label"))): i for i in items}
    merged = []
    for choice in choices:
        item = answers.get(_norm(choice.label))
        if choice.value or item is None:
            merged.append(choice)  # measured values are kept whatever the LLM says
            continue
        wanted = _norm(_text(item.get("value")))
        option = next((o for o in choice.options if _norm(o) == wanted), None)
        if option is None:
            outcome.rejected.append(f"choice {choice.label}: {item.get('value')!r} is not one of "
                                    f"its options")
            merged.append(choice)
            continue
        reason = _text(item.get("reason")) or None
        merged.append(Choice(choice.label, choice.options, option, None, refined=True,
                             reason=reason))
        outcome.refined_choices += 1
    return merged


def _merge_dos(items: list[dict], examples: list[Example], candidates, outcome: LLMOutcome
               ) -> list[Example]:
    picked: list[Example] = []
    for item in items:
        sentence = _unquote(_text(item.get("sentence")))
        where = locate(sentence, candidates)
        if where is None:
            outcome.rejected.append(f"DO {sentence[:80]!r}: not found in the pages")
            continue
        if any(ex.sentence == sentence for ex in picked) or len(picked) >= MAX_DO:
            continue
        cand, line = where
        reason = _text(item.get("reason")) or ", ".join(style.score_sentence(sentence).reasons)
        picked.append(Example("do", sentence, reason[:1].upper() + reason[1:], cand.doc.id,
                              cand.doc.url, line, refined=True))
    outcome.refined_do = len(picked)
    for ex in examples:  # keep measured picks to fill up, so a weak answer never shrinks the list
        if ex.kind == "do" and len(picked) < MAX_DO and all(p.sentence != ex.sentence
                                                            for p in picked):
            picked.append(ex)
    return picked


def _merge_donts(items: list[dict], examples: list[Example], dos: list[Example], candidates,
                 outcome: LLMOutcome) -> list[Example]:
    picked: list[Example] = []
    taken = {ex.sentence for ex in dos}
    for item in items:
        sentence = _unquote(_text(item.get("sentence")))
        reason = _text(item.get("reason"))
        if not sentence or not reason:
            outcome.rejected.append(f"DON'T {sentence[:80]!r}: no sentence or no reason")
            continue
        if sentence in taken or len(picked) >= MAX_DONT:
            continue
        if "\n" in sentence or len(sentence.split()) > MAX_DONT_WORDS:
            outcome.rejected.append(f"DON'T {sentence[:80]!r}: not one short sentence")
            continue
        where = locate(sentence, candidates)
        reason = reason[:1].upper() + reason[1:]
        if where is None:
            picked.append(Example("dont", sentence, reason, None, None, None, constructed=True,
                                  refined=True))
        else:
            cand, line = where
            picked.append(Example("dont", sentence, reason, cand.doc.id, cand.doc.url, line,
                                  refined=True))
        taken.add(sentence)
    outcome.refined_dont = len(picked)
    if not picked:
        return [ex for ex in examples if ex.kind == "dont" and ex.sentence not in taken]
    return picked


def _summary(value) -> str | None:
    text = re.sub(r"\s+", " ", _text(value))
    if not text:
        return None
    if len(text) > MAX_SUMMARY_CHARS:
        text = text[:MAX_SUMMARY_CHARS].rsplit(" ", 1)[0] + " ..."
    return text
