def test_tokens_match_whole_words_unless_nonword(ws):
    ws.rule("Word", """\
        extends: existence
        message: "Avoid '%s'."
        tokens: [foo]
        """)
    ws.rule("Part", """\
        extends: existence
        message: "Part '%s'."
        nonword: true
        tokens: [foo]
        """)
    ws.config()
    assert ws.results("foo food\n") == [
        (1, 1, "Test.Part", "Part 'foo'."), (1, 1, "Test.Word", "Avoid 'foo'."),
        (1, 5, "Test.Part", "Part 'foo'.")]


def test_ignorecase_and_empty_tokens(ws):
    ws.rule("Case", """\
        extends: existence
        message: "'%s'"
        ignorecase: true
        tokens: [simply, '', ' ']
        """)
    ws.config()
    assert [r[:2] for r in ws.results("Simply put, SIMPLY.\n")] == [(1, 1), (1, 13)]


def test_raw_goes_before_the_tokens_or_after_with_append(ws):
    ws.rule("Before", """\
        extends: existence
        message: "'%s'"
        raw: ['\\b(?:was|were)\\s+']
        tokens: [made, done]
        """)
    ws.rule("After", """\
        extends: existence
        message: "'%s'"
        append: true
        raw: ['\\s+by\\b']
        tokens: [made]
        """)
    ws.config()
    assert ws.results("It was made by hand.\n") == [
        (1, 4, "Test.Before", "'was made'"), (1, 8, "Test.After", "'made by'")]


def test_exceptions_and_accepted_vocabulary(ws):
    ws.rule("Jargon", """\
        extends: existence
        message: "'%s'"
        tokens: ['\\w+ly', mea]
        exceptions: [Only]
        """)
    ws.rule("NoVocab", """\
        extends: existence
        message: "'%s'"
        vocab: false
        tokens: [Railway]
        """)
    vocab = ws.root / "styles" / "config" / "vocabularies" / "Team" / "accept.txt"
    vocab.parent.mkdir(parents=True)
    vocab.write_text("Railway\nmea culpa\nearly\n")
    ws.config(top="Vocab = Team")
    found = ws.results("Only quickly Railway early, mea culpa.\n")
    assert found == [(1, 6, "Test.Jargon", "'quickly'"), (1, 14, "Test.NoVocab", "'Railway'")]


def test_an_action_becomes_a_suggestion(ws):
    ws.rule("Bang", """\
        extends: existence
        message: "No '%s'."
        nonword: true
        action:
          name: edit
          params: [trim_right, '!']
        tokens: ['\\w+!']
        """)
    ws.config()
    [finding] = ws.lint("Great!\n")
    assert finding.suggestion == "Replace 'Great!' with 'Great'."
    assert (finding.end_line, finding.end_column) == (1, 6)
