"""Does a code block parse? One function per language, each returning a ``ParseProblem`` or None.

- Python: ``ast.parse`` (doctest ``>>>`` prompts and notebook ``!``/``%`` lines allowed);
- JSON: ``json.loads``; YAML: the YAML composer (custom tags are fine); TOML: ``tomllib``;
- shell (bash, sh, shell, zsh): ``bash -n`` in a subprocess with a timeout, after
  dropping ``$ `` prompts (and the output lines of a block that has them) and
  turning ``<placeholder>`` words into plain words;
- SQL: PostgreSQL's own parser (``pglast``, libpg_query) first; what it refuses
  is tried with ``sqlglot`` in other dialects (MySQL, SQLite, ClickHouse,
  BigQuery, Snowflake, T-SQL, ...), where a statement sqlglot only keeps as an
  unparsed "command" does not count. Measured on the railway corpus: no false
  alarm on its 24 SQL blocks, 15 of 16 broken statements caught (see
  docs/checks.md);
- JavaScript: Node.js where it is installed, one process for all the blocks of a
  draft (script, module and expression goals are tried); TypeScript: the same
  after Node's own type stripping (``module.stripTypeScriptTypes``, Node 22.7+);
  with an older Node, TypeScript blocks are not parsed.

A block that elides code (a line of ``...``, ``// ...``, ``# ...``) or holds
template syntax (``{{ }}``) is partial on purpose and is not parsed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass

SHELL_TIMEOUT = 5.0  # seconds for one bash -n
NODE_TIMEOUT = 20.0  # seconds for one node process (all the blocks of a draft)

LANGUAGES = {
    "python": "python", "py": "python", "python3": "python",
    "json": "json",
    "yaml": "yaml", "yml": "yaml",
    "toml": "toml",
    "bash": "shell", "sh": "shell", "shell": "shell", "zsh": "shell",
    "sql": "sql", "postgresql": "sql", "postgres": "sql", "psql": "sql", "pgsql": "sql",
    "mysql": "sql", "sqlite": "sql", "plpgsql": "sql",
    "javascript": "javascript", "js": "javascript", "mjs": "javascript", "cjs": "javascript",
    "node": "javascript",
    "typescript": "typescript", "ts": "typescript", "mts": "typescript", "cts": "typescript",
}
NAMES = {"python": "Python", "json": "JSON", "yaml": "YAML", "toml": "TOML", "shell": "shell",
         "sql": "SQL", "javascript": "JavaScript", "typescript": "TypeScript"}

_ELISION = re.compile(r"^\s*(?:\.\.\.|…|//\s*\.\.\.|#\s*\.\.\.|/\*\s*\.\.\.\s*\*/|<!--\s*\.\.\.\s*-->|"
                      r"--\s*\.\.\.)[\s,;]*$|[\[{(]\s*(?:\.\.\.|…)\s*[\]})]", re.MULTILINE)
_TEMPLATE = re.compile(r"\{\{|\{%")
_SHELL_PLACEHOLDER = re.compile(r"<[A-Za-z](?:[^<>\n]*[\w)])?>")


@dataclass(frozen=True)
class ParseProblem:
    message: str
    line: int | None = None  # 1-based, inside the block


def language_of(info_language: str) -> str | None:
    """The parser for a block's language tag (None: Kurt does not parse that language)."""
    return LANGUAGES.get(info_language.lower())


def partial(code: str, language: str) -> bool:
    """Whether the block leaves code out on purpose (not parsed)."""
    if language != "python" and _ELISION.search(code):
        return True
    return language in ("yaml", "json", "toml", "sql", "shell") and bool(_TEMPLATE.search(code))


# -- one block at a time -------------------------------------------------------------------

