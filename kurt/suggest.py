"""Commands Kurt suggests in its messages, quoted so they run as printed.

Every "Next: ..." line, error hint and rule text that embeds a path or a value
builds the command with ``command``: ``command("kurt draft sources", path)``
gives ``kurt draft sources 'projects/p/drafts/a b.md'``. A word that needs no
quoting (``projects/p/drafts/x.md``, an id, a slug) is left as it is, so the
common case reads as before. Messages put such a command in single quotes
(``'kurt content list'``) only when it holds no quote of its own; otherwise it
goes at the end of the message, after a colon, unwrapped (``in_quotes``).
"""

from __future__ import annotations

import shlex


def quote(value: object) -> str:
    """One shell word: ``value`` unchanged when it is safe, else POSIX-quoted (``shlex.quote``)."""
    return shlex.quote(str(value))


def command(program: str, *words: object) -> str:
    """``program`` as given (``"kurt draft sources"``) followed by each word quoted."""
    return " ".join([program, *(quote(w) for w in words)])


def in_quotes(cmd: str) -> str:
    """``'cmd'`` for a command quoted inside a sentence, or the command alone when it holds
    a quote (``'kurt x 'a b''`` would not copy as one command)."""
    return cmd if "'" in cmd or '"' in cmd else f"'{cmd}'"
