"""``code/*``: the draft's code blocks name their language and parse.

Every fenced block needs a language (```` ```bash ````, ```` ```text ```` for output);
Python, JSON, YAML, TOML, shell, SQL and JavaScript/TypeScript blocks must parse
(kurt.checks.codeparse). A block copied from one of the draft's sources (its
sources inventory, outline sources and cited documents) is recognised
(``code/from-source``, info, with the passage it comes from): a parse error in
such a block is the source's, not the draft's, so it is reported there, as
information, instead of as a ``code/syntax`` error.
"""

from __future__ import annotations

from kurt.checks import codeparse
from kurt.checks.finding import Evidence
from kurt.writing.citations import format_item

MATCH_RATIO = 0.8  # share of a block's lines found in one source block to call it a copy
SHELL_WORKERS = 4  # bash -n processes at once


def _parseable(ctx):
    """(kind, code) of every block of the draft Kurt parses."""
    for block in ctx.body.code_blocks if ctx.is_draft else ():
        kind = codeparse.language_of(block.language)
        if kind is not None and block.content.strip() and \
                not codeparse.partial(block.content, kind):
            yield kind, block.content


def prepare(contexts) -> None:
    """Parse the blocks of every draft of the run together: JavaScript and TypeScript in
    one Node process, shell scripts a few at a time, each distinct block once."""
    from concurrent.futures import ThreadPoolExecutor

    if not contexts:
        return
    cache = contexts[0].shared.cache.setdefault("parsed", {})
    wanted = {}
    for ctx in contexts:
        for kind, code in _parseable(ctx):
            if (kind, code) not in cache:
                wanted[(kind, code)] = None
    scripts = [key for key in wanted if key[0] in ("javascript", "typescript")]
    shells = [key for key in wanted if key[0] == "shell"]
    with ThreadPoolExecutor(max_workers=SHELL_WORKERS) as pool:
        node = pool.submit(codeparse.parse_javascript_batch,
                           [(code, kind == "typescript") for kind, code in scripts])
        for key, problem in zip(shells, pool.map(lambda k: codeparse.parse_shell(k[1]), shells),
                                strict=True):
            cache[key] = problem
        for key, result in zip(scripts, node.result(), strict=True):
            cache[key] = None if result == "skipped" else result


def check(ctx):
    if not ctx.is_draft:
        return
    blocks = [b for b in ctx.body.code_blocks if b.content.strip()]
    if not blocks:
        return
    sources = _source_blocks(ctx)
    cache = ctx.shared.cache.setdefault("parsed", {})
    problems: dict[int, object] = {}
    node_queue: list[tuple[int, str, bool]] = []
    for index, block in enumerate(blocks):
        kind = codeparse.language_of(block.language)
        if kind is None or codeparse.partial(block.content, kind):
            continue
        key = (kind, block.content)
        if key in cache:
            problems[index] = cache[key]
        elif kind in ("javascript", "typescript"):
            node_queue.append((index, block.content, kind == "typescript"))
        else:
            problems[index] = cache[key] = codeparse.PARSERS[kind](block.content)
    if node_queue:
        results = codeparse.parse_javascript_batch([(code, ts) for _, code, ts in node_queue])
        for (index, code, ts), result in zip(node_queue, results, strict=True):
            value = None if result == "skipped" else result
            problems[index] = cache[("typescript" if ts else "javascript", code)] = value
    for index, block in enumerate(blocks):
        fence_line = ctx.body.line_text(block.line_start)
        if block.fenced and not block.language:
            width = len(fence_line.rstrip())
            yield ctx.finding("code/missing-language",
                              "this code block names no language: add one after the fence "
                              "(```bash, ```python, ```json; ```text for output)",
                              (block.line_start, 1, block.line_start, max(width, 1)))
        problem = problems.get(index)
        origin = _copied_from(block, sources)
        kind = codeparse.language_of(block.language)
        name = codeparse.NAMES.get(kind or "", block.language)
        if origin is not None:
            cite = format_item(origin.path, origin.line_start, origin.line_end)
            note = ""
            if problem is not None:
                where = f"line {problem.line}: " if problem.line else ""
                note = (f"; it does not parse as {name} ({where}{problem.message}), as in the "
                        "source: the source's problem, not the draft's")
            quote = "\n".join(origin.lines[:8])
            yield ctx.finding("code/from-source", f"copied from {cite}{note}",
                              (block.line_start, 1),
                              evidence=Evidence(origin.path, origin.line_start, origin.line_end,
                                                quote))
        elif problem is not None:
            line = block.content_line + (problem.line - 1 if problem.line else 0)
            line = min(max(line, block.content_line), max(block.line_end - 1, block.content_line))
            text = ctx.body.line_text(line)
            width = max(len(text.rstrip()), 1)
            indent = len(text) - len(text.lstrip()) + 1 if text.strip() else 1
            yield ctx.finding("code/syntax",
                              f"this {name} block does not parse: {problem.message}"
                              + (f" (line {problem.line} of the block)" if problem.line else ""),
                              (line, indent, line, width))


def _source_blocks(ctx) -> list:
    """The fenced blocks of the draft's sources (inventory, outline sources, cited documents)."""
    refs = [i.path for i in ctx.inventory] + [s for i in ctx.outline for s in i.sources]
    refs += [c.citation.path for c in ctx.citations if c.citation.resolved]
    seen: set[str] = set()
    blocks = []
    for ref in refs:
        for doc in ctx.resolve(ref).documents:
            if doc.id in seen or not doc.content_path:
                continue
            seen.add(doc.id)
            blocks += ctx.corpus.code_blocks(doc.content_path)
    return blocks


def _copied_from(block, sources: list):
    lines = [ln.strip() for ln in block.content.split("\n") if ln.strip()]
    if not lines or not sources:
        return None
    best, best_ratio = None, 0.0
    wanted = set(lines)
    for source in sources:
        have = set(source.lines)
        if len(lines) == 1:
            ratio = 1.0 if lines[0] in have else 0.0
        else:
            ratio = sum(1 for ln in lines if ln in have) / len(lines)
        if ratio > best_ratio or (ratio == best_ratio and best is not None
                                  and len(wanted & have) > len(wanted & set(best.lines))):
            best, best_ratio = source, ratio
    return best if best is not None and best_ratio >= MATCH_RATIO else None
