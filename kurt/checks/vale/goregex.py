"""Vale's regular expressions, translated for Python's ``regex`` module.

Vale compiles rule patterns with regexp2 (a Go port of the .NET engine) in its
RE2 compatibility mode. Python's ``regex`` module has the same features
(lookbehind of any length, atomic groups, ``\\p{..}``), but the syntax and a
few meanings differ; ``translate`` rewrites a Vale pattern so it means the
same thing in Python:

- an inline flag group in the middle of a pattern (``a(?i)b``, ``(?-i)term``)
  applies to the rest of its group, alternatives included; Python only takes
  global flags at the very start, so the rest of the group becomes a scoped
  group, closed before each ``|`` and reopened after it;
- ``\\d``, ``\\w`` and ``\\s`` are ASCII classes (RE2 mode), not Unicode ones;
  ``\\b`` keeps the Unicode meaning regexp2 gives it;
- ``$`` without ``(?m)`` matches only at the end of the text (RE2 mode);
  ``\\z`` is Python's ``\\Z``, and .NET's ``\\Z`` also allows a final newline;
- ``(?<name>``, ``(?'name'`` and ``\\k<name>`` become Python's ``(?P<name>`` and
  ``(?P=name)``; ``\\Q...\\E`` quotes a literal; ``\\x{..}`` is a code point;
  POSIX classes (``[[:alpha:]]``) are spelled out; an unknown escaped letter
  (``\\y``) is that letter, as RE2 mode allows;
- a ``[`` inside a character class is escaped (Python would warn of a nested set).

``compile`` returns the compiled pattern and caches nothing itself: a rule is
compiled once when its configuration is loaded.
"""

from __future__ import annotations

import re as _re

ASCII_CLASSES = {"d": "0-9", "w": "0-9A-Za-z_", "s": r"\t\n\f\r "}
NEGATED = {"D": "d", "W": "w", "S": "s"}
POSIX = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": r"\x00-\x7f", "blank": r"\t ",
    "cntrl": r"\x00-\x1f\x7f", "digit": "0-9", "graph": r"!-~", "lower": "a-z",
    "print": r" -~", "punct": r"!-/:-@\[-`{-~", "space": r"\t\n\v\f\r ", "upper": "A-Z",
    "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
}
PYTHON_ESCAPES = set("abBfnrtvAZ0123456789pPNuUx")
FLAG_GROUP = _re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)")
SCOPED_FLAGS = _re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?:")
SUPPORTED_FLAGS = set("imsx")


class PatternError(ValueError):
    """A Vale pattern that cannot be translated (the message says why)."""


class _Frame:
    """One open group: its flags, and the scoped flag groups opened inside it."""

    __slots__ = ("multiline", "verbose", "scoped")

    def __init__(self, multiline: bool, verbose: bool):
        self.multiline = multiline
        self.verbose = verbose
        self.scoped: list[str] = []  # flag specs of scoped groups to close at '|' and ')'


def _check_flags(on: str, off: str, pattern: str) -> None:
    unknown = set(on + off) - SUPPORTED_FLAGS
    if unknown:
        raise PatternError(f"unsupported flag {''.join(sorted(unknown))!r} in {pattern!r}")


def _flag_spec(on: str, off: str) -> str:
    return on + (f"-{off}" if off else "")


