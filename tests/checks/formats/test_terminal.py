"""The readable report: grouped by file, the offending text underlined, a summary line."""

from kurt.checks.formats import render
from kurt.checks.formats.terminal import summary_line


def test_grouped_underlined_and_summed_up(report, tmp_path):
    folder = tmp_path / "projects" / "p" / "drafts"
    folder.mkdir(parents=True)
    lines = [f"line {n}" for n in range(1, 30)]
    lines[11] = "Connect [Partner] to the API."
    (folder / "a b.md").write_text("\n".join(lines))
    text = render(report, "text", tmp_path)
    out = text.split("\n")
    assert out[0] == "projects/p/drafts/a b.md"
    assert out[1].startswith("  12:9") and "error" in out[1] and out[1].endswith(
        "structure/placeholder")
    assert out[2] == "    12 | Connect [Partner] to the API."
    assert out[3] == "       |         ^^^^^^^^^"
    assert "source: sources/x.md:3-4 \"Sixty requests, a minute.\"" in text
    assert "fix: run 'kurt draft evidence' again" in text
    assert "projects/p/drafts/c.md" in out  # a file that cannot be read still lists its findings
    assert out[-1] == ("3 problems (1 error, 1 warning, 1 info) in 2 of 3 files; "
                       "2 silenced by comments")
    assert "\x1b[" not in text


def test_colour_only_when_asked(report, tmp_path):
    assert "\x1b[" in render(report, "text", tmp_path, color=True)


def test_a_clean_run_says_so():
    from kurt.checks.runner import CheckReport

    assert summary_line(CheckReport(files=["a.md"])) == "No problems in 1 file"


def test_a_long_line_is_windowed_around_the_finding(tmp_path):
    from kurt.checks.finding import Finding
    from kurt.checks.runner import CheckReport

    (tmp_path / "x.md").write_text("word " * 100 + "[Partner] " + "tail " * 100)
    finding = Finding("structure/placeholder", "error", "x.md", 1, 501, "left", end_line=1,
                      end_column=509)
    out = render(CheckReport([finding], ["x.md"]), "text", tmp_path).split("\n")
    shown, carets = out[2], out[3]
    assert len(shown) < 130 and "[Partner]" in shown
    assert shown.index("[Partner]") == carets.index("^")
