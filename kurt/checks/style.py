"""``style/*``: the template's style guidance where a machine can check it, and Vale styles.

Kurt's own style rules are Vale rules built in memory and run by Kurt's Vale
reader (kurt.checks.vale), so they read prose the way Vale does: code, URLs,
frontmatter, comments, block quotes and quotations are never flagged.

- ``style/banned-phrase``: empty phrases (Kurt's short list of marketing
  cliches, plus ``[checks] banned_phrases``, minus ``allowed_phrases``);
- ``style/dont-example``: a phrase the template's Style Guidelines give as a
  DON'T example (the quoted examples of a built-in template, or the DON'T
  sentences ``kurt template customize`` picked);
- ``style/person``: pronouns against the person or register the customized
  template chose (``Person: Second person "you"`` flags "we"; ``Register:
  Formal third person`` flags "you" and "we");
- ``style/passive-voice``: passive constructions when the template chose
  ``Voice: Active``;
- ``style/sentence-length``: sentences longer than ``[checks] max_sentence_words``;
- ``style/heading-case``: headings not in the case the template's own headings
  use (``[checks] heading_case``: auto, title, sentence, off);
- ``style/<Style>.<Rule>``: the rules of the workspace's ``.vale.ini`` (the
  nearest one above the file, inside the workspace) and its StylesPath.

These run on any markdown file, draft or not (``kurt draft check --rule style
FILE``); the template's guidance applies only to drafts.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

BANNED_PHRASES = (
    "in today's fast-paced world", "in today's digital landscape", "game-changing",
    "game changer", "cutting-edge", "best-in-class", "world-class", "next-generation",
    "unlock the power of", "unleash the power of", "revolutionize", "supercharge", "synergy",
    "it should be noted that", "needless to say", "at the end of the day", "we're thrilled",
    "we are thrilled", "excited to announce", "paradigm shift", "state-of-the-art",
    "blazing fast", "lightning fast", "unparalleled",
)
PASSIVE = (r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+|not\s+)?"
           r"(?:\w+ed|built|done|made|given|taken|seen|shown|known|written|sent|kept|found|"
           r"held|chosen|driven|hidden|broken|begun|bound|brought|bought|caught|taught|"
           r"thought|told|sold|paid|laid|lost|meant|met|spun|struck|thrown|understood|won|"
           r"worn|grown|drawn|forgotten|frozen|stolen|overridden)\b")
FIRST_SINGULAR = [r"I", r"(?i)my", r"(?i)me", r"(?i)mine"]
FIRST_PLURAL = [r"(?i)we", r"(?i)our", r"(?i)ours", r"(?i)ourselves", r"us"]
SECOND = [r"(?i)you", r"(?i)your", r"(?i)yours", r"(?i)yourself"]
_CHOICE_LINE = re.compile(r"^\s*[-*]\s+([A-Za-z][^:\n]{0,40}):\s*(.+?)\s*$")
_DONT_LINE = re.compile(r"^\s*❌\s*\*\*DON'?T[^*]*\*\*\s*(.*)$")
_SINGLE_QUOTED = re.compile(r"'(.+?)'(?=[\]\s,.;)]|$)")
_TITLE_WORD = re.compile(r"^[A-Z0-9]")


def check(ctx):
    if ctx.unreadable:
        return
    yield from _kurt_rules(ctx)
    yield from _vale_rules(ctx)


# -- what the template says -----------------------------------------------------------------

@dataclasses.dataclass
class Guidance:
    """The mechanically checkable parts of a template's Style Guidelines."""

    choices: dict[str, str] = dataclasses.field(default_factory=dict)  # label -> chosen option
    donts: list[str] = dataclasses.field(default_factory=list)
    heading_case: str | None = None  # from the skeleton's headings: "title" | "sentence"