def _apply(frame: _Frame, on: str, off: str) -> None:
    if "m" in on:
        frame.multiline = True
    if "m" in off:
        frame.multiline = False
    if "x" in on:
        frame.verbose = True
    if "x" in off:
        frame.verbose = False


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the class opening at pattern[i] == '['; return (text, index after ']')."""
    n = len(pattern)
    j = i + 1
    out = ["["]
    if j < n and pattern[j] == "^":
        out.append("^")
        j += 1
    first = True
    needs_ascii = False
    while j < n:
        c = pattern[j]
        if c == "]" and not first:
            out.append("]")
            text = "".join(out)
            return (f"(?a:{text})" if needs_ascii else text), j + 1
        first = False
        if c == "[" and pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            name = pattern[j + 2:end] if end != -1 else ""
            if name in POSIX:
                out.append(POSIX[name])
                j = end + 2
                continue
            if name.startswith("^") and name[1:] in POSIX:
                raise PatternError(f"negated POSIX class [:{name}:] is not supported")
        if c == "[":
            out.append(r"\[")
            j += 1
            continue
        if c == "\\" and j + 1 < n:
            e = pattern[j + 1]
            if e in ASCII_CLASSES:
                out.append(ASCII_CLASSES[e])
            elif e in NEGATED:
                out.append("\\" + e)
                needs_ascii = True
            elif e == "x" and pattern.startswith("{", j + 2):
                end = pattern.index("}", j + 3)
                out.append(f"\\U{int(pattern[j + 3:end], 16):08X}")
                j = end + 1
                continue
            elif e.isalpha() and e not in PYTHON_ESCAPES:
                out.append(_re.escape(e))
            else:
                out.append("\\" + e)
            j += 2
            continue
        if c in "&-|~" and j + 1 < n and pattern[j + 1] == c:
            out.append(c + "\\" + c)
            j += 2
            continue
        out.append(c)
        j += 1
    raise PatternError(f"missing ']' in {pattern!r}")


def translate(pattern: str) -> str:
    """The Python ``regex`` spelling of Vale pattern ``pattern`` (see the module docstring)."""
    out: list[str] = []
    stack = [_Frame(multiline=False, verbose=False)]
    global_flags = ""  # flags that can be written as one group at the very start
    leading = True  # nothing but flag groups so far
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        frame = stack[-1]
        if frame.verbose and c == "#":
            end = pattern.find("\n", i)
            i = n if end == -1 else end
            continue
        if c == "(":
            flag = FLAG_GROUP.match(pattern, i)
            if flag is not None:
                on, off = flag.group(1), flag.group(2) or ""
                _check_flags(on, off, pattern)
                _apply(frame, on, off)
                if leading and len(stack) == 1 and not off:
                    global_flags += on
                else:
                    spec = _flag_spec(on, off)
                    out.append(f"(?{spec}:")
                    frame.scoped.append(spec)
                i = flag.end()
                continue
            leading = False
            if pattern.startswith("(?#", i):
                end = pattern.find(")", i)
                if end == -1:
                    raise PatternError(f"unclosed comment in {pattern!r}")
                i = end + 1
                continue
            new = _Frame(frame.multiline, frame.verbose)
            scoped = SCOPED_FLAGS.match(pattern, i)
            if scoped is not None:
                on, off = scoped.group(1), scoped.group(2) or ""
                _check_flags(on, off, pattern)
                _apply(new, on, off)
                out.append(f"(?{_flag_spec(on, off)}:")
                i = scoped.end()
            elif pattern.startswith("(?<", i) and not pattern.startswith(("(?<=", "(?<!"), i):
                out.append("(?P<")
                i += 3
            elif pattern.startswith("(?'", i):
                end = pattern.index("'", i + 3)
                out.append(f"(?P<{pattern[i + 3:end]}>")
                i = end + 1
            else:
                out.append("(")
                i += 1
            stack.append(new)
            continue
        leading = False
        if c == ")":
            if len(stack) == 1:
                raise PatternError(f"unbalanced ')' in {pattern!r}")
            out.append(")" * len(frame.scoped) + ")")
            stack.pop()
            i += 1
            continue
        if c == "|":
            if frame.scoped:
                out.append(")" * len(frame.scoped) + "|")
                out.extend(f"(?{spec}:" for spec in frame.scoped)
            else:
                out.append("|")
            i += 1
            continue
        if c == "[":
            text, i = _char_class(pattern, i)
            out.append(text)
            continue
        if c == "$":
            out.append("$" if frame.multiline else r"\Z")
            i += 1
            continue
        if c == "\\":
            if i + 1 >= n:
                raise PatternError(f"trailing backslash in {pattern!r}")
            e = pattern[i + 1]
            if e in ASCII_CLASSES:
                out.append(f"[{ASCII_CLASSES[e]}]")
            elif e in NEGATED:
                out.append(f"[^{ASCII_CLASSES[NEGATED[e]]}]")
            elif e == "z":
                out.append(r"\Z")
            elif e == "Z":
                out.append(r"(?=\n?\Z)")
            elif e == "Q":
                end = pattern.find(r"\E", i + 2)
                literal = pattern[i + 2:] if end == -1 else pattern[i + 2:end]
                out.append(_re.escape(literal))
                i = n if end == -1 else end + 2
                continue
            elif e == "x" and pattern.startswith("{", i + 2):
                end = pattern.index("}", i + 3)
                out.append(f"\\U{int(pattern[i + 3:end], 16):08X}")
                i = end + 1
                continue
            elif e == "k" and i + 2 < n and pattern[i + 2] in "<'":
                close = ">" if pattern[i + 2] == "<" else "'"
                end = pattern.index(close, i + 3)
                out.append(f"(?P={pattern[i + 3:end]})")
                i = end + 1
                continue
            elif e == "C":
                out.append(".")
            elif e.isalpha() and e not in PYTHON_ESCAPES:
                out.append(_re.escape(e))
            else:
                out.append("\\" + e)
            i += 2
            continue
        out.append(c)
        i += 1
    if len(stack) != 1:
        raise PatternError(f"missing ')' in {pattern!r}")
    out.append(")" * len(stack[0].scoped))
    prefix = f"(?{''.join(dict.fromkeys(global_flags))})" if global_flags else ""
    return prefix + "".join(out)


def compile(pattern: str):  # noqa: A001 - the module's verb, like re.compile
    """Compile Vale pattern ``pattern``; raises PatternError with a one-line reason."""
    import regex

    try:
        return regex.compile(translate(pattern))
    except PatternError:
        raise
    except (regex.error, ValueError, IndexError) as exc:
        raise PatternError(f"invalid pattern {pattern!r}: {exc}") from None
