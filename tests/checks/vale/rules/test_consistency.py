def test_using_both_spellings_is_flagged_from_the_second_on(ws):
    ws.rule("Spelling", """\
        extends: consistency
        message: "Inconsistent spelling of '%s'."
        ignorecase: true
        either:
          advisor: adviser
          centre: center
        """)
    ws.config()
    text = "Ask an advisor.\n\nThe adviser agrees.\n\nThe center is open.\n"
    assert ws.results(text) == [(3, 5, "Test.Spelling", "Inconsistent spelling of 'adviser'.")]
