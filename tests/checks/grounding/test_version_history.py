"""Versions given for something else (kurt.checks.grounding.version_history)."""

from kurt.checks.grounding import check_specifics
from kurt.checks.grounding.version_history import api_name, version_mentions
from kurt.checks.passages import SectionSources, file_passages

REFERENCE = """# Frames

## `frames.parse(input[, base])`

<!-- YAML
added: v22.1.0
-->

Parses `input` and returns a frame, or `null` when it cannot be parsed.

## `frames.open(path)`

<!-- YAML
added: v18.2.0
changes:
  - version: v20.0.0
    pr-url: https://example.org/pull/1
    description: The `path` argument may be a URL.
-->

Opens the frame file at `path`.

## Class: `FrameReader extends EventTarget`

<!-- YAML
added: v15.4.0
changes:
  - version: v18.0.0
    description: No longer experimental.
-->

Reads frames one at a time.
"""
PATH = "sources/docs.example.com/api/frames.md"


def check(body: str) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(PATH, REFERENCE))]
    return [f"{f.message} | {f.suggestion}"
            for f in check_specifics(text, "projects/p/drafts/d.md", sections)]


def test_a_version_the_apis_own_history_does_not_give_is_reported():
    [found] = check("Use `frames.parse()`, available since v20.0.0, to read a frame.")
    assert found.startswith('Version "v20.0.0" is not what the sources give here')
    assert '"v22.1.0"' in found
    [found] = check("`FrameReader` has been stable since v20.0.0.")
    assert found.startswith('Version "v20.0.0" is not what the sources give here')


def test_a_version_of_the_apis_history_passes():
    assert check("Use `frames.parse()`, available since v22.1.0, to read a frame.") == []
    assert check("Since v20.0.0, `frames.open()` also takes a URL.") == []
    assert check("`FrameReader` has been stable since v18.0.0.") == []


def test_a_version_no_api_section_holds_is_left_to_the_presence_check():
    assert check("Frames have been faster since v20.0.0.") == []  # stated, for nothing named
    assert check("The `path` argument may be a URL since v20.0.0.") == []  # no such section
    assert check("Use `frames.parse()`, available since v9.9.9.") == [
        'Version "v9.9.9" is not in the sources | the source says "22.1.0" '
        '(sources/docs.example.com/api/frames.md:5-6)']


def test_what_a_version_is_read_with():
    [passage] = [p for p in file_passages(PATH, REFERENCE) if "open" in (p.heading or "")]
    mentions = version_mentions(passage)
    assert [m.text for m in mentions] == ["v18.2.0", "v20.0.0"]
    assert {"open", "path", "argument"} <= mentions[1].attribution.near  # its description
    assert api_name("Class: FrameReader extends EventTarget") == "framereader"
    assert api_name("frames.parse(input[, base])") == "frames.parse"
    assert api_name("Event: 'close'") == "close"
