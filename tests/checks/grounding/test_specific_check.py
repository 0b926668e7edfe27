"""grounding/specific end to end on a small draft (kurt.checks.grounding.check_specifics)."""

from kurt.checks.grounding import check_grounding, check_specifics
from kurt.checks.passages import Passage, SectionSources, file_passages

SOURCE = """---
url: https://docs.example.com/limits
---

# Limits

The API allows 60 requests per minute on the Hobby plan.
Pro workspaces get 1,000 requests per minute.

## Tokens

Set `RAILWAY_TOKEN` to deploy with `railway up --detach`.
"""
PATH = "sources/docs.example.com/limits.md"


def passages(scope="section"):

    return file_passages(PATH, SOURCE, scope=scope)


def draft(body: str) -> str:
    return "---\nstatus: draft\n---\n\n# Our API in 3 steps\n\n" + body + "\n"


def check(text, sections=None, vocabulary=None):
    if sections is None:
        sections = [SectionSources(1, text.count("\n") + 1, None, passages())]
    return check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)


def test_a_changed_number_is_an_error_with_what_the_source_says():
    text = draft("The Hobby plan allows 100 requests per minute.")
    [finding] = check(text)
    assert finding.rule == "grounding/specific" and finding.severity == "error"
    assert finding.message == 'Number "100" is not in the sources'
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (7, 23, 7, 25)
    assert finding.suggestion.startswith('the source says "60 requests per minute"')
    assert finding.evidence.path == PATH
    assert finding.evidence.line_start == 7
    assert "60 requests per minute" in finding.evidence.quote
    assert f"{PATH}:7-" in finding.suggestion


def test_reworded_facts_raise_nothing():
    text = draft("On Hobby you can send 60 requests every minute, and Pro raises that to 1k. "
                 "Export `RAILWAY_TOKEN` and run `railway up --detach` to ship.")
    assert check(text) == []


def test_a_swapped_variable_is_reported_with_the_closest_one(vocabulary):
    [finding] = check(draft("Set `RAILWAY_API_TOKEN` before you deploy."), vocabulary=vocabulary)
    assert finding.message == 'Environment variable "RAILWAY_API_TOKEN" is not in the sources'
    assert '"RAILWAY_TOKEN"' in finding.suggestion


def test_a_competitor_swapped_in_is_reported(vocabulary):
    [finding] = check(draft("Unlike Render, the Hobby plan allows 60 requests per minute."),
                      vocabulary=vocabulary)
    assert finding.message == 'Name "Render" is not in the sources'


def test_headings_code_quotes_links_and_comments_are_never_flagged(vocabulary):
    # a shell block's command is read only for a program the sources run (here: none) and
    # for URLs on the sources' own domains (test_code_values.py has those)
    text = draft(
        "## Step 2: send 500 requests to Render\n\n"
        "```bash\ncurl -X POST https://api.example.com/v9/things --retry 42\n```\n\n"
        "> Heroku allows 999 requests per minute.\n\n"
        "<!-- Source: sources/docs.example.com/limits.md:7-8 -->\n"
        "See [our 2019 launch post](https://example.com/blog/2019/42) for 60 requests per minute.\n\n"
        "    indented code 77 GB\n")
    assert check(text, vocabulary=vocabulary) == []


def test_a_fact_from_the_drafts_sources_passes_even_if_another_section_is_cited():
    other = Passage("sources/other.md", 1, 1, "Nothing about numbers here.", "section")
    text = draft("Pro gets 1,000 requests per minute.")
    sections = [SectionSources(1, 100, "Body", [other] + passages("draft"))]
    assert check(text, sections) == []
    only_other = [SectionSources(1, 100, "Body", [other])]
    assert len(check(text, only_other)) == 1


def test_a_section_without_sources_is_not_checked():
    """No passage to compare with: the sources/* rules report the missing sources."""
    assert check(draft("It allows 100 requests."), [SectionSources(1, 100, None, [])]) == []


def test_lines_outside_every_section_use_all_passages():
    text = draft("The Hobby plan allows 60 requests per minute and 100 builds.")
    sections = [SectionSources(500, 600, "Elsewhere", passages())]
    [finding] = check(text, sections)
    assert '"100"' in finding.message


def test_check_grounding_returns_both_rules_in_file_order(vocabulary):
    text = draft("The Hobby plan allows 100 requests per minute. "
                 "Every deployment is scanned by an antivirus engine twice a day.")
    findings = check_grounding(text, "d.md", [SectionSources(1, 99, None, passages())],
                               vocabulary=vocabulary)
    assert [f.rule for f in findings] == ["grounding/specific", "grounding/claim"]
    assert findings[1].column > findings[0].column  # the antivirus sentence
    assert findings == sorted(findings, key=lambda f: (f.line, f.column, f.rule))
    only = check_grounding(text, "d.md", [SectionSources(1, 99, None, passages())],
                           rules=("grounding/specific",), vocabulary=vocabulary)
    assert [f.rule for f in only] == ["grounding/specific"]


