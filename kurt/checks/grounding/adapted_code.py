"""Code a draft adapts from its sources: the names in it must be the sources' names.

A writer copies a source's configuration or SDK example and changes it: a service's name,
a path, a command, a number are the writer's to choose, but a key, a property or a
documented value is not. In the draft's fenced blocks (shell commands are checked as
commands, ``specific_check.command_specifics``), three things are read against the code
of the sources in scope:

- a key (``sizeGB: 1024``, ``"europe-west1": 1``, ``ephemeral: false``) in a block that
  shares most of its words with the sources' code must be a word of the sources;
- a member of an object the sources' code uses with several members (``ctx.environment``,
  ``ctx.projectId``) must be one of them: ``ctx.env`` is not;
- a quoted value on a line that is a source line but for that value (``builder =
  "nixpacks"`` for ``builder = "railpack"``) must be a word of the sources, when it is
  the kind of value a source documents (one word, not a name the writer gives).

Each finding is an ``identifier`` or ``config-key`` specific no source states, with the
source's own word as the suggestion.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from kurt.checks.grounding.facts import NAMED_BY_USER
from kurt.checks.grounding.prose import FENCED_BLOCK, SHELL_TAGS

# blocks that are output or prose, not code a source could state
NOT_CODE = frozenset({"", "text", "txt", "plain", "plaintext", "output", "log", "diff", "md",
                      "markdown", "mermaid"})
ADAPTED_SHARE = 0.5  # share of a block's words found in the sources' code to call it adapted
MIN_WORDS = 4
_TOKEN = re.compile(r"[\w$][\w$.-]*[\w$]|[\w$]|\S")
_WORD = re.compile(r"[A-Za-z_$][\w$]*(?:[.-][\w$]+)*")
_NUMBER = re.compile(r"\d[\d_.]*[a-zA-Z]{0,3}")
_COMMENT = ("#", "//", "--", "/*", "*", "<!--")
_MEMBER = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)(?![\w$])")
_ENUM_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class CodeName:
    """A name in the draft's code no source states: file offsets, kind, the source's word."""
    start: int
    end: int
    text: str
    kind: str  # a specific's kind: "config-key", "identifier", "number", "version", ...
    instead: str | None  # the closest word the sources' code uses there
    said: str = ""  # what the message says of it, when not "is not in the sources"


def draft_code_blocks(text: str, *, output: bool = False, shell: bool = False):
    """(language, [(offset of the line in the file, line)...]) of each of the draft's code
    blocks, leaving out, unless asked for, shell blocks (``shell``: checked as commands)
    and output and plain text (``output``)."""
    for fence in FENCED_BLOCK.finditer(text):
        tag = fence.group(2).lower()
        if (tag in SHELL_TAGS and not shell) or (tag in NOT_CODE and not output):
            continue
        lines, offset = [], fence.start(3)
        for line in fence.group(3).split("\n"):
            lines.append((offset, line))
            offset += len(line) + 1
        yield tag, lines


class SourceCode:
    """What the sources in scope write, read once per group of passages and only as far as
    a draft block needs: ``code`` is their code (fenced and inline, as ``SourceFacts.code``
    holds it), ``text`` their lines as written (code an MDX component wraps is not
    fenced)."""

    def __init__(self, code: str, text: str):
        self.code = code
        self.text = text

    @cached_property
    def spelled(self) -> set[str]:
        return {part for w in _WORD.findall(self.code) for part in (w, *w.split("."))}

    @cached_property
    def keys(self) -> set[str]:
        """The names the sources' code gives a value (``key:``, ``key =``, ``"key":``)."""
        return set(_KEY_AT.findall(self.code))

    @cached_property
    def code_words(self) -> set[str]:
        return {w.lower() for w in self.spelled}

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    def says(self, word: str) -> bool:
        """Whether the sources write ``word`` anywhere (any case, as a whole word or a
        part of a dotted one): read only for a name about to be reported."""
        return re.search(r"(?<![\w$-])" + re.escape(word.lower()) + r"(?![\w$-])",
                         self.lower) is not None

    def says_as(self, word: str) -> bool:
        """Whether the sources write ``word`` as spelled (``database_url`` is not
        ``DATABASE_URL``)."""
        return re.search(r"(?<![\w$-])" + re.escape(word) + r"(?![\w$-])", self.text) \
            is not None

    @cached_property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.split("\n") if line.strip()]

    @cached_property
    def members(self) -> dict[str, set[str]]:
        return _members(self.lines)

    @cached_property
    def env_names(self) -> set[str]:
        return set(_ENV_NAME.findall(self.text))

    @cached_property
    def prefixes(self) -> set[str]:
        return _product_prefixes(self.env_names)

    @cached_property
    def by_shape(self) -> dict[int, list[list[str]]]:
        # only a line that gives something a value can be the draft's line but for a value
        return _lines_by_shape([line for line in self.lines if ":" in line or "=" in line])

    @cached_property
    def commands(self) -> dict[str, list[list[str]]]:
        """The flags of each command line of the sources' code (lines continued with a
        backslash joined), by program."""
        out: dict[str, list[list[str]]] = {}
        for command in re.sub(r"\\\s*\n\s*", " ", self.code).split("\n"):
            words = command.split()
            flags = [w for w in words if w.startswith("-") and len(w) > 1]
            if words and len(flags) >= MIN_FLAGS:
                out.setdefault(words[0], []).append(flags)
        return out

    @cached_property
    def _code_lines(self) -> list[str]:
        # code lines: the sources' code, and lines of their text that are not sentences
        # (code an MDX component wraps); a copy is compared with code, not with prose
        pieces = {piece.strip() for piece in self.code.split(" \n ") if piece.strip()}
        return sorted(pieces | {line for line in self.lines if not _PROSE_END.search(line)})

    @cached_property
    def _token_lines(self) -> tuple[list[list[str]], dict[str, set[int]]]:
        candidates = self._code_lines
        lines = [list(_tokens(line.rstrip().rstrip(",;\\"))) for line in candidates]
        index: dict[str, set[int]] = {}
        for number, line in enumerate(candidates):
            for word in _words(line):
                index.setdefault(word, set()).add(number)
        return lines, index

    def near_lines(self, words: list[str], share: float) -> list[list[str]]:
        """The source lines (as tokens) holding at least ``share`` of the distinct words of
        ``words``, most shared first."""
        lines, index = self._token_lines
        distinct = {w for w in words if _WORD.fullmatch(w)}
        if not distinct:
            return []
        counts: dict[int, int] = {}
        for word in distinct:
            for number in index.get(word, ()):
                counts[number] = counts.get(number, 0) + 1
        need = share * len(distinct)
        found = sorted((n for n, c in counts.items() if c >= need), key=lambda n: -counts[n])
        return [lines[n] for n in found[:5]]

    @cached_property
    def blocks(self) -> list[list[str]]:
        """The sources' fenced code blocks, each as its non-blank lines (comments aside)."""
        out = []
        for found in _FENCED.finditer(self.text):
            lines = [_uncommented(line).strip() for line in found.group(1).split("\n")]
            lines = [line for line in lines if line]
            if len(lines) >= COPIED_LINES:
                out.append(lines)
        return out

    @cached_property
    def chunk_lines(self) -> dict[tuple[int, str], list[list[str]]]:
        """The code lines of the sources as chunks (``changed_paths``), by their number of
        chunks and first chunk."""
        out: dict[tuple[int, str], list[list[str]]] = {}
        for line in self._code_lines:
            words = _SPLIT.findall(_uncommented(line))
            if len(words) >= 2:
                out.setdefault((len(words), words[0]), []).append(words)
        return out

    def says_path(self, path: str) -> bool:
        """Whether the sources write ``path`` as a path of their own (not inside a longer
        one)."""
        return re.search(r"(?<![\w./-])" + re.escape(path) + r"(?![\w/-])", self.text) \
            is not None

    @cached_property
    def every_by_shape(self) -> dict[int, list[list[str]]]:
        """Every line by its number of tokens (a call passes values without ``=``), and each
        inline code span of a line of prose or a table (`` (use `openssl rand -hex 32`) ``)."""
        lines = set(self.lines)
        spans = {s.strip() for s in self.code.split("\n")} - lines - {""}
        return _lines_by_shape(self.lines + sorted(spans))


