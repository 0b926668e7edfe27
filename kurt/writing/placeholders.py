"""Filling a template's placeholders for a new draft, and keeping example text visible.

Variables (``--var partner=Fivetran`` and the profile's company and product) fill:

- ``[Partner]``, ``[partner-name]``, ``{{PARTNER}}``, ``[Partner Name]`` (any case; a
  placeholder written in lowercase gets the value's slug);
- a variable followed by a word that only names it: ``[Partner Platform]``,
  ``[Partner Company]``, ``[Partner Tool]``... -> ``Fivetran`` (the value alone: the
  variable already names the platform, and "Configure Fivetran" reads right).

Facts that a source holds (``FactSource``, see ``kurt.writing.source_facts``) fill,
with a citation to the line they come from:

- ``[Partner support URL]`` (also help/contact/docs URL or link): a link to the
  partner's site found in the sources; without one it stays a placeholder, named:
  ``[Fivetran support URL]``;
- ``[URL]`` (or ``[Link]``) after a label naming the variable and docs or support
  (``- [Partner] API docs: [URL]``): the same, of that kind (``[Fivetran docs URL]``
  without one);
- ``[Partner > Settings > API]``: a menu path, only when a source writes one that
  leads to the same screen. Without one, the placeholder loses its menu-path shape
  and says what is missing: ``[Fivetran menu path to "API": no source gives it yet]``.

Other placeholders that merely start with a variable's word (``[Customer names,
unreleased products]``, ``[Partner email]``) are left alone: the word rarely means
the value there.

Example text: a body line whose placeholders were all filled by variables reads
like a claim ("Webhook triggers event to Fivetran"), so it is marked as an example
until someone writes it: ``[EXAMPLE: Webhook triggers event to Fivetran]`` (list
markers stay outside). Headings, bold labels, table rows and lines of fewer than
``MIN_CLAIM_WORDS`` words are structure and are not marked; neither is a line that
still holds a placeholder, nor one filled from a source (it carries its citation).
The marker is the one convention for example text: ``find_placeholders`` and
``find_examples`` (``kurt.writing.template_parse``) find it, in code blocks too, so
``kurt draft status FILE final`` refuses a draft that still has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from kurt.writing.names import slugify
from kurt.writing.template_parse import EXAMPLE_MARKER, find_placeholders

# Words that, after a variable, only name it: [Partner Platform] is the partner.
NAMING_WORDS = ("name", "platform", "company", "tool", "service", "app", "brand")
MIN_CLAIM_WORDS = 4  # "Fivetran processes and responds"; "Hi Fivetran," is no claim
_MENU_SEPARATOR = r"\s*(?:>|→|›|»)\s*"
_SUPPORT = re.compile(r"^(support|help|contact|docs|documentation)\s+(url|link|page|site)$",
                      re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_BOLD_LABEL = re.compile(r"^\s*\*\*[^*]+\*\*:?\s*$")
_LINE_PREFIX = re.compile(r"^(\s*(?:>\s*)*(?:[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)?)(.*?)(\s*)$")


@dataclass
class Fact:
    """A value a source holds, with the line it is on."""

    value: str
    path: str  # the stored file, relative to the workspace
    line: int


class FactSource(Protocol):
    def support_url(self, value: str, kind: str) -> Fact | None:
        """A link to ``value``'s site: ``kind`` ``support`` (support, help, contact) or ``docs``."""

    def menu_path(self, value: str, target: str) -> Fact | None:
        """A menu path that a source writes for ``value``, leading to ``target`` ("API")."""


@dataclass
class FilledBody:
    text: str
    examples: int = 0  # lines marked [EXAMPLE: ...]
    facts: list[Fact] = field(default_factory=list)  # filled from sources, cited
    missing: list[str] = field(default_factory=list)  # fact placeholders no source could fill


@dataclass(frozen=True)
class _Value:
    name: str
    value: str
    brackets: bool = True  # fills [Name] as well as {{NAME}}
    subject: bool = True  # a --var: its support URL and menu paths are looked up


def _values(variables: dict[str, str], profile=None) -> list[_Value]:
    """The --var values, then the profile's: ``[Your Product]`` / ``[Product]`` /
    ``{{PRODUCT_NAME}}`` / ``[Your Company]`` / ``{{COMPANY_NAME}}`` (a ``--var`` of the
    same name wins). ``[Company]`` is left alone: templates use it for a customer."""
    values = {name: _Value(name, value) for name, value in variables.items()}
    if profile is not None:
        for name, value, brackets in (("your product", profile.product, True),
                                      ("product", profile.product, True),
                                      ("your company", profile.company, True),
                                      ("company", profile.company, False)):
            if value and name not in values:
                values[name] = _Value(name, value, brackets=brackets, subject=False)
    return list(values.values())


def _name_pattern(name: str) -> str:
    return re.escape(name).replace(r"\ ", "[ _-]")


def _written(value: str, written: str) -> str:
    """The value for a placeholder: its slug when the placeholder is written in lowercase."""
    return slugify(value) if written == written.lower() else value


