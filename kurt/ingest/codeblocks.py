"""Code blocks: lift every ``<pre>`` out of a page before trafilatura, put it back after.

trafilatura drops the language of a code block (``class="language-python"``,
``data-language``...), collapses its blank lines and breaks a block out of the
list item it belongs to. So before extraction :func:`take_code_blocks` swaps
each top-level ``<pre>`` for a placeholder token and keeps its (language, code);
after, :func:`restore_code_blocks` replaces each token with a fenced block,
exactly as the page has it: indented under its list item, or as inline code in
a table cell (a cell cannot hold a fenced block).
"""

from __future__ import annotations

import re

CODE_MARK = "kurtcode0c1f"  # placeholder prefix: "kurtcode0c1f<N>x" stands for block N
LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")
_LANG_CLASS = re.compile(r"(?:^|\s)(?:language|lang|highlight|brush:?)-?([A-Za-z0-9_+#.-]+)")
_CODE_TOKEN = re.compile(r"`*\s*kurtcode0c1f(\d+)x\s*`*")
_FENCED_TOKEN = re.compile(r"`{3,}[^\n`]*\n\s*(kurtcode0c1f\d+x)\s*\n\s*`{3,}")


def code_language(pre) -> str | None:
    """The language a ``<pre>`` (or its ``<code>``) declares in a class or data attribute."""
    for element in (pre, *pre.iterchildren("code")):
        language = element.get("data-language") or element.get("data-lang")
        if not language:
            match = _LANG_CLASS.search(element.get("class") or "")
            language = match.group(1) if match else None
        if language:
            language = re.sub(r"[^A-Za-z0-9_+#.-]", "", language).lower()
            return language if language and language not in ("none", "nohighlight") else None
    return None


def take_code_blocks(tree) -> list[tuple[str | None, str]]:
    """Swap each ``<pre>`` for a placeholder; return the (language, code) of each.

    trafilatura loses the language of code blocks, their blank lines, and their
    place in a list item; the placeholders let :func:`restore_code_blocks` put
    the code back exactly as the page has it.
    """
    blocks: list[tuple[str | None, str]] = []
    for pre in list(tree.iter("pre")):
        if any(True for _ in pre.iterancestors("pre")):
            continue
        code = pre.text_content().replace("\r\n", "\n").replace("\r", "\n")
        code = code[1:] if code.startswith("\n") else code
        code = code.rstrip("\n ")
        if not code.strip():
            continue
        language = code_language(pre)
        for child in list(pre):
            pre.remove(child)
        pre.text = f"{CODE_MARK}{len(blocks)}x"
        for name in list(pre.attrib):
            del pre.attrib[name]
        blocks.append((language, code))
    return blocks




def restore_code_blocks(markdown: str, blocks: list[tuple[str | None, str]]) -> str:
    """Put the code taken by :func:`take_code_blocks` back as fenced blocks.

    A block inside a list item is indented to the item's content, so the list
    stays one list; a block inside a table cell becomes inline code.
    """
    if not blocks:
        return markdown
    markdown = _FENCED_TOKEN.sub(lambda m: m.group(1), markdown)  # fenced by trafilatura
    out: list[str] = []
    item_column: int | None = None  # content column of the list item the last lines belong to
    for line in markdown.split("\n"):
        item = LIST_ITEM.match(line)
        if CODE_MARK not in line:
            item_column = len(item.group(0)) if item else None
            out.append(line)
            continue
        if line.lstrip().startswith("|"):  # a table cell cannot hold a fenced block
            out.append(_CODE_TOKEN.sub(lambda m: _inline_code(blocks, m), line))
            continue
        if item:
            item_column = len(item.group(0))
        own = len(line) - len(line.lstrip())
        indent = " " * max(own, item_column or 0)
        rest = line
        first = True
        while True:
            match = _CODE_TOKEN.search(rest)
            if match is None:
                break
            before = rest[: match.start()].rstrip()
            if before.strip():  # the text before the block (an item's marker, at least)
                out.append(before if first else indent + before.lstrip())
            first = False
            out.extend(_fence(blocks, int(match.group(1)), indent))
            rest = rest[match.end():]
        if rest.strip():
            out.append(indent + rest.strip())
    return "\n".join(out)


def _fence(blocks, index: int, indent: str) -> list[str]:
    if index >= len(blocks):
        return []
    language, code = blocks[index]
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * max(3, longest + 1)
    lines = [f"{indent}{fence}{language or ''}"]
    lines += [f"{indent}{line}" if line.strip() else "" for line in code.split("\n")]
    lines.append(f"{indent}{fence}")
    return lines


def _inline_code(blocks, match) -> str:
    index = int(match.group(1))
    if index >= len(blocks):
        return ""
    text = " ".join(blocks[index][1].split()).replace("|", "\\|")
    ticks = "``" if "`" in text else "`"
    return f" {ticks}{text}{ticks} "