def template_guidance(template) -> Guidance:
    from kurt.writing.template_parse import STYLE_HEADING, section_span, skeleton_headings

    guidance = Guidance()
    if template is None:
        return guidance
    lines = template.text.split("\n")
    span = section_span(lines, STYLE_HEADING)
    for line in lines[span[0]:span[1]] if span else []:
        choice = _CHOICE_LINE.match(line)
        if choice and "[" not in choice.group(2):
            value = re.sub(r"\s*\((?:measured|refined)[^)]*\)?.*$", "", choice.group(2))
            guidance.choices[choice.group(1).strip().lower()] = value.strip().strip("*").strip()
        dont = _DONT_LINE.match(line)
        if dont:
            guidance.donts += _dont_phrases(dont.group(1))
    headings = [re.sub(r"\[[^\]]*\]|\{\{[^}]*\}\}", "", h).strip()
                for h in skeleton_headings(template.skeleton)]
    guidance.heading_case = _case_of([h for h in headings if len(h.split()) >= 2])
    return guidance


def _dont_phrases(text: str) -> list[str]:
    quoted = text.strip()
    if quoted.startswith('"') and quoted.count('"') >= 2:
        quoted = quoted[1:quoted.rindex('"')]
    if quoted.startswith("["):  # a template placeholder: its quoted examples are the DON'Ts
        return [p.strip().rstrip(".!") for p in _SINGLE_QUOTED.findall(quoted)
                if len(p.split()) >= 3]
    quoted = quoted.strip().rstrip(".!")
    return [quoted] if len(quoted.split()) >= 3 else []


def _case_of(headings: list[str]) -> str | None:
    """"title" when the headings are in title case, "sentence" in sentence case, else None."""
    from kurt.checks.vale.casing import SMALL_WORDS

    if len(headings) < 3:
        return None
    title = sentence = 0
    for heading in headings:
        words = [w for w in re.findall(r"[A-Za-z][\w'-]*", heading)]
        rest = words[1:]
        if rest and all(_TITLE_WORD.match(w) or w.lower() in SMALL_WORDS for w in rest):
            title += 1
        elif rest and all(not w[0].isupper() or w.isupper() for w in rest):
            sentence += 1
    if title >= 0.8 * len(headings):
        return "title"
    if sentence >= 0.8 * len(headings):
        return "sentence"
    return None


def _person_tokens(choices: dict[str, str]) -> tuple[list[str], str] | None:
    """(pronoun patterns to flag, what the template asks for), from Person/Register choices."""
    for label in ("person", "register", "narrative", "voice owner"):
        value = choices.get(label, "").lower()
        if not value:
            continue
        if "third person" in value:
            return SECOND + FIRST_PLURAL + FIRST_SINGULAR, "third person"
        if "second person" in value or '"you"' in value:
            return FIRST_PLURAL + FIRST_SINGULAR, 'second person ("you")'
        if "first person plural" in value or '"we"' in value:
            return FIRST_SINGULAR, 'first person plural ("we")'
        if "imperative" in value:
            return FIRST_PLURAL + FIRST_SINGULAR, "the imperative"
    return None


# -- Kurt's rules, as Vale rules ---------------------------------------------------------------

