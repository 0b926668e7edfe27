"""``kurt research search``: an answer with its cited URLs, from an answer engine.

Perplexity's API is an OpenAI-compatible chat completions API
(``POST {base_url}/chat/completions``, ``Authorization: Bearer <key>``, model
``sonar`` and kin), so the request goes through Kurt's chat client
(``kurt.index.llm.ChatClient``). Its answer adds what a plain chat completion lacks:

- ``citations``: the URLs the answer's ``[1]``, ``[2]``... markers point at, in order;
- ``search_results``: ``{title, url, date, last_updated, snippet}`` for the pages
  searched (titles and dates for the citations; the references themselves when a
  response has no ``citations``).

Any other OpenAI-compatible API with web search can be configured in kurt.toml
``[research]`` (base_url, model, api_key_env); the OpenAI-style
``message.annotations`` of type ``url_citation`` are read as citations too.
``--recency`` and ``--domain`` become Perplexity's ``search_recency_filter`` and
``search_domain_filter`` and are sent only when given.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from kurt.errors import KurtError
from kurt.ingest.urls import web_url
from kurt.integrations.http import ServiceError
from kurt.integrations.research.results import Reference, ResearchResult, now_iso

RECENCY = ("hour", "day", "week", "month", "year")
SYSTEM_PROMPT = (
    "You research facts for a technical writer. Answer precisely and concisely, say what "
    "is uncertain, and cite your sources with numbered markers like [1]."
)


def answer_engine(base_url: str) -> tuple[str, str]:
    """(provider id, display name) of the configured API: Perplexity, or another one by host."""
    host = (urlsplit(base_url).hostname or base_url).lower()
    if host == "perplexity.ai" or host.endswith(".perplexity.ai"):
        return "perplexity", "Perplexity"
    return "search", f"The answer engine at {host}"


def client_from_config(ws, *, http=None, sleep=time.sleep):
    """A chat client for kurt.toml ``[research]``; the key comes from the environment or .env."""
    from kurt.index.llm import ChatClient

    config = ws.config.research
    key = ws.secret(config.api_key_env)
    _, service = answer_engine(config.base_url)
    if not key:
        named = service[0].lower() + service[1:] if service.startswith("The ") else service
        raise KurtError(
            f"No API key for {named}: set {config.api_key_env} in the environment or in .env "
            "(the variable is named by [research] api_key_env in kurt.toml)", code="service")
    return ChatClient(config.base_url, key, config.model, timeout=config.timeout,
                      retries=config.retries, http=http, sleep=sleep,
                      max_retry_after=config.max_retry_after, service=service,
                      settings="research")


def search(question: str, client, *, recency: str | None = None,
           domains: tuple[str, ...] | list[str] = (), system: str = SYSTEM_PROMPT) -> ResearchResult:
    """Ask ``question``; the answer and its references (see the module docstring)."""
    from kurt.index.llm import LLMRequestFailed

    question = " ".join((question or "").split())
    if not question:
        raise KurtError("Give a question: kurt research search \"what changed in ...\"")
    if recency is not None and recency not in RECENCY:
        raise KurtError(f"Unknown recency '{recency}': use one of {', '.join(RECENCY)}")
    extra: dict = {}
    options: dict = {}
    if recency:
        extra["search_recency_filter"] = options["recency"] = recency
    if domains:
        extra["search_domain_filter"] = list(domains)
        options["domains"] = ", ".join(domains)
    provider, _ = answer_engine(client.base_url)
    searched_at = now_iso()
    messages = [{"role": "system", "content": system}, {"role": "user", "content": question}]
    try:
        payload = client.chat(messages, temperature=None, extra=extra)
    except LLMRequestFailed as exc:
        said = str(exc)
        raise ServiceError(said if "again later" in said else
                           f"{said}: run the same command again later") from None
    message = payload["choices"][0]["message"]
    answer = message.get("content")
    if not isinstance(answer, str):
        answer = "" if answer is None else str(answer)
    return ResearchResult(provider=provider, query=question, searched_at=searched_at,
                          answer=answer.strip(), model=str(payload.get("model") or client.model),
                          references=references_of(payload), options=options)


def references_of(payload: dict) -> list[Reference]:
    """The numbered references of a response: its citations in order, described by its
    search results; else the search results; else OpenAI-style url_citation annotations."""
    results: dict[str, dict] = {}
    ordered_results: list[str] = []
    for item in payload.get("search_results") or []:
        if not isinstance(item, dict):
            continue
        url = web_url(str(item.get("url") or ""))
        if url and url not in results:
            results[url] = item
            ordered_results.append(url)
    citations = []
    for item in payload.get("citations") or []:
        raw = item.get("url") if isinstance(item, dict) else item
        url = web_url(str(raw or ""))
        if url:
            citations.append(url)  # duplicates kept: the [n] markers count them
    if not citations:
        message = (payload.get("choices") or [{}])[0].get("message") or {}
        for note in message.get("annotations") or []:
            cited = note.get("url_citation") if isinstance(note, dict) else None
            url = web_url(str(cited.get("url") or "")) if isinstance(cited, dict) else None
            if url and url not in citations:
                citations.append(url)
                results.setdefault(url, {"title": cited.get("title")})
    urls = citations or ordered_results
    references = []
    for url in urls:
        item = results.get(url, {})
        date = item.get("date") or item.get("last_updated")
        references.append(Reference(
            url=url,
            title=_text(item.get("title")),
            date=_text(date),
            site=(urlsplit(url).hostname or "").removeprefix("www.") or None,
            excerpt=_text(item.get("snippet")),
        ))
    return references


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
