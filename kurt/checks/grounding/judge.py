"""An LLM judge for ``grounding/claim``: is this sentence supported by these passages?

``LLMJudge(client)`` takes the OpenAI-compatible ``ChatClient`` of indexing
(``kurt.index.llm``; ``LLMJudge.from_workspace(ws)`` builds it from kurt.toml's
``[llm]``, and ``kurt draft check --judge llm`` uses it) and asks about up to ``batch`` sentences per request::

    {"sentences": [{"id": 1, "sentence": "...", "passages": [{"source": "path:3-5",
                    "text": "..."}]}]}

and expects ``{"verdicts": [{"id": 1, "supported": true, "reason": "..."}]}``.
``judge(items)`` returns one verdict per item: True (supported), False, or None
when the request failed or the answer left the sentence out (the offline score
then stands). A key or endpoint that cannot work raises ``LLMError`` (one line,
what to do next), which the command reports once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

SYSTEM = (
    "You check a technical marketing draft against its sources. For each sentence, decide "
    "whether the source passages given with it state what the sentence claims. Rewording is "
    "fine; a number, name, limit or capability that the passages do not state, or state "
    "differently, is not supported. Answer only with JSON: {\"verdicts\": [{\"id\": <id>, "
    "\"supported\": true|false, \"reason\": \"<one short sentence>\"}]}."
)
PASSAGE_CHARS = 1_200


@dataclass
class LLMJudge:
    client: object  # kurt.index.llm.ChatClient (complete_json(messages) -> dict)
    batch: int = 8

    @classmethod
    def from_workspace(cls, ws, *, http=None) -> LLMJudge:
        """The judge of kurt.toml's ``[llm]`` provider; a ``UsageError`` (one line, what to
        do) when no provider is configured."""
        from kurt.errors import UsageError
        from kurt.index.llm import LLMError, client_from_config

        try:
            return cls(client_from_config(ws, http=http))
        except LLMError as exc:
            config = ws.config.llm
            raise UsageError(
                f"--judge llm needs an LLM provider: set {config.api_key_env} in the environment"
                f" or .env, and [llm] base_url and model in kurt.toml (now {config.base_url}, "
                f"{config.model}); or leave out --judge") from exc

    def judge(self, items: list[tuple[str, list[tuple[str, int, int, str]]]]) -> list[bool | None]:
        """Verdicts for (sentence, [(path, line_start, line_end, text), ...]) items, in order."""
        from kurt.index.llm import LLMRequestFailed

        verdicts: list[bool | None] = [None] * len(items)
        for first in range(0, len(items), self.batch):
            chunk = items[first:first + self.batch]
            payload = {"sentences": [
                {"id": first + k + 1, "sentence": sentence,
                 "passages": [{"source": f"{path}:{a}-{b}", "text": text[:PASSAGE_CHARS]}
                              for path, a, b, text in passages]}
                for k, (sentence, passages) in enumerate(chunk)]}
            messages = [{"role": "system", "content": SYSTEM},
                        {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]
            try:
                answer = self.client.complete_json(messages)
            except LLMRequestFailed:
                continue  # this batch keeps its offline verdicts
            for verdict in answer.get("verdicts") or []:
                if not isinstance(verdict, dict):
                    continue
                ident, supported = verdict.get("id"), verdict.get("supported")
                if isinstance(ident, int) and first < ident <= first + len(chunk) \
                        and isinstance(supported, bool):
                    verdicts[ident - 1] = supported
        return verdicts
