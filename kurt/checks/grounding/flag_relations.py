"""Flag relations: "`--all` conflicts with `--watch`" where the sources' options say otherwise.

CLI references state how options relate in their descriptions: "Conflicts with `--all`",
"Implies `--ssh`", "Requires `--http`". A draft that retells them can give a flag the wrong
partner, and every flag named is in the sources, so only the relation tells. A draft's
"A conflicts with B" stands when the sources' description of A names B, or B's names A (a
conflict goes both ways); "A implies B" and "A requires B" when A's names B. Otherwise,
when the sources' description of A states that relation with other flags, B is reported
with them. A flag whose description says nothing of the relation is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.finding import Evidence

_FLAG = re.compile(r"--?[A-Za-z][\w-]*")
_RELATION = re.compile(r"\b(conflicts? with|implies|requires)\b", re.IGNORECASE)
_KINDS = {"conflict with": "conflicts with", "conflicts with": "conflicts with",
          "implies": "implies", "requires": "requires"}
_ROW_FLAGS = re.compile(r"^\s*(?:\||[-*]\s)\s*`?((?:--?[A-Za-z][\w-]*)(?:,\s*--?[A-Za-z][\w-]*)?)")
_CODE = re.compile(r"`([^`]+)`")
_LIST_GOES_ON = re.compile(r"\s*(?:[.;,:)!?]|$|(?:and|or|nor)\b)", re.IGNORECASE)
_JOINING = re.compile(r"[\s,]*(?:(?:and|or|nor)\b[\s,]*)?(?:with\b\s*)?", re.IGNORECASE)


@dataclass(frozen=True)
class RelatedFlag:
    """A flag the draft relates to another that the sources relate to others."""
    subject: str
    relation: str
    theirs: tuple[str, ...]
    evidence: Evidence

    def message(self, specific) -> str:
        return f'The sources do not say "{self.subject}" {self.relation} "{specific.text}"'

    def suggestion(self) -> str:
        listed = " or ".join(f'"{f}"' for f in self.theirs)
        return f'the sources say it {self.relation} {listed} ({self.evidence.citation})'


@dataclass
class Relations:
    """What the sources' options rows say of each flag: ``of[flag][relation]`` is (the flags
    its description relates it to, the row), ``names[flag]`` the names of its row (``-a``
    and ``--all``)."""
    of: dict
    names: dict

    def names_of(self, flag: str) -> set[str]:
        return self.names.get(flag, {flag})


def source_relations(passages) -> Relations:
    """The ``Relations`` the options rows of ``passages`` state (``| `-a, --all` | ...
    Conflicts with `--raw`. |``)."""
    out: dict[str, dict[str, tuple[set[str], Evidence]]] = {}
    aliases: dict[str, set[str]] = {}
    for passage in passages:
        for number, line in enumerate(passage.text.split("\n"), passage.line_start):
            head = _ROW_FLAGS.match(line)
            if head is None:
                continue
            names = _FLAG.findall(head.group(1))
            for name in names:
                aliases.setdefault(name, set()).update(names)
            rest = line[head.end():]
            for found in _RELATION.finditer(rest):
                kind = _KINDS[found.group(1).lower()]
                clause = re.split(r"[.;|]", rest[found.end():], maxsplit=1)[0]
                related = {f for code in _CODE.findall(clause) for f in _FLAG.findall(code)}
                if not related:
                    continue
                evidence = Evidence(passage.path, number, number, " ".join(line.split())[:280])
                for name in names:
                    held = out.setdefault(name, {}).setdefault(kind, (set(), evidence))
                    held[0].update(related)
    return Relations(out, aliases)


def related_flag(text: str, code: list[tuple[int, int, str]], specific,
                 relations: Relations) -> RelatedFlag | None:
    """A ``RelatedFlag`` for the flag ``specific`` of a draft sentence (``text``, its code
    spans ``code`` as (start, end, content)) that the sentence relates to a flag before it
    ("A conflicts with B") otherwise than the sources' ``relations`` (``source_relations``)."""
    flags = [(start, end, content.split()[0]) for start, end, content in code
             if content.strip() and _FLAG.fullmatch(content.split()[0])]
    mine = next((f for f in flags if f[0] <= specific.start < f[1]), None)
    if mine is None:
        return None
    phrase = None
    for found in _RELATION.finditer(text, 0, mine[0]):
        phrase = found
    if phrase is None:
        return None
    gaps, last = [], phrase.end()  # the words between the relation and the flag
    for start, end, _ in flags:
        if phrase.end() <= start < mine[0]:
            gaps.append(text[last:start])
            last = end
    gaps.append(text[last:mine[0]])
    if not all(_JOINING.fullmatch(gap) for gap in gaps) \
            or not _LIST_GOES_ON.match(text, mine[1]):
        return None  # not one of the flags the relation names ("..., and `-w` refreshes")
    subjects = [f for f in flags if f[1] <= phrase.start()]
    if not subjects or re.search(r"[.;!?]\s", text[subjects[-1][1]:phrase.start()]):
        return None
    subject, other = subjects[-1][2], mine[2]
    kind = _KINDS[phrase.group(1).lower()]
    stated = next((relations.of[name][kind] for name in relations.names_of(subject)
                   if kind in relations.of.get(name, {})), None)
    if stated is None or relations.names_of(other) & stated[0]:
        return None
    if kind == "conflicts with" and any(
            relations.names_of(subject) & relations.of.get(name, {}).get(kind, (set(), None))[0]
            for name in relations.names_of(other)):
        return None  # the other flag's row names this one: a conflict goes both ways
    return RelatedFlag(subject, kind, tuple(sorted(stated[0])), stated[1])
