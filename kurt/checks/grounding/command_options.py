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
