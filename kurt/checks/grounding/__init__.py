"""Grounding checks: is every fact and claim of a draft stated by its sources?

Two rules, both pure functions of the draft's text and the source passages
each part of it may rely on (no store, no network unless a judge is given)::

    from kurt.checks.grounding import check_specifics, check_claims, check_grounding
    from kurt.checks.passages import Passage, SectionSources
    from kurt.checks.section_sources import draft_sections

    sections = draft_sections(ws, draft_path, store)     # from the outline and citations
    vocab = load_vocabulary(ws)                            # kurt.index.vocabulary
    findings = check_specifics(text, "projects/p/drafts/x.md", sections, vocabulary=vocab)
    findings += check_claims(text, "projects/p/drafts/x.md", sections, vocabulary=vocab)
    # or both at once, sharing the parsing and the source index:
    findings = check_grounding(text, path, sections, vocabulary=vocab,
                               embedder=None, judge=None)

``kurt draft check`` runs both rules through ``kurt.checks.grounding.family``.

``Passage(path, line_start, line_end, text, scope, heading=None)``: a source
passage (workspace-relative path, 1-based inclusive lines of that file) with
its scope: ``section`` (cited or listed for this part of the draft), ``draft``
(the draft's sources inventory) or ``project`` (the project's other sources).
``SectionSources(line_start, line_end, heading, passages)``: the passages that
back draft lines line_start..line_end. A line no section covers relies on
every passage given (``kurt.checks.passages``). ``kurt.checks.section_sources``
builds them for a Kurt draft from its outline, citations, inventory and project.

``grounding/specific`` (errors): every specific fact of the prose (numbers,
percentages, multipliers, prices, durations, sizes, versions, dates,
endpoints and HTTP methods, commands, flags, environment variables, scopes,
configuration keys, identifiers, URLs, technology/company/product names) must
be stated by a source in the section's scope, else the draft's, else the
project's, allowing for rewording (1,000 / 1k / one thousand; 60 s / 60
seconds / one minute; PostgreSQL / Postgres through the vocabulary's
aliases). See ``specifics`` for what counts and ``facts`` for the matching.
The finding's evidence is the closest source window; its suggestion says what
that source states instead ("the source says "60 requests per minute"").

``grounding/claim`` (warnings): every factual sentence gets a support score
(lexical alignment: the share of its term weight found in its best source
window and anywhere in its sources; blended with MiniLM cosine similarity for
the unsure sentences when ``embedder`` is given, e.g.
``kurt.index.encoders.load_model()``); unsupported sentences are reported
with the closest window. ``judge`` (an ``LLMJudge`` over the OpenAI-compatible
client of indexing) re-checks only the sentences whose score is in the unsure
band; a key or endpoint that cannot work raises ``kurt.index.llm.LLMError``.
See ``claims``.

Findings are ``kurt.checks.finding.Finding`` with 1-based line/column spans in
the draft file; code, URLs, frontmatter, comments, block quotes and headings
are never flagged (``prose``).
"""

from __future__ import annotations

from kurt.checks.finding import Finding
from kurt.checks.grounding.claims import RULE as CLAIM_RULE
from kurt.checks.grounding.claims import check_claims_in
from kurt.checks.grounding.judge import LLMJudge
from kurt.checks.grounding.prepared import Grounding
from kurt.checks.grounding.specific_check import RULE as SPECIFIC_RULE
from kurt.checks.grounding.specific_check import check_specifics_in
from kurt.checks.passages import SectionSources

RULES = (SPECIFIC_RULE, CLAIM_RULE)

__all__ = ["CLAIM_RULE", "RULES", "SPECIFIC_RULE", "Grounding", "LLMJudge", "check_claims",
           "check_grounding", "check_specifics"]


def check_specifics(text: str, path: str, sections: list[SectionSources], *,
                    vocabulary=None) -> list[Finding]:
    """``grounding/specific`` findings for the draft ``text`` (shown as ``path``)."""
    return check_specifics_in(Grounding(text, path, sections, vocabulary=vocabulary))


def check_claims(text: str, path: str, sections: list[SectionSources], *, vocabulary=None,
                 embedder=None, judge=None) -> list[Finding]:
    """``grounding/claim`` findings for the draft ``text`` (shown as ``path``)."""
    grounding = Grounding(text, path, sections, vocabulary=vocabulary)
    return check_claims_in(grounding, embedder=embedder, judge=judge)


def check_grounding(text: str, path: str, sections: list[SectionSources], *,
                    rules=RULES, vocabulary=None, embedder=None, judge=None) -> list[Finding]:
    """Both rules (or those in ``rules``) on one prepared draft, in file order."""
    grounding = Grounding(text, path, sections, vocabulary=vocabulary)
    findings: list[Finding] = []
    if SPECIFIC_RULE in rules:
        findings += check_specifics_in(grounding)
    if CLAIM_RULE in rules:
        findings += check_claims_in(grounding, embedder=embedder, judge=judge)
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings
