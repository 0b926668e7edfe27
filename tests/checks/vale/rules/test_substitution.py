def rule(ws, extra=""):
    ws.rule("Terms", """\
        extends: substitution
        message: "Use '%s' instead of '%s'."
        level: warning
        ignorecase: false
        action:
          name: replace
        swap:
          "(?:cell ?phone|smart ?phone)": phone|mobile phone
          "(?:kill|terminate|abort)": stop|exit|cancel|end
          above: preceding
          e-mail: email
          "(web) site": $1site
        """ + extra)
    return ws.config()


def test_the_message_lists_the_replacements_as_vale_does(ws):
    rule(ws)
    assert ws.results("Abort the cell phone app, see above.\n") == [
        (1, 11, "Test.Terms", "Use 'phone' or 'mobile phone' instead of 'cell phone'."),
        (1, 31, "Test.Terms", "Use 'preceding' instead of 'above'."),
    ]
    assert ws.results("Then kill it.\n") == [
        (1, 6, "Test.Terms", "Use 'stop', 'exit', 'cancel', or 'end' instead of 'kill'.")]


def test_the_suggestion_and_group_references(ws):
    rule(ws)
    found = ws.lint("Send an e-mail from the web site.\n")
    assert [(f.column, f.message, f.suggestion) for f in found] == [
        (9, "Use 'email' instead of 'e-mail'.", "Replace 'e-mail' with 'email'."),
        (25, "Use 'website' instead of 'web site'.", "Replace 'web site' with 'website'."),
    ]


def test_a_term_already_in_the_accepted_form_is_not_flagged(ws):
    ws.rule("Brand", """\
        extends: substitution
        message: "Use '%s' instead of '%s'."
        ignorecase: true
        swap:
          javascript: JavaScript
          "nodejs|node\\\\.js": Node.js
        """)
    ws.config()
    assert ws.results("JavaScript and Node.js, not javascript or nodejs.\n") == [
        (1, 29, "Test.Brand", "Use 'JavaScript' instead of 'javascript'."),
        (1, 43, "Test.Brand", "Use 'Node.js' instead of 'nodejs'."),
    ]


def test_capitalize_and_exceptions(ws):
    ws.rule("Cap", """\
        extends: substitution
        message: "Use '%s' instead of '%s'."
        ignorecase: true
        capitalize: true
        exceptions: [Utilize Labs]
        swap:
          utilize: use
        """)
    ws.config()
    assert ws.results("Utilize it. We utilize Utilize Labs.\n") == [
        (1, 1, "Test.Cap", "Use 'Use' instead of 'Utilize'."),
        (1, 16, "Test.Cap", "Use 'use' instead of 'utilize'."),
    ]


def test_longer_terms_win(ws):
    ws.rule("Long", """\
        extends: substitution
        message: "Use '%s' instead of '%s'."
        swap:
          sign in: log in
          sign in to: log in to
        """)
    ws.config()
    assert ws.results("Sign in, then sign in to the app.\n") == [
        (1, 15, "Test.Long", "Use 'log in to' instead of 'sign in to'.")]
