"""Research sources: each one turns a query into a ``ResearchResult``.

The protocol is one function per source, taking the query, its options and an
``ApiClient`` (or a ``PoliteClient`` for feeds) and returning a ``ResearchResult``
(``kurt.integrations.research.results``): the answer when the source writes one
(Perplexity), and numbered ``Reference`` entries with URL, title and date.

- ``perplexity``: an answer with its citations (chat completions with web search);
- ``hackernews``: stories and comments from the HN Algolia search API;
- ``reddit``: posts from Reddit's public JSON listings;
- ``feeds``: entries of RSS, Atom and JSON feeds.

``save`` writes a result as markdown into ``research/``, records it in a
project's plan.md, and ingests the referenced pages on request.
"""
