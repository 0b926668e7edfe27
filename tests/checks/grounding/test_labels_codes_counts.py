"""grounding/specific: interface labels in bold, HTTP status codes in inline code, and counts
written in words that the sources give otherwise."""

from kurt.checks.grounding import check_specifics
from kurt.checks.grounding.prose import read_prose
from kurt.checks.grounding.specifics import find_specifics
from kurt.checks.passages import SectionSources, file_passages

SOURCE = """---
url: https://docs.example.com/edge
---

# Edge settings

Open the service and go to its **Settings**. In the **Edge** section, toggle
**Enable CDN Caching** on. For routing details, see [Edge networking](/networking).

To hand the primary role back, use **Make Leader** on the node that should take over.

A client sending `If-None-Match` with the cached ETag gets `304 Not Modified` from the edge.
A plain HTTP request is redirected to HTTPS with a `301` response.

Three policies are available:

| Policy | What it restricts |
| --- | --- |
| Public networking | Domains |
| TCP proxies | Proxies |
| Image sources | Images |

The two public networking policies remove that risk. Listen on port `8080`.
"""
PATH = "sources/docs.example.com/edge.md"


def check(body: str, vocabulary):
    text = "---\nstatus: draft\n---\n\n# Edge guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(PATH, SOURCE))]
    return check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)


def messages(body: str, vocabulary) -> list[str]:
    return [f.message for f in check(body, vocabulary)]


# -- interface labels in bold ------------------------------------------------------------------

def test_a_bold_label_no_source_names_is_reported(vocabulary):
    assert messages("Flip **Enable CDN Caching** in the **Networking** section.", vocabulary) \
        == ['Name "Networking" is not in the sources']
    assert messages("To move the primary back, use **Promote Node** in the overview.",
                    vocabulary) == ['Name "Promote Node" is not in the sources']


def test_a_bold_label_the_sources_name_raises_nothing(vocabulary):
    # the case of later words may differ: a writer's "Enable CDN caching" is the same button
    assert messages("Flip **Enable CDN caching** in the **Edge** section of the **Settings**.",
                    vocabulary) == []
    assert messages("To move the primary back, use **Make Leader** on the node.", vocabulary) \
        == []


def test_bold_that_is_not_a_label_is_not_checked(vocabulary):
    # a lead-in at the start of a sentence, a label with a colon, lowercase emphasis
    assert messages("**Heads up** this section is short. The cache is **never** shared. "
                    "**Tip:** purge after deploys.", vocabulary) == []


def test_a_quoted_label_in_sentence_case_or_beside_a_control_is_checked(vocabulary):
    assert messages('Pick "Promote node" from the node\'s menu.', vocabulary) \
        == ['Identifier "Promote node" is not in the sources']
    assert messages('Open the "Purges" tab, then click "Edge".', vocabulary) \
        == ['Identifier "Purges" is not in the sources']
    # one quoted word with nothing that makes it a control's label is not read as one
    assert [s.kind for s in find_specifics('The cache is "Warm" after a deploy.')
            if s.kind == "identifier"] == []


def test_bold_spans_are_read_from_the_file():
    [unit] = read_prose("Use **Make Leader** or __Purge All__ now, not **this one**.\n").units
    assert [unit.text[s:e] for s, e in unit.strong] == ["Make Leader", "Purge All", "this one"]


def test_a_bold_vocabulary_name_is_read_as_that_name(vocabulary):
    [unit] = read_prose("Back it up with **PostgreSQL** dumps.\n").units
    [name] = [s for s in find_specifics(unit.text, code=unit.code, urls=unit.urls,
                                        vocabulary=vocabulary, strong=unit.strong)
              if s.kind == "name"]
    assert name.text == "PostgreSQL" and not name.label and name.term is not None


# -- HTTP status codes in inline code -------------------------------------------------------------

def test_a_status_code_in_inline_code_is_checked_in_a_sentence_about_responses(vocabulary):
    assert messages("A matching `If-None-Match` gets a `302` response from the edge.",
                    vocabulary) == ['Number "302" is not in the sources']
    assert messages("Plain HTTP requests are redirected with a `308`.", vocabulary) \
        == ['Number "308" is not in the sources']


def test_a_stated_status_code_and_other_numbers_in_code_raise_nothing(vocabulary):
    assert messages("A matching `If-None-Match` gets a `304` response from the edge.",
                    vocabulary) == []
    assert messages("Listen on port `8080` when the service starts.", vocabulary) == []


def test_a_number_alone_in_inline_code_is_a_value_the_sources_must_give(vocabulary):
    # a port, an exit code, a setting's value: each is a fact ("must be `2`" where a source
    # says "Set this to `1`"); numbers inside longer code are not read
    assert messages("Listen on port `8081` and exit with `125` when the file is missing.",
                    vocabulary) == ['Number "8081" is not in the sources',
                                    'Number "125" is not in the sources']
    assert [s.kind for s in find_specifics("Run `cp -r 125 3` first.", code=[(4, 20, "cp -r 125 3")])] \
        == ["flag"]


# -- counts in words ----------------------------------------------------------------------------

def test_a_count_in_words_the_sources_give_otherwise_is_reported(vocabulary):
    [finding] = check("Guardrails are set once per workspace, and four policies are available.",
                      vocabulary)
    assert finding.message == 'Number "four" is not what the sources give here'
    assert 'the source says "Three policies' in finding.suggestion