def adapted_names(block: list[tuple[int, str]], language: str,
                  source: SourceCode, *, copied_only: bool = False,
                  once=lambda word: False) -> list[CodeName]:
    """The names of one draft block (its ``language``) that the sources do not state;
    ``copied_only`` (a block with no language, or output): only the values changed on a
    line that is a source line but for them, and the product's variables; ``once``: whether
    the draft writes a word only once (a renamed name recurs)."""
    assigns = language in ASSIGNING
    block_words = {w.lower() for _, line in block for w in _WORD.findall(_uncommented(line))}
    adapted = not copied_only and len(block_words) >= MIN_WORDS and \
        len(block_words & source.code_words) / len(block_words) >= ADAPTED_SHARE
    out: list[CodeName] = []
    for offset, line in block:
        body = _uncommented(line)
        if not body.strip():
            continue
        tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(body)]
        quoted = _inside_quotes(tokens)
        for found in _ENV_NAME.finditer(body):
            name = found.group(0)
            prefix = name.split("_")[0]
            if prefix in source.prefixes and name not in source.env_names:
                theirs = [n for n in source.env_names if n.startswith(prefix + "_")]
                out.append(CodeName(offset + found.start(), offset + found.end(), name,
                                    "env-var", _closest(name, theirs)))
        for index, (token, start) in enumerate(tokens):
            versionish = _VERSIONISH.fullmatch(token)
            if versionish or _TAG.fullmatch(token):
                instead = _version_instead(tokens, index, source.every_by_shape)
                if instead is not None and not source.says(token):
                    kind = "identifier" if _ADDRESS.fullmatch(token) else "version"
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        kind, instead))
                    continue
                if versionish:
                    continue  # a tag with no source tag in its place is a word (`europe-west1`)
            if _DIGITS.fullmatch(token):
                instead = _number_instead(tokens, index, source.by_shape) if not quoted[index] \
                    else None
                if instead is None:  # any long line that is a source line but for it
                    instead = _line_but(tokens, index, source.every_by_shape, _DIGITS)
                if instead is not None:
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        "number", instead))
                continue
            if not _WORD.fullmatch(token):
                continue
            if adapted and _is_key(tokens, index, quoted, assigns):
                # a key is one the sources' code writes: "ephemeral environments" in their
                # prose is not the `isEphemeral` argument
                if token.lower() not in source.code_words:
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        "config-key", _closest(token, source.spelled)))
                elif token not in source.spelled and language in CASE_SENSITIVE:
                    # `predeployCommand` for `preDeployCommand`: keys are case-sensitive there
                    spelled = next((w for w in source.spelled if w.lower() == token.lower()), None)
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        "config-key", spelled))
                continue
            if not adapted and not copied_only and _is_key(tokens, index, quoted, assigns) \
                    and token.lower() not in source.code_words:
                # a documented key with a part added or changed (`memoryLimitMb = 512` for
                # the sources' `memoryLimit = 512`): the writer's own keys are not near them
                near = _near_key(token, source.keys)
                if near is not None:
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        "config-key", near))
                    continue
            if not adapted and index == 0 and len(tokens) > 1 and tokens[1][0] in (":", "="):
                # the name a copied line sets (`ALLOWED_HOSTS=${{Frontend.X}}` for the
                # source's `ALLOWED_ORIGINS=...`): the rest of the line is the source's
                instead = _line_but(tokens, index, source.every_by_shape, _KEY_WORD)
                if instead is not None and not source.says(token):
                    kind = "env-var" if _ENV_NAME.fullmatch(token) else "config-key"
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        kind, instead))
                continue
            member = _MEMBER.fullmatch(token)
            if member and not quoted[index] and not copied_only \
                    and member.group(1) not in LANGUAGE_GLOBALS:
                shown = source.members.get(member.group(1), set())
                if len(shown) >= 2 and member.group(2) not in shown and not source.says(token):
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        "identifier",
                                        _closest(member.group(2), shown, member.group(1) + ".")))
                continue
            if quoted[index] and _ENUM_VALUE.fullmatch(token):
                instead = _value_instead(tokens, index, source.by_shape)
                compound = _COMPOUND.search(token)  # a key's name: `database_url` is not
                #                                     `DATABASE_URL`
                if instead is not None and not (source.says_as(token) if compound
                                                else _says_dashed(source, body, start, token)):
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        "identifier", instead))
                continue
            if not quoted[index] and once(token) and not _declared(tokens, index):
                # a word changed on a long copied line (`USING hnsw (embedding vector_l2_ops);`
                # for `vector_cosine_ops`): a name the writer renames is used again in the
                # draft, a variable is the writer's to name, `pr-2` is an example's
                instead = _line_but(tokens, index, source.every_by_shape, _WORD)
                if instead is not None and not _says_dashed(source, body, start, token) \
                        and not _NUMBERED.search(instead):
                    out.append(CodeName(offset + start, offset + start + len(token), token,
                                        "identifier", instead))
    return out


