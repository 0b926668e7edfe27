"""Normalized keys for entity names: case, spacing, plurals and punctuation.

``entity_key`` is the one place that decides when two spellings name the same
entity; the store keeps it in ``entities.key`` and ``entity_aliases.alias_key``
and ``--with-entity`` looks names up through it.
"""

from __future__ import annotations

import functools
import re

_SPACE = re.compile(r"[\s_]+")

# Words that end in "s" but are not plurals (names of technologies, mostly).
_INVARIANT = frozenset({
    "kubernetes", "postgres", "rails", "jenkins", "aws", "dns", "https", "http", "ios",
    "sms", "news", "series", "species", "analytics", "windows", "express", "redis",
    "chaos", "kudos", "status", "canvas", "atlas", "pandas", "keras", "nuxt", "sass",
    "less", "us", "gcs", "ecs", "eks", "rds", "sqs", "sns", "kms", "iis", "css", "pwas",
    "js", "ts", "nats", "cors", "vps", "tls", "ssl", "has", "was", "its", "this", "is",
    "as", "lens", "always", "perhaps", "sandbox", "mcp", "hipaa", "saas", "paas", "iaas",
    "faas", "daas", "baas", "dbaas", "gas", "bias", "alias", "wss",
})


@functools.lru_cache(maxsize=1 << 16)  # pure, and called for the same few names over and over
def entity_key(name: str) -> str:
    """The key two spellings of one entity share: 'Integrations' and 'integration' -> 'integration'."""
    key = _SPACE.sub(" ", name.strip().lower())
    key = key.replace("’", "'")
    words = key.split(" ")
    words[-1] = _singular(words[-1])
    return " ".join(words)


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isalpha() or word in _INVARIANT:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "os", "as", "js")):
        return word[:-1]
    return word
