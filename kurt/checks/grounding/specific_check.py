"""``grounding/specific``: every specific fact of the prose must be stated by a source.

Each specific (``kurt.checks.grounding.specifics``) is looked up in the
section's sources, then the draft's, then the project's. One that none states
is an error, with the source window closest to its sentence as evidence and,
where that window (or its passage) states a fact of the same kind, a suggestion
saying what the source says instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import kurt.checks.grounding.numbers as num
from kurt.checks.finding import Evidence, Finding
from kurt.checks.grounding.adapted_code import check_adapted_code
from kurt.checks.grounding.aligned_support import Elsewhere, elsewhere
from kurt.checks.grounding.anchored_values import AnchoredValue, anchored_value
from kurt.checks.grounding.attribution import MIN_SHARED_WORDS, attribution, enumerations
from kurt.checks.grounding.code import (
    DOMAIN,
    PROGRAM,
    code_specifics,
    installed_packages,
    names_domain,
    normalise_url,
    url_domain,
)
from kurt.checks.grounding.command_options import (
    described_otherwise,
    misplaced_flag,
    option_tables,
    subcommand_descriptions,
)
from kurt.checks.grounding.counted_lists import check_counts
from kurt.checks.grounding.default_check import check_defaults
from kurt.checks.grounding.described_code import check_described_code
from kurt.checks.grounding.described_code import terms as described_terms
from kurt.checks.grounding.facts import (
    PAIR,
    alternatives,
    competing_date,
    competing_name,
    competing_token,
    competing_value,
    pair_key,
    supports,
)
from kurt.checks.grounding.flag_pairs import PairedFlag, paired_flag
from kurt.checks.grounding.flag_relations import RelatedFlag, related_flag, source_relations
from kurt.checks.grounding.lexical import normal_token
from kurt.checks.grounding.prepared import Grounding, evidence_of
from kurt.checks.grounding.prose import is_metadata
from kurt.checks.grounding.specifics import Specific, find_numbers, find_specifics
from kurt.checks.grounding.subjects import OtherSubject, other_subject, site_name
from kurt.checks.grounding.swapped_values import check_swapped_values
from kurt.checks.grounding.swapped_words import check_swapped_words
from kurt.checks.grounding.table_rows import OtherRow, OtherValue, label_row, other_row
from kurt.checks.grounding.ui_paths import check_ui_paths
from kurt.checks.grounding.version_history import (
    VERSION,
    competing_version,
    prose_attribution,
    version_mentions,
    versioned_elsewhere,
)

RULE = "grounding/specific"

KIND_LABELS = {
    "number": "Number", "percent": "Percentage", "multiplier": "Multiplier", "price": "Price",
    "duration": "Duration", "size": "Size", "bandwidth": "Bandwidth", "version": "Version",
    "date": "Date", "endpoint": "Endpoint", "http-method": "HTTP method", "command": "Command",
    "flag": "Flag", "env-var": "Environment variable", "scope": "Scope",
    "config-key": "Configuration key", "identifier": "Identifier", "url": "URL", "name": "Name",
    "rate": "Rate", "grain": "Setting scope",
    "time": "Time", "shortcut": "Keyboard shortcut",
}
NUMERIC = frozenset({"number", "percent", "multiplier", "price", "duration", "size", "bandwidth",
                     "date", "version", "time"})


def unsupported_specifics(grounding: Grounding) -> list[tuple]:
    """(unit, specific, competing source number or None) for every specific no source in
    scope states, or whose value the sources give for something else."""
    out = []
    for unit in grounding.prose.units:
        if unit.kind == "heading" or is_metadata(unit):
            continue
        scopes = None
        if unit.kind == "command":
            scopes = _Scopes(grounding, grounding.scoped(unit))
            specifics = command_specifics(unit.code[0][2], scopes)
        else:
            specifics = find_specifics(unit.text, code=unit.code, urls=unit.urls,
                                       vocabulary=grounding.vocabulary, strong=unit.strong)
        names = [s for s in specifics if s.kind == "name"]
        lists = enumerations(unit.text, [(s.start, s.end, s.text.lower()) for s in names])
        for specific in specifics:
            reported = len(out)
            if specific.kind in NUMERIC and _in_link(unit, specific):
                continue
            if specific.kind == "name" and (_shown_in_code(grounding, specific)
                                            or _product_name(grounding, specific)):
                continue
            if scopes is None:
                scopes = _Scopes(grounding, grounding.scoped(unit))
            if not scopes.groups:
                continue  # nothing to check against: the sources/* rules report that
            # a command's subcommands are read over the narrower scopes too: the draft's
            # other sources must not make `railway config sync` an argument of a command
            # whose subcommands the section's source lists
            backing = next((facts for facts in (scopes.cumulative() if specific.kind == "command"
                                                else scopes)
                            if supports(facts, specific, grounding.vocabulary)), None)
            if backing is not None and specific.kind == "command" and unit.kind != "command":
                other = _described_otherwise(unit, specific, specifics, scopes)
                if other is not None:
                    out.append((unit, specific, other))
                    continue
            if backing is None:
                if specific.kind == "rate" and _after_reported(unit, specific, out):
                    continue  # "1,000 requests per minute": the value is the finding
                if specific.noun and _set_in_code(unit, specific, scopes):
                    continue  # "a limit of 100 lines" where the sources' code sets `limit: 100`
                if specific.quantity is None or not _worked_out(unit, specific, specifics):
                    out.append((unit, specific, None))
            elif specific.quantity is not None:
                own = attribution(unit.text, specific.start, specific.end)
                # stated in the section's sources for something else, or given for what the
                # draft says in the draft's other sources ("up to 90 days")
                other = competing_value(backing, specific, own, wider=scopes.passages_beyond(backing))
                if other is not None and not _written_beside(other, specific, specifics,
                                                             unit.text, own):
                    out.append((unit, specific, other))
            elif specific.kind == "date":
                other = competing_date(backing, specific,
                                       attribution(unit.text, specific.start, specific.end),
                                       [s.date for s in specifics
                                        if s is not specific and s.date is not None])
                if other is not None:
                    out.append((unit, specific, other))
            elif specific.kind == "version" and VERSION.fullmatch(specific.text):
                # "available since v20.0.0" where the API's own history gives v22.1.0 (a
                # release version as the sources' histories write it, "v" and its dots)
                other = competing_version(_version_mentions(grounding, backing), specific.key,
                                          prose_attribution(unit, specific.start, specific.end))
                if other is None:
                    other = versioned_elsewhere(unit, specific.start, [
                        p for group in scopes.groups for p in group
                        if p.scope in ("section", "draft")], specific.key)
                if other is not None:
                    out.append((unit, specific, other))
            elif specific.kind == "identifier" and PAIR.fullmatch(specific.text.strip()):
                # `level: warn` where the sources give `level: error` for what the draft says
                pair = replace(specific, kind="pair", key=pair_key(specific.text))
                other = competing_token(backing, pair,
                                        attribution(unit.text, specific.start, specific.end),
                                        unit.prose(), need_same=False)
                if other is not None:
                    out.append((unit, specific, other))
            elif specific.kind in ("scope", "flag", "env-var", "http-method"):
                other = competing_token(backing, specific,
                                        attribution(unit.text, specific.start, specific.end),
                                        unit.prose())
                if other is not None:
                    out.append((unit, specific, other))
                elif specific.kind == "flag":
                    sibling = _sibling_flag(unit, specific, specifics, scopes)
                    if sibling is None:  # `-p, --service` where the sources pair -s with it
                        sibling = paired_flag(specific.text, (facts.text for facts in scopes))
                    if sibling is None and unit.kind != "command":
                        # "`--all` conflicts with `--watch`": the sources' options rows
                        sibling = related_flag(unit.text, unit.code, specific,
                                               grounding.read_once(scopes.groups, "relations",
                                                                   source_relations))
                    if sibling is not None:
                        out.append((unit, specific, sibling))
            elif specific.kind == "name" and (kind := _kind_not_named(grounding, unit, specific,
                                                                      scopes)):
                # "the Pro or Team plan": no source names Team a plan
                out.append((unit, replace(specific, text=f"{specific.text} {kind}"), None))
            elif specific.kind == "name" and (paired := _paired_otherwise(unit, specific,
                                                                          scopes)):
                out.append((unit, specific, paired))
            elif specific.kind == "name":
                siblings = lists.get(names.index(specific), frozenset())
                other = competing_name(backing, specific,
                                       attribution(unit.text, specific.start, specific.end),
                                       siblings) if siblings else None
                if other is not None:
                    out.append((unit, specific, other))
            if backing is not None and len(out) == reported:
                # in the sources, but only in pages about something else than the sentence
                other = other_subject(
                    grounding, unit, specific, names, scopes.groups,
                    label=KIND_LABELS.get(specific.kind, specific.kind),
                    supports=lambda facts, s: supports(facts, s, grounding.vocabulary),
                    is_product=lambda name: _product_name(grounding, name))
                if other is None:  # a table row's value that another row of the sources' has
                    other = other_row(grounding, unit, specific, scopes.groups,
                                      lambda text, s: _row_states(grounding, text, s),
                                      kind=KIND_LABELS.get(specific.kind, specific.kind))
                if other is None:  # a row of the sources' under another label
                    other = label_row(grounding, unit, specific, scopes.groups,
                                      kind=KIND_LABELS.get(specific.kind, specific.kind))
                if other is None and specific.quantity is not None:
                    # "at least every 15 minutes" where the source says "at least every 5"
                    other = anchored_value(unit.text, specific, [
                        p for group in scopes.groups for p in group
                        if p.scope in ("section", "draft")])
                if other is None and unit.kind == "sentence":
                    other = elsewhere(grounding, unit, specific,
                                      lambda facts, s: supports(facts, s, grounding.vocabulary),
                                      label=KIND_LABELS.get(specific.kind, specific.kind))
                if other is not None:
                    out.append((unit, specific, other))
        if scopes is None:
            scopes = _Scopes(grounding, grounding.scoped(unit))
        if unit.kind != "command":
            out += _spelled_counts(grounding, unit, specifics, scopes)
    return out


# programs a writer uses from general knowledge, whatever the sources show: their subcommands
# and flags are not the product's to state
GENERIC_PROGRAMS = frozenset("""
echo printf cd ls cat cp mv rm mkdir touch chmod chown ln pwd export source set unset env sudo
exec time test kill sleep tail head grep sed awk sort uniq wc find xargs tee tar gzip unzip zip
curl wget ssh scp rsync git npm npx yarn pnpm bun bunx deno pip pip3 pipx uv uvx poetry python
python3 node go cargo rustc gem bundle rails rake ruby php composer java mvn gradle dotnet make
docker podman kubectl helm brew apt apt-get yum dnf apk openssl jq base64 psql pg_dump
pg_restore mysql mysqldump redis-cli mongosh mongodump mongorestore systemctl watch true false
""".split())
# programs that run a package's tool: the tool's flags are what a command states
PACKAGE_RUNNERS = frozenset({"npx", "bunx", "pnpx", "uvx"})
_COMMAND_URL = re.compile(r"https?://[^\s'\"`<>)]+")


def command_specifics(content: str, scopes: _Scopes) -> list[Specific]:
    """What a command of a shell block states, when its program is one the sources document
    (their code runs it, and it is not a general tool such as ``git`` or ``curl``): its
    subcommands and flags; with any program, the URLs it calls and the variables it reads.
    Each specific spans its own words in the command."""
    words = [w for w in content.split() if not re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", w)]
    program = words[0] if words else ""
    if program in PACKAGE_RUNNERS and len(words) > 1:  # `npx express-generator`: its tool
        program = words[1].split("@")[0] if not words[1].startswith("@") else words[1]
    documented = program not in GENERIC_PROGRAMS and PROGRAM.match(program) \
        and any(re.search(r"(?<![\w@/.-])" + re.escape(program) + r"(?:@\S*)?[ \t]+\S",
                          facts.code) for facts in scopes)
    out = []
    for specific in code_specifics(content, 0, len(content)):
        if specific.kind in ("command", "flag") and not documented:
            continue
        if specific.kind not in ("command", "flag", "env-var"):
            continue
        where = _word_at(content, specific)
        if where is not None:
            specific = replace(specific, start=where[0], end=where[1],
                               text=content[where[0]:where[1]])
        out.append(specific)
    packages = installed_packages(content)
    out += [Specific("identifier", name, first, last, key=name)  # `go get github.com/lib/pq`
            for first, last, name in packages]
    urls = list(_COMMAND_URL.finditer(content))
    urls += [bare for bare in DOMAIN.finditer(content)  # `curl -fsSL cli.example.com | sh`
             if not any(u.start() <= bare.start() < u.end() for u in urls)
             and not any(first <= bare.start() < last for first, last, _ in packages)]
    for url in urls:
        key = normalise_url(url.group(0))
        domain = url_domain(key)
        # a path, or a host of the product's own (`get.example.com`, not a deployment's
        # `my-app-production.up.example.app`), on a domain the sources name: not the writer's
        if domain and ("/" in key or key.split("/")[0].count(".") == 2) \
                and any(names_domain(facts.lower, domain) for facts in scopes):
            out.append(Specific("url", url.group(0), url.start(), url.end(), key=key))
    return out


def _word_at(content: str, specific: Specific) -> tuple[int, int] | None:
    """Where a command's specific is written in it: a flag with the word after it, a
    command's words, a variable's name."""
    key = specific.key + (" " + specific.spaced if specific.kind == "flag" and specific.spaced
                          else "")
    found = re.search(r"(?<![\w-])" + re.escape(key).replace(r"\ ", r"\s+") + r"(?![\w-])",
                      content)
    return found.span() if found else None


class _Scopes:
    """The facts of a unit's scopes, narrowest first, each read only when a specific gets
    that far (most are stated in the section's own sources)."""

    def __init__(self, grounding: Grounding, groups: list):
        self.grounding = grounding
        self.groups = groups
        self.read: list = []

    def passages_beyond(self, backing) -> tuple:
        """The facts of each passage of the section's and the draft's sources outside
        ``backing``'s scope, one by one (read once per passage: merging them per section costs
        more than the comparison). The project's sources are left out: a whole site competes
        with anything."""
        index = next((i for i, facts in enumerate(self.read) if facts is backing), None)
        if index is None:
            return ()
        wider = [p for i, group in enumerate(self.groups) if i != index for p in group
                 if p.scope in ("section", "draft")]
        return tuple(self.grounding.facts.passage(p) for p in wider)

    def option_tables(self) -> tuple[dict, str]:
        """The CLI reference's options per command in the section's and draft's sources
        (``command_options.option_tables``) and their code."""
        def read(passages):
            tables = option_tables(passages)
            code = " \n ".join(self.grounding.facts.passage(p).code for p in passages) \
                if tables else ""
            return tables, code
        return self.grounding.read_once(self.groups, "option tables", read)

    def subcommand_tables(self) -> dict:
        """The subcommand tables of the section's and draft's sources
        (``command_options.subcommand_descriptions``)."""
        return self.grounding.read_once(self.groups, "subcommand tables",
                                        subcommand_descriptions)

    def cumulative(self):
        """The facts of each scope together with every narrower one."""
        for index in range(len(self.groups)):
            yield self.grounding.facts.group([p for g in self.groups[:index + 1] for p in g])

    def __iter__(self):
        for index, group in enumerate(self.groups):
            if index == len(self.read):
                self.read.append(self.grounding.facts.group(group))
            yield self.read[index]


def _spelled_counts(grounding: Grounding, unit, specifics: list[Specific],
                    scopes: _Scopes) -> list[tuple]:
    """Counts written in words ("a service gets two addresses"). Alone they are too common to
    require a source ("two ways to do it"), so one is reported only when the sources give a
    different number for what it counts (value attribution), never for being absent. Only
    the narrowest scope is compared: a count in words needs its own section's sources."""
    if not scopes.groups:
        return []
    out = []
    facts = None
    for mention in find_numbers(unit.text, draft=False):
        written = unit.text[mention.start:mention.end]
        if written[:1].isdigit() or mention.quantity.dimension != "count" \
                or mention.quantity.value < 2 or not mention.noun:
            continue
        if any(s.start < mention.end and mention.start < s.end for s in specifics):
            continue
        specific = Specific("number", written, mention.start, mention.end,
                            quantity=mention.quantity, noun=mention.noun.split()[0])
        facts = facts or next(iter(scopes))
        stated = supports(facts, specific, grounding.vocabulary)
        other = competing_value(facts, specific,
                                attribution(unit.text, specific.start, specific.end),
                                need_same=stated, min_shared=MIN_SHARED_WORDS)
        if other is None and not stated:
            other = counted_otherwise(facts, specific, unit.text)
        if other is not None:
            out.append((unit, specific, other))
    return out


def counted_otherwise(facts, specific: Specific, sentence: str):
    """The source count of the same thing when the sources never give the draft's count of
    it: "four policies are available" where a source says "Three policies are available".
    Only a number written right before the noun counts (not "two public networking
    policies"), and the one whose line shares most words with the sentence is given."""
    noun = normal_token(specific.noun or "")
    if not noun:
        return None
    value = round(specific.quantity.value, 9)
    words = {normal_token(w) for w in re.findall(r"[A-Za-z]+", sentence.lower())} - {noun}
    best, best_shared = None, 0
    for items in facts.numbers.values():
        for item in items:
            if item.loose or item.quantity.dimension != "count" or item.quantity.value < 2 \
                    or round(item.quantity.value, 9) == value:  # "one replica" counts no set
                continue
            parts = item.snippet.split()
            if len(parts) < 2 or normal_token(parts[1].strip(".,;:")) != noun:
                continue
            shared = len(words & {normal_token(w) for w in item.context})
            if shared > best_shared:
                best, best_shared = item, shared
    return best


def _after_reported(unit, rate: Specific, found: list[tuple]) -> bool:
    """A rate right after a value already reported in this unit ("100 requests per minute")."""
    return any(u is unit and s.quantity is not None and s.end <= rate.start
               and re.fullmatch(r"[\s\w-]{0,25}", unit.text[s.end:rate.start])
               for u, s, _ in found)


def _worked_out(unit, specific: Specific, specifics: list[Specific]) -> bool:
    """A value the sentence works out from two others it gives, as a writer shows an example:
    "`--since 30m --until 10m` shows a twenty-minute slice", "two replicas using 100 MB
    each appear as 200 MB". The values it is worked from are checked on their own."""
    dimension, value = specific.quantity.dimension, specific.quantity.value
    if dimension in ("count", "x"):
        return False  # plain numbers of different things differ by chance (11,000 - 10,000)
    values = [s.quantity.value for s in specifics if s is not specific and s.quantity is not None
              and s.quantity.dimension == dimension]
    counts = [m.quantity.value for m in find_numbers(unit.text, draft=False)  # "two replicas" too
              if m.quantity.dimension == "count" and m.quantity.value >= 2]
    for _, _, content in unit.code:
        for mention in find_numbers(content, draft=False):
            if mention.quantity.dimension == dimension:
                values.append(mention.quantity.value)
    values = [v for v in values if v and not num.close(v, value)]
    for i, a in enumerate(values):
        if any(num.close(a * c, value) for c in counts):
            return True
        for b in values[i + 1:]:
            if num.close(a + b, value) or num.close(abs(a - b), value):
                return True
    return False


def _written_beside(other, specific: Specific, specifics: list[Specific], text: str,
                    own) -> bool:
    """The competing value is in the same sentence ("0.5 GB on Free, 5 GB on Hobby"): the
    draft lists both, so the words around them are shared, not misread. Not when the source
    names the competing value's role ("| Default | 2 |") and the draft gives its own value
    that role but the other value another ("defaults to three and accepts 2, 4, 6 or 8")."""
    value = round(other.quantity.value, 9)
    role = other.attribution.tag if other.attribution is not None else ""
    for s in specifics:
        if s is specific or s.quantity is None or s.quantity.dimension != other.quantity.dimension \
                or round(s.quantity.value, 9) != value:
            continue
        if role and role == own.adjacent:
            beside = attribution(text, s.start, s.end)
            if role not in (beside.adjacent, beside.tag):
                continue
        return True
    return False


def _shown_in_code(grounding: Grounding, specific: Specific) -> bool:
    """A language the draft's own code blocks are written in ("A Python service reads it:"
    above a ```python block)."""
    languages = grounding.prose.languages
    if not languages:
        return False
    names = {specific.text.lower(), (specific.key or "").lower()}
    vocabulary = grounding.vocabulary
    if vocabulary is not None and specific.term is not None:
        term = vocabulary.terms[specific.term]
        names |= {term.name.lower(), *(s.text.lower() for s in term.surfaces)}
    return bool(names & languages)


def _key_stated(grounding: Grounding, unit, specific: Specific) -> bool:
    """Whether some source in scope states the flag or variable itself, whatever value or
    word follows it."""
    bare = Specific(specific.kind, specific.text, specific.start, specific.end, key=specific.key)
    return any(supports(facts, bare, grounding.vocabulary)
               for facts in _Scopes(grounding, grounding.scoped(unit)))


def _row_states(grounding: Grounding, text: str, specific: Specific) -> bool:
    """Whether a source table's header and one of its rows (``text``) state the specific."""
    from kurt.checks.grounding.facts import read_facts
    from kurt.checks.passages import Passage

    key = ("row facts", text)
    facts = grounding.memo.get(key)
    if facts is None:
        facts = grounding.memo[key] = read_facts(Passage("row", 1, 2, text),
                                                 grounding.vocabulary)
    return supports(facts, specific, grounding.vocabulary)


def _in_link(unit, specific: Specific) -> bool:
    return any(start <= specific.start and specific.end <= end for start, end in unit.links)


def _version_mentions(grounding: Grounding, facts) -> list:
    """The versions the passages of ``facts`` write, each read once per run."""
    out = []
    for part in facts.parts():
        if part._source is None:
            continue
        passage = part._source[0]
        key = ("versions", passage.path, passage.line_start, passage.line_end)
        found = grounding.memo.get(key)
        if found is None:
            found = grounding.memo[key] = version_mentions(passage)
        out += found
    return out


def check_specifics_in(grounding: Grounding) -> list[Finding]:
    findings = []
    by_column = []  # a column's value: a default's own finding says more
    for unit, specific, other in unsupported_specifics(grounding):
        if isinstance(other, (SiblingFlag, PairedName, SiblingCommand, OtherSubject, OtherRow,
                              OtherValue, PairedFlag, AnchoredValue, RelatedFlag, Elsewhere)):
            line, column, end_line, end_column = grounding.prose.span(unit, specific.start,
                                                                      specific.end)
            finding = Finding(RULE, "error", grounding.path, line, column,
                              other.message(specific), end_line=end_line,
                              end_column=end_column, suggestion=other.suggestion(),
                              evidence=getattr(other, "evidence", None))
            (by_column if isinstance(other, OtherValue) else findings).append(finding)
        elif other is not None:
            findings.append(_misattributed(grounding, unit, specific, other))
        else:
            findings.append(_finding(grounding, unit, specific))
    defaults = check_defaults(grounding, findings)
    findings += defaults + [f for f in by_column if not any(_overlap(d, f) for d in defaults)]
    findings += check_adapted_code(grounding)
    findings += [f for f in check_counts(grounding) + check_described_code(grounding)
                 + check_ui_paths(grounding) + check_swapped_values(grounding)
                 if not any(o.line == f.line and o.column == f.column for o in findings)]
    return findings + [f for f in check_swapped_words(grounding)
                       if not any(_overlap(o, f) for o in findings)]


def _overlap(one: Finding, other: Finding) -> bool:
    """Whether two findings underline some of the same text."""
    first = (one.line, one.column), (one.end_line or one.line, one.end_column or one.column)
    second = (other.line, other.column), \
        (other.end_line or other.line, other.end_column or other.column)
    return first[0] <= second[1] and second[0] <= first[1]


def _misattributed(grounding: Grounding, unit, specific: Specific, other) -> Finding:
    """The draft's value is in the sources, but they give ``other`` for what it quantifies."""
    line, column, end_line, end_column = grounding.prose.span(unit, specific.start, specific.end)
    label = KIND_LABELS.get(specific.kind, specific.kind)
    evidence = Evidence(other.path, other.line, other.line, other.quote)
    message = f'{label} "{specific.text}" is not what the sources give here'
    said = getattr(other, "snippet", None) or other.text
    verb = "names" if specific.kind == "name" else "says"
    suggestion = f'the source {verb} "{said}" ({evidence.citation})'
    return Finding(RULE, "error", grounding.path, line, column, message, end_line=end_line,
                   end_column=end_column, evidence=evidence, suggestion=suggestion)


def _finding(grounding: Grounding, unit, specific: Specific) -> Finding:
    start, end = specific.start, specific.end
    label = KIND_LABELS.get(specific.kind, specific.kind)
    shown = specific.key if specific.kind in ("flag", "env-var") and specific.key else specific.text
    message = None
    if specific.kind == "flag" and specific.spaced and _key_stated(grounding, unit, specific):
        shown = f"{specific.key} {specific.spaced}"  # the flag is right, the word after it is not
    elif specific.value and specific.kind in ("flag", "env-var") \
            and _key_stated(grounding, unit, specific):
        # the variable is right, the value set is not: `PORT=515` where the sources set 514
        value = re.escape(specific.value)
        if specific.value.startswith("${{"):  # ${{PGUSER}} as ${{Postgres.PGUSER}}
            value = r"\$\{\{\s*(?:[\w-]+\.)?" + re.escape(specific.value[3:-2]) + r"\s*\}\}"
        setting = re.compile(re.escape(specific.key) + r"""\s*=\s*["']?(""" + value + ")")
        shown_value = specific.value
        for code_start, code_end, content in unit.code:  # the text masks code, same length
            written = setting.search(content) if code_start <= specific.start < code_end \
                else None
            if written is not None:
                start, end = code_start + written.start(1), code_start + written.end(1)
                shown_value = written.group(1)
                break
        message = f'Value "{shown_value}" of "{specific.key}" is not in the sources'
    line, column, end_line, end_column = grounding.prose.span(unit, start, end)
    if message is not None:
        evidence, suggestion = _value_set(grounding, unit, specific.key)
        return Finding(RULE, "error", grounding.path, line, column, message, end_line=end_line,
                       end_column=end_column, evidence=evidence, suggestion=suggestion)
    message = f'{label} "{shown}" is not in the sources'
    matches = grounding.nearest_section_first(unit)
    evidence = evidence_of(matches[0]) if matches else None
    suggestion = None
    for match in matches:  # the closest window that states something of the same kind
        others: list[str] = []
        for source in (grounding.window_facts(match), grounding.facts.passage(match.window.passage)):
            others = alternatives(source, source, specific, grounding.vocabulary)
            if others:
                break
        if others:
            evidence = evidence_of(match)
            said = " or ".join(f'"{o}"' for o in others[:2])
            verb = "names" if specific.kind == "name" else "says"
            suggestion = f"the source {verb} {said} ({evidence.citation})"
            break
    if suggestion is None and evidence is not None:
        suggestion = f"check it against {evidence.citation}, or cite a source that states it"
    return Finding(RULE, "error", grounding.path, line, column, message, end_line=end_line,
                   end_column=end_column, evidence=evidence, suggestion=suggestion)


def _value_set(grounding: Grounding, unit, key: str) -> tuple[Evidence | None, str | None]:
    """The first line of the unit's sources (narrowest scope first) that sets ``key`` to a
    value, as evidence and a suggestion."""
    setting = re.compile(r"(?<![\w-])" + re.escape(key) + r"""=["']?([^\s"'`,;]+)""")
    for group in grounding.scoped(unit):
        for passage in group:
            for offset, text in enumerate(passage.text.split("\n")):
                found = setting.search(text)
                if found is not None:
                    number = passage.line_start + offset
                    evidence = Evidence(passage.path, number, number, " ".join(text.split()))
                    return evidence, f'the source sets "{found.group(0).strip()}" ' \
                                     f"({evidence.citation})"
    return None, None


# nouns that say what kind of thing a name is ("the Team plan", "the Admin role")
KIND_NOUNS = ("plan", "tier", "role")
KIND_SYNONYMS = {"plan": "plan|tier", "tier": "plan|tier"}  # "the Pro plan" is the "Pro tier"
_KIND_AFTER = re.compile(r"(?:\s*(?:,|and|or|&|/)\s*[A-Z][\w-]*)*\s+(?P<kind>" +
                         "|".join(KIND_NOUNS) + r")s?\b")


def _kind_not_named(grounding: Grounding, unit, specific: Specific,
                    scopes: _Scopes) -> str | None:
    """The noun a name is given with as a plan, tier or role ("the Pro or Team plan") when
    no line of the sources names it with that noun (or its synonym); else None."""
    after = _KIND_AFTER.match(unit.text, specific.end)
    if after is None or specific.label:
        return None
    vocabulary = grounding.vocabulary
    if specific.term is not None and vocabulary is not None \
            and vocabulary.terms[specific.term].type in ("Technology", "Company"):
        return None  # "a separate etcd tier": a part of a system, not a plan, tier or role
    kind = after.group("kind")
    name = re.compile(r"(?<![\w-])" + re.escape(specific.text) + r"(?![\w-])")
    noun = re.compile(r"\b(?:" + KIND_SYNONYMS.get(kind, kind) + r")s?\b", re.IGNORECASE)
    named = any(_named_with(passage, name, noun) for group in scopes.groups for passage in group)
    return None if named else kind


def _named_with(passage, name: re.Pattern, noun: re.Pattern) -> bool:
    """Whether a line of the passage gives the name with the noun: on the line itself, in
    the header of the table the line is a row of, or in the passage's heading."""
    if not name.search(passage.text):
        return False
    if noun.search(passage.heading or ""):
        return True
    header = ""
    for line in passage.text.split("\n"):
        row = line.lstrip().startswith("|")
        header = (header or line) if row else ""
        if name.search(line) and (noun.search(line) or (row and noun.search(header))):
            return True
    return False


def _sibling_flag(unit, flag: Specific, specifics: list[Specific], scopes: _Scopes):
    """A ``SiblingFlag`` when the flag is an option the sources' reference lists for a
    sibling of the command it is given to, and not for that command."""
    command = next((s for s in specifics if s.kind == "command"
                    and (unit.kind == "command" or (s.start, s.end) == (flag.start, flag.end))),
                   None)
    if command is None or not flag.key:
        return None
    tables, code = scopes.option_tables()
    if not tables:
        return None
    sibling = misplaced_flag(command.key.split(), flag.key, tables, code)
    if sibling is None:
        return None
    return SiblingFlag(" ".join(sibling), flag.key, command.key)


@dataclass(frozen=True)
class SiblingFlag:
    """A flag the sources list for another subcommand (``files download``)."""
    command: str
    flag: str
    given_to: str

    def message(self, specific: Specific) -> str:
        return f'Flag "{self.flag}" is not an option of "{self.given_to}" in the sources'

    def suggestion(self) -> str:
        return f'the sources list it for "{self.command}"'


def _set_in_code(unit, specific: Specific, scopes: _Scopes) -> bool:
    """A count whose noun no source line gives, stated by the sources' code setting the key
    the draft names it by, or their text writing it after that word: "a limit of 100 lines"
    by ``limit: 100``, "a clean exit with code 0 leaves ..." by "exit code 0"."""
    if specific.quantity is None or specific.quantity.dimension != "count":
        return False
    word = attribution(unit.text, specific.start, specific.end).adjacent
    if not word or len(word) < 4:
        return False
    value = specific.text.replace(",", "")
    pattern = re.compile(r"(?<![\w-])[\"']?" + re.escape(word) + r"\w*[\"']?\s*(?:[:=]\s*)?" +
                         re.escape(value) + r"(?![\w.])", re.IGNORECASE)
    return any(pattern.search(facts.text) for facts in scopes)  # code an MDX prop wraps too


def _described_otherwise(unit, command: Specific, specifics: list[Specific], scopes: _Scopes):
    """A ``SiblingCommand`` when the sentence describes what the sources' subcommand table
    gives another subcommand of the same command (the sentence naming no other of them)."""
    if sum(1 for s in specifics if s.kind == "command") != 1:
        return None
    tables = scopes.subcommand_tables()
    if not tables:
        return None
    words = command.key.split()
    sibling = described_otherwise(words, described_terms(unit.text), tables, described_terms)
    return SiblingCommand(sibling, tables[tuple(words[:-1])][sibling.split()[-1]]) \
        if sibling else None


@dataclass(frozen=True)
class SiblingCommand:
    """The subcommand the sources' table describes the way the draft's sentence does."""
    command: str
    description: str

    def message(self, specific: Specific) -> str:
        return f'Command "{specific.key}" is not what the sources describe here'

    def suggestion(self) -> str:
        return f'the sources give "{self.command}" for "{self.description}"'


def _product_name(grounding: Grounding, specific: Specific) -> bool:
    """The product's own name, its sources' domain (``Railway``, ``Railway's`` for
    ``sources/docs.railway.com/...``): stated by every page of the site, whether it says so."""
    products = grounding.memo.get("products")
    if products is None:
        products = grounding.memo["products"] = {  # each source once, not once per section
            site_name(path) for path in {p.path for p in grounding.passages}} - {""}
    name = re.sub(r"['’]s$", "", specific.text).lower()
    return name in products


_PAREN_HEAD = re.compile(r"([A-Z][\w.+-]*(?: [A-Z][\w.+-]*)?)\s*\((?:backed by |using |via |on )?"
                         r"[^()]*$")
_PAREN_LONGEST = 60  # the characters of a parenthesis read as a paired name
_PAREN_OF = r"(?<![\w-]){}(?:</a>)?\s*\(\s*(?:backed by |using |via |on |with )?([^()\n]{{1,60}})\)"


def _paired_otherwise(unit, specific: Specific, scopes: _Scopes):
    """A ``PairedName`` when the draft gives a name in parentheses after another ("Sidekiq
    (RabbitMQ)") and the sources give that other name's parentheses only other names
    ("Sidekiq (backed by Redis)")."""
    head = _PAREN_HEAD.search(unit.text[:specific.start])
    if head is None or ")" in unit.text[head.end():specific.start]:
        return None
    owner = head.group(1)
    opened = unit.text.find("(", head.start())
    closed = unit.text.find(")", specific.end)
    if closed < 0 or closed - opened > _PAREN_LONGEST:
        return None  # an aside, not a name paired with the owner: the sources' are not read so
    pattern = re.compile(_PAREN_OF.format(re.escape(owner)))
    given: list[str] = []
    for group in scopes.groups:
        for passage in group:
            if passage.scope in ("section", "draft") and owner in passage.text:
                text = " ".join(passage.text.split())  # a parenthesis wrapped over two lines
                given += [m.group(1) for m in pattern.finditer(text)]
    if not given:
        return None
    wanted = specific.text.lower()
    if any(wanted in g.lower() or g.lower().strip() in wanted for g in given):
        return None
    return PairedName(owner, given[0])


@dataclass(frozen=True)
class PairedName:
    """What the sources put in parentheses after a name the draft pairs with another."""
    owner: str
    given: str

    def message(self, specific: Specific) -> str:
        return f'Name "{specific.text}" is not what the sources give for "{self.owner}"'

    def suggestion(self) -> str:
        return f'the sources give "{self.owner} ({self.given})"'
