"""``grounding/claim``: each factual sentence gets a support score against its best source windows.

Which sentences are scored (``is_factual``): sentences of paragraphs and list
items that state something. Questions, calls to action and instructions
(``Click``, ``Run``, ``Sign up``...), transitions and the draft talking about
itself (``In this guide...``, ``Let's...``, ``Next,``) and sentences with fewer
than ``MIN_TERMS`` content terms are not scored; headings and table cells never are.

The score: the mean of two lexical coverages (``kurt.checks.grounding.lexical``)
over the passages the sentence may rely on (its section's, the draft's and the
project's): the share of the sentence's term weight found in its best window
(is it stated in one place?) and found anywhere in those passages (does the
sentence bring in words no source uses?). With an ``embedder`` (the local MiniLM model,
``kurt.index.embeddings``), the sentences near the threshold (at most
``EMBED_LIMIT``, the closest first) are also compared by cosine similarity with
their best window, and the two scores are blended.
Below ``THRESHOLD`` a sentence is unsupported: a warning with the closest
window as evidence. With a ``judge`` (``kurt.checks.grounding.judge``), the
sentences whose score falls in the unsure band (``UNSURE``) are sent to the
LLM, whose verdict replaces the offline one; a failed request keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.finding import Finding
from kurt.checks.grounding.lexical import Match
from kurt.checks.grounding.prepared import Grounding, evidence_of
from kurt.checks.grounding.prose import Unit, is_metadata

RULE = "grounding/claim"
MIN_TERMS = 4
THRESHOLD = 0.44  # below: unsupported (tuned on the bench's dev half, see bench/README.md)
UNSURE = (0.34, 0.54)  # scores an embedder or a judge looks at again
EMBED_WEIGHT = 0.5  # share of the cosine in the blended score
EMBED_SHIFT = 0.25  # cosine similarities of related sentences sit higher than coverage
EMBED_LIMIT = 16  # sentences embedded per draft (the closest to the threshold): bounds the time
EMBED_CHARS = 300  # of a sentence or a window given to the model (its cost grows with length)

_IMPERATIVE = frozenset("""
add allow avoid build call check choose click configure connect consider copy create define
deploy describe download enable ensure enter explore fill find follow go grab head install
keep learn let link log make move navigate note open paste pick point push read remember
remove replace restart review run see select send set share sign skip specify start stop
switch take tap test try type update upgrade upload use verify visit wait watch write
""".split())
_META = re.compile(
    r"^(?:in this (?:guide|tutorial|post|article|section|page|walkthrough)|this (?:guide|"
    r"tutorial|post|article|section|page) (?:shows|walks|explains|covers|will)|let's|let us|"
    r"here's|here is|here are|now that|next,|first,|finally,|to get started|ready to|want to|"
    r"by the end|you'll learn|you will learn|you'll need|you will need|that's it|and that's|"
    r"with that|in short|in summary|to sum up|to recap|for example,|for instance,|"
    r"once (?:that|this) is done|if you (?:want|need|would like|'d like|are ready|prefer)|"
    r"questions\?|need help|thanks for)", re.IGNORECASE)


_LABEL = re.compile(r"^[*_]*[A-Z][\w ]{0,30}:[*_]*\s+(?=\w)")


@dataclass
class Scored:
    unit: Unit
    score: float
    matches: list[Match]
    verdict: bool | None = None  # a judge's verdict, when one was asked


def is_factual(unit: Unit, terms: list[str]) -> bool:
    """Does this sentence state something a source should back? (see the module docstring)"""
    if unit.kind != "sentence" or is_metadata(unit):
        return False
    text = unit.text.strip()
    if not text or text.endswith("?") or text.endswith(":"):
        return False
    text = _LABEL.sub("", text, count=1)  # "**Goal:** stop ..." is read as "stop ..."
    first = re.match(r"[\W_]*([A-Za-z']+)", text)
    if first and first.group(1).lower() in _IMPERATIVE and not re.match(
            r"[\W_]*[A-Za-z']+s\b", text):
        return False
    if _META.match(text.lstrip("*_ ")):
        return False
    return len(set(terms)) >= MIN_TERMS


def score_sentences(grounding: Grounding, *, embedder=None) -> list[Scored]:
    scored = []
    for unit in grounding.prose.units:
        terms = grounding.terms(unit) if unit.kind == "sentence" else []
        if not is_factual(unit, terms):
            continue
        matches = grounding.nearest(unit, limit=3)
        best = matches[0].score if matches else 0.0
        spread = grounding.lexical.scope_coverage(terms, grounding.passages_for(unit))
        scored.append(Scored(unit, (best + spread) / 2, matches))
    if embedder is not None:
        _blend_embeddings(scored, embedder)
    return scored


def _blend_embeddings(scored: list[Scored], embedder) -> None:
    """Blend in the cosine similarity with the best window, for the sentences near the threshold.

    At most ``EMBED_LIMIT`` sentences (the closest to the threshold) and their best
    windows are embedded, so the model's cost stays bounded whatever the draft.
    """
    unsure = [s for s in scored if UNSURE[0] <= s.score < UNSURE[1] and s.matches]
    unsure = sorted(unsure, key=lambda s: abs(s.score - THRESHOLD))[:EMBED_LIMIT]
    if not unsure:
        return
    sentences = [" ".join(s.unit.prose().split())[:EMBED_CHARS] for s in unsure]
    windows = [" ".join(s.matches[0].window.text.split())[:EMBED_CHARS] for s in unsure]
    vectors = embedder.embed(sentences + windows)
    for k, item in enumerate(unsure):
        cosine = float(vectors[k] @ vectors[len(sentences) + k])
        item.score = (1 - EMBED_WEIGHT) * item.score + EMBED_WEIGHT * (cosine - EMBED_SHIFT)


def check_claims_in(grounding: Grounding, *, embedder=None, judge=None,
                    threshold: float = THRESHOLD, unsure: tuple[float, float] = UNSURE
                    ) -> list[Finding]:
    """``grounding/claim`` findings; ``judge`` is asked about scores in ``unsure`` only."""
    scored = score_sentences(grounding, embedder=embedder)
    if judge is not None:
        low, high = unsure
        unsure = [s for s in scored if low <= s.score < high]
        if unsure:
            verdicts = judge.judge([(s.unit.prose().strip(),
                                     [(m.window.passage.path, m.window.line_start,
                                       m.window.line_end, m.window.text) for m in s.matches])
                                    for s in unsure])
            for item, verdict in zip(unsure, verdicts, strict=True):
                item.verdict = verdict
    findings = []
    for item in scored:
        unsupported = item.score < threshold if item.verdict is None else not item.verdict
        if unsupported:
            findings.append(_finding(grounding, item))
    return findings


def _finding(grounding: Grounding, item: Scored) -> Finding:
    unit = item.unit
    line, column, end_line, end_column = grounding.prose.span(unit, 0, len(unit.text))
    how = "the LLM judge found no support" if item.verdict is False else \
        f"support {item.score:.2f}"
    message = f"No source supports this sentence ({how})"
    evidence = evidence_of(item.matches[0]) if item.matches else None
    suggestion = None
    if evidence is not None:
        suggestion = (f"the closest source passage is {evidence.citation}: reword the sentence to"
                      " what it says, cite a source that states it, or remove it")
    return Finding(RULE, "warning", grounding.path, line, column, message, end_line=end_line,
                   end_column=end_column, evidence=evidence, suggestion=suggestion)
