"""What a ``.vale.ini`` means: where the styles are, which rules apply to which files.

The keys Kurt reads (as Vale does):

- at the top: ``StylesPath`` (folders of styles, relative to the file; may be
  given more than once), ``MinAlertLevel`` (``suggestion``, ``warning`` or
  ``error``), ``Vocab`` (vocabularies, see kurt.checks.vale.vocab),
  ``WordTemplate`` (the ``\\b(?:%s)\\b`` around word tokens), ``IgnoredScopes``
  (inline markup whose text is not linted: ``code``, ``tt`` and ``kbd``
  always; add ``strong``, ``emphasis`` or ``link``); ``Packages``,
  ``SkippedScopes``, ``IgnoredClasses`` and ``NLPEndpoint`` are accepted and
  have nothing to do in Kurt;
- in ``[*]`` (every file) and ``[glob]`` sections (``[*.md]``,
  ``[docs/*.{md,txt}]``): ``BasedOnStyles`` (the styles whose rules run; the
  last matching section wins, else ``[*]``), ``Style.Rule = YES|NO|suggestion|
  warning|error`` (turn one rule on or off, or set its level), ``Style = NO``
  (a whole style), ``TokenIgnores`` and ``BlockIgnores`` (patterns whose
  matches are not prose), ``IgnorePatterns`` (the old name of BlockIgnores);
- ``[formats]``: ``mdx = md`` reads another extension as markdown or text.

``load_config`` reads the file, the vocabularies, and compiles every rule that
some section can run, once; the ``ValeConfig`` it returns is what ``lint``
takes. Problems that stop it raise ConfigError/FormatError with the file and
line; things it can only skip (a rule named in the file that does not exist, a
rule type Kurt does not run) are ``notices``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import kurt.checks.vale.goregex as goregex
from kurt.checks.vale.globs import Glob, compile_glob
from kurt.checks.vale.ini import IniFile, Section, read, split_list
from kurt.checks.vale.rules import Rule, RuleContext
from kurt.checks.vale.rules.base import LEVEL_RANK, LEVELS
from kurt.checks.vale.styles import BUILTIN_STYLE, Notice, RuleLoader, find_style, style_rules
from kurt.checks.vale.vocab import Vocabulary, load_vocabularies
from kurt.errors import ConfigError, FormatError

CONFIG_NAMES = (".vale.ini", "_vale.ini", "vale.ini")
CORE_KEYS = frozenset({"StylesPath", "MinAlertLevel", "Vocab", "WordTemplate", "IgnoredScopes",
                       "SkippedScopes", "IgnoredClasses", "NLPEndpoint", "Packages"})
SECTION_KEYS = frozenset({"BasedOnStyles", "TokenIgnores", "BlockIgnores", "IgnorePatterns",
                          "Lang", "Transform", "View", "CommentDelimiters"})
RULE_VALUES = ("YES", "NO", *LEVELS)
FORMATS = {"md": "md", "mdx": "md", "markdown": "md", "mdown": "md", "markdn": "md", "mkd": "md",
           "txt": "txt", "text": "txt"}
INLINE_SCOPES = {"strong": "strong", "b": "strong", "em": "emphasis", "i": "emphasis",
                 "emphasis": "emphasis", "a": "link", "link": "link"}


@dataclass
class SectionSettings:
    name: str  # "*" for the global section
    glob: Glob | None
    based_on_styles: list[str] | None = None
    based_on_line: int = 0
    checks: dict[str, bool] = field(default_factory=dict)
    check_lines: dict[str, int] = field(default_factory=dict)
    token_ignores: list = field(default_factory=list)  # compiled patterns
    block_ignores: list = field(default_factory=list)


@dataclass
class FileSettings:
    """What applies to one file: its format, styles, rule switches and ignore patterns."""

    path: str
    format: str | None  # "md", "txt", or None when Kurt cannot read the format
    mdx: bool
    base_styles: list[str]
    checks: dict[str, bool]
    global_checks: dict[str, bool]
    token_ignores: list
    block_ignores: list

    def enabled(self, rule: str) -> bool:
        style = rule.split(".", 1)[0]
        for key in (rule, style):
            for table in (self.checks, self.global_checks):
                if key in table:
                    return table[key]
        return style in self.base_styles


@dataclass
class ValeConfig:
    path: Path | None
    root: Path  # section globs match paths relative to this folder
    styles_paths: list[Path] = field(default_factory=list)
    min_level: str = "suggestion"
    vocab: Vocabulary = field(default_factory=Vocabulary)
    word_template: str = ""
    ignored_scopes: frozenset[str] = frozenset()
    global_section: SectionSettings = field(default_factory=lambda: SectionSettings("*", None))
    sections: list[SectionSettings] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)

    def relative(self, path: str | Path) -> str:
        """``path`` relative to the ini's folder (as given when it lies elsewhere)."""
        candidate = Path(path)
        absolute = candidate if candidate.is_absolute() else Path.cwd() / candidate
        try:
            return absolute.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return candidate.as_posix()

    def format_of(self, path: str | Path) -> tuple[str | None, bool]:
        ext = Path(path).suffix.lstrip(".").lower()
        mapped = self.formats.get(ext, ext)
        return FORMATS.get(mapped), ext == "mdx"

    def settings_for(self, path: str | Path) -> FileSettings:
        name = self.relative(path)
        candidates = {name, Path(path).as_posix()}
        fmt, mdx = self.format_of(path)
        base = list(self.global_section.based_on_styles or [])
        checks: dict[str, bool] = {}
        tokens = list(self.global_section.token_ignores)
        blocks = list(self.global_section.block_ignores)
        for section in self.sections:
            if section.glob is None or not any(section.glob.match(c) for c in candidates):
                continue
            if section.based_on_styles is not None:
                base = list(section.based_on_styles)
            checks.update(section.checks)
            tokens.extend(section.token_ignores)
            blocks.extend(section.block_ignores)
        return FileSettings(name, fmt, mdx, base, checks, dict(self.global_section.checks),
                            tokens, blocks)

    def active_rules(self, settings: FileSettings) -> list[Rule]:
        """The compiled rules that run on a file with these settings, at or above MinAlertLevel."""
        floor = LEVEL_RANK[self.min_level]
        return [rule for name, rule in self.rules.items()
                if settings.enabled(name) and LEVEL_RANK[rule.definition.level] >= floor]


