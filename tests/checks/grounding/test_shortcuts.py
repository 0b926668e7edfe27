"""Keyboard shortcuts (kurt.checks.grounding.shortcuts) and grounding/specific on them."""

from kurt.checks.grounding import check_specifics
from kurt.checks.grounding.shortcuts import find_shortcuts, parse_shortcut, stated
from kurt.checks.passages import SectionSources, file_passages

SOURCE = """# The playground

Click the "Docs" button (or press Ctrl/Cmd+Shift+D) to open the explorer. In the editor,
press Ctrl+Space to trigger autocomplete, and `CMD + K` opens the command palette.
"""


def messages(body: str, vocabulary) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x.com/play.md", SOURCE))]
    return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections,
                                               vocabulary=vocabulary)]


def test_shortcuts_are_read_by_their_parts():
    assert parse_shortcut("Ctrl/Cmd + Shift + D") == (
        (frozenset({"ctrl", "cmd"}), frozenset({"shift"})), "d")
    assert parse_shortcut("Command+Option+Esc") == (
        (frozenset({"cmd"}), frozenset({"alt"})), "esc")
    found = find_shortcuts("Press Ctrl+Space, then ⌘ + K; a+b and C++ are not shortcuts.")
    assert [k for _, _, k in found] == [((frozenset({"ctrl"}),), "space"),
                                        ((frozenset({"cmd"}),), "k")]


def test_a_shortcut_is_stated_by_one_with_the_same_key_and_modifiers():
    assert stated(parse_shortcut("Cmd+Shift+D"), SOURCE)  # one of the alternatives
    assert stated(parse_shortcut("Control + Space"), SOURCE)
    assert not stated(parse_shortcut("Ctrl/Cmd+Shift+P"), SOURCE)  # another key
    assert not stated(parse_shortcut("Ctrl+D"), SOURCE)  # a modifier left out
    assert not stated(parse_shortcut("Alt+Space"), SOURCE)  # another modifier


def test_a_shortcut_no_source_gives_is_reported_with_the_sources_one(vocabulary):
    assert messages("Press Cmd+Shift+D for the docs, Ctrl + Space to complete, and "
                    "`Cmd + K` for the palette.", vocabulary) == []
    assert messages("Open the docs with Ctrl/Cmd+Shift+P.", vocabulary) \
        == ['Keyboard shortcut "Ctrl/Cmd+Shift+P" is not in the sources']
    assert messages("Open the palette with `Cmd + P`.", vocabulary) \
        == ['Keyboard shortcut "Cmd + P" is not in the sources']