def parse_python(code: str) -> ParseProblem | None:
    import ast
    import textwrap
    import warnings

    lines = code.split("\n")
    if any(ln.lstrip().startswith(">>>") for ln in lines):  # a doctest session: the code only
        lines = [ln.lstrip()[4:] if ln.lstrip().startswith((">>> ", "... ")) else
                 ("" if not ln.lstrip().startswith((">>>", "...")) else ln.lstrip()[3:])
                 for ln in lines]
    lines = [("pass  # " + ln) if ln.lstrip().startswith(("!", "%")) else ln for ln in lines]
    source = textwrap.dedent("\n".join(lines))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences are warnings, not errors
            ast.parse(source)
    except SyntaxError as exc:
        return ParseProblem(f"{exc.msg}", exc.lineno)
    except (ValueError, RecursionError) as exc:
        return ParseProblem(str(exc))
    return None


def parse_json(code: str) -> ParseProblem | None:
    try:
        json.loads(code)
    except json.JSONDecodeError as exc:
        return ParseProblem(exc.msg, exc.lineno)
    return None


def parse_yaml(code: str) -> ParseProblem | None:
    import yaml

    try:
        for _ in yaml.compose_all(code, Loader=yaml.SafeLoader):
            pass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        return ParseProblem(problem, mark.line + 1 if mark is not None else None)
    return None


def parse_toml(code: str) -> ParseProblem | None:
    import tomllib

    try:
        tomllib.loads(code)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+)", message)
        return ParseProblem(re.sub(r"\s*\(at line.*\)$", "", message),
                            int(found.group(1)) if found else None)
    return None


def shell_script(code: str) -> str:
    """The script ``bash -n`` reads: prompts dropped (with the output lines of a session),
    ``<placeholder>`` words made plain words; line numbers are kept."""
    lines = code.split("\n")
    if any(re.match(r"^\s*\$ ", ln) for ln in lines):
        out, continued = [], False
        for ln in lines:
            if re.match(r"^\s*\$ ", ln):
                out.append(re.sub(r"^\s*\$ ", "", ln))
                continued = ln.rstrip().endswith("\\")
            elif continued or ln.lstrip().startswith("#"):
                out.append(ln)
                continued = ln.rstrip().endswith("\\")
            else:
                out.append("")  # output of the command above
        lines = out
    return _SHELL_PLACEHOLDER.sub(lambda m: "X" * len(m.group(0)), "\n".join(lines))


