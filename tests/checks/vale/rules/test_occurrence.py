def test_max_per_sentence_points_at_the_first_match(ws):
    ws.rule("Length", """\
        extends: occurrence
        message: "Try to keep sentences short (%d words)."
        scope: sentence
        max: 5
        token: '[^\\s]+'
        """)
    ws.config()
    text = "Short one here. This sentence has far too many words in it. Fine.\n"
    assert ws.results(text) == [(1, 17, "Test.Length", "Try to keep sentences short (9 words).")]


def test_min_flags_a_block_that_has_too_few(ws):
    ws.rule("Links", """\
        extends: occurrence
        message: "Only %s examples."
        scope: paragraph
        min: 2
        token: 'for example'
        ignorecase: true
        """)
    ws.config()
    assert ws.results("No examples here.\n\nFor example, this. For example, that.\n") == [
        (1, 1, "Test.Links", "Only 0 examples.")]