def _says_dashed(source, body: str, start: int, token: str) -> bool:
    """Whether the sources write ``token`` as the line does: with the dash before it, if
    it has one (``'-lz'``, an option the tokens read as "-" and "lz")."""
    if source.says(token):
        return True
    dashes = len(body[:start]) - len(body[:start].rstrip("-"))
    return dashes > 0 and source.says(body[start - dashes:start] + token)


# objects every program of a language has (`console.warn`, `process.exit`, `sys.argv`): the
# sources' examples show a few of their members, a writer's code may use any other
LANGUAGE_GLOBALS = frozenset({
    "console", "process", "Math", "JSON", "Object", "Array", "Promise", "Number", "String",
    "Date", "Reflect", "Symbol", "Intl", "globalThis", "window", "document", "navigator",
    "performance", "sys", "json", "math", "logging"})

_DECLARING = frozenset({"const", "let", "var", "def", "function", "class", "type", "interface",
                        "fn", "func", "val"})
_NUMBERED = re.compile(r"[-_]\d+$")  # pr-1, worker_2: an example's numbered name


def _declared(tokens: list[tuple[str, int]], index: int) -> bool:
    """A name the line declares or assigns (``const isProd =``, ``data = ...``)."""
    before = tokens[index - 1][0] if index else ""
    after = [t for t, _ in tokens[index + 1:index + 3]]
    return before in _DECLARING or (after[:1] == ["="] and after[1:2] != ["="])


NEAR_TOKENS = 8  # a line at least this long may be a near copy of a source line
NEAR_SHARE = 0.6  # share of its distinct words a source line must hold to be compared
NEAR_BEFORE, NEAR_AFTER = 4, 1  # equal tokens around the one word that differs


def near_copies(block: list[tuple[int, str]], source: SourceCode, once) -> list[CodeName]:
    """The one word a draft line changes in a source line it otherwise copies, the ends of
    either line aside (``ID=$(railway deployment list --json --limit 1 | jq -r
    '.[0].deploymentId')`` for the source's ``... | jq -r '.[0].id'``). Not a word the draft
    uses again (a renamed name), declares, or writes after a setting the user names
    (``--service api``), nor one for a source's numbered example (``pr-1``)."""
    out: list[CodeName] = []
    for offset, line in block:
        body = _uncommented(line).rstrip().rstrip(",;\\")
        tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(body)]
        if len(tokens) < NEAR_TOKENS:
            continue
        words = [t for t, _ in tokens]
        candidates = source.near_lines(words, NEAR_SHARE)
        if words in candidates:
            continue  # the line is a source line as it is
        for theirs in candidates:
            index, instead = _one_word_changed(words, theirs)
            if index is None or (index and words[index - 1] == "-"):
                continue  # no one word changed, or a flag's (the flag rules read those)
            token, start = tokens[index]
            if any(u.start() <= start < u.end() for u in _URL.finditer(body)):
                break  # a URL's part: the URL rules read it whole
            said = source.says(token)
            if (_swapped_in(body, start, token) if said else once(token)) \
                    and not _declared(tokens, index) \
                    and not _NUMBERED.search(instead) and not _user_named(words, index):
                out.append(CodeName(offset + start, offset + start + len(token), token,
                                    "identifier", instead))
            break
    return out


def _one_word_changed(words: list[str], theirs: list[str]) -> tuple[int | None, str]:
    """(index in ``words``, the source's word) when the two lines differ, ends aside, by
    one word only, with enough equal tokens around it; else (None, "")."""
    opcodes = difflib.SequenceMatcher(None, words, theirs, autojunk=False).get_opcodes()
    inner = opcodes[1:-1] if len(opcodes) > 2 else []
    changed = [op for op in inner if op[0] != "equal"]
    if len(changed) != 1:
        return None, ""
    tag, i1, i2, j1, j2 = changed[0]
    if tag != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
        return None, ""
    if not (_WORD.fullmatch(words[i1]) and _WORD.fullmatch(theirs[j1])) or len(words[i1]) < 3:
        return None, ""
    position = opcodes.index(changed[0])
    before, after = opcodes[position - 1], opcodes[position + 1]
    if before[2] - before[1] < NEAR_BEFORE or after[2] - after[1] < NEAR_AFTER:
        return None, ""
    return i1, theirs[j1]