def test_a_count_in_words_the_sources_state_or_do_not_count_raises_nothing(vocabulary):
    assert messages("Three policies are available to workspace admins.", vocabulary) == []
    # stated for the noun, though not right before it ("two public networking policies")
    assert messages("Two policies cover public networking.", vocabulary) == []
    # a noun the sources never count: alone, a count in words is no claim
    assert messages("There are two ways to open the settings.", vocabulary) == []


# -- the word right before a value --------------------------------------------------------------

# a page about certificates: "certificate" and "valid" are around most of its numbers, so
# they tell nothing by themselves (kurt.checks.grounding.attribution.common_words)
CERT_SOURCE = """---
url: https://docs.example.com/certs
---

# Certificates

Certificates are valid for 90 days and renewed when 30 days of validity remain.
""" + "".join(f"In region {i}, a valid certificate is inspected every {i + 2} hours.\n"
              for i in range(24))


def check_certs(body: str, vocabulary):
    text = "---\nstatus: draft\n---\n\n# Certificates\n\n" + body + "\n"
    path = "sources/docs.example.com/certs.md"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(path, CERT_SOURCE))]
    return check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)


def test_a_value_after_the_word_another_value_follows_is_reported(vocabulary):
    [finding] = check_certs("A certificate is valid for 30 days and renewed automatically.",
                            vocabulary)
    assert finding.message == 'Duration "30 days" is not what the sources give here'
    assert 'the source says "90 days' in finding.suggestion


def test_values_after_their_own_words_raise_nothing(vocabulary):
    assert check_certs("A certificate is valid for 90 days and renewed when 30 days remain.",
                       vocabulary) == []
    # no content word right before the value: nothing to compare
    assert check_certs("After 30 days of validity are left, the certificate is renewed.",
                       vocabulary) == []


def test_the_adjacent_word_skips_small_words_and_stops_at_code():
    from kurt.checks.grounding.attribution import attribution
    from kurt.checks.grounding.lexical import normal_token

    def adjacent(text: str, value: str) -> str:
        start = text.index(value)
        return attribution(text, start, start + len(value)).adjacent

    assert adjacent("Certificates are valid for 90 days.", "90") == normal_token("valid")
    assert adjacent("Requests are limited to 100 per minute.", "100") \
        == normal_token("limited")
    assert adjacent("Set an optional `status` from 400 through 499.", "400") == ""
    assert adjacent("Between 10 and 20 replicas.", "20") == ""


TTL_SOURCE = """---
url: https://docs.example.com/ttl
---

# Default TTL

The Default TTL is the fallback cache duration when your service sends no freshness directive.

You can choose 30 minutes, 1 hour, 2 hours (the default), 4 hours, 12 hours, or 1 day.
"""


def check_ttl(body: str, vocabulary):
    text = "---\nstatus: draft\n---\n\n# TTL\n\n" + body + "\n"
    path = "sources/docs.example.com/ttl.md"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(path, TTL_SOURCE))]
    return check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)


def test_a_value_the_source_marks_otherwise_in_an_aside_is_reported(vocabulary):
    [finding] = check_ttl("The TTL can be anything from 30 minutes to 1 day, and the default is "
                          "4 hours.", vocabulary)
    assert finding.message == 'Duration "4 hours" is not what the sources give here'
    assert 'the source says "2 hours' in finding.suggestion
    assert check_ttl("The TTL can be anything from 30 minutes to 1 day, and the default is "
                     "2 hours.", vocabulary) == []
    assert check_ttl("You can also pick 4 hours or 12 hours.", vocabulary) == []


SHM_SOURCE = """---
url: https://docs.example.com/shm
---

# Shared memory

By default it is set to 64MB.

For example, to increase the SHM Size to 500MB, you would set the variable to `524288000`.
"""


def test_a_light_verb_or_a_word_the_own_value_explains_tells_no_value_apart(vocabulary):
    text = "---\nstatus: draft\n---\n\n# SHM\n\n{}\n"
    path = "sources/docs.example.com/shm.md"

    def run(body):
        draft = text.format(body)
        sections = [SectionSources(1, draft.count("\n") + 1, None,
                                   file_passages(path, SHM_SOURCE))]
        return check_specifics(draft, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)

    assert run("To set it to 500MB, give the variable the value `524288000`.") == []
    assert run("The SHM size is 64MB by default.") == []


PLANS = """# Workspaces

Additional workspaces require the Pro tier. The Admin role can invite members.

![Project Team Members](https://example.com/team.png)
"""


def test_a_name_given_as_a_plan_or_role_must_be_one_the_sources_name_so(vocabulary, check_against):
    def found(body: str) -> list[str]:
        return check_against(body, PLANS, "sources/x/workspaces.md", vocabulary)

    # "plan" and "tier" are one noun; a role is named with "role"
    assert found("More workspaces need the Pro plan; the Admin role invites people.") == []
    assert found("More workspaces need the Pro or Team plan.") \
        == ['Name "Team plan" is not in the sources']
    assert found("Only the Team members can invite people.") == []  # not given as a plan
    # a technology named with "tier" is a part of a system, not a plan
    source = PLANS + "\nPatroni elects the leader through etcd, the consensus store.\n"
    assert check_against("Patroni keeps its leader in a separate etcd tier.", source,
                         "sources/x/workspaces.md", vocabulary) == []
