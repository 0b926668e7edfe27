"""The workflow texts ``kurt show TOPIC`` prints: one source for the rule files and the CLI.

Each task rule shipped in ``kurt/resources/agents/rules/<name>.md`` is a topic; its body
is exactly what ``kurt init`` installs as ``kurt/rules/<name>.md`` (and, with Cursor's
header, as ``.cursor/rules/<name>.mdc``). In a workspace whose copy the user edited, the
edited copy is the rule the agent follows, so that is the text shown (``origin``
says which). One more topic is made from the workspace itself: ``format-templates``,
the format templates it offers.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from kurt.agents import RULES_DIR, shipped_rules
from kurt.errors import NotFound

__all__ = ["FORMAT_TEMPLATES", "Topic", "list_topics", "read_topic"]

FORMAT_TEMPLATES = "format-templates"
_FORMAT_TEMPLATES_DESCRIPTION = ("The format templates this workspace offers: name, title, "
                                 "length, customized or not.")


@dataclass(frozen=True)
class Topic:
    name: str
    description: str
    text: str = ""
    origin: str = "shipped"  # shipped | workspace (the user's edited kurt/rules copy) | generated


def list_topics() -> list[Topic]:
    """Every topic, by name, without its text."""
    topics = [Topic(rule.name, rule.description) for rule in shipped_rules()]
    topics.append(Topic(FORMAT_TEMPLATES, _FORMAT_TEMPLATES_DESCRIPTION, origin="generated"))
    return sorted(topics, key=lambda topic: topic.name)


def read_topic(name: str, ws=None) -> Topic:
    """The topic ``name`` with its text; ``ws`` (optional) is the workspace whose edited
    rule copies and templates count. NotFound names the close matches."""
    wanted = (name or "").strip().lower()
    if wanted == FORMAT_TEMPLATES:
        return Topic(FORMAT_TEMPLATES, _FORMAT_TEMPLATES_DESCRIPTION, format_templates_text(ws),
                     "generated")
    for rule in shipped_rules():
        if rule.name == wanted:
            if ws is not None:
                copy = ws.root / RULES_DIR / f"{rule.name}.md"
                if copy.is_file():
                    text = copy.read_text(encoding="utf-8")
                    if text != rule.body:
                        return Topic(rule.name, rule.description, text, "workspace")
            return Topic(rule.name, rule.description, rule.body)
    names = [topic.name for topic in list_topics()]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise NotFound(f"No topic '{name}': {hint}run 'kurt show' to list them")


def format_templates_text(ws=None) -> str:
    """The templates as a markdown list: the workspace's (its copies win), else the built-in ones."""
    from kurt.writing.templates import builtin_templates, list_templates, parse_template

    lines = ["# Format templates", ""]
    if ws is not None:
        for info in list_templates(ws):
            length = f", {info.length[0]}-{info.length[1]} words" if info.length else ""
            state = "" if info.customized is None else (
                ", customized" if info.customized else ", style not customized yet")
            title = f"BROKEN: {info.error}" if info.error else (info.title or info.name)
            lines.append(f"- **{info.name}**: {title}{length}{state} ({info.origin})")
    else:
        for name, text in sorted(builtin_templates().items()):
            tpl = parse_template(text, name=name, origin="builtin")
            length = f", {tpl.length[0]}-{tpl.length[1]} words" if tpl.length else ""
            lines.append(f"- **{name}**: {tpl.title or name}{length}")
    lines += ["", "Read one with `kurt template show NAME`; choose, customize and create them "
              "with the use-templates rule (`kurt show use-templates`).", ""]
    return "\n".join(lines)