def phrase_pattern(phrase: str) -> str:
    """A literal phrase as a Vale (Go) pattern: spaces match any run of spaces, both apostrophes."""
    out = []
    for char in phrase.strip():
        if char.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif char in "'’":
            out.append("['’]")
        elif char in r".^$*+?()[]{}|\/-":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def rule_definitions(ctx) -> dict[str, dict]:
    """The Vale rule mappings for this file: name -> rule (as a YAML rule file would hold)."""
    config = ctx.config
    guidance = template_guidance(ctx.template if ctx.is_draft else None)
    rules: dict[str, dict] = {}
    allowed = {p.strip().lower() for p in (getattr(config, "allowed_phrases", None) or [])}
    banned = [p for p in (*BANNED_PHRASES, *(getattr(config, "banned_phrases", None) or []))
              if p.strip() and p.strip().lower() not in allowed]
    if banned:
        rules["banned-phrase"] = {
            "extends": "existence", "level": "warning", "ignorecase": True, "nonword": False,
            "message": "'%s' says nothing a reader can check: say what it means, or cut it",
            "tokens": sorted({phrase_pattern(p) for p in banned}, key=len, reverse=True)}
    if guidance.donts:
        rules["dont-example"] = {
            "extends": "existence", "level": "warning", "ignorecase": True,
            "message": "'%s' is what the template's Style Guidelines say not to write: "
                       "rewrite it the way its DO examples read",
            "tokens": sorted({phrase_pattern(p) for p in guidance.donts}, key=len, reverse=True)}
    person = _person_tokens(guidance.choices)
    if person is not None:
        tokens, wanted = person
        rules["person"] = {
            "extends": "existence", "level": "warning",
            "message": f"'%s': the template asks for {wanted}: rewrite the sentence that way",
            "tokens": tokens}
    voice = guidance.choices.get("voice", "").lower()
    if voice.startswith("active"):
        rules["passive-voice"] = {
            "extends": "existence", "level": "suggestion", "ignorecase": True, "nonword": True,
            "limit": 20,
            "message": "'%s' is passive; the template asks for active voice: say who does it",
            "tokens": [PASSIVE]}
    limit = int(getattr(config, "max_sentence_words", 0) or 0)
    if limit > 0:
        rules["sentence-length"] = {
            "extends": "occurrence", "level": "suggestion", "scope": "sentence",
            "max": limit, "token": r"[^\s]+",
            "message": f"a sentence of %d words (over {limit}): split it"}
    case = str(getattr(config, "heading_case", "auto") or "auto").lower()
    if case == "auto":
        case = guidance.heading_case or "off"
    if case in ("title", "sentence") and ctx.body is not None:
        rules["heading-case"] = {
            "extends": "capitalization", "level": "suggestion", "scope": "heading",
            "match": "$title" if case == "title" else "$sentence", "indicators": [":"],
            "message": f"'%s' is not in {case} case, as the template's headings are"}
    return rules


_WORD = re.compile(r"(?<![\w.'’-])([A-Za-z][\w'-]*)")


_REPLACE = re.compile(r"^Replace '(.*)' with '(.*)'\.$", re.DOTALL)


def names_only(ctx, finding) -> bool:
    """Whether a heading-case finding is only about names written as their owners write them:
    a lower-case name the draft writes as code (pgvector), or a capitalized one its prose
    writes mid-sentence (Railway). Such a heading is in the expected case."""
    found = _REPLACE.match(finding.suggestion or "")
    if not found:
        return False
    written, expected = found.group(1).split(), found.group(2).split()
    if len(written) != len(expected):
        return False
    cache = ctx.shared.cache.setdefault("names", {})
    if ctx.rel not in cache:
        cache[ctx.rel] = (_lower_names(ctx), _proper_nouns(ctx))
    lower, proper = cache[ctx.rel]
    for have, want in zip(written, expected, strict=True):
        if have == want:
            continue
        word = re.sub(r"^\W+|\W+$", "", have)
        if not (word in lower or word in proper or any(c.isdigit() for c in word)
                or (word[:1].islower() and any(c.isupper() for c in word[1:]))):
            return False
    return True


def _proper_nouns(ctx) -> set[str]:
    """Capitalized words the prose uses in mid-sentence (names): sentence case keeps them."""
    found = set()
    for line in ctx.body.prose.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        for match in _WORD.finditer(line):
            word = match.group(1)
            before = line[: match.start()].rstrip()
            if word[0].isupper() and before and before[-1] not in ".!?:>-*|#" \
                    and not re.search(r"^\s*(?:[-*+]|\d+[.)])\s*$", before + " "):
                found.add(word)
    return found


def _lower_names(ctx) -> set[str]:
    """Lower-case names (pgvector, npm) that the draft writes as code: title case keeps them."""
    found = set()
    for block in ctx.body.code_blocks:
        found |= set(re.findall(r"\b[a-z][a-z0-9_.-]*[a-z0-9]\b", block.content))
    code = re.findall(r"`([^`\n]+)`", ctx.body.without_comments)
    for span in code:
        found |= set(re.findall(r"\b[a-z][a-z0-9_.-]*[a-z0-9]\b", span))
    from kurt.checks.vale.casing import PREPOSITIONS, SMALL_WORDS

    return {w for w in found if w not in SMALL_WORDS and w not in PREPOSITIONS and len(w) > 2}


