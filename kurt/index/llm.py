"""A small client for OpenAI-compatible chat completions APIs (OpenAI, Ollama, vLLM, ...).

``POST {base_url}/chat/completions`` with ``Authorization: Bearer <key>`` and
``{"model", "messages", "temperature", "response_format": {"type": "json_object"}}``;
the answer is ``choices[0].message.content``, parsed as a JSON object.

``chat`` returns the whole response instead, for callers that want more than
JSON content (``kurt research search`` reads an answer engine's citations).

Failures that stop a whole run (no key, a refused key, an unknown model or
endpoint) raise ``LLMError`` (a KurtError: one line, what to do next).
Failures of one request (429 after retries, 5xx, timeouts and dropped
connections after retries, invalid JSON)
raise ``LLMRequestFailed`` so the caller can record them against a document.
``service`` and ``settings`` name the API and its kurt.toml section in those
messages (``[llm]`` by default).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kurt.errors import KurtError

RETRY_STATUSES = (429, 500, 502, 503, 504)


class LLMError(KurtError):
    """The LLM cannot be used at all (configuration, key, endpoint)."""

    code = "service"


class LLMRequestFailed(Exception):
    """One request failed; other requests may succeed."""


@dataclass
class ChatClient:
    base_url: str
    api_key: str
    model: str
    timeout: float = 60.0
    retries: int = 2
    http: object | None = None  # an httpx.Client; made on first use when None
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    max_retry_after: float = 30.0
    service: str = "The LLM API"  # named in messages
    settings: str = "llm"  # the kurt.toml section holding base_url, model and api_key_env

    def complete_json(self, messages: list[dict], *, temperature: float = 0.0) -> dict:
        """Send ``messages`` and return the answer as a JSON object."""
        payload = self.chat(messages, temperature=temperature,
                            extra={"response_format": {"type": "json_object"}})
        content = payload["choices"][0]["message"]["content"]
        if isinstance(content, dict):
            return content
        try:
            data = json.loads(_strip_fences(content or ""))
        except ValueError as exc:
            raise LLMRequestFailed("the LLM answered with invalid JSON") from exc
        if not isinstance(data, dict):
            raise LLMRequestFailed("the LLM answered JSON that is not an object")
        return data

    def chat(self, messages: list[dict], *, temperature: float | None = 0.0,
             extra: dict | None = None) -> dict:
        """Send ``messages`` (with the ``extra`` request fields) and return the whole
        response, whose ``choices[0].message.content`` is checked to be there."""
        import httpx

        http = self.http or httpx.Client(timeout=self.timeout)
        url = self.base_url.rstrip("/") + "/chat/completions"
        body = {"model": self.model, "messages": messages}
        if temperature is not None:
            body["temperature"] = temperature
        body.update(extra or {})
        headers = {"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"}
        try:
            for attempt in range(self.retries + 1):
                try:
                    response = http.post(url, json=body, headers=headers, timeout=self.timeout)
                except httpx.TimeoutException as exc:
                    if attempt < self.retries:
                        self.sleep(min(2 ** attempt, self.max_retry_after))
                        continue
                    raise LLMRequestFailed(
                        f"{_lower(self.service)} timed out after {self.timeout:g}s") from exc
                except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError) as exc:
                    if attempt < self.retries:  # dropped mid-way: worth another try
                        self.sleep(min(2 ** attempt, self.max_retry_after))
                        continue
                    raise LLMRequestFailed(f"{_lower(self.service)} dropped the connection "
                                           f"{attempt + 1} times") from exc
                except httpx.HTTPError as exc:
                    raise LLMError(
                        f"Cannot reach {_lower(self.service)} at {self.base_url}: "
                        f"{_blank(str(exc), self.api_key)}: check [{self.settings}] base_url"
                    ) from exc
                status = response.status_code
                if status in RETRY_STATUSES and attempt < self.retries:
                    self.sleep(_retry_after(response, attempt, self.max_retry_after))
                    continue
                return _parse(response, self)
        finally:
            if self.http is None:
                http.close()
        raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(response, attempt: int, cap: float) -> float:
    """Retry-After (seconds or an HTTP date, read as the polite client reads it), capped."""
    from kurt.ingest.http import _parse_retry_after

    asked = _parse_retry_after(response.headers.get("Retry-After"))
    return min(asked if asked is not None else 2.0 ** attempt, cap)


def _parse(response, client: ChatClient) -> dict:
    status = response.status_code
    detail = _error_detail(response, client.api_key)
    said = f": {detail}" if detail else ""
    section = client.settings
    if status in (401, 403):
        raise LLMError(
            f"{client.service} refused the key ({status}{said}): check the key in the variable "
            f"named by [{section}] api_key_env"
        )
    if status == 404:
        raise LLMError(
            f"{client.service} has no {client.base_url.rstrip('/')}/chat/completions or no model "
            f"'{client.model}' (404{said}): check [{section}] base_url and model in kurt.toml"
        )
    if status == 429:
        raise LLMRequestFailed(f"{_lower(client.service)} kept rate-limiting (429); try again later")
    if status >= 400:
        raise LLMRequestFailed(f"{_lower(client.service)} answered HTTP {status}{said}")
    try:
        payload = response.json()
        payload["choices"][0]["message"]["content"]  # noqa: B018 - checks the shape
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LLMRequestFailed(f"{_lower(client.service)} answer is not a chat completion") from exc
    return payload


def _error_detail(response, secret: str = "") -> str | None:
    """The API's own reason in an error body (``{"error": {"message": ...}}`` and kin),
    with ``secret`` blanked out."""
    if response.status_code < 400:
        return None
    try:
        data = response.json()
    except ValueError:
        return None
    error = data.get("error") if isinstance(data, dict) else None
    message = error.get("message") if isinstance(error, dict) else error
    if not isinstance(message, str) and isinstance(data, dict):
        message = data.get("detail") or data.get("message")
    if not isinstance(message, str) or not message.strip():
        return None
    message = _blank(" ".join(message.split()), secret)
    return message if len(message) <= 200 else message[:197] + "..."


def _blank(text: str | None, secret: str) -> str | None:
    """``text`` with the key blanked out: some APIs quote the key they refuse, and a
    message may end up in a terminal's scrollback or a CI log."""
    if text and secret and len(secret) >= 4:
        return text.replace(secret, "***")
    return text


def _lower(service: str) -> str:
    """'The LLM API' -> 'the LLM API' inside a sentence; names stay as they are."""
    return service[0].lower() + service[1:] if service.startswith("The ") else service


def _strip_fences(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text


def client_from_config(ws, *, http=None) -> ChatClient:
    """A client configured by kurt.toml [llm]; the key comes from the environment or .env."""
    config = ws.config.llm
    key = ws.secret(config.api_key_env)
    if not key:
        raise LLMError(
            f"No API key for the LLM: set {config.api_key_env} in the environment or in .env "
            "(or run without --llm; the local index needs no key)"
        )
    return ChatClient(config.base_url, key, config.model, timeout=config.timeout, http=http)
