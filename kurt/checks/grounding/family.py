"""The grounding family of ``kurt draft check``: ``grounding/specific`` and ``grounding/claim``.

For each draft, the passages behind each section (``kurt.checks.section_sources``)
and the workspace's vocabulary (read once per run) go to ``check_grounding``.
A draft none of whose sources resolves, or any draft of a workspace with no
ingested document, is not checked here: the ``sources/*`` rules say why. ``grounding/claim`` blends in the local MiniLM embeddings when
kurt.toml's ``[checks] claim_embeddings`` asks for them and the model package is
installed (loaded on the first unsure sentence of the run, never downloaded), and asks the run's LLM judge (``--judge llm``) about the
sentences the offline score is unsure about.
"""

from __future__ import annotations

from kurt.checks.grounding.claims import RULE as CLAIM_RULE
from kurt.checks.grounding.claims import check_claims_in
from kurt.checks.grounding.prepared import Grounding, unique_passages
from kurt.checks.grounding.specific_check import RULE as SPECIFIC_RULE
from kurt.checks.grounding.specific_check import check_specifics_in
from kurt.checks.section_sources import section_sources


class LazyEmbedder:
    """The local MiniLM model, loaded on the first ``embed`` (most drafts never need it)."""

    def __init__(self):
        self._model = None

    def embed(self, texts):
        if self._model is None:
            from kurt.index.embeddings import load_model

            self._model = load_model()
        return self._model.embed(texts)


def _vocabulary(shared):
    if "vocabulary" not in shared.cache:
        from kurt.index.vocabulary import load_vocabulary

        shared.cache["vocabulary"] = load_vocabulary(shared.ws)
    return shared.cache["vocabulary"]


def _embedder(shared):
    """The local MiniLM model when kurt.toml asks for it ([checks] claim_embeddings) and it is
    installed; it costs about a second of CPU a draft, so it is not the default."""
    if "embedder" not in shared.cache:
        wanted = bool(getattr(shared.config, "claim_embeddings", False))
        if wanted:
            from kurt.index.embeddings import semantic_available

            missing = semantic_available()
            if missing:
                shared.cache.setdefault("notices", []).append(
                    f"[checks] claim_embeddings: {missing}")
                wanted = False
        shared.cache["embedder"] = LazyEmbedder() if wanted else None
    return shared.cache["embedder"]


def _analysis_cache(shared, vocabulary):
    """The run's persistent cache of source analyses (kurt.checks.grounding.analysis_cache)."""
    if "analysis" not in shared.cache:
        from kurt.checks.grounding.analysis_cache import AnalysisCache

        cache = (AnalysisCache.open(shared.ws, vocabulary) if shared.analysis_cache
                 else AnalysisCache.disabled())
        shared.cache["analysis"] = cache
        shared.cache.setdefault("close", []).append(cache.close)
        shared.cache.setdefault("stats", {})["analysis_cache"] = cache.stats
    return shared.cache["analysis"]


def _facts(shared, vocabulary):
    if "facts" not in shared.cache:
        from kurt.checks.grounding.facts import FactsCache

        shared.cache["facts"] = FactsCache(vocabulary)
    return shared.cache["facts"]


def _runs(shared) -> bool:
    selection = shared.selection
    return selection is None or selection.runs(SPECIFIC_RULE) or selection.runs(CLAIM_RULE)


PASSAGES_PER_WORKER = 150  # fewer sources to read than this per process: read them here


