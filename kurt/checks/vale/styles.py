"""The styles folder: finding a style's rule files, reading them, and compiling each rule.

A style is a folder under one of the ``StylesPath`` folders; every ``.yml``
file in it (sub-folders too, except those starting with ``.`` or ``_``) is a
rule named ``Style.Rule`` (``Style.sub.Rule`` in a sub-folder). A rule whose
``extends`` names another rule (``extends: Google.Headings``) starts from that
rule's keys. The built-in ``Vale`` style holds ``Vale.Terms`` and
``Vale.Avoid`` (made from the vocabularies), ``Vale.Repetition`` and
``Vale.Spelling`` (not run).

A rule file that does not parse or compile raises FormatError naming the file
and the line of the offending key, as Vale refuses to run with one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kurt.checks.vale.actions import Action
from kurt.checks.vale.rules import RULE_TYPES, UNSUPPORTED, Definition, Rule, RuleContext, RuleError
from kurt.checks.vale.rules.base import LEVELS, unknown_keys
from kurt.checks.vale.scope import Scope
from kurt.errors import FormatError

BUILTIN_STYLE = "Vale"


@dataclass(frozen=True)
class Notice:
    """Something Kurt could not do as the configuration asks (it is not a finding)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def yaml_loader():
    """A safe YAML loader (libyaml's when installed) with YAML 1.2 booleans, as Vale reads rules:
    only true/false are booleans, never yes/no/on/off (``no: ...`` in a swap is a word)."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    Loader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                 re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
    return Loader


def find_style(name: str, styles_paths: list[Path]) -> Path | None:
    for base in styles_paths:
        folder = base / name
        if folder.is_dir():
            return folder
    return None


def style_rules(folder: Path, style: str) -> dict[str, Path]:
    """``Style.Rule`` -> rule file, for every rule file of a style folder."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.yml")):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "_")) for part in relative.parts[:-1]):
            continue
        if path.name.endswith(("_test.yml", ".test.yml")):
            continue
        found[".".join((style, *relative.with_suffix("").parts))] = path
    return found


