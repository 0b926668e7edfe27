import pytest

from kurt.errors import FormatError
from kurt.writing import frontmatter

DRAFT = """---
project: launch   # the project folder
document: integration-page-stripe
status: outline  # outline -> draft -> final
sources:
  - path: sources/a.md
    purpose: "partner API"   # keep me

outline:
  overview:
    sources: []  # no source found: add one with kurt project add-source
    purpose: "what it does"
---

# Title

Body with `code` and trailing spaces\x20\x20
<!-- Source: sources/a.md -->
"""


def test_parse_reads_data_and_body():
    fm = frontmatter.parse(DRAFT)
    assert fm.data["status"] == "outline"
    assert fm.data["outline"]["overview"]["sources"] == []
    assert fm.body.startswith("\n# Title")


def test_setting_a_scalar_keeps_comments_and_body_byte_identical():
    new = frontmatter.set_values(DRAFT, {"status": "draft"})
    assert new == DRAFT.replace("status: outline  #", "status: draft  #")


def test_setting_the_same_value_changes_nothing():
    assert frontmatter.set_values(DRAFT, {"status": "outline"}) == DRAFT


def test_setting_a_block_replaces_only_that_block():
    new = frontmatter.set_values(DRAFT, {"sources": [{"path": "sources/b.md", "purpose": "x"}]})
    assert "sources/b.md" in new and "sources/a.md\n    purpose" not in new
    assert "# no source found: add one with kurt project add-source" in new
    assert "project: launch   # the project folder" in new
    assert new.endswith(DRAFT.split("\n---\n", 1)[1])
    assert frontmatter.parse(new).data["outline"]["overview"]["purpose"] == "what it does"


def test_a_new_key_goes_at_the_end_of_the_frontmatter():
    new = frontmatter.set_values(DRAFT, {"reviewed": True})
    data = frontmatter.parse(new).data
    assert list(data)[-1] == "reviewed" and data["reviewed"] is True


def test_values_that_need_quotes_are_quoted():
    new = frontmatter.set_values(DRAFT, {"status": "a: b # c"})
    assert frontmatter.parse(new).data["status"] == "a: b # c"


def test_file_without_frontmatter_gets_one():
    new = frontmatter.set_values("# Hi\n", {"status": "outline"})
    assert new == "---\nstatus: outline\n---\n\n# Hi\n"


def test_malformed_yaml_names_the_file_line():
    text = "---\ntitle: ok\nlist: [a, b\nother: 1\n---\nbody\n"
    with pytest.raises(FormatError) as info:
        frontmatter.parse(text, "d.md")
    assert info.value.line in (3, 4, 5)
    assert "d.md:" in str(info.value)


def test_bad_indentation_reports_its_line():
    text = "---\na: 1\nb:\n  c: 2\n d: 3\n---\n"
    with pytest.raises(FormatError) as info:
        frontmatter.parse(text, "d.md")
    assert info.value.line == 5


def test_unclosed_frontmatter_says_where_it_opened_and_names_the_file():
    with pytest.raises(FormatError) as info:
        frontmatter.parse("---\na: 1\n# body\n", "projects/p/drafts/d.md")
    message = str(info.value)
    assert message.startswith("projects/p/drafts/d.md:1: ")
    assert "frontmatter opened at line 1 is never closed (no '---' line)" in message


def test_update_file_leaves_a_malformed_file_untouched(tmp_path):
    path = tmp_path / "d.md"
    broken = "---\nstatus: [outline\n---\nbody\n"
    path.write_text(broken)
    with pytest.raises(FormatError):
        frontmatter.update_file(path, {"status": "draft"})
    assert path.read_text() == broken


def test_update_file_writes_the_change(tmp_path):
    path = tmp_path / "d.md"
    path.write_text(DRAFT)
    frontmatter.update_file(path, {"status": "final"})
    assert frontmatter.read(path).data["status"] == "final"
    assert not list(tmp_path.glob(".*tmp"))


NESTED = """---
title: x  # keep
outline:
  overview:
    sources: []  # none yet
    purpose: "why"
  setup:
    sources:
      - a.md
    purpose: how
sources:
  - path: a.md
    purpose: for setup
---

Body <!-- c -->
"""


@pytest.mark.parametrize("keys,value,comment,expected_line", [
    (["outline", "overview", "sources"], ["b.md"], "", "    sources:\n      - b.md\n"),
    (["outline", "setup", "sources"], [], "# empty", "    sources: []  # empty\n"),
    (["outline", "setup", "purpose"], "new", "", "    purpose: new\n"),
])
def test_set_in_changes_only_the_nested_key(keys, value, comment, expected_line):
    from kurt.writing import frontmatter

    result = frontmatter.set_in(NESTED, keys, value, comment=comment)
    assert expected_line in result
    data = frontmatter.parse(result).data
    assert data["outline"][keys[1]][keys[2]] == value
    assert result.endswith("Body <!-- c -->\n") and "title: x  # keep" in result
    assert data["sources"] == [{"path": "a.md", "purpose": "for setup"}]


def test_set_in_missing_key_is_an_error():
    from kurt.errors import FormatError
    from kurt.writing import frontmatter

    with pytest.raises(FormatError, match="outline > nope"):
        frontmatter.set_in(NESTED, ["outline", "nope", "sources"], [])


def test_append_and_remove_items_keep_the_rest():
    from kurt.writing import frontmatter

    added = frontmatter.append_item(NESTED, "sources", {"path": "b.md", "purpose": "p"})
    assert frontmatter.parse(added).data["sources"][-1] == {"path": "b.md", "purpose": "p"}
    assert "  # none yet" in added and added.endswith("Body <!-- c -->\n")
    removed = frontmatter.remove_items(added, "sources", lambda i: i["path"] == "a.md")
    assert frontmatter.parse(removed).data["sources"] == [{"path": "b.md", "purpose": "p"}]
    emptied = frontmatter.remove_items(removed, "sources", lambda i: True, comment="# none")
    assert "sources: []  # none\n" in emptied
    assert frontmatter.parse(emptied).data["outline"]["setup"]["sources"] == ["a.md"]


def test_an_unclosed_flow_list_is_reported_where_it_opens():
    text = "---\ntitle: ok\nlist: [a, b\nother: 1\n---\nbody\n"
    with pytest.raises(FormatError) as info:
        frontmatter.parse(text, "d.md")
    assert info.value.line == 3  # the "[" line, not the line where YAML gave up
