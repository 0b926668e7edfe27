"""Options a CLI reference gives each command: a flag of one subcommand is not another's.

CLI references list each command's options in a table under a heading that names the
command (``### Options for `files upload` ``, ``## `railway logs` flags``). A draft that
gives one command a flag the reference lists only for a sibling command (``railway service
files upload --override``, where ``--override`` is an option of ``files download``) states
a flag the sources state, but not for that command; the flag checks alone cannot see it.

``option_tables`` reads the tables of a group of passages: the command a heading names (in
backticks, or as "Options for files upload", "railway logs flags"), and the flags of each
row's first cell. ``misplaced_flag`` says which sibling
command a draft command's flag belongs to, when the reference lists the draft command's own
options without it, its parents' (``files``) without it too, and a sibling's with it.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
_COMMAND_IN_HEADING = re.compile(r"`([a-z][\w-]*(?: [a-z][\w:-]*){0,4})`")
_COMMAND_WORDS = r"([a-z][\w-]*(?: [a-z][\w:-]*){0,4})"
_OPTIONS_HEADING = re.compile(r"(?:options|flags|arguments(?: and flags)?) for " + _COMMAND_WORDS
                              + r"$|" + _COMMAND_WORDS + r" (?:options|flags)$", re.IGNORECASE)
_COMMON_HEADING = re.compile(r"\b(?:common|global|shared|general) (?:options|flags)\b",
                             re.IGNORECASE)
ANY_COMMAND = ("*",)
_ROW = re.compile(r"^\s*\|([^|]*)\|")
_FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def option_tables(passages) -> dict[tuple[str, ...], set[str]]:
    """For each command a heading names in backticks, the flags of the tables under it
    (the rows' first cells), over all the passages."""
    tables: dict[tuple[str, ...], set[str]] = {}
    for passage in passages:
        command = _command_of(passage.heading.split(" > ")[-1] if passage.heading else "")
        fenced = False
        for line in passage.text.split("\n"):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
                continue
            if fenced:
                continue
            heading = _HEADING.match(line)
            if heading:
                command = _command_of(heading.group(1))
                continue
            row = _ROW.match(line)
            if row and command:
                flags = _FLAG.findall(row.group(1).replace("`", " "))
                if flags and "`" in row.group(1):
                    tables.setdefault(command, set()).update(flags)
    return tables


def _command_of(heading: str) -> tuple[str, ...]:
    """The command a heading names: in backticks, or as "Options for files upload" /
    "railway logs flags" (passages keep their headings without the backticks)."""
    found = _COMMAND_IN_HEADING.search(heading)
    if found:
        return tuple(found.group(1).split())
    if _COMMON_HEADING.search(heading):
        return ANY_COMMAND  # "Common options", "Global flags": every command's
    named = _OPTIONS_HEADING.match(heading.strip())
    command = named and (named.group(1) or named.group(2))
    return tuple(command.split()) if command else ()


def misplaced_flag(words: list[str], flag: str, tables: dict[tuple[str, ...], set[str]],
                   code: str = "") -> tuple[str, ...] | None:
    """The sibling command whose options hold ``flag``, when the command ``words`` (program
    and subcommands, ``railway service files upload``) has an options table that does not,
    nor do its parents' or every command's ("Common options"), nor does the sources'
    ``code`` run the command with it; else None."""
    own = next((tuple(words[i:]) for i in range(len(words)) if tuple(words[i:]) in tables), None)
    if own is None or flag in tables[own] or flag in tables.get(ANY_COMMAND, ()):
        return None
    if re.search(r"(?<![\w-])" + r"\s+".join(map(re.escape, words)) + r"\s[^\n]*(?<!\S)"
                 + re.escape(flag) + r"(?![\w-])", code):
        return None  # the sources' own example gives it this flag
    depth = len(own)
    parents = [tuple(words[i:j]) for j in range(len(words) - 1, 0, -1) for i in range(j)]
    if any(flag in tables.get(parent, ()) for parent in parents):
        return None
    for command, flags in tables.items():
        if len(command) == depth and command[:-1] == own[:-1] and command != own \
                and flag in flags:
            return command
    return None


_SUBCOMMAND_CELL = re.compile(r"^\s*`([a-z][\w:-]*)`\s*$")
_COMMAND_TITLE = re.compile(r"[a-z][\w-]*(?: [a-z][\w-]*){0,3}")


def subcommand_descriptions(passages) -> dict[tuple[str, ...], dict[str, str]]:
    """For each command whose page lists its subcommands in a table (a "Subcommands" heading
    under the page's title, ``| `down` | `stop` | Stop services |``), each subcommand's
    description (the row's last cell)."""
    out: dict[tuple[str, ...], dict[str, str]] = {}
    for passage in passages:
        parts = [p.strip() for p in (passage.heading or "").split(" > ")]
        if len(parts) < 2 or parts[-1].lower() not in ("subcommands", "commands") \
                or not _COMMAND_TITLE.fullmatch(parts[0]):
            continue
        parent = tuple(parts[0].split())
        for line in passage.text.split("\n"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 2 and line.lstrip().startswith("|"):
                found = _SUBCOMMAND_CELL.match(cells[0])
                if found:
                    out.setdefault(parent, {})[found.group(1)] = cells[-1]
    return out


DESCRIBED_SHARED = 3  # words a sibling's description must share with the draft's sentence
DESCRIBED_MARGIN = 2  # ... more than the subcommand's own description does


def described_otherwise(words: list[str], sentence_terms: set[str],
                        tables: dict[tuple[str, ...], dict[str, str]], terms) -> str | None:
    """The sibling subcommand whose description fits the draft's sentence clearly better
    than that of the subcommand the draft runs (``railway dev down`` "wipes the volumes",
    where the table gives that to ``clean``); ``terms`` reads a text's terms."""
    if len(words) < 2:
        return None
    subs = tables.get(tuple(words[:-1]))
    if not subs or words[-1] not in subs or len(subs) < 2:
        return None
    own = len(sentence_terms & terms(subs[words[-1]]))
    best, best_shared = None, 0
    for sub, description in subs.items():
        shared = len(sentence_terms & terms(description))
        if sub != words[-1] and shared > best_shared:
            best, best_shared = sub, shared
    if best is None or best_shared < DESCRIBED_SHARED or best_shared < own + DESCRIBED_MARGIN:
        return None
    return " ".join((*words[:-1], best))