def test_a_source_checked_against_itself_raises_nothing(railway_corpus, against_themselves):
    """What the extractor reads in prose, the source reader must read in the same file:
    every fifth page of the railway corpus, checked against its own passages."""

    pages = sorted(railway_corpus.rglob("*.md"))[::5]
    assert len(pages) > 70
    assert against_themselves(pages) == []


def test_a_value_worked_out_from_two_the_sentence_gives_is_not_reported():
    # the difference of two durations in the draft's own code, and a count times a size
    worked = draft("So `railway logs --since 30m --until 10m` shows a twenty-minute slice. "
                   "Two replicas using 60 MB each appear as 120 MB together.")
    assert [f.message for f in check(worked)][-1:] == ['Size "60 MB" is not in the sources']
    wrong = draft("So `railway logs --since 30m --until 10m` shows a twenty-five-minute slice.")
    assert [f.message for f in check(wrong)][-1:] == ['Duration "twenty-five-minute" is not in the sources']
    # a plain count that is the difference of two others is a coincidence, still checked
    [finding] = check(draft("Pro gets 1,000 requests per minute, Hobby 60, and a burst 940."))
    assert finding.message == 'Number "940" is not in the sources'


ROLLOUT = """# Rollout

| When | What |
| --- | --- |
| Starting January 1st, 2025 | Services without a volume move to the new hosts. |
| Starting March 14th, 2025 | New services with a volume deploy there. |

Stateful workloads are available on the new hosts starting March 2025.
"""


def test_a_date_the_sources_give_for_something_else_is_reported():
    sections = [SectionSources(1, 100, None, file_passages("sources/x/rollout.md", ROLLOUT))]
    wrong = draft("Stateful workloads have been available on the new hosts since January 2025.")
    [finding] = check(wrong, sections)
    assert finding.message == 'Date "January 2025" is not what the sources give here'
    assert 'the source says "March 2025"' in finding.suggestion
    right = draft("Services without a volume started moving in January 2025, and stateful "
                  "workloads have been available on the new hosts since March 2025.")
    assert check(right, sections) == []
    # a day the sources never give is not stated by a month or a year that they do
    [finding] = check(draft("Volume-less services moved on January 6th, 2025."), sections)
    assert finding.message == 'Date "January 6th, 2025" is not in the sources'


SETTINGS = """# Settings

| Setting | Default | Description |
|---|---|---|
| **Replicas** | 2 | Replicas added to the primary. Options: 2, 4, 6, or 8, for 3, 5, 7, or 9 nodes. |
| **Reverse Proxies** | 2 | Proxies routing connections. Options: 1 or 2. Trial workspaces are limited to 1. |
"""


def test_a_default_a_table_column_gives_otherwise_is_reported():
    sections = [SectionSources(1, 100, None, file_passages("sources/x/settings.md", SETTINGS))]
    # the draft's 2 is an option, its default is wrong: the "Default" column names the role
    [finding] = check(draft("**Replicas** defaults to three and accepts 2, 4, 6 or 8."), sections)
    assert finding.message == 'Number "three" is not what the sources give here'
    assert check(draft("**Replicas** defaults to two and accepts 2, 4, 6 or 8."), sections) == []
    # a bound makes a number in words a value ("held to two" where the source says 1)
    [finding] = check(draft("Reverse proxies can be one or two, and trial workspaces are held "
                            "to two."), sections)
    assert finding.message == 'Number "two" is not what the sources give here'


def test_a_value_the_section_states_for_something_else_is_compared_with_the_draft_sources():
    billing = "# Billing\n\nBuckets are billed per GB-month (30 days) of data stored.\n"
    serving = ("# Presigned URLs\n\nPresigned URLs grant temporary access to one object. They can "
               "be created with any S3 client library and can live for up to 90 days.\n")
    sections = [SectionSources(1, 100, None,
                               file_passages("sources/x/billing.md", billing)
                               + file_passages("sources/x/serving.md", serving, scope="draft"))]
    text = draft("A presigned link can be created with any S3 client library and stays valid "
                 "for up to 30 days.")
    [finding] = check(text, sections)
    assert finding.message == 'Duration "30 days" is not what the sources give here'
    assert '"90 days"' in finding.suggestion
    assert check(draft("Storage is billed per GB-month, a month being 30 days."), sections) == []


