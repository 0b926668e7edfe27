"""Value attribution: a value the sources state, but for something else (attribution.py)."""

import pytest

from kurt.checks.grounding import check_specifics
from kurt.checks.grounding.attribution import attribution, enumerations, fit, misattributed
from kurt.checks.passages import SectionSources, file_passages

SOURCE = """# Backups

Backups run on a schedule:

- **Daily** - Backed up every 24 hours, kept for 6 days
- **Weekly** - Backed up every 7 days, kept for 1 month

Railway can convert a PostgreSQL service into a high-availability cluster backed by
Patroni, etcd, and HAProxy.

Create a GitHub personal access token with the `read:packages` scope and paste it here.
The `write:packages` token of your CI pipeline should not be reused for pulling.

| Plan | Volume size | Replicas |
| --- | --- | --- |
| Hobby | 5 GB | 6 |
| Pro | 250 GB | 42 |

Every flag has one of four types, fixed when you create it.
"""
PATH = "sources/docs.example.com/backups.md"


def findings(draft: str):
    sections = [SectionSources(1, 100, None, file_passages(PATH, SOURCE))]
    return [(f.message, f.suggestion) for f in check_specifics(draft, "d.md", sections)]


def test_words_around_a_value_stop_at_its_sentence():
    text = "Weekly runs every 7 days. Daily backups are kept for 6 days, not longer."
    found = attribution(text, text.index("6 days"), text.index("6 days") + 6)
    assert {"daili", "backup", "kept"} <= found.near and "weekli" not in found.near
    assert found.left == ("backup", "kept")


def test_a_competing_value_must_fit_clearly_better():
    draft = attribution("Daily backups are kept for 7 days.", 27, 33)
    right = attribution("Daily backups are kept for 6 days.", 27, 33)
    weak = attribution("Weekly jobs every 7 days.", 18, 24)

    class Mention:
        def __init__(self, where):
            self.attribution = where

    assert fit(draft, right) > fit(draft, weak)
    other = Mention(right)
    assert misattributed(draft, [Mention(weak)], [other]) is other
    assert misattributed(draft, [Mention(right)], [other]) is None  # its own value fits too
    assert misattributed(draft, [], [other]) is None  # never stated: the other test decides


def test_lists_need_a_comma_or_a_conjunction():
    text = "Built on Patroni, etcd and HAProxy with the Terraform AWS VPC Provider."
    names = ["Patroni", "etcd", "HAProxy", "Terraform", "AWS", "VPC"]
    spans = [(text.index(n), text.index(n) + len(n), n.lower()) for n in names]
    lists = enumerations(text, spans)
    assert lists[2] == frozenset({"patroni", "etcd"})
    assert 3 not in lists and 5 not in lists


@pytest.mark.parametrize("draft,message,said", [
    ("Daily backups are kept for 7 days.", 'Duration "7 days" is not what the sources give here',
     '"6 days'),
    ("The cluster is backed by Patroni, etcd, and Pgbouncer.",
     'Name "Pgbouncer" is not in the sources', None),
    ("Create a GitHub personal access token with the `write:packages` scope.",
     'Scope "write:packages" is not what the sources give here', '"read:packages"'),
    ("Every flag has one of five types, fixed when you create it.",
     'Number "five" is not what the sources give here', 'four types'),
])
def test_a_value_the_sources_give_for_something_else_is_an_error(draft, message, said):
    [(found, suggestion)] = findings(draft)
    assert found == message
    if said:
        assert said in suggestion and PATH in suggestion


@pytest.mark.parametrize("draft", [
    "Daily backups are kept for 6 days and weekly ones for 1 month.",
    "Weekly backups run every 7 days.",
    "Hobby volumes hold 5 GB and Pro volumes 250 GB.",  # both values of the table
    "It is backed by Patroni, etcd, and HAProxy.",
    "Pulling needs `read:packages`; pushing from CI needs `write:packages`.",
    "There are two ways to set it up.",  # a count in words with nothing to contradict it
])
def test_values_where_the_sources_give_them_raise_nothing(draft):
    assert findings(draft) == []


WRAPPED = """# API

Values set with `--var` and `--raw-var` override keys with the same name from
`--variables`.

Use `railway usage` to rank projects by cost, or
show a service-level breakdown for one project:

```bash
railway usage projects --limit 10
```
"""


def test_a_sentence_wrapped_over_source_lines_is_read_whole():
    from kurt.checks.grounding.facts import wrapped

    lines = WRAPPED.split("\n")
    contexts = wrapped(lines)
    assert contexts[3] == (lines[2], "")  # "`--variables`." keeps its sentence
    assert contexts[2] == ("", lines[3])
    assert contexts[0] == contexts[1] == contexts[9] == ("", "")  # heading, blank, code
    sections = [SectionSources(1, 100, None, file_passages(PATH, WRAPPED))]
    draft = "Individual variables set with `--var` override keys of the same name from `--variables`."
    assert check_specifics(draft, "d.md", sections) == []


def test_one_in_words_is_an_article_not_a_competing_value():
    sections = [SectionSources(1, 100, None, file_passages(PATH, WRAPPED))]
    draft = "`railway usage projects` ranks projects by cost; cap the list at `--limit` 10."
    assert check_specifics(draft, "d.md", sections) == []


LEVELS = """# Logs

- `level` is the severity: `debug`, `info`, `warn`, or `error`.
- Lines written to stdout default to `level: info`; lines written to stderr become `level: error`

```text
@level:warn OR @level:error
```
"""


def test_a_key_value_pair_the_sources_give_for_something_else_is_reported():
    sections = [SectionSources(1, 100, None, file_passages(PATH, LEVELS))]
    assert check_specifics("Lines written to stderr become `level: error`.", "d.md",
                           sections) == []
    found = check_specifics("Lines written to stderr become `level: warn`.", "d.md", sections)
    assert [(f.message, f.suggestion.split(" (")[0]) for f in found] == \
        [('Identifier "level: warn" is not what the sources give here',
          'the source says "level: error"')]