def parse_shell(code: str, bash: str | None = None) -> ParseProblem | None:
    bash = bash or shutil.which("bash")
    if bash is None:
        return None
    try:
        proc = subprocess.run([bash, "-n"], input=shell_script(code), capture_output=True,
                              text=True, timeout=SHELL_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None  # not a verdict: bash took too long
    except OSError:
        return None
    if proc.returncode == 0:
        return None
    first = next((ln for ln in proc.stderr.splitlines() if ln.strip()), "syntax error")
    found = re.search(r"line (\d+): (.*)$", first)
    if found:
        return ParseProblem(found.group(2).strip(), int(found.group(1)))
    return ParseProblem(first.strip())


_SQL_DIALECTS = ("mysql", "sqlite", "clickhouse", "bigquery", "snowflake", "tsql", "duckdb",
                 "spark", None)


def parse_sql(code: str) -> ParseProblem | None:
    source = "\n".join("" if ln.lstrip().startswith("\\") else ln for ln in code.split("\n"))
    if not source.strip():
        return None
    try:
        import pglast
    except ImportError:  # pragma: no cover - a declared dependency
        pglast = None
    pg_problem = None
    if pglast is not None:
        try:
            pglast.parse_sql(source)
            return None
        except Exception as exc:  # noqa: BLE001 - pglast raises its own ParseError (and others)
            pg_problem = exc
    if _sqlglot_parses(source):
        return None
    if pg_problem is None:
        return ParseProblem("not valid SQL")
    message = str(pg_problem.args[0]) if getattr(pg_problem, "args", None) else str(pg_problem)
    line = None
    at = getattr(pg_problem, "location", None)
    if isinstance(at, int) and at >= 0:
        line = source[:at].count("\n") + 1
    return ParseProblem(message, line)


def _sqlglot_parses(source: str) -> bool:
    import logging

    try:
        import sqlglot
        from sqlglot import exp
    except ImportError:  # pragma: no cover - a declared dependency
        return False
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # "falling back to parsing as a 'Command'" is not news
    try:
        for dialect in _SQL_DIALECTS:
            try:
                trees = sqlglot.parse(source, read=dialect,
                                      error_level=sqlglot.ErrorLevel.RAISE)
            except Exception:  # noqa: BLE001 - sqlglot raises ParseError, TokenError, ...
                continue
            if not any(t is not None and (isinstance(t, exp.Command) or t.find(exp.Command))
                       for t in trees):
                return True
        return False
    finally:
        logger.setLevel(level)


# -- JavaScript and TypeScript, in one Node.js process -------------------------------------

_NODE_SCRIPT = r"""
const vm = require('node:vm');
let mod = null; try { mod = require('node:module'); } catch (e) {}
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
function lineOf(e) {
  const m = String(e.stack || '').match(/block\.js:(\d+)/);
  return m ? Number(m[1]) : null;
}
const out = input.map(({code, ts}) => {
  let src = code;
  if (ts) {
    if (!mod || typeof mod.stripTypeScriptTypes !== 'function') return {skipped: true};
    try { src = mod.stripTypeScriptTypes(code); }
    catch (e) { return {error: String(e.message).split('\n')[0], line: null}; }
  }
  let scriptError;
  try { new vm.Script(src, {filename: 'block.js'}); return {ok: true}; } catch (e) { scriptError = e; }
  try { new vm.Script('(' + src + '\n)', {filename: 'expr.js'}); return {ok: true}; } catch (e) {}
  let moduleError = null;
  if (typeof vm.SourceTextModule === 'function') {
    try { new vm.SourceTextModule(src, {identifier: 'block.mjs'}); return {ok: true}; }
    catch (e) { moduleError = e; }
  }
  if (moduleError && /import|export|await|module/i.test(scriptError.message)) {
    return {error: String(moduleError.message).split('\n')[0], line: null, module: true};
  }
  return {error: String(scriptError.message).split('\n')[0], line: lineOf(scriptError)};
});
process.stdout.write(JSON.stringify(out));
"""


def node_path() -> str | None:
    return shutil.which("node")


def parse_javascript_batch(blocks: list[tuple[str, bool]], node: str | None = None
                           ) -> list[ParseProblem | None | str]:
    """For each (code, is_typescript): a ParseProblem, None (parses), or ``"skipped"`` (not
    parsed: no Node.js, or TypeScript on a Node without type stripping)."""
    node = node or node_path()
    if not blocks:
        return []
    if node is None:
        return ["skipped"] * len(blocks)
    payload = json.dumps([{"code": code, "ts": ts} for code, ts in blocks])
    try:
        proc = subprocess.run([node, "--experimental-vm-modules", "--no-warnings", "-e",
                               _NODE_SCRIPT], input=payload, capture_output=True, text=True,
                              timeout=NODE_TIMEOUT)
        results = json.loads(proc.stdout) if proc.returncode == 0 else None
    except (subprocess.TimeoutExpired, OSError, json.JSONDecodeError):
        results = None
    if not isinstance(results, list) or len(results) != len(blocks):
        return ["skipped"] * len(blocks)
    out: list[ParseProblem | None | str] = []
    for (code, _ts), result in zip(blocks, results, strict=True):
        if result.get("ok"):
            out.append(None)
        elif result.get("skipped"):
            out.append("skipped")
        else:
            line = result.get("line")
            if result.get("module") and line is None:
                line = _module_error_line(node, code)
            out.append(ParseProblem(str(result.get("error") or "syntax error"), line))
    return out


def _module_error_line(node: str, code: str) -> int | None:
    """The line of a syntax error in module code (``node --check`` on a temporary .mjs)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "block.mjs"
        path.write_text(code, encoding="utf-8")
        try:
            proc = subprocess.run([node, "--check", str(path)], capture_output=True, text=True,
                                  timeout=NODE_TIMEOUT)
        except (subprocess.TimeoutExpired, OSError):
            return None
    found = re.search(r"block\.mjs:(\d+)", proc.stderr)
    return int(found.group(1)) if found else None


PARSERS = {"python": parse_python, "json": parse_json, "yaml": parse_yaml, "toml": parse_toml,
           "shell": parse_shell, "sql": parse_sql}
