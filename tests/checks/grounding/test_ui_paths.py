"""Interface paths (kurt.checks.grounding.ui_paths): a path the sources give otherwise."""

from kurt.checks.grounding.ui_paths import SourcePath, changed_label, paths, source_paths
from kurt.checks.passages import file_passages

SOURCE = """# Lovable

## Connect GitHub

1. In Lovable, navigate to **Settings → Integrations → GitHub**.
2. Authorize the Lovable app.

## Branches

Lovable offers experimental branch switching in **Settings → Account → Labs**. When
enabled, you can develop features on separate branches.

## Build

If your project needs a custom build command, set it under **Settings > Build > Build Command**.
Navigate to the **Networking** section under the Settings tab to generate a domain.
Themes are uploaded through `Settings > Design > Change theme > Upload theme`.
"""


def labels(line: str) -> list[list[str]]:
    return [[label.text for label in path] for path in paths(line)]


def test_paths_are_read_from_spans_and_from_spans_joined_by_arrows():
    assert labels("Open **Settings → Account → Labs** first.") == [
        ["Settings", "Account", "Labs"]]
    assert labels("Open **Settings** → **Networking** → `Public Networking`.") == [
        ["Settings", "Networking", "Public Networking"]]
    assert labels("Choose `+ New > Database > PostgreSQL`.") == [
        ["+ New", "Database", "PostgreSQL"]]
    assert labels("Click **Deploy**, then **Settings** and **Variables**.") == []
    line = "Run `echo hi > out.txt` or `a > b`, then **Settings -> Tokens**."
    assert labels(line) == [["Settings", "Tokens"]]  # commands and lowercase words are not
    found = paths("under **Settings → Account**")[0]
    assert [("under **Settings → Account**"[x.start:x.end]) for x in found] == [
        "Settings", "Account"]


def test_a_label_changed_at_one_place_is_reported_with_the_sources_path(check_against):
    body = "Turn on branch switching under **Settings → {} → Labs**."
    assert check_against(body.format("Account"), SOURCE) == []
    assert check_against(body.format("Integrations"), SOURCE) == [
        'Name "Integrations" is not on this path in the sources']
    build = "Set a custom build command under **Settings > {} > Build Command**."
    assert check_against(build.format("Build"), SOURCE) == []
    assert check_against(build.format("Networking"), SOURCE) == [
        'Name "Networking" is not on this path in the sources']


def test_what_is_left_alone(check_against):
    # a step left out, a tab named with its noun, paths of two labels
    assert check_against("Upload it from **Settings > Design > Upload theme**.", SOURCE) == []
    assert paths("**Settings → Account tab → Labs**")[0][1].key == "account"
    assert check_against("Generate a domain under **Settings > Networking**.", SOURCE) == []
    # a path the sources never write as one
    assert check_against("Open **Lovable → Networking → GitHub**.", SOURCE) == []


def test_the_sources_line_that_fits_the_sentence_decides_where_the_change_is():
    theirs, _ = source_paths(file_passages("sources/x/p.md", SOURCE))
    ours = ["settings", "integrations", "labs"]
    index, source = changed_label(ours, theirs, frozenset({"branch", "switching"}))
    assert (index, source.text) == (1, "Settings → Account → Labs")
    assert changed_label(ours, theirs) is None  # no word to tell the two places apart
    lone = [SourcePath(("settings", "account", "labs"), "", "p", 1, "")]
    assert changed_label(ours, lone) == (1, lone[0])
    assert changed_label(["settings", "account", "labs"], lone) is None
