"""LLM enrichment of the local index, behind the same interface as the local indexer.

An enricher takes the local ``DocumentIndex`` of a document and returns it
refined: the entities the model names (typed, normalized through the same
vocabulary and keys; stored with origin 'llm'), its content type when the
model gives a known one, and a one-sentence summary (kept as the
description when the document has none). Local results are kept when the
model disagrees or fails; a failed request is an error on that document only.
"""

from __future__ import annotations

from dataclasses import replace

from kurt.index.content_types import CONTENT_TYPES
from kurt.index.entities import EntityHit
from kurt.index.keys import entity_key
from kurt.index.llm import ChatClient, LLMRequestFailed
from kurt.index.vocabulary import Vocabulary

MAX_CHARS = 12_000  # of the document sent to the model
MAX_ENTITIES = 30

SYSTEM = (
    "You index pages of technical and B2B content. Answer with one JSON object: "
    '{"content_type": one of ' + ", ".join(CONTENT_TYPES) + ", "
    '"summary": one sentence, '
    '"entities": [{"type": "Topic" | "Technology" | "Product" | "Company" | "Feature", '
    '"name": canonical name, "mentions": how often the page mentions it}]}. '
    "Only entities the page is really about or uses; no generic words."
)


class EnrichmentFailed(Exception):
    """Enrichment of one document failed; its local index stands."""


class LLMEnricher:
    def __init__(self, client: ChatClient, vocabulary: Vocabulary):
        self.client = client
        self.vocabulary = vocabulary

    def enrich(self, ws, result):
        """The local ``result`` (a DocumentIndex) refined by the model."""
        messages = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": document_prompt(result)},
        ]
        try:
            answer = self.client.complete_json(messages)
        except LLMRequestFailed as exc:
            raise EnrichmentFailed(str(exc)) from exc
        return merge_answer(result, answer, self.vocabulary)


def document_prompt(result) -> str:
    parts = [f"URL: {result.url}", f"Title: {result.title or ''}", ""]
    size = 0
    for section in result.sections:
        piece = (f"## {section.heading}\n" if section.heading else "") + section.body
        if size + len(piece) > MAX_CHARS:
            parts.append(piece[: max(MAX_CHARS - size, 0)])
            break
        parts.append(piece)
        size += len(piece)
    return "\n".join(parts)


def merge_answer(result, answer: dict, vocab: Vocabulary):
    """Merge a model answer into a DocumentIndex (a new object; the input is not changed)."""
    if not isinstance(answer, dict):
        raise EnrichmentFailed("the LLM answer is not a JSON object")
    hits = {(h.type, h.key): h for h in result.entities}
    raw = answer.get("entities") or []
    if not isinstance(raw, list):
        raise EnrichmentFailed("the LLM answer's 'entities' is not a list")
    for item in raw[:MAX_ENTITIES]:
        hit = _entity(item, vocab)
        if hit is not None and (hit.type, hit.key) not in hits:
            hits[(hit.type, hit.key)] = hit
    content_type = answer.get("content_type")
    if not (isinstance(content_type, str) and content_type.strip().lower() in CONTENT_TYPES):
        content_type = result.content_type
    summary = answer.get("summary")
    summary = summary.strip()[:500] if isinstance(summary, str) and summary.strip() else None
    return replace(result, entities=list(hits.values()), content_type=content_type.strip().lower(),
                   description=summary or result.description)


def _entity(item, vocab: Vocabulary) -> EntityHit | None:
    if not isinstance(item, dict):
        return None
    name, etype = item.get("name"), item.get("type")
    if not isinstance(name, str) or not isinstance(etype, str):
        return None
    name = " ".join(name.split())[:80]
    etype = etype.strip().capitalize()
    if len(name) < 2 or not etype.isalpha():
        return None
    mentions = item.get("mentions")
    mentions = mentions if isinstance(mentions, int) and 0 < mentions < 10_000 else 1
    term = vocab.find(etype, name)
    if term is not None:
        return EntityHit(term.type, term.name, term.key, term.alias_keys(), mentions, {},
                         term.category, "llm")
    return EntityHit(etype, name, entity_key(name), [entity_key(name)], mentions, {}, None, "llm")