def _kurt_rules(ctx):
    from kurt.checks.vale.config import SectionSettings, ValeConfig
    from kurt.checks.vale.linter import lint_text
    from kurt.checks.vale.rules import RuleContext
    from kurt.checks.vale.styles import RuleLoader

    definitions = rule_definitions(ctx)
    if not definitions:
        return
    loader = RuleLoader([], RuleContext(), {})
    rules = {}
    for name, generic in definitions.items():
        rule = loader.build(name, generic, None)
        if rule is not None:
            rules[name] = rule
    config = ValeConfig(path=None, root=ctx.ws.root, rules=rules,
                        global_section=SectionSettings("*", None, list(rules)))
    name = _lint_name(ctx)
    for finding in lint_text(ctx.text, name, config):
        if finding.rule == "style/heading-case" and names_only(ctx, finding):
            continue
        yield dataclasses.replace(finding, path=ctx.rel, link=None)


def _lint_name(ctx) -> str:
    """The name Vale reads the file as: its own, or ``.md`` for a markdown file named otherwise."""
    from kurt.checks.vale.config import FORMATS

    suffix = ctx.path.suffix.lstrip(".").lower()
    return str(ctx.path) if suffix in FORMATS else str(ctx.path) + ".md"


# -- the workspace's Vale styles ---------------------------------------------------------------

def find_vale_ini(ws, start: Path) -> Path | None:
    """The nearest .vale.ini (or _vale.ini, vale.ini) from ``start`` up to the workspace root."""
    from kurt.checks.vale.config import CONFIG_NAMES

    root = ws.root.resolve()
    folder = start.resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        if folder == root or root not in folder.parents:
            break
        folder = folder.parent
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    return None


def _vale_rules(ctx):
    from kurt.checks.vale.linter import lint_text
    from kurt.errors import KurtError

    ini = find_vale_ini(ctx.ws, ctx.path.parent)
    if ini is None:
        return
    configs = ctx.shared.cache.setdefault("vale", {})
    if ini not in configs:
        configs[ini] = _load_vale(ctx, ini)
    config = configs[ini]
    if isinstance(config, KurtError):
        reported = ctx.shared.cache.setdefault("vale_reported", set())
        if ini not in reported:  # once per run, naming the file (and line) that did not load
            reported.add(ini)
            yield _config_finding(ctx, ini, config)
        return
    try:
        findings = lint_text(ctx.text, str(ctx.path), config)
    except KurtError as exc:  # a file format the styles cannot read: say so once per file
        yield ctx.finding("style/config", str(exc))
        return
    for finding in findings:
        yield dataclasses.replace(finding, path=ctx.rel)


def _load_vale(ctx, ini: Path):
    from kurt.checks.vale import load_config
    from kurt.errors import KurtError

    try:
        config = load_config(ini)
    except KurtError as exc:
        return exc
    notices = ctx.shared.cache.setdefault("notices", [])
    notices += [str(n) for n in config.notices]
    return config


def _config_finding(ctx, ini: Path, exc):
    from kurt.checks.corpus import relative_file
    from kurt.checks.finding import Finding
    from kurt.errors import FormatError

    path, line, message = ini, 1, str(exc)
    if isinstance(exc, FormatError):
        path = Path(str(exc.path)) if exc.path else ini
        line = exc.line or 1
        message = exc.problem
    shown = relative_file(ctx.ws, path if path.is_absolute() else ctx.ws.root / path) \
        if str(path) else str(ini)
    return Finding(rule="style/config", severity="error", path=shown, line=line, column=1,
                   end_line=line, end_column=1,
                   message=f"the Vale styles cannot be used: {message}; style/* rules of "
                           f"{relative_file(ctx.ws, ini)} did not run")