def key_line(text: str, key: str | None) -> int | None:
    if not key:
        return None
    found = re.search(rf"^\s*{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None


def read_rule_file(path: Path, loader=None) -> tuple[dict, str]:
    """The YAML mapping of a rule file and its text; FormatError when it is not one."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(path, None, "not a UTF-8 text file") from None
    try:
        data = yaml.load(text, Loader=loader or yaml_loader())  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FormatError(path, mark.line + 1 if mark else None, f"invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise FormatError(path, 1, "a Vale rule must be a YAML mapping with 'extends' and 'message'")
    return data, text


class RuleLoader:
    """Compiles rules for one configuration (its word template, vocabulary and levels)."""

    def __init__(self, styles_paths: list[Path], context: RuleContext, levels: dict[str, str]):
        self.styles_paths = styles_paths
        self.context = context
        self.levels = levels
        self.notices: list[Notice] = []
        self._builtins: dict[str, Rule | None] | None = None
        self.yaml = yaml_loader()

    def level_for(self, name: str, declared) -> str:
        style = name.split(".", 1)[0]
        return self.levels.get(name) or self.levels.get(style) or str(declared or "warning")

    def find_rule(self, name: str) -> Path | None:
        style, _, rest = name.partition(".")
        if not rest:
            return None
        for base in self.styles_paths:
            path = base / style / Path(*rest.split(".")).with_suffix(".yml")
            if path.is_file():
                return path
        return None

    def _flatten(self, generic: dict, path: Path, seen: tuple[str, ...]) -> dict:
        extends = str(generic.get("extends") or "")
        if "." not in extends:
            return generic
        if extends in seen:
            raise FormatError(path, 1, f"'extends' loops: {' -> '.join((*seen, extends))}")
        base_path = self.find_rule(extends)
        if base_path is None:
            raise FormatError(path, 1, f"'extends: {extends}': no such rule in StylesPath")
        base, _ = read_rule_file(base_path, self.yaml)
        merged = dict(self._flatten(base, base_path, (*seen, extends)))
        merged.update({k: v for k, v in generic.items() if k != "extends"})
        return merged

    def load(self, name: str, path: Path) -> Rule | None:
        generic, text = read_rule_file(path, self.yaml)
        generic = self._flatten(generic, path, (name,))
        return self.build(name, generic, path, text)

    def build(self, name: str, generic: dict, path: Path | None, text: str = "") -> Rule | None:
        where = path if path is not None else f"<built-in {name}>"
        extends = str(generic.get("extends") or "")
        if not extends:
            raise FormatError(where, 1, "missing the required 'extends' key")
        if extends in UNSUPPORTED:
            self.notices.append(Notice(str(where), None, f"{name}: '{extends}' rules are not run "
                                       f"by Kurt ({UNSUPPORTED[extends]}); skipped"))
            return None
        rule_type = RULE_TYPES.get(extends)
        if rule_type is None:
            kinds = ", ".join(sorted((*RULE_TYPES, *UNSUPPORTED)))
            raise FormatError(where, key_line(text, "extends") or 1,
                              f"'extends: {extends}' is not a Vale rule type ({kinds})")
        if "message" not in generic:
            raise FormatError(where, 1, "missing the required 'message' key")
        level = self.level_for(name, generic.get("level"))
        if level not in LEVELS:
            raise FormatError(where, key_line(text, "level"),
                              f"'level' must be one of {', '.join(LEVELS)}, not {level!r}")
        for key in unknown_keys(generic, rule_type.keys):
            self.notices.append(Notice(str(where), key_line(text, key),
                                       f"{name}: '{key}' is not a key of '{extends}' rules; "
                                       f"ignored"))
        try:
            definition = Definition(
                name=name, extends=extends, message=str(generic.get("message") or ""),
                level=level, scope=Scope.parse(generic.get("scope")),
                link=str(generic.get("link") or ""),
                description=str(generic.get("description") or ""),
                limit=int(generic.get("limit") or 0), action=Action.parse(generic.get("action")),
                path=path)
            rule = rule_type(definition, generic, self.context)
        except RuleError as exc:
            raise FormatError(where, key_line(text, exc.key), str(exc)) from None
        except (TypeError, ValueError) as exc:
            raise FormatError(where, None, str(exc)) from None
        missing = sorted(rule.scope.never_built())
        if missing:
            self.notices.append(Notice(str(where), key_line(text, "scope"),
                                       f"{name}: scope '{missing[0]}' is never linted by Kurt "
                                       f"(code and block quotes are not prose); the rule does "
                                       f"not run there"))
        return rule

    def builtins(self, accepted: list[str], rejected: list[str]) -> dict[str, Rule | None]:
        """The rules of Vale's built-in style (compiled once per loader)."""
        if self._builtins is not None:
            return self._builtins
        rules: dict[str, Rule | None] = {}
        rules["Vale.Repetition"] = self.build("Vale.Repetition", {
            "extends": "repetition", "message": "'%s' is repeated!", "level": "error",
            "ignorecase": True, "alpha": True, "tokens": [r"[^\s.!?]+"],
            "action": {"name": "edit", "params": ["truncate", " "]}}, None)
        rules["Vale.Spelling"] = self.build("Vale.Spelling", {
            "extends": "spelling", "message": "Did you really mean '%s'?"}, None)
        if accepted:
            rules["Vale.Terms"] = self.build("Vale.Terms", {
                "extends": "substitution", "message": "Use '%s' instead of '%s'.",
                "level": "error", "ignorecase": True, "vocab": False,
                "swap": {term.lower(): term for term in accepted}}, None)
        if rejected:
            rules["Vale.Avoid"] = self.build("Vale.Avoid", {
                "extends": "existence", "message": "Avoid using '%s'.", "level": "error",
                "ignorecase": False, "vocab": False, "tokens": list(rejected)}, None)
        self._builtins = rules
        return rules
