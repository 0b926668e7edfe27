"""Inline code in prose: what a code span states (a command, a flag, a variable, a key...).

``code_specifics`` classifies one span: ``railway up --detach`` is the command
``railway up`` and the flag ``--detach``; ``RAILWAY_TOKEN``, ``$PORT`` and
``FOO=bar`` are variables; ``GET /v1/projects`` an endpoint; ``read:packages`` a
scope; ``deploy.startCommand`` and ``healthcheckPath`` configuration keys;
``railway.json`` and ``CMD + K`` identifiers, compared verbatim; a URL a URL.
A wrapper (``npx -y``, ``sudo``) is skipped to reach the real program. Numbers
and placeholders (``<id>``, ``YOUR_TOKEN``, ``my-app``, ``...``) state nothing.
"""

from __future__ import annotations

import re

import kurt.checks.grounding.numbers as num
from kurt.checks.grounding.kinds import HTTP_METHODS, Specific
from kurt.checks.grounding.shortcuts import SHORTCUT

DOMAIN = re.compile(
    r"(?<![\w@./-])(?P<id>[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:com|io|app|dev|net|org|sh|ai|co|cloud)\b"
    r"(?:/[\w~%.-]*[\w~%])*/?)")  # with its path: "railway.com/account/usage"
FILE_NAME = re.compile(r"(?<![\w./-])(?P<id>[\w-]+\.(?:json|toml|yaml|yml|js|ts|py|rb|go|rs|sh|"
                   r"env|lock|txt|md|sql|conf|ini|xml|dockerfile))\b")
PLACEHOLDER = re.compile(r"<[\w$-]|[\w$]>|[{}\[\]]|\.\.\.|\byour[-_ ]|\bmy[-_]|\bexample\b|\bxxx|\bfoo\b|"
                          r"\bbar\b|^YOUR_|_HERE\b|\bPLACEHOLDER\b", re.IGNORECASE)
WRAPPERS = frozenset({"npx", "bunx", "pnpx", "uvx", "sudo", "env", "time", "exec"})
_BARE_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")
PROGRAM = re.compile(r"^[a-z][a-z0-9._-]*$")
_SUBCOMMAND = re.compile(r"^[a-z][a-z0-9:-]*$")
# package managers' commands that install the packages named after them: which packages a
# guide installs (a driver, a plugin) is what it states
INSTALLS = frozenset({
    ("go", "get"), ("go", "install"), ("npm", "install"), ("npm", "i"), ("npm", "add"),
    ("yarn", "add"), ("pnpm", "add"), ("pnpm", "install"), ("bun", "add"), ("deno", "add"),
    ("pip", "install"), ("pip3", "install"), ("uv", "add"), ("poetry", "add"),
    ("cargo", "add"), ("cargo", "install"), ("gem", "install"), ("bundle", "add"),
    ("composer", "require"), ("mix", "archive.install")})
# ... and the commands that run one package's tool, or a starter: the package they run
RUNNERS = frozenset({"npx", "bunx", "pnpx", "uvx"})
STARTERS = frozenset({("npm", "create"), ("npm", "init"), ("yarn", "create"), ("pnpm", "create"),
                      ("bun", "create"), ("pnpm", "dlx"), ("yarn", "dlx")})
# a package as written, its version or extras aside: name@1.2, name==1.2, name[extra]
_PACKAGE = re.compile(r"(@?[A-Za-z0-9][\w.-]*(?:/[\w.-]+)*)(?:\[[\w,]+\])?(?:@[\w.^~*-]+|[=<>~!]=?[\w.*]+)?")

def normalise_url(url: str) -> str:
    """``https://www.Railway.com/pricing/`` -> ``railway.com/pricing``."""
    key = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    key = re.sub(r"^www\.", "", key, flags=re.IGNORECASE)
    key = key.rstrip("/.,;:)")
    host, slash, rest = key.partition("/")
    return host.lower() + slash + rest


def url_domain(key: str) -> str | None:
    """The domain (last two labels) of a normalised URL (``normalise_url``): None for a
    placeholder (``my-app.example.com``), a templated URL (``${HOST}/x``) or no host."""
    host = key.split("/")[0].split(":")[0]
    if "." not in host or PLACEHOLDER.search(key) or re.search(r"[<>{}$]", key):
        return None
    return ".".join(host.split(".")[-2:])


def names_domain(lower: str, domain: str) -> bool:
    """Whether a source's lowercase text names ``domain``: the product's own, then."""
    return re.search(r"(?<![\w-])" + re.escape(domain) + r"(?![\w-])", lower) is not None