def fill_variables(text: str, variables: dict[str, str], profile=None) -> str:
    """Fill the placeholders that a variable names (see the module doc); nothing else."""
    return _fill_names(text, _values(variables, profile))[0]


def _fill_names(text: str, values: list[_Value]) -> tuple[str, int]:
    """(text with every variable placeholder filled, how many were filled)."""
    count = 0
    for item in values:
        name = item.name
        forms = "|".join(_name_pattern(form) for form in
                         dict.fromkeys([name] + [f"{name}{sep}{word}" for word in NAMING_WORDS
                                                 for sep in (" ", "-", "_")]))
        braces = rf"\{{\{{\s*({forms})\s*\}}\}}"
        brackets = rf"\[\s*({forms})\s*\]"
        pattern = re.compile(f"{brackets}|{braces}" if item.brackets else braces, re.IGNORECASE)

        def replace(match: re.Match, value=item.value) -> str:
            nonlocal count
            count += 1
            return _written(value, next(g for g in match.groups() if g))

        text = pattern.sub(replace, text)
    return text, count


def fill_body(skeleton: str, variables: dict[str, str], profile=None,
              facts: FactSource | None = None) -> FilledBody:
    """The draft body from a template skeleton: variables and source facts filled, example
    lines marked (see the module doc)."""
    from kurt.writing.citations import format_citation

    values = _values(variables, profile)
    result = FilledBody("")
    out = []
    for line in skeleton.split("\n"):
        line, cited = _fill_facts(line, values, facts, result)
        filled, count = _fill_names(line, values)
        if count and not cited and _reads_as_claim(filled) and not find_placeholders(filled):
            filled = mark_example(filled)
            result.examples += 1
        for fact in cited:
            filled += f" {format_citation(fact.path, fact.line)}"
        out.append(filled)
    result.text = "\n".join(out)
    return result


def _reads_as_claim(line: str) -> bool:
    """Whether a line is prose that states something: not a heading, a bold label, a table
    row, nor a greeting of a few words."""
    if _HEADING.match(line) or _BOLD_LABEL.match(line) or line.lstrip().startswith("|"):
        return False
    content = _LINE_PREFIX.match(line).group(2)
    return len(content.split()) >= MIN_CLAIM_WORDS


def mark_example(line: str) -> str:
    """``2. Navigate to X`` -> ``2. [EXAMPLE: Navigate to X]`` (list markers stay outside)."""
    match = _LINE_PREFIX.match(line)
    prefix, content, tail = match.group(1), match.group(2), match.group(3)
    return f"{prefix}{EXAMPLE_MARKER}{content}]{tail}" if content else line


def _fill_facts(line: str, values: list[_Value], facts: FactSource | None,
                result: FilledBody) -> tuple[str, list[Fact]]:
    """Fill ``[Var support URL]`` and ``[Var > A > B]`` from the sources; the facts used."""
    cited: list[Fact] = []
    for item in values:
        if not item.subject:
            continue
        name, value = item.name, item.value
        support = re.compile(rf"\[\s*{_name_pattern(name)}\s+([^\[\]\n]+?)\s*\]", re.IGNORECASE)
        menu = re.compile(rf"\[\s*{_name_pattern(name)}((?:{_MENU_SEPARATOR}[^\[\]\n>→›»]+)+)\]",
                          re.IGNORECASE)

        def support_url(match: re.Match, value=value) -> str:
            kind = _SUPPORT.match(match.group(1).strip())
            if not kind:
                return match.group(0)
            word = kind.group(1).lower()
            fact = facts.support_url(value, "docs" if word.startswith("doc") else "support") \
                if facts is not None else None
            if fact is None:
                result.missing.append(match.group(0))
                return f"[{value} {match.group(1).strip()}]"
            cited.append(fact)
            result.facts.append(fact)
            return fact.value

        def menu_path(match: re.Match, value=value) -> str:
            steps = [s.strip() for s in re.split(_MENU_SEPARATOR, match.group(1)) if s.strip()]
            target = steps[-1]
            fact = facts.menu_path(value, target) if facts is not None else None
            if fact is None:
                result.missing.append(match.group(0))
                return f'[{value} menu path to "{target}": no source gives it yet]'
            cited.append(fact)
            result.facts.append(fact)
            return fact.value

        # "- [Partner] API docs: [URL]": a bare [URL] whose label names the variable and docs or support
        labelled = re.compile(
            rf"(\[\s*{_name_pattern(name)}\s*\][^\[\]\n:]*?\b(docs|documentation|support|help|contact)\b"
            r"[^\[\]\n:]*:\s*)\[\s*(?:url|link)\s*\]", re.IGNORECASE)

        def labelled_url(match: re.Match, value=value) -> str:
            kind = "docs" if match.group(2).lower().startswith("doc") else "support"
            fact = facts.support_url(value, kind) if facts is not None else None
            if fact is None:
                result.missing.append(match.group(0)[len(match.group(1)):])
                return f"{match.group(1)}[{value} {kind} URL]"
            cited.append(fact)
            result.facts.append(fact)
            return match.group(1) + fact.value

        line = support.sub(support_url, line)
        line = menu.sub(menu_path, line)
        line = labelled.sub(labelled_url, line)
    return line, cited
