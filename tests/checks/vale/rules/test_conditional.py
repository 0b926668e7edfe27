ACRONYMS = """\
    extends: conditional
    message: "Spell out '%s', if it's unfamiliar to the audience."
    level: suggestion
    first: '\\b([A-Z]{3,5})\\b'
    second: '(?:\\b[A-Z][a-z]+ )+\\(([A-Z]{3,5})\\)'
    exceptions: [API]
    """


def test_an_acronym_must_be_defined_first(ws):
    ws.rule("Acronyms", ACRONYMS)
    ws.config()
    text = """\
        The WHO said so.

        The World Health Organization (WHO) agrees. Ask the WHO and the API. The NSA too.
        """
    nsa = text.splitlines()[2].strip().index("NSA") + 1
    assert ws.results(text) == [
        (1, 5, "Test.Acronyms", "Spell out 'WHO', if it's unfamiliar to the audience."),
        (3, nsa, "Test.Acronyms", "Spell out 'NSA', if it's unfamiliar to the audience."),
    ]


def test_without_a_group_second_must_be_in_the_same_block(ws):
    ws.rule("Pair", """\
        extends: conditional
        message: "'%s' needs a warning nearby."
        first: 'rm -rf'
        second: '(?i)warning'
        """)
    ws.config()
    assert ws.results("Run rm -rf here.\n\nWarning: rm -rf deletes.\n") == [
        (1, 5, "Test.Pair", "'rm -rf' needs a warning nearby.")]
