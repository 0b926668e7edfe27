"""Integrations: the outside services Kurt reads, each behind a small protocol.

- ``research/``: where writers look beyond their ingested sources. Each source
  (Perplexity or another OpenAI-compatible answer engine, Hacker News, Reddit,
  feeds) turns a question into a ``ResearchResult`` of numbered references; the
  results are saved as markdown, recorded in a project's plan, and optionally
  ingested as documents.
- ``analytics/``: page traffic. Each provider (PostHog, Google Analytics 4,
  Plausible) turns a period into ``PageTraffic`` rows; ``sync`` matches them to
  documents and stores them, ``candidates`` ranks the pages to refresh first.

Every call goes through ``kurt.integrations.http.ApiClient`` (retries with backoff
honouring ``Retry-After``, timeouts, one-line errors naming what to fix). Base
URLs come from kurt.toml and are trusted as configured; keys come only from the
environment or the workspace's ``.env`` and are never written or logged.
"""