def find_config(start: str | Path) -> Path | None:
    """The nearest ``.vale.ini`` (or ``_vale.ini``, ``vale.ini``) in ``start`` or a parent folder."""
    folder = Path(start).resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file():
                return path
    return None


class _Reader:
    """Turns the sections of an ``IniFile`` into a ``ValeConfig``."""

    def __init__(self, ini: IniFile, config: ValeConfig):
        self.ini = ini
        self.config = config
        self.where = ini.path if ini.path is not None else "<.vale.ini>"

    def fail(self, line: int | None, problem: str):
        raise FormatError(self.where, line, problem)

    def notice(self, line: int | None, message: str) -> None:
        self.config.notices.append(Notice(str(self.where), line, message))

    def core(self, section: Section) -> None:
        config = self.config
        for entry in section.entries:
            key, value = entry.key, entry.value
            if key == "StylesPath":
                path = Path(value).expanduser()
                path = path if path.is_absolute() else config.root / path
                if not path.is_dir():
                    self.fail(entry.line, f"StylesPath '{value}' is not a folder "
                                          f"(looked for {path}): create it or fix the path")
                config.styles_paths.append(path)
            elif key == "MinAlertLevel":
                if value not in LEVELS:
                    self.fail(entry.line, f"MinAlertLevel must be one of {', '.join(LEVELS)}, "
                                          f"not {value!r}")
                config.min_level = value
            elif key == "WordTemplate":
                config.word_template = value
            elif key == "IgnoredScopes":
                scopes = {INLINE_SCOPES[s] for s in split_list(value) if s in INLINE_SCOPES}
                config.ignored_scopes = frozenset(scopes)
            elif key in SECTION_KEYS:
                self.fail(entry.line, f"'{key}' belongs in a section such as [*] or [*.md]")

    def section(self, section: Section) -> SectionSettings:
        is_global = section.name == "*"
        settings = SectionSettings(section.name, None if is_global else compile_glob(section.name))
        for entry in section.entries:
            key, value = entry.key, entry.value
            if key in CORE_KEYS:
                self.fail(entry.line, f"'{key}' is a core option: move it above the first "
                                      f"[section]")
            elif key == "BasedOnStyles":
                styles = split_list(value)
                if settings.based_on_styles is None:
                    settings.based_on_styles = []
                settings.based_on_styles.extend(s for s in styles
                                                if s not in settings.based_on_styles)
                settings.based_on_line = entry.line
            elif key in ("TokenIgnores", "BlockIgnores", "IgnorePatterns"):
                target = settings.token_ignores if key == "TokenIgnores" else \
                    settings.block_ignores
                for pattern in split_list(value):
                    try:
                        target.append(goregex.compile(pattern))
                    except goregex.PatternError as exc:
                        self.fail(entry.line, f"{key}: {exc}")
            elif key in SECTION_KEYS:
                self.notice(entry.line, f"'{key}' has no effect in Kurt; ignored")
            else:
                self.rule_setting(settings, entry.key, entry.value, entry.line)
        return settings

    def rule_setting(self, settings: SectionSettings, key: str, value: str, line: int) -> None:
        if value not in RULE_VALUES:
            self.notice(line, f"'{key} = {value}': the value must be YES, NO, suggestion, "
                              f"warning or error; the rule is off, as in Vale")
            settings.checks[key] = False
        else:
            settings.checks[key] = value != "NO"
            if value in LEVELS:
                self.config.levels[key] = value
        settings.check_lines[key] = line


