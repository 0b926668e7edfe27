"""Default values (kurt.checks.grounding.defaults) and grounding/specific on them."""

from kurt.checks.grounding import check_specifics
from kurt.checks.grounding.defaults import defaults_in, setting_keys, value_key
from kurt.checks.passages import SectionSources, file_passages

SOURCE = """# Services

| Field | Type | Default |
| --- | --- | --- |
| `numReplicas` | Int | 1 |
| `region` | String | - |

<ParamTable fields={[
  { name: "input.defaultEnvironmentName", type: "String", apiDefault: "production" },
]} />

| Flag | Description |
| --- | --- |
| `-S, --since <TIME>` | Start of the window. Defaults to `1h`. |
| `RAILWAY_DEPLOYMENT_OVERLAP_SECONDS` | Overlap; its default value is `0`. |

The `healthcheckTimeout` setting defaults to 300 seconds. Add a `staging` environment for
previews, in `us-west2` or `24h` away.
"""


def messages(body: str, vocabulary) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x.com/services.md", SOURCE))]
    found = check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)
    return [f.message for f in found]


def test_the_forms_a_source_states_a_default_in():
    found = {(tuple(sorted(d.keys)), d.value) for d in defaults_in(SOURCE)}
    assert found == {(("numreplicas",), "1"), (("defaultenvironmentname",), '"production"'),
                     (("--since", "-s"), "`1h`"),
                     (("railway_deployment_overlap_seconds",), "`0`"),
                     (("healthchecktimeout",), "300 seconds")}


def test_settings_and_values_are_compared_by_name_and_quantity():
    assert setting_keys("`input.numReplicas`") == {"numreplicas"}
    assert setting_keys("-S, --since <TIME>") == {"-s", "--since"}
    assert value_key("`1h`") == value_key("an hour") == ("time", 3600.0)
    assert value_key('"production"') == value_key("`production`") == "production"


def test_a_default_the_sources_give_raises_nothing(vocabulary):
    assert messages("Projects get an environment called `production` unless "
                    "`defaultEnvironmentName`, which defaults to `production`, is set. "
                    "`--since` defaults to one hour and `healthcheckTimeout` defaults to "
                    "300 seconds.", vocabulary) == []


def test_a_default_the_sources_give_otherwise_is_reported(vocabulary):
    assert messages("`defaultEnvironmentName` defaults to `staging`.", vocabulary) \
        == ['Default "staging" of "defaultenvironmentname" is not what the sources give']
    assert messages("| Field | Default |\n| --- | --- |\n| `numReplicas` | 2 |", vocabulary) \
        == ['Default "2" of "numreplicas" is not what the sources give']
    assert messages("The window (`--since`) has a default of `24h`.", vocabulary) == [
        'Default "24h" of "--since" is not what the sources give']


def test_a_setting_the_sources_give_no_default_for_is_left_alone(vocabulary):
    assert messages("`region` defaults to `us-west2`, and `numReplicas` can be raised.",
                    vocabulary) == []


def test_a_default_number_ends_before_the_word_after_it(vocabulary):
    found = defaults_in("Raise `--limit` from its default of 20 up to a maximum of 500, or "
                        "`--since` (default: 30 seconds) and `numReplicas` defaults to 1 and caps.")
    assert {d.value for d in found} == {"20", "30 seconds", "1"}
    assert messages("`healthcheckTimeout` defaults to 300 seconds or less, and `numReplicas` "
                    "defaults to 1 and can be raised.", vocabulary) == []


REFERENCE = """# Resolver

## `new Resolver([options])`

* `options` {Object}
  * `timeout` {integer} Query timeout in milliseconds, or `-1` to use the
    default timeout.
  * `tries` {integer} The number of tries the resolver makes for each name
    server before giving up. **Default:** `4`
* `family` {integer} The record family. Must be `4`, `6`, or `0`. The value
  `0` returns either kind of address. **Default:** `0`.
"""


def test_a_reference_lists_each_settings_default_in_its_item():
    found = {(min(d.keys), d.value) for d in defaults_in(REFERENCE)}
    assert found == {("tries", "`4`"), ("family", "`0`")}  # not `options`: a nested item's


def test_a_default_a_reference_item_gives_otherwise_is_reported(vocabulary):
    def check(body):
        text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
        sections = [SectionSources(1, text.count("\n") + 1, None,
                                   file_passages("sources/docs.example.com/dns.md", REFERENCE))]
        return [f.message for f in check_specifics(text, "d.md", sections, vocabulary=vocabulary)]

    # a wrapped sentence, and a list item of the draft's own
    [found] = check("The resolver takes `tries`, the attempts per name server, which defaults "
                    "to\n`0`.")
    assert found == 'Default "0" of "tries" is not what the sources give'
    [found] = check("- `family`: `4`, `6` or `0`, where `0` accepts either kind of address. "
                    "The\n  default is `4`.")
    assert found == 'Default "4" of "family" is not what the sources give'
    assert check("The resolver takes `tries`, the attempts per name server, which defaults to\n"
                 "`4`.") == []