def _user_named(words: list[str], index: int) -> bool:
    """Whether the word is the value of a setting the user names (``--service api``,
    ``name: "api"``, ``-p 5432``)."""
    before = [w for w in words[max(index - 4, 0):index] if w not in ("-", ":", "=", '"', "'")]
    return bool(before) and before[-1].lower() in NAMED_BY_USER


_RUN = re.compile(r"[\w$]+")


_CHUNK = re.compile(r"[^\s\"'`,()\[\]]+")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_INSTRUCTION = re.compile(r"\s*(?:CMD|ENTRYPOINT|RUN|COPY)\b")


def _swapped_in(line: str, start: int, token: str) -> bool:
    """Whether a word the sources use, changed on a line that copies theirs, is a swap rather
    than the writer's name: a part of a path (``.next/server/server.js``, ``/app/.next``;
    not ``owner/repo``), a variable (``DISCORD_TOKEN``), or a word of a Dockerfile
    instruction (``CMD ["npm", "run", "start:dev"]``); a quoted name or an argument
    (``Sandbox.create("agent-box")``) is the writer's own."""
    if _ENV_NAME.fullmatch(token) or _INSTRUCTION.match(line):
        return True
    chunk = next((m.group(0) for m in _CHUNK.finditer(line) if m.start() <= start < m.end()), "")
    return chunk.count("/") >= 2 or chunk.startswith(("/", "./", "~/"))


def _written_once(text: str, word: str) -> bool:
    return len(re.findall(r"(?<![\w$])" + re.escape(word) + r"(?![\w$])", text)) == 1


def copied_command_values(block: list[tuple[int, str]], source: SourceCode) -> list[CodeName]:
    """The number or flag changed on a shell command that is a long source line but for it
    (``node --import ./instrumentation.js app.js`` for ``node --require ...``): the
    commands' other checks read only the product's own programs."""
    out: list[CodeName] = []
    for offset, line in block:
        body = _uncommented(line)
        tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(body)]
        for index, (token, start) in enumerate(tokens):
            flag = index >= 1 and tokens[index - 1][0] == "-" and _WORD.fullmatch(token)
            if not flag and not _DIGITS.fullmatch(token):
                continue
            if flag and len(tokens) >= COPY_FLAG_TOKENS:  # `openssl rand -base64 32`
                instead = _source_instead([t for t, _ in tokens], index, source.every_by_shape,
                                          _WORD)
            else:
                instead = _line_but(tokens, index, source.every_by_shape,
                                    _WORD if flag else _DIGITS)
            if instead is None:
                continue
            if flag:  # the flag with its dashes
                first = index
                while first > 0 and tokens[first - 1][0] == "-":
                    first -= 1
                dashes = "-" * (index - first)
                said = ""
                if source.says(dashes + token):
                    if not _value_of_another(tokens, index, dashes + token, dashes + instead,
                                             source):
                        continue  # a flag the sources document elsewhere (an options table)
                    said = "is not the flag the source's command gives this value"
                out.append(CodeName(offset + tokens[first][1], offset + start + len(token),
                                    dashes + token, "flag", dashes + instead, said=said))
            else:
                out.append(CodeName(offset + start, offset + start + len(token), token,
                                    "number", instead))
    return out


def _value_of_another(tokens: list[tuple[str, int]], index: int, flag: str, theirs: str,
                      source: SourceCode) -> bool:
    """Whether a documented flag, written where a source command has another flag, is given
    that flag's value (``railway add --repo nginx:latest`` where the source's example is
    ``railway add --image nginx:latest``): a value belongs to its flag, when the sources
    document it with one (``--image <IMAGE>``). Not a flag that takes no value there
    (``--detach`` for ``--ci``: another mode), nor the other flag's other name (``-i`` for
    ``--image``)."""
    from kurt.checks.grounding.flag_pairs import pairs

    following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
    if not following or following == "-" or following in ("|", "&", ";", ">", "\\"):
        return False
    if not re.search(re.escape(theirs) + r"(?:=| \[?)<", source.text):
        return False  # the sources give their flag no value (`-hex 32`: 32 is the command's)
    return not any({flag, theirs} == {short, long} for short, long in pairs(source.text))


MIN_FLAGS = 4  # flags a command needs to be read as a copy by its flags alone
COPY_FLAG_TOKENS = 5  # a command this long that is a source line but for one flag is a copy


def copied_command_flags(block: list[tuple[int, str]], source: SourceCode) -> list[CodeName]:
    """The flag changed on a command whose flags are a source command's but for it, the
    writer's own arguments aside and a flag left out allowed (``pg_dump -Ft --no-acl
    --no-owner -h <host> ...`` for ``pg_dump -Fc --no-acl --no-owner -h <db-host> -p ...``).
    The source's flag it replaces is one of the same letter (``-Fc`` for ``-Ft``): a flag
    the writer adds beside one they leave out is theirs."""
    out: list[CodeName] = []
    for offset, line in block:
        words = _uncommented(line).split()
        flags = {w for w in words if w.startswith("-") and len(w) > 1}
        if not words or len(flags) < MIN_FLAGS:
            continue
        known = source.commands.get(words[0], ())
        given = {flag for theirs in known for flag in theirs}
        for theirs in known:
            extra, missing = flags - set(theirs), set(theirs) - flags
            if len(extra) != 1 or len(flags & set(theirs)) < MIN_FLAGS - 1:
                continue
            flag = next(iter(extra))
            if flag in given:
                break  # a flag the sources give this program elsewhere
            same_letter = [m for m in missing if flag[:2] == m[:2] and not flag.startswith("--")]
            instead = same_letter[0] if len(same_letter) == 1 else None
            found = re.search(r"(?<!\S)" + re.escape(flag) + r"(?!\S)", line)
            if instead is not None and found is not None:
                out.append(CodeName(offset + found.start(), offset + found.end(), flag,
                                    "flag", instead))
            break
    return out