def code_specifics(content: str, start: int, end: int) -> list[Specific]:
    """What one inline code span states: a command, a flag, a variable, an endpoint, a key...

    Numbers alone and placeholders (``<id>``, ``YOUR_TOKEN``, ``my-app``) state
    nothing to check. The specifics span the whole code span in the unit text.
    """
    content = content.strip()
    literal = _OBJECT_LITERAL.fullmatch(content)
    if literal:  # `{ family: 6 }`: each of its key-value pairs, not a placeholder
        return [found for pair in literal.group(1).split(",")
                for found in code_specifics(pair.strip(), start, end)]
    if _BARE_NUMBER.fullmatch(content):  # "must be `2`", "a `308` response": a value
        value = float(content.replace(",", ""))
        return [Specific("number", content, start, end, quantity=num.Quantity("count", value))]
    status = _STATUS.fullmatch(content)
    if status:  # `401 Unauthorized`: an HTTP status, stated by its code
        value = float(status.group(1))
        return [Specific("number", content, start, end, quantity=num.Quantity("count", value))]
    if not content or num.parse_number(content) is not None or re.fullmatch(
            r"[\d\s.,:/x%-]*\d[\d\s.,:/x%-]*", content):
        return []
    out: list[Specific] = []

    def add(kind: str, key: str, method: str | None = None, value: str | None = None,
            word: bool = False) -> None:
        out.append(Specific(kind, content, start, end, key=key, method=method, value=value,
                            code_word=word))

    parts = content.split()
    if SHORTCUT.fullmatch(content):  # `CMD + K`
        add("shortcut", content)
        return out
    if "://" in content and len(parts) == 1 and not re.match(r"[A-Z][A-Z0-9_]*=", content):
        add("url", normalise_url(content))
        return out
    if len(parts) == 2 and parts[0] in HTTP_METHODS and parts[1].startswith("/"):
        add("endpoint", _strip_query(parts[1]), parts[0])
        return out
    if len(parts) == 1:
        token = parts[0]
        references = [m.group("name") for m in _REFERENCE.finditer(token)]
        if references:  # ${{Postgres.DATABASE_URL}}: another service's variable
            assignment = re.match(r"([A-Z][A-Z0-9_]*)=", token)
            if assignment:  # DB_NAME=${{Postgres.PGDATABASE}}: set to that variable
                whole = _REFERENCE.fullmatch(token, assignment.end())
                add("env-var", assignment.group(1),
                    value=reference_value(whole.group(0)) if whole else None)
            for name in references:
                add("env-var", name)
            return out
        host = _PLACEHOLDER_HOST.fullmatch(token)
        if host:  # `<service-name>.railway.internal`: the writer's name on the product's domain
            add("url", "." + host.group(1).lower())  # stated by any host of that domain
            return out
        if PLACEHOLDER.search(token):
            return []
        assignment = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", token)
        if assignment:
            add("env-var", assignment.group(1), value=_literal(assignment.group(2)))
        elif re.fullmatch(r"\$\{?[A-Z][A-Z0-9_]*\}?", token):
            add("env-var", token.strip("${}"))
        elif re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*", token) and len(token) >= 2:
            add("http-method" if token in HTTP_METHODS else "env-var", token)
        elif re.fullmatch(r"--?[A-Za-z][\w-]*(?:=\S*)?", token):
            flag, _, value = token.partition("=")
            add("flag", flag, value=_literal(value))
        elif token.startswith("/"):
            add("endpoint", _strip_query(token))
        elif re.fullmatch(r"[a-z][\w-]*:[\w*-]+", token):
            add("scope", token)
        elif DOMAIN.fullmatch(token):
            add("url", normalise_url(token))
        elif re.fullmatch(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+", token) \
                and not FILE_NAME.fullmatch(token):
            add("config-key", token)
        elif re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]+)+", token):
            add("config-key", token)
        else:
            add("identifier", token.rstrip("()"),
                word=bool(re.fullmatch(r"[a-z][a-z0-9_]*", token)))
        return out
    if parts[0].startswith("-"):  # "--direction ingress": flags and their values, no program
        out += _flags(parts, content, start, end)
        return out + _variables(parts, content, start, end)
    if re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", parts[0]) and not PROGRAM.match(parts[0]):
        parts = parts[1:]  # FOO=bar command: the command is what follows
    flags = parts[1:]
    if parts and parts[0] in WRAPPERS:  # npx -y @railway/cli@latest redeploy: the real program
        index = 1
        while index < len(parts) and parts[index].startswith("-"):
            index += 1
        parts = parts[index:] or parts
    if parts and (PROGRAM.match(parts[0]) or parts[0].startswith("@")) \
            and not PLACEHOLDER.search(parts[0]):
        words = [parts[0]]
        for part in parts[1:5]:
            if _SUBCOMMAND.match(part) and not PLACEHOLDER.search(part) and len(words) < 4:
                words.append(part)
            else:
                break
        if len(words) >= 2:
            add("command", " ".join(words))
        out += _flags(flags, content, start, end)
    packages = [Specific("identifier", name, start, end, key=name)
                for _, _, name in installed_packages(content)]
    if not out and len(parts) > 1 and not PLACEHOLDER.search(content):
        add("identifier", " ".join(parts))  # a UI label, a key chord, a message: verbatim
    return out + packages + _variables(parts, content, start, end)


