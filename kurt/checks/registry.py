"""Every rule of ``kurt draft check``, registered in one place.

A rule id is ``family/name`` and is a public contract: it is what ``--rule``,
``--skip``, ``kurt.toml`` and inline suppressions name, what CI output carries,
and what docs/checks.md documents. Style findings that come from a Vale rule
keep Vale's name after the family (``style/Google.Passive``): those ids come
from the workspace's styles, not from this table.

A family is one module with ``check(ctx) -> Iterable[Finding]`` (``ctx`` is a
``kurt.checks.context.DraftContext``), and optionally ``prepare(contexts)``, called
once with every file of the run first; the module is imported only when the
family runs. ``drafts_only`` families need a draft (frontmatter, template,
outline); the others (``style``) also run on any markdown file.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

DOCS_URL = "https://github.com/kurt-content/kurt/blob/main/docs/checks.md"


@dataclass(frozen=True)
class RuleInfo:
    id: str  # "family/name"
    severity: str  # default: "error" | "warning" | "info"
    summary: str  # one line: what the rule wants

    @property
    def family(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def anchor(self) -> str:
        """The rule's heading anchor in docs/checks.md (GitHub's slug of ``family/name``)."""
        return self.id.replace("/", "").replace(".", "").lower()

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.anchor}"


@dataclass(frozen=True)
class Family:
    name: str
    module: str  # dotted path of the module holding check(ctx)
    drafts_only: bool
    rules: tuple[RuleInfo, ...]
    # its prepare starts work in other processes: it prepares first and checks last, so
    # the other families' work overlaps with it
    background: bool = False

    def run(self, ctx):
        return importlib.import_module(self.module).check(ctx)

    def prepare(self, contexts) -> None:
        """Let the family do, once for every file of the run, what is cheaper done together
        (the code family parses every JavaScript block of the run in one Node process)."""
        prepare = getattr(importlib.import_module(self.module), "prepare", None)
        if prepare is not None:
            prepare(contexts)


def _rules(family: str, *rows: tuple[str, str, str]) -> tuple[RuleInfo, ...]:
    return tuple(RuleInfo(f"{family}/{name}", severity, summary) for name, severity, summary in rows)


FAMILIES: tuple[Family, ...] = (
    Family("file", "kurt.checks.filecheck", False, _rules(
        "file",
        ("unreadable", "error", "The file is UTF-8 text (not binary, not another encoding)."),
    )),
    Family("frontmatter", "kurt.checks.frontmatter", True, _rules(
        "frontmatter",
        ("missing", "error", "A draft starts with a YAML frontmatter block."),
        ("invalid", "error", "The frontmatter is valid YAML holding 'key: value' lines."),
        ("required-key", "error", "project, document, format_template, created, status and "
                                  "outline are set."),
        ("status", "error", "status is outline, draft or final."),
        ("template", "error", "format_template names a template that exists and parses."),
        ("date", "error", "created (and other date keys) are real dates written YYYY-MM-DD."),
        ("outline-section", "warning", "Every outline section of the template is in the "
                                       "draft's outline."),
    )),
    Family("structure", "kurt.checks.structure", True, _rules(
        "structure",
        ("required-section", "error", "Every section heading of the template is in the body."),
        ("section-order", "warning", "The template's sections come in the template's order."),
        ("outline-coverage", "warning", "Every outline section has a heading in the body."),
        ("placeholder", "error", "No placeholder is left from the template: [Partner], "
                                 "{{PLACEHOLDER}}, [X] minutes, YYYY-MM-DD."),
        ("choice", "error", "No choice is left open: [Beginner / Intermediate / Advanced]."),
        ("example", "error", "No [EXAMPLE: ...] text is left to rewrite."),
        ("todo", "error", "No TODO, TBD or FIXME is left in the prose."),
    )),
    Family("length", "kurt.checks.length", True, _rules(
        "length",
        ("too-short", "warning", "The prose has at least the template's minimum word count."),
        ("too-long", "warning", "The prose has at most the template's maximum word count."),
    )),
    Family("sources", "kurt.checks.sources", True, _rules(
        "sources",
        ("empty-store", "error", "The workspace holds ingested documents to check sources against."),
        ("not-ingested", "error", "Every source and citation is an ingested document."),
        ("deleted", "error", "Every cited document still has its stored file."),
        ("line-range", "error", "A citation's line range lies within the document."),
        ("citation-syntax", "error", "A cited path with spaces is written <PATH>."),
        ("no-citation", "error", "The prose cites its sources with <!-- Source: ... --> comments."),
        ("stale", "warning", "A cited source has not changed since the evidence quoted it."),
        ("uncited", "warning", "Every source listed in the frontmatter is cited somewhere."),
        ("uninventoried", "info", "Every cited document is listed in the frontmatter sources."),
        ("section-without-source", "warning", "Every outline section has at least one source."),
    )),
    Family("code", "kurt.checks.codeblocks", True, _rules(
        "code",
        ("missing-language", "warning", "Every fenced code block names its language."),
        ("syntax", "error", "Python, JSON, YAML, TOML, shell, SQL and JavaScript/TypeScript "
                            "blocks parse."),
        ("from-source", "info", "A block copied from a source is recognised as such."),
    )),
    Family("links", "kurt.checks.links", True, _rules(
        "links",
        ("empty", "error", "A link has a target."),
        ("broken-file", "error", "A link to a workspace file points at a file that exists."),
        ("anchor", "warning", "A link to #a-heading points at a heading that exists."),
        ("gone", "error", "A link to an ingested document does not point at a page that is gone."),
        ("not-ingested", "info", "A link to an ingested site points at a document Kurt has."),
        ("external", "error", "With --check-links: an external link answers."),
    )),
    Family("grounding", "kurt.checks.grounding.family", True, _rules(
        "grounding",
        ("specific", "error", "Every specific fact of the prose (numbers, limits, prices, "
                              "durations, versions, dates, endpoints, commands, flags, "
                              "variables, scopes, keys, identifiers, URLs, names) is stated by "
                              "the draft's sources."),
        ("claim", "warning", "Every factual sentence is supported by a passage of the draft's "
                             "sources."),
    ), background=True),
    Family("style", "kurt.checks.style", False, _rules(
        "style",
        ("banned-phrase", "warning", "No empty phrase (Kurt's list, kurt.toml banned_phrases)."),
        ("dont-example", "warning", "No sentence the template gives as a DON'T example."),
        ("person", "warning", "Pronouns follow the template's person or register."),
        ("passive-voice", "info", "Active voice, when the template asks for it."),
        ("sentence-length", "info", "Sentences have at most max_sentence_words words."),
        ("heading-case", "info", "Headings follow the template's case (title or sentence)."),
        ("config", "error", "The workspace's .vale.ini and styles can be read."),
    )),
)

def families() -> tuple[Family, ...]:
    return FAMILIES


def all_rules() -> list[RuleInfo]:
    return [rule for family in FAMILIES for rule in family.rules]


def rule_info(rule_id: str) -> RuleInfo | None:
    """The registered rule ``rule_id``; a Vale rule (``style/Google.Passive``) gets a row
    of its own with the style family's defaults."""
    for rule in all_rules():
        if rule.id == rule_id:
            return rule
    if rule_id.startswith("style/") and "." in rule_id:
        return RuleInfo(rule_id, "warning", f"Vale rule {rule_id[6:]} of the workspace's styles.")
    return None


def family_names() -> list[str]:
    return [family.name for family in FAMILIES]