def _uncommented(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith("#["):
        return line  # a Rust attribute (`#[get("/")]`), not a comment
    return "" if stripped.startswith(_COMMENT) else line


def _inside_quotes(tokens: list[tuple[str, int]]) -> list[bool]:
    inside, quote, out = False, "", []
    for token, _ in tokens:
        if token in ("\"", "'", "`") and (not inside or token == quote):
            inside, quote = not inside, token
            out.append(False)
            continue
        out.append(inside)
    return out


def _is_key(tokens: list[tuple[str, int]], index: int, quoted: list[bool],
            assigns: bool) -> bool:
    """A key: a name before ``:`` outside strings (``sizeGB: 1``, ``ephemeral: false``), a
    quoted one before ``:`` (``"europe-west1": 1``), a name before ``=`` in a configuration
    language (``assigns``: TOML, INI) or inside a call (``f(timeout=5)``). Not a variable
    (``data = ...``), a typed parameter (``req: Request``, ``$id: String!``) or the branch
    of a conditional (``a ? b : c``)."""
    after = [t for t, _ in tokens[index + 1:index + 4]]
    if quoted[index]:
        return len(after) >= 2 and after[0] in ("\"", "'") and after[1] == ":"
    if not after or after[0] not in (":", "="):
        return False
    previous = tokens[index - 1][0] if index else ""
    if previous in (".", "?") or tokens[index][0].startswith("$"):
        return False
    inside = _open_bracket(tokens, index)
    if after[0] == "=":
        return (len(after) < 2 or after[1] != "=") and (assigns or inside == "(")
    if len(after) > 1 and after[1] == ":":
        return False  # `a::b`
    typed = len(after) > 1 and (after[1] in _TYPES or after[1][:1].isupper())
    return not (inside == "(" and typed)


_TYPES = frozenset("string number boolean any void unknown never object int float str bool "
                   "dict list bytes".split())
# languages whose `name = value` lines are configuration, not variables
# languages whose keys are case-sensitive (not INI, env files or HTTP headers)
CASE_SENSITIVE = frozenset({"json", "jsonc", "json5", "yaml", "yml", "toml", "js", "javascript",
                            "jsx", "ts", "typescript", "tsx", "python", "py", "graphql", "hcl"})
ASSIGNING = frozenset({"toml", "ini", "cfg", "conf", "env", "dotenv", "properties", "hcl",
                       "tf", "editorconfig"})


def _near_key(word: str, keys) -> str | None:
    """The one key of ``keys`` that ``word`` spells with a part added, dropped or changed at
    its end (``memoryLimitMb``, ``memory_limit`` for ``memoryLimit``...): a compound of
    eight letters or more, the same start for all but its last part."""
    if len(word) < 8 or not _COMPOUND.search(word):
        return None
    lower = word.lower().replace("_", "").replace("-", "")
    found = {key for key in keys if len(key) >= 8 and _COMPOUND.search(key) and (
        (flat := key.lower().replace("_", "").replace("-", "")) != lower
        and (lower.startswith(flat) or flat.startswith(lower))
        and abs(len(flat) - len(lower)) <= 5)}
    return found.pop() if len(found) == 1 else None


def _open_bracket(tokens: list[tuple[str, int]], index: int) -> str:
    stack: list[str] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for token, _ in tokens[:index]:
        if token in "([{":
            stack.append(token)
        elif token in pairs and stack and stack[-1] == pairs[token]:
            stack.pop()
    return stack[-1] if stack else ""


def _members(source_lines: list[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in source_lines:
        for match in _MEMBER.finditer(line):
            found.setdefault(match.group(1), set()).add(match.group(2))
    return found


def _lines_by_shape(source_lines: list[str]) -> dict[int, list[list[str]]]:
    shapes: dict[int, list[list[str]]] = {}
    for line in source_lines:
        tokens = _tokens(line)
        shapes.setdefault(len(tokens), []).append(list(tokens))
    return shapes


_PROSE_END = re.compile(r"[a-z)\]`*][.:!?]$")  # a line of prose ends a sentence


@lru_cache(maxsize=262144)
def _tokens(line: str) -> tuple[str, ...]:
    """A source line's tokens, read once per run (the drafts of a project share sources)."""
    return tuple(_TOKEN.findall(line))


@lru_cache(maxsize=262144)
def _words(line: str) -> frozenset[str]:
    """The distinct word tokens of a source line."""
    return frozenset(t for t in _tokens(line.rstrip().rstrip(",;\\")) if _WORD.fullmatch(t))


def _value_instead(tokens: list[tuple[str, int]], index: int, by_shape) -> str | None:
    """The source's value where a source line is the draft's line but for this quoted word
    (``builder = "railpack"``), when that line gives it to a key not named by the user."""
    words = [t for t, _ in tokens]
    key = next((words[i - 1] for i in range(index, 0, -1) if words[i] in (":", "=")), None)
    if key is None or key.strip("\"'").lower() in NAMED_BY_USER or _NUMBER.fullmatch(words[index]):
        return None
    for source in by_shape.get(len(words), ()):
        if source[index] == words[index] or not _ENUM_VALUE.fullmatch(source[index]):
            continue
        if all(a == b for i, (a, b) in enumerate(zip(words, source, strict=True)) if i != index):
            return source[index]
    return None


def _number_instead(tokens: list[tuple[str, int]], index: int, by_shape) -> str | None:
    """The source's number where a source line is the draft's line but for this number
    (``count: 1000`` for ``count: 10000``, ``family: 0`` for ``family: 6``): a value the
    draft copies with the line it is on. Not when some source line is the draft's as is, or
    the line is too short to be a copy (``port: 3000``; ``max_events: 100`` is a copy: its
    compound key is the source's own)."""
    words = [t for t, _ in tokens]
    compound = index >= 2 and _COMPOUND.search(words[index - 2].strip("\"'")) is not None
    if sum(1 for w in words if _WORD.fullmatch(w)) < 1 or len(words) < (3 if compound else 4):
        return None
    key = words[index - 1] if index and words[index - 1] in (":", "=") else None
    if key is None or index < 2 or not _WORD.fullmatch(words[index - 2].strip("\"'")):
        return None
    if words[index - 2].lower() in NAMED_BY_USER:
        return None
    return _source_instead(words, index, by_shape, _DIGITS)


COPY_TOKENS = 6  # a line this long that is a source line but for one token is a copy
_KEY_WORD = re.compile(r"[A-Za-z_][\w.-]*")


def _line_but(tokens: list[tuple[str, int]], index: int, by_shape, shape) -> str | None:
    """The token a long source line has at ``index`` where it is the draft's line but for
    that token (one of ``shape``)."""
    words = [t for t, _ in tokens]
    return _source_instead(words, index, by_shape, shape) if len(words) >= COPY_TOKENS \
        else None


def _source_instead(words: list[str], index: int, by_shape, shape) -> str | None:
    """The token (one of ``shape``) a source line of the same shape has at ``index`` where
    it is the draft's line but for that token, unless some source line is the draft's as
    it is."""
    candidates = by_shape.get(len(words), ())
    if any(source == words for source in candidates):
        return None
    for source in candidates:
        if source[index] != words[index] and shape.fullmatch(source[index]) and all(
                a == b for i, (a, b) in enumerate(zip(words, source, strict=True)) if i != index):
            return source[index]
    return None


_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_KEY_AT = re.compile(r"[\"']?([A-Za-z_][\w-]*)[\"']?\s*[:=](?![:=])")
_REFERENCE = re.compile(r"\$\{\{[^}]+\}\}")  # ${{Postgres.DATABASE_URL}}: a value of the product's
_COMPOUND = re.compile(r"\w[_-]\w|[a-z][A-Z]")  # max_events, maxEvents: a key of the sources'
_ADDRESS = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")  # an IP address, not a version
_VERSIONISH = re.compile(r"v?\d+(?:[.-][\w]+)+")
_TAG = re.compile(r"(?=[\w.-]*\d)[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)+")  # latest-rust-1.75
_ENV_NAME = re.compile(r"(?<![\w$])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w$])")
PREFIX_NAMES = 3  # variables sharing a first word that make it the product's namespace


def _product_prefixes(names: set[str]) -> set[str]:
    """First words the sources' variables share (``RAILWAY_`` of ``RAILWAY_ENVIRONMENT``,
    ``RAILWAY_TOKEN``...): a variable in that namespace is the product's to name."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name.split("_")[0]] = counts.get(name.split("_")[0], 0) + 1
    return {prefix for prefix, count in counts.items() if count >= PREFIX_NAMES}


def _version_instead(tokens: list[tuple[str, int]], index: int, by_shape) -> str | None:
    """The source's version or tag where a source line is the draft's but for it (``FROM
    node:22-slim`` for ``FROM node:20-slim``, ``node:lts-alpine`` for ``node:20-alpine``,
    ``latest-rust-1`` for ``latest-rust-1.75``)."""
    words = [t for t, _ in tokens]
    for source in by_shape.get(len(words), ()):
        theirs = source[index]
        if theirs != words[index] and (_VERSIONISH.fullmatch(theirs)
                                       or _tag_variant(words[index], theirs)
                                       or _major_for(words, index, theirs)) and all(
                a == b for i, (a, b) in enumerate(zip(words, source, strict=True)) if i != index):
            return theirs
    return None


def _major_for(words: list[str], index: int, theirs: str) -> bool:
    """Whether the source gives a bare major version where the draft gives a version
    (``FROM python:3`` for ``FROM python:3.11``, ``node@18`` for ``node@18.2``): after a
    ``:`` or ``@`` that follows a name."""
    return bool(_DIGITS.fullmatch(theirs)) and _VERSIONISH.fullmatch(words[index]) is not None \
        and index >= 2 and words[index - 1] in (":", "@") and _WORD.fullmatch(words[index - 2])


def _tag_variant(ours: str, theirs: str) -> bool:
    """Whether two tags differ only by the version one of them gives (``20-alpine`` and
    ``lts-alpine``, ``latest-rust-1.75`` and ``latest-rust-1``): the same words around it."""
    prefix = len(os.path.commonprefix([ours, theirs]))
    suffix = len(os.path.commonprefix([ours[prefix:][::-1], theirs[prefix:][::-1]]))
    middle = ours[prefix:len(ours) - suffix]
    kept = ours[:prefix] + ours[len(ours) - suffix:]
    return bool(re.search(r"\d", middle)) and len(re.sub(r"[\W\d_]", "", kept)) >= 3 and (
        ours[:prefix].endswith(("-", ".", ":")) or middle[:1] in "-.:"
        or ours[len(ours) - suffix:].startswith(("-", ".", ":")))


def _closest(word: str, candidates, prefix: str = "") -> str | None:
    """The candidate the word most likely stands for: one it abbreviates (``env`` for
    ``environment``), else the most alike."""
    lower = word.lower()
    ordered = sorted(candidates, key=str.lower)
    longer = [c for c in ordered if c.lower().startswith(lower) and c.lower() != lower]
    if longer:
        return prefix + min(longer, key=len)
    found = difflib.get_close_matches(lower, [c.lower() for c in ordered], n=1, cutoff=0.6)
    if not found:
        return None
    return prefix + next(c for c in ordered if c.lower() == found[0])


LABELS = {"flag": "Flag", "config-key": "Configuration key", "identifier": "Identifier", "number": "Number",
          "version": "Version", "env-var": "Environment variable", "url": "URL"}


def check_adapted_code(grounding) -> list:
    """``grounding/specific`` findings for the names of the draft's code blocks that the
    sources in the block's section and draft scopes do not state (``grounding`` is a
    ``kurt.checks.grounding.prepared.Grounding``)."""
    from kurt.checks.finding import Finding
    from kurt.checks.passages import passages_for_line

    findings = []
    text = grounding.prose.text
    runs = Counter(_RUN.findall(text))  # how often the draft writes each plain word

    def written_once(word: str) -> bool:
        return runs[word] == 1 if _RUN.fullmatch(word) else _written_once(text, word)

    for language, block in draft_code_blocks(text, output=True, shell=True):
        if not block:
            continue
        line, _ = grounding.prose.position(block[0][0])
        passages = [p for p in passages_for_line(grounding.sections, line)
                    if p.scope in ("section", "draft")]
        if not passages:
            continue
        facts = grounding.facts.group(passages)
        if not facts.code:
            continue
        source = _source_code(facts)
        section = [p for p in passages if p.scope == "section"]
        own = _source_code(grounding.facts.group(section)) \
            if section and len(section) < len(passages) else None
        once = written_once
        if language in SHELL_TAGS:
            names = copied_command_values(block, source)
            names += [n for n in copied_command_flags(block, source)
                      if not any(o.start == n.start for o in names)]
        else:
            names = block_urls(block, facts)
            names += adapted_names(block, language, source, copied_only=language in NOT_CODE,
                                   once=once)
        if own is not None:
            names += [n for n in renamed_keys(block, own)
                      if not any(o.start <= n.start < o.end for o in names)]
        names += [n for n in near_copies(block, source, once)
                  if not any(o.start <= n.start < o.end for o in names)]
        names += [n for n in changed_paths(block, source)
                  if not any(o.start <= n.start < o.end for o in names)]
        names += [n for n in copied_block_changes(block, source, once, own)
                  if not any(o.start <= n.start < o.end for o in names)]
        for name in names:
            first_line, column = grounding.prose.position(name.start)
            end_line, end_column = grounding.prose.position(name.end - 1)
            evidence = _evidence(passages, name.instead)
            suggestion = None
            if name.instead and evidence is not None:
                whose = "source" if name.kind == "url" else "source's code"
                suggestion = f'the {whose} has "{name.instead}" ({evidence.citation})'
            said = name.said or ("is not what the sources' code gives on this line"
                                 if name.kind == "number" else "is not in the sources")
            findings.append(Finding(
                "grounding/specific", "error", grounding.path, first_line, column,
                f'{LABELS[name.kind]} "{name.text}" {said}', end_line=end_line,
                end_column=end_column, evidence=evidence, suggestion=suggestion))
    return findings


_FENCED = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*\n(.*?)\n[ \t]*(?:```|~~~)", re.DOTALL | re.MULTILINE)
_SPLIT = re.compile(r"[^\s\"',\[\]]+")  # a line's chunks: words, quoted strings' contents
_PATH = re.compile(r"(?:\.{0,2}/)?[\w.@-]+(?:/[\w.@-]*)+|\.{0,2}/[\w.@-]*")
_SETTING = re.compile(r"^(--?[\w.-]+=|[\w.-]+=)")  # `--ServerApp.root_dir=`: a flag's value


def changed_paths(block: list[tuple[int, str]], source: SourceCode) -> list[CodeName]:
    """A path the draft writes where a source line that is the draft's line but for it has
    another path (``root ./public`` for the source's ``root ./www``,
    ``--ServerApp.root_dir=/app/data`` for ``/data``), when the draft's path is one the
    sources write elsewhere: a path of another page swapped in. A path no source writes is
    the writer's own (a project's folder)."""
    out: list[CodeName] = []
    lines = source.chunk_lines
    for offset, line in block:
        body = _uncommented(line)
        chunks = [(m.group(0), m.start()) for m in _SPLIT.finditer(body)]
        if len(chunks) < 2:
            continue
        words = [c for c, _ in chunks]
        same = lines.get((len(words), words[0]), ())
        if words in same or (len(words) == 2 and len(same) != 1):
            continue  # a source line as it is; a directive the sources give several values
        found: dict[int, tuple[str, str, int]] = {}
        for theirs in same:
            differ = _differ(words, theirs)
            if len(differ) != 1 or differ[0] == 0:
                continue
            index = differ[0]
            mine, other = words[index], theirs[index]
            setting = _SETTING.match(mine)
            if setting is not None:
                if not other.startswith(setting.group(1)):
                    continue
                mine, other = mine[setting.end():], other[setting.end():]
            if _PATH.fullmatch(mine) and _PATH.fullmatch(other) and mine != other:
                found.setdefault(index, (mine, other, setting.end() if setting else 0))
        if len(found) != 1:
            continue  # none, or source lines that differ from it at different places
        index, (mine, other, shift) = next(iter(found.items()))
        if source.says_path(mine):
            start = offset + chunks[index][1] + shift
            out.append(CodeName(start, start + len(mine), mine, "identifier", other,
                                said="is not the path the sources' code gives on this line"))
    return out


COPIED_LINES = 3  # lines of a draft block a source block must give as they are
COPIED_SHARE = 0.5  # ... and this share of the block's lines at least


def copied_block_changes(block: list[tuple[int, str]], source: SourceCode, once,
                         own: SourceCode | None = None) -> list[CodeName]:
    """The one word a line changes in a block copied from a source block: the draft block
    and the source block it copies most (``COPIED_LINES`` lines as they are, half the
    block's lines at least) aligned line by line, a line standing where a source line
    stands and differing from it by one word (``RUN go mod tidy`` where the source's
    Dockerfile has ``RUN go mod download``). Short lines too: the block tells that the line
    is a copy. Not a word the draft writes again (a renamed name), declares, or gives a
    setting the user names; a word of the sources only where it is a swap (``_swapped_in``:
    a path's part, a variable, a Dockerfile instruction's word). ``own``: the section's
    own sources, whose blocks the draft's block is compared with when they have any (a
    block mixing two pages' lines is compared with the page its section is about)."""
    lines = [(offset, _uncommented(raw), _uncommented(raw).strip()) for offset, raw in block]
    lines = [(offset, body, line) for offset, body, line in lines if line]
    mine = [line for _, _, line in lines]
    if len(mine) < COPIED_LINES:
        return []
    best, best_equal = None, 0
    for theirs in (own.blocks if own is not None and own.blocks else source.blocks):
        matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
        equal = sum(size for _, _, size in matcher.get_matching_blocks())
        if equal > best_equal:
            best, best_equal = (matcher, theirs), equal
    if best is None or best_equal < COPIED_LINES or best_equal < COPIED_SHARE * len(mine):
        return []
    matcher, theirs = best
    out: list[CodeName] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 != j2 - j1:
            continue
        for k in range(i2 - i1):
            offset, body, line = lines[i1 + k]
            tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(line)]
            other = _tokens(theirs[j1 + k])
            if len(tokens) != len(other) or len(tokens) < 2:
                continue
            differ = _differ([t for t, _ in tokens], other)
            if len(differ) != 1:
                continue
            index = differ[0]
            token, start = tokens[index]
            words = [t for t, _ in tokens]
            if _changed_elsewhere(words, index, source.every_by_shape):
                continue  # another source line is the draft's but for another word
            if not (_WORD.fullmatch(token) and _WORD.fullmatch(other[index])) \
                    or _declared(tokens, index) or _user_named(words, index) \
                    or _NUMBERED.search(other[index]) \
                    or not (_swapped_in(line, start, token) if source.says(token)
                            else once(token)):
                continue
            shift = len(body) - len(body.lstrip())
            out.append(CodeName(offset + shift + start, offset + shift + start + len(token),
                                token, "identifier", other[index],
                                said="is not what the source's copied block has on this "
                                     "line"))
    return out


def _changed_elsewhere(words: list[str], index: int, by_shape) -> bool:
    """Whether a source line is ``words`` but for one word at another place than
    ``index`` (``COPY --from=build /app/dist ./public`` is React's line with ``./public``
    and Gatsby's with ``/app/dist``: which word is changed, nothing tells)."""
    for theirs in by_shape.get(len(words), ()):
        differ = _differ(words, theirs)
        if len(differ) == 1 and differ[0] != index:
            return True
    return False


def _differ(words, theirs) -> list[int]:
    """Where two token lists of one length differ."""
    return [i for i, (a, b) in enumerate(zip(words, theirs, strict=True)) if a != b]


def renamed_keys(block: list[tuple[int, str]], own: SourceCode) -> list[CodeName]:
    """The name a line gives a value of the product's (``${{Postgres.DATABASE_URL}}``) where
    the section's own sources (``own``) set that value, on a line the same but for it, under
    another name they use instead: ``DATABASE_URL=${{Postgres.DATABASE_URL}}`` where the
    app's page sets ``DATABASE_URI``. The draft's other pages may use the draft's name for
    another app; the section's page is the one that says what this app reads."""
    out: list[CodeName] = []
    for offset, line in block:
        body = _uncommented(line).strip()
        tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(body)]
        if len(tokens) < 3 or tokens[1][0] not in (":", "=") or not _REFERENCE.search(body) \
                or not _KEY_WORD.fullmatch(tokens[0][0]):
            continue
        token = tokens[0][0]
        instead = _line_but(tokens, 0, own.every_by_shape, _KEY_WORD)
        if instead is None or re.search(r"(?<![\w$-])" + re.escape(token.lower()) + r"(?![\w$-])",
                                        _REFERENCE.sub(" ", own.lower)):
            continue  # the page names it too (a reference's own name aside)
        shift = len(_uncommented(line)) - len(_uncommented(line).lstrip())
        kind = "env-var" if _ENV_NAME.fullmatch(token) else "config-key"
        out.append(CodeName(offset + shift, offset + shift + len(token), token, kind, instead,
                            said="is not the name the section's source gives this value"))
    return out


