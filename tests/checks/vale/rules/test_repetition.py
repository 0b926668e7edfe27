def test_a_repeated_word_is_flagged_but_not_across_sentences(ws):
    ws.config(styles="Vale")
    assert ws.results("This is the the end. I forgot about that. That is it.\n") == [
        (1, 9, "Vale.Repetition", "'the' is repeated!")]


def test_max_and_alpha(ws):
    ws.rule("Twice", """\
        extends: repetition
        message: "'%s' three times"
        max: 1
        alpha: true
        tokens: ['[^\\s]+']
        """)
    ws.config()
    assert ws.results("go go now, very very very fast, 1 1 1 2\n") == [
        (1, 17, "Test.Twice", "'very' three times")]
