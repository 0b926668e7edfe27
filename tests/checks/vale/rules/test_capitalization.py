import pytest

SENTENCE = """\
    extends: capitalization
    message: "'%s' should use sentence-style capitalization."
    scope: heading
    match: $sentence
    indicators: [':']
    exceptions: [Kubernetes, gRPC]
    """


@pytest.mark.parametrize(("heading", "flagged"), [
    ("Deploy to Kubernetes", False),
    ("Deploy To Kubernetes Now", True),
    ("Using gRPC with JSON", False),
    ("Step one: Install it", False),
    ("1. Open your connectors", False),
    ("getting started", True),
    ("Top-Level ideas", False),
])
def test_sentence_case_headings(ws, heading, flagged):
    ws.rule("Headings", SENTENCE)
    ws.config()
    assert bool(ws.results(f"# {heading}\n\n{heading} in a paragraph is not a heading.\n")) \
        is flagged


def test_the_finding_covers_the_heading_and_suggests_its_sentence_case(ws):
    ws.rule("Headings", SENTENCE)
    ws.config()
    [finding] = ws.lint("Intro.\n\n## Deploy To Kubernetes Now\n")
    assert (finding.line, finding.column, finding.end_column) == (3, 4, 27)
    assert finding.message == "'Deploy To Kubernetes Now' should use sentence-style capitalization."
    assert finding.suggestion == "Replace 'Deploy To Kubernetes Now' with 'Deploy to Kubernetes now'."


@pytest.mark.parametrize(("style", "heading", "flagged"), [
    ("AP", "The Art of War", False),
    ("AP", "Working With the API", False),
    ("Chicago", "Working With the API", True),
    ("Chicago", "Working with the API", False),
    ("AP", "the art of war", True),
])
def test_title_case(ws, style, heading, flagged):
    ws.rule("Title", f"""\
        extends: capitalization
        message: "'%s' should be in title case."
        scope: heading
        match: $title
        style: {style}
        threshold: 0.9
        """)
    ws.config()
    assert bool(ws.results(f"# {heading}\n")) is flagged


@pytest.mark.parametrize(("match", "text", "flagged"), [
    ("$lower", "all lower", False),
    ("$lower", "Not Lower", True),
    ("$upper", "ALL UPPER", False),
    ("$upper", "Mixed", True),
    ("'^[A-Z][a-z]+$'", "Word", False),
    ("'^[A-Z][a-z]+$'", "two words", True),
])
def test_lower_upper_and_patterns(ws, match, text, flagged):
    ws.rule("Case", f"""\
        extends: capitalization
        message: "'%s'"
        scope: heading
        match: {match}
        """)
    ws.config()
    assert bool(ws.results(f"# {text}\n")) is flagged


def test_a_prefix_is_ignored(ws):
    ws.rule("Prefixed", SENTENCE + "prefix: '^[a-z]\\.\\s'\n")
    ws.config()
    assert ws.results("# b. Next title text\n") == []