def _source_code(facts) -> SourceCode:
    """The ``SourceCode`` of a group's facts, read once."""
    source = getattr(facts, "_source_code", None)
    if source is None:
        source = facts._source_code = SourceCode(facts.code, facts.text)
    return source


_URL = re.compile(r"https?://[^\s'\"`<>)\]]+")


def block_urls(block: list[tuple[int, str]], facts) -> list[CodeName]:
    """The URLs of a code or output block on the product's own domain (one its sources
    name) that no source gives: a discovery document's address, an API's endpoint. A
    writer's own hosts and placeholders are theirs."""
    from kurt.checks.grounding.code import names_domain, normalise_url, url_domain

    out = []
    for offset, line in block:
        for found in _URL.finditer(line):
            url = found.group(0).rstrip(".,;:")
            key = normalise_url(url)
            domain = url_domain(key)
            if domain is None or key.split("/")[0].split(":")[0].count(".") > 2 \
                    or not names_domain(facts.lower, domain) or key.lower() in facts.lower:
                continue  # a writer's host, not the product's domain, or stated
            theirs = {normalise_url(u) for u in _URL.findall(facts.text)
                      if normalise_url(u).split("/")[0].endswith(domain)}
            out.append(CodeName(offset + found.start(), offset + found.start() + len(url), url,
                                "url", _closest(key, theirs)))
    return out


def _evidence(passages, word: str | None):
    from kurt.checks.grounding.prepared import line_evidence

    if not word:
        return None
    return line_evidence(passages, re.compile(r"(?<![\w$.-])" + re.escape(word) + r"(?![\w$-])"))