def installed_packages(content: str) -> list[tuple[int, int, str]]:
    """(start, end, name) in ``content`` of each package a package manager's install command
    names (``go get github.com/lib/pq``, ``npm install express@4 cors``), or the one package
    a runner or a starter runs (``npx create-remix@latest``, ``npm create vite@latest app``),
    not its version."""
    found = list(re.finditer(r"\S+", content))
    words = [m.group(0) for m in found]
    pairs = [(i + 2, False) for i in range(len(words) - 1) if (words[i], words[i + 1]) in INSTALLS]
    pairs += [(i + 2, True) for i in range(len(words) - 1) if (words[i], words[i + 1]) in STARTERS]
    pairs += [(i + 1, True) for i, word in enumerate(words) if word in RUNNERS]
    if not pairs:
        return []
    first_word, one = min(pairs)
    out = []
    previous = ""
    for match in found[first_word:]:
        word, quote = match.group(0), 0
        if word in ("&&", "||", ";", "|") or word.endswith(";"):
            break
        if word[:1] in "\"'" and word[-1:] == word[:1] and len(word) > 2:
            word, quote = word[1:-1], 1
        package = _PACKAGE.fullmatch(word)
        after_option = previous.startswith("--") and "=" not in previous and not one
        previous = word
        if word.startswith("-") or after_option:
            continue  # an option, or its value (`--features full`)
        if package is None or PLACEHOLDER.search(word) \
                or not re.search(r"[A-Za-z]", package.group(1)):
            if one:
                break
            continue  # a placeholder
        start = match.start() + quote
        out.append((start, start + len(package.group(1)), package.group(1)))
        if one:
            break
    return out


def _variables(parts: list[str], content: str, start: int, end: int) -> list[Specific]:
    """The variables a command names: ``FOO=bar``, ``$FOO``, ``--variable FOO=bar``,
    ``${{Postgres.DATABASE_URL}}``."""
    out = []
    for part in parts:
        variable = re.fullmatch(r"\$?\{?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\}?(?:=.*)?", part)
        if variable and not PLACEHOLDER.search(variable.group(1)):
            out.append(Specific("env-var", content, start, end, key=variable.group(1)))
    for reference in _REFERENCE.finditer(content):
        out.append(Specific("env-var", content, start, end, key=reference.group("name")))
    return out


_PAIR_IN = r"[A-Za-z_][\w.-]*\s*:\s*[^{},:]+"
_OBJECT_LITERAL = re.compile(r"\{\s*(" + _PAIR_IN + r"(?:,\s*" + _PAIR_IN + r")*)\s*\}")
_PLACEHOLDER_HOST = re.compile(r"(?:<[\w -]+>|\{[\w -]+\}|\$\{?[\w]+\}?)\.([a-z][\w-]*(?:\.[a-z][\w-]*)+)")
_STATUS = re.compile(r"([1-5]\d\d)\s+[A-Z][A-Za-z' -]{1,40}")
# a reference variable: ${{Postgres.DATABASE_URL}}, ${{ shared.API_KEY }}, ${{RAILWAY_PUBLIC_DOMAIN}}
_REFERENCE = re.compile(r"\$\{\{\s*(?:[\w-]+\.)?(?P<name>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\s*\}\}")
_FLAG_PART = re.compile(r"(--?[A-Za-z][\w-]*)(?:=\S*)?")
_FLAG_VALUE = re.compile(r"[\w][\w.-]{0,31}")


def _flags(parts: list[str], content: str, start: int, end: int) -> list[Specific]:
    """The flags among a command's words, each with the literal value written after it with
    a space (``-F t``, ``--agent copilot``) or set with ``=`` (``--view=pug``), if any."""
    out = []
    for index, part in enumerate(parts):
        flag = _FLAG_PART.fullmatch(part)
        if not flag or PLACEHOLDER.search(part):
            continue
        value = None
        following = parts[index + 1] if index + 1 < len(parts) and "=" not in part else ""
        if _FLAG_VALUE.fullmatch(following) and not PLACEHOLDER.search(following):
            value = following
        _, equals, given = part.partition("=")
        out.append(Specific("flag", content, start, end, key=flag.group(1), spaced=value,
                            value=_literal(given) if equals else None))
    return out


def reference_value(text: str) -> str:
    """A reference variable as a value is compared by the variable it reads, not by the
    service the writer named (``${{Postgres.PGUSER}}`` and ``${{DB.PGUSER}}`` read
    ``PGUSER``)."""
    found = _REFERENCE.fullmatch(text.strip("\"'"))
    return "${{" + found.group("name") + "}}" if found else text


def _literal(value: str) -> str | None:
    """A value written after ``=`` that states something: not empty, not a placeholder."""
    value = value.strip("\"'")
    return value if value and not PLACEHOLDER.search(value) and "$" not in value else None


def _strip_query(path: str) -> str:
    return path.split("?")[0].rstrip(".,;:")