def test_what_a_setting_applies_to_and_what_a_price_counts_by_are_checked():
    waf = ("# Under Attack Mode\n\nUnder Attack Mode is set per service, the same as CDN caching. "
           "The private network is scoped to a single environment within a project. "
           "Usage is billed by the minute.\n")
    sections = [SectionSources(1, 100, None, file_passages("sources/x/waf.md", waf))]
    found = check(draft("Under Attack Mode is configured per project. The private network is "
                        "scoped to a single project. Usage is billed per second."), sections)
    assert [f.message for f in found] == ['Setting scope "project" is not in the sources',
                                          'Setting scope "project" is not in the sources',
                                          'Rate "per second" is not in the sources']
    assert 'per service' in found[0].suggestion
    assert check(draft("Under Attack Mode is configured for each service, the network is "
                       "environment-scoped, and usage is billed per-minute."), sections) == []
    # a grain the sources never state otherwise is left alone ("pick a region per service")
    quiet = [SectionSources(1, 100, None, file_passages("sources/x/r.md", "# Regions\n\nThe "
                                                        "region of a service can change.\n"))]
    assert check(draft("You pick a region per service."), quiet) == []
    # "limits that apply to your whole workspace" state workspace-wide limits
    limits = [SectionSources(1, 100, None, file_passages("sources/x/l.md", "# Limits\n\nPlan "
                                                         "limits apply to your whole workspace; "
                                                         "set memory per service too.\n"))]
    assert check(draft("Your plan sets workspace-wide memory limits."), limits) == []


def test_a_package_the_sources_do_not_install_is_reported(check_against):
    source = "# Beego\n\nRun `go get github.com/lib/pq` to install the Postgres driver.\n"
    assert check_against("Install the driver with `go get github.com/jackc/pgx`.", source) == [
        'Identifier "github.com/jackc/pgx" is not in the sources']
    assert check_against("Install the driver with `go get github.com/lib/pq`.", source) == []
    block = "Install the driver:\n\n```bash\ngo get github.com/jackc/pgx\n```"
    assert check_against(block, source) == ['Identifier "github.com/jackc/pgx" is not in the '
                                            'sources']


def test_a_package_a_runner_runs_must_be_the_sources(check_against):
    source = "# Remix\n\nCreate the app with `npx create-remix@latest`.\n"
    assert check_against("Scaffold it with `npx create-remix@latest`.", source) == []
    assert check_against("Scaffold it with `npx create-remix-app@latest`.", source) == [
        'Identifier "create-remix-app" is not in the sources']


def test_a_value_governed_by_a_word_another_value_follows_in_the_same_sentence(check_against):
    source = "# Limits\n\nRailway lets HTTP requests run for up to 15 minutes with keep-alive " \
             "heartbeats, and closes them after 5 minutes with no data transferred.\n"
    body = "Requests run for up to 15 minutes with keep-alive heartbeats and Railway closes " \
           "them after {} minutes with no data transferred."
    assert check_against(body.format(5), source) == []
    assert check_against(body.format(15), source) == [
        'Duration "15 minutes" is not what the sources give here']


REFERENCES = """# Strapi

Give the Strapi service these variables:

```bash
DATABASE_HOST=${{Postgres.PGHOST}}
DATABASE_NAME=${{Postgres.PGDATABASE}}
DATABASE_USERNAME=${{Postgres.PGUSER}}
```
"""


def test_a_variable_set_to_a_reference_the_sources_give_another_variable(check_against):
    block = "```bash\nDATABASE_NAME=${{{{{}}}}}\nDATABASE_USERNAME=${{{{Postgres.PGUSER}}}}\n```"
    assert check_against(block.format("Postgres.PGDATABASE"), REFERENCES) == []
    assert check_against(block.format("Postgres.PGUSER"), REFERENCES) == [
        'Value "${{Postgres.PGUSER}}" of "DATABASE_NAME" is not in the sources']
    # a reference no source sets a variable to is the writer's own choice
    assert not any(m.startswith("Value") for m in check_against(block.format("Postgres.PGPORT"),
                                                                 REFERENCES))
    assert check_against("Set `DATABASE_NAME=${{Postgres.PGUSER}}`.", REFERENCES) == [
        'Value "${{Postgres.PGUSER}}" of "DATABASE_NAME" is not in the sources']


LIMITS = """# Streaming

Railway lets HTTP requests run for [up to 15 minutes with keep-alive heartbeats](/networking/specs), and closes them after 5 minutes with no data transferred.
"""


def test_a_value_moved_to_the_other_slot_of_the_same_sentence_is_reported(check_against):
    sentence = ("Railway lets HTTP requests run for up to 15 minutes with keep-alive heartbeats "
                "and closes them after {} with no data transferred.")
    assert check_against(sentence.format("5 minutes"), LIMITS) == []
    assert check_against(sentence.format("15 minutes"), LIMITS) == [
        'Duration "15 minutes" is not what the sources give here']


CLICKHOUSE = """# ClickHouse

Set these variables on the service:

| Variable | Value |
|---|---|
| `CLICKHOUSE_DB` | `default` |
| `CLICKHOUSE_USER` | `clickhouse` |

Another guide creates its own database:

```bash
CLICKHOUSE_DB=analytics
```
"""


def test_a_value_a_table_of_variables_gives_is_stated(check_against):
    assert check_against("Run it with `CLICKHOUSE_DB=default`.", CLICKHOUSE) == []
    assert check_against("Run it with `CLICKHOUSE_DB=analytics`.", CLICKHOUSE) == []
    assert check_against("Run it with `CLICKHOUSE_DB=metrics`.", CLICKHOUSE) == [
        'Value "metrics" of "CLICKHOUSE_DB" is not in the sources']