def load_config(path: str | Path) -> ValeConfig:
    """Read a ``.vale.ini`` (or find the nearest one from a folder) and compile its rules."""
    path = Path(path)
    if path.is_dir():
        found = find_config(path)
        if found is None:
            raise ConfigError(f"no .vale.ini in {path} or a parent folder: add one with "
                              f"StylesPath and BasedOnStyles")
        path = found
    if not path.is_file():
        raise ConfigError(f"{path}: no such Vale configuration file")
    return build_config(read(path), path.parent)


def build_config(ini: IniFile, root: Path) -> ValeConfig:
    """The ``ValeConfig`` of parsed ``ini`` whose relative paths start at ``root``."""
    config = ValeConfig(path=ini.path, root=Path(root))
    reader = _Reader(ini, config)
    top = ini.section("") or Section("", 0)
    reader.core(top)
    vocab_names = [name for v in top.values("Vocab") for name in split_list(v)]
    for section in ini.sections:
        if section.name in ("", "formats", "asciidoctor", "DEFAULT"):
            continue
        settings = reader.section(section)
        if section.name == "*":
            config.global_section = settings
        else:
            config.sections.append(settings)
    formats = ini.section("formats")
    if formats is not None:
        config.formats = {e.key.lstrip("."): e.value.lstrip(".") for e in formats.entries}
    config.vocab = load_vocabularies(vocab_names, config.styles_paths)
    _load_rules(config, reader)
    return config


def _load_rules(config: ValeConfig, reader: _Reader) -> None:
    context = RuleContext(config.word_template, list(config.vocab.accepted))
    loader = RuleLoader(config.styles_paths, context, config.levels)
    every = [config.global_section, *config.sections]
    styles: dict[str, int] = {}
    for section in every:
        for style in section.based_on_styles or []:
            styles.setdefault(style, section.based_on_line)
    compiled: dict[str, Rule | None] = {}
    for style, line in styles.items():
        if style == BUILTIN_STYLE:
            compiled.update(loader.builtins(config.vocab.accepted, config.vocab.rejected))
            continue
        folder = find_style(style, config.styles_paths)
        if folder is None:
            searched = ", ".join(str(p) for p in config.styles_paths) or "no StylesPath set"
            reader.fail(line, f"style '{style}' is not in StylesPath ({searched}): copy the "
                              f"style folder there, or remove it from BasedOnStyles")
        for name, path in style_rules(folder, style).items():
            compiled.setdefault(name, loader.load(name, path))
    for section in every:
        for name, on in section.checks.items():
            if not on or "." not in name or name in compiled:
                continue
            if name.startswith(BUILTIN_STYLE + "."):
                builtins = loader.builtins(config.vocab.accepted, config.vocab.rejected)
                if name in builtins:
                    compiled[name] = builtins[name]
                    continue
            path = loader.find_rule(name)
            if path is None:
                reader.notice(section.check_lines.get(name),
                              f"rule {name} is not in StylesPath; the setting is ignored")
                compiled[name] = None
                continue
            compiled[name] = loader.load(name, path)
    config.rules = {name: rule for name, rule in compiled.items() if rule is not None}
    config.notices.extend(loader.notices)