def prepare(contexts) -> None:
    """With several processes (``shared.jobs``), read what the run's drafts need of their
    sources before checking them: each draft's sections (kept for ``check``), and the
    analyses of their passages that the analysis cache does not hold (a first run), in forked
    processes when there are many, then kept in the cache at once. The drafts' checks (here
    or in forked workers) find them read. When the drafts are checked in this process, the
    readers work while the other families check the first draft."""
    drafts = [ctx for ctx in contexts if ctx.is_draft]
    if not drafts or drafts[0].shared.jobs < 2 or not _runs(drafts[0].shared) \
            or drafts[0].corpus.document_count() == 0:
        return  # one process: the drafts' checks read their sources as they go
    shared = drafts[0].shared
    kept = shared.cache.setdefault("sections", {})
    passages: dict[tuple, object] = {}
    for ctx in drafts:
        sections = kept[ctx.path] = section_sources(ctx)
        for passage in unique_passages(sections):
            passages.setdefault((passage.path, passage.line_start, passage.line_end), passage)
    vocabulary = _vocabulary(shared)
    facts = _facts(shared, vocabulary)
    windows = shared.cache.setdefault("windows", {})
    stored = _analysis_cache(shared, vocabulary)
    wanted = list(passages.values())
    # every passage's windows (the lexical index holds them all); the facts of the section's
    # and the draft's sources (the project's are read only when a specific gets that far)
    missing = stored.missing(wanted)
    count = min(shared.jobs, len(missing) // PASSAGES_PER_WORKER)
    if count < 2:
        return  # a few: the drafts' checks read them, and the cached ones, as they go
    from kurt.checks.grounding.analysis_cache import read_in_processes, start_reading
    from kurt.checks.runner import workers

    stored.load(wanted, windows, facts.passages, vocabulary)
    if workers(shared.jobs, len(contexts)) < 2:
        # the drafts are checked here: the other families' checks run while the sources
        # are read, and the first draft's grounding check waits for them (``_settle``)
        reading = start_reading(missing, vocabulary, count, windows, facts.passages, stored)
        if reading is not None:
            shared.cache["reading"] = (reading, wanted)
            shared.cache.setdefault("close", []).insert(0, reading.cancel)
        return
    if read_in_processes(missing, vocabulary, count, windows, facts.passages, stored):
        stored.save(wanted, windows, facts.passages)  # what the readers could not keep


def _settle(shared) -> None:
    """Add what the forked readers ``prepare`` started have read (waiting for them)."""
    pending = shared.cache.pop("reading", None)
    if pending is None:
        return
    reading, wanted = pending
    reading.finish()
    vocabulary = _vocabulary(shared)
    _analysis_cache(shared, vocabulary).save(wanted, shared.cache.setdefault("windows", {}),
                                             _facts(shared, vocabulary).passages)


def check(ctx):
    if not ctx.is_draft or ctx.corpus.document_count() == 0:
        return []  # an empty store is sources/empty-store's one finding
    _settle(ctx.shared)
    selection = ctx.shared.selection
    specific = selection is None or selection.runs(SPECIFIC_RULE)
    claim = selection is None or selection.runs(CLAIM_RULE)
    if not (specific or claim):
        return []
    sections = ctx.shared.cache.get("sections", {}).pop(ctx.path, None)
    if sections is None:
        sections = section_sources(ctx)
    if not any(section.passages for section in sections):
        return []
    vocabulary = _vocabulary(ctx.shared)
    cache = ctx.shared.cache
    _facts(ctx.shared, vocabulary)
    windows = cache.setdefault("windows", {})
    stored = _analysis_cache(ctx.shared, vocabulary)
    passages = unique_passages(sections)
    stored.load(passages, windows, cache["facts"].passages, vocabulary)
    grounding = Grounding(ctx.text, ctx.rel, sections, vocabulary=vocabulary,
                          facts=cache["facts"], windows=windows,
                          terms=cache.setdefault("sentence_terms", {}), passages=passages,
                          indexes=cache.setdefault("lexical_indexes", {}).setdefault(
                              ctx.project_dir, []))  # a project's drafts share its sources
    findings = check_specifics_in(grounding) if specific else []
    if claim:
        findings += check_claims_in(grounding, embedder=_embedder(ctx.shared),
                                    judge=ctx.shared.judge)
    stored.save(passages, windows, cache["facts"].passages)
    return findings
