"""grounding/specific: what code in prose sets, beyond its names: reference variables
(``${{Postgres.DATABASE_URL}}``), the word after a flag (``-F t``), and the keys of a table
whose other keys the sources spell out (``build.buildCommand``)."""

from kurt.checks.grounding import check_specifics
from kurt.checks.grounding.code import code_specifics
from kurt.checks.passages import SectionSources, file_passages

SOURCE = """---
url: https://docs.example.com/migrate
---

# Migrate

Set `DATABASE_URL` to `${{Postgres.DATABASE_URL}}` so the app follows the database.

Restore the dump:

```bash
pg_restore -U postgres -h host -p 5432 -W -F t -d railway dump.tar
railway mcp install --agent claude-code --agent copilot
railway logs --service backend
railway functions delete --function my-function
railway usage limit status --target workspace
railway logs --network --peer postgres --port 5432 --direction egress --since 1h
```

`--direction` filters by `ingress` or `egress`; `--target` is `agent` for agent spend and
`workspace` for compute spend. Seed variables with `--variable GH_TOKEN=$(gh auth token)`.

Set a build command with `railway environment edit --service-config api build.buildCommand "npm run build"`,
or the builder with `build.builder`. A `deploy` table holds `startCommand`.
"""
PATH = "sources/docs.example.com/migrate.md"


def messages(body: str, vocabulary) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(PATH, SOURCE))]
    return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections,
                                               vocabulary=vocabulary)]


def test_a_reference_variable_names_the_variable_it_reads():
    [ref] = code_specifics("${{Postgres.DATABASE_URL}}", 0, 26)
    assert (ref.kind, ref.key) == ("env-var", "DATABASE_URL")
    keys = [(s.kind, s.key) for s in code_specifics("API_URL=${{ shared.API_HOST }}", 0, 31)]
    assert ("env-var", "API_HOST") in keys
    assert ("env-var", "API_URL") in [(s.kind, s.key) for s in
                                      code_specifics("API_URL=${{api.PORT}}", 0, 21)]


def test_a_reference_to_a_variable_no_source_gives_is_reported(vocabulary):
    assert messages("Point `DATABASE_URL` at `${{Postgres.DATABASE_URL}}`.", vocabulary) == []
    assert messages("Point `DATABASE_URL` at `${{Postgres.DATABASE_PRIVATE_URL}}`.", vocabulary) \
        == ['Environment variable "DATABASE_PRIVATE_URL" is not in the sources']


def test_the_word_after_a_flag_must_be_one_the_sources_give_it(vocabulary):
    assert messages("Pass `-W` for a password prompt and `-F t` for a tar archive.", vocabulary) \
        == []
    assert messages("Pass `-W` for a password prompt and `-F d` for the archive.", vocabulary) \
        == ['Flag "-F d" is not in the sources']
    assert messages("Run `--agent claude-code --agent github-copilot` to pick both.", vocabulary) \
        == ['Flag "--agent github-copilot" is not in the sources']


def test_the_word_after_a_flag_may_be_the_writers_own_or_a_word_of_the_sources(vocabulary):
    # a service name the sources use elsewhere; a flag the sources never give a word after
    assert messages("Tail it with `railway logs --service backend`.", vocabulary) == []
    assert messages("Run `pg_restore -W railway` against the new host.", vocabulary) == []
    # the sources' own word is an example name (`my-function`): any name is the writer's
    assert messages("Remove it with `railway functions delete --function cleanup`.",
                    vocabulary) == []


def test_a_key_of_a_table_whose_keys_the_sources_spell_out_must_be_one_of_them(vocabulary):
    assert messages("Set `build.buildCommand` or `build.builder` on the service.", vocabulary) == []
    assert messages("Set `build.command` to `npm run build`.", vocabulary) \
        == ['Configuration key "build.command" is not in the sources']


def test_a_dotted_key_whose_table_the_sources_only_nest_is_read_part_by_part(vocabulary):
    # no source writes `deploy.` before a key: the parts are checked as before
    assert messages("Set `deploy.startCommand` for the start step.", vocabulary) == []


# -- commands of shell blocks -------------------------------------------------------------------

CLI_SOURCE = """---
title: railway service
description: Manage services with the Railway CLI and the public GraphQL API.
---

# railway service

| Subcommand | Aliases | Description |
| --- | --- | --- |
| `delete` | `remove`, `rm` | Delete a service from an environment |

```bash
railway service
railway service backend
railway service status --all
railway service source connect --repo owner/repo --branch main --service web
railway waf under-attack enable --service web --duration 1h
curl -X POST https://backboard.railway.com/graphql/v2 -H "Authorization: Bearer $RAILWAY_TOKEN"
```

Logs: `railway service logs -n <N>` fetches N lines.
"""
CLI_PATH = "sources/docs.railway.com/docs/cli/service.md"


def cli_findings(body: str, vocabulary):
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(CLI_PATH, CLI_SOURCE))]
    return check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)


def test_a_shell_block_runs_the_products_commands_as_the_sources_give_them(vocabulary):
    body = ("```bash\n$ railway service status --all\n"
            "railway service source connect --repo me/app \\\n  --branch main --service web\n"
            "cd app && git push origin main --force\n"
            "curl https://my-app.up.railway.app/health\n```")
    assert cli_findings(body, vocabulary) == []


def test_a_flag_or_subcommand_no_source_gives_is_reported_where_it_is_written(vocabulary):
    body = ("Connect the repository:\n\n```bash\n"
            "railway service source connect --repo me/app --ref main\n"
            "railway waf attack-mode enable --service web\n```")
    found = cli_findings(body, vocabulary)
    assert [(f.message, f.line, f.column) for f in found] == [
        ('Flag "--ref" is not in the sources', 10, 46),
        ('Command "railway waf attack-mode enable" is not in the sources', 11, 1)]


def test_a_url_on_the_products_own_host_must_be_one_the_sources_give(vocabulary):
    body = "```sh\ncurl -X POST https://api.railway.com/graphql/v2 -d '{}'\n```"
    [finding] = cli_findings(body, vocabulary)
    assert finding.message == 'URL "https://api.railway.com/graphql/v2" is not in the sources'


def test_a_subcommand_the_sources_list_in_a_table_is_stated(vocabulary):
    assert cli_findings("Run `railway service delete` to remove it, or `railway service "
                        "backend` to link one.", vocabulary) == []
    [finding] = cli_findings("Run `railway service destroy` to remove it.", vocabulary)
    assert finding.message == 'Command "railway service destroy" is not in the sources'


def test_a_page_title_and_description_are_what_the_page_states(vocabulary):
    assert cli_findings("The public GraphQL API manages services too.", vocabulary) == []


def test_a_number_right_after_a_flag_is_its_example_argument(vocabulary):
    assert cli_findings("Fetch a fixed number of lines with `-n` `200`.", vocabulary) == []


def test_a_lone_code_word_written_as_a_key_in_the_sources_is_stated(vocabulary):
    text = ("---\nstatus: draft\n---\n\n# Guide\n\nPass an optional `source` and a `branch`.\n")
    source = ('# Create\n\nvariables={{ input: { name: "api", source: { repo: "a/b" } } }}\n\n'
              '{ name: "input.branch", type: "String" }\n')
    sections = [SectionSources(1, 9, None, file_passages("sources/x.com/a.md", source))]
    assert check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary) == []
    text = text.replace("`branch`", "`tag`")
    [finding] = check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)
    assert finding.message == 'Identifier "tag" is not in the sources'


def test_the_about_passage_joins_the_files_frontmatter_and_the_stores_description():
    from kurt.checks.passages import about_passage

    text = "---\nurl: https://x.com/a\ntitle: Manage services\n---\n\n# Manage services\n\nBody.\n"
    about = about_passage("sources/x.com/a.md", text,
                          description="Create services with the GraphQL API.")
    assert (about.line_start, about.line_end) == (1, 4)
    assert about.text == "title: Manage services\ndescription: Create services with the GraphQL API."
    assert about_passage("sources/x.com/a.md", "# No frontmatter\n") is None
    assert about_passage("sources/x.com/a.md", "---\nurl: https://x.com/a\n---\nBody\n") is None


def test_a_long_flags_word_must_be_one_the_sources_give_or_document(vocabulary):
    assert messages("Narrow it with `--target workspace` or `--direction ingress`.", vocabulary) \
        == []
    assert messages("Narrow it with `--target compute`.", vocabulary) \
        == ['Flag "--target compute" is not in the sources']


def test_a_flags_number_is_a_value_and_its_duration_an_example(vocabulary):
    assert messages("Check the database with `--peer postgres --port 5432` over `--since 6h`.",
                    vocabulary) == []
    assert messages("Check the database with `--peer postgres --port 3306`.", vocabulary) \
        == ['Flag "--port 3306" is not in the sources']


def test_a_variable_set_through_a_flag_is_a_variable(vocabulary):
    assert messages("Pass `--variable GH_TOKEN=$(gh auth token)` to clone.", vocabulary) == []
    assert messages("Pass `--variable GITHUB_TOKEN=$(gh auth token)` to clone.", vocabulary) \
        == ['Environment variable "GITHUB_TOKEN" is not in the sources']


USAGE = """# Usage

Human-readable output shows the top 25 projects by default and combines the remainder
into an "Other projects" row.

```bash
railway usage limit set --hard 20
```
"""


def test_a_value_only_the_sources_code_writes_still_meets_their_prose(vocabulary):
    # "20" is a literal of the code (`--hard 20`); the prose gives 25 for what the draft says
    text = ("---\nstatus: draft\n---\n\n# Guide\n\nThe table lists the top 20 and "
            "folds the rest into an \"Other projects\" row.\n")
    sections = [SectionSources(1, 9, None, file_passages("sources/x.com/usage.md", USAGE))]
    [finding] = check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)
    assert finding.message == 'Number "20" is not what the sources give here'
    assert "25 projects" in finding.suggestion
    right = text.replace("top 20", "top 25")
    assert check_specifics(right, "projects/p/drafts/d.md", sections, vocabulary=vocabulary) == []


def test_top_before_a_number_is_a_fact_not_a_label():
    from kurt.checks.grounding.quantities import find_numbers

    [mention] = find_numbers("It lists the top 20 projects.", draft=True)
    assert not mention.label and mention.noun == "projects"


def test_an_http_method_the_sources_give_for_something_else_is_reported(vocabulary):
    source = ("# GraphQL\n\nQueries are the GraphQL equivalent of GET requests.\n\n"
              "A GraphQL request is an HTTP POST with a JSON body containing your query.\n")
    sections = [SectionSources(1, 9, None, file_passages("sources/x.com/gql.md", source))]
    text = ("---\nstatus: draft\n---\n\n# Guide\n\nEvery call is an HTTP GET with a JSON body "
            "carrying your query.\n")
    [finding] = check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)
    assert finding.message == 'HTTP method "GET" is not what the sources give here'
    assert '"POST"' in finding.suggestion
    right = text.replace("HTTP GET", "HTTP POST")
    assert check_specifics(right, "projects/p/drafts/d.md", sections, vocabulary=vocabulary) == []


AGENT = """# Agent

```dockerfile
EXPOSE 8125/udp
EXPOSE 8126
```

```plaintext
DD_AGENT_SYSLOG_PORT=514
```
"""


def agent_findings(body: str) -> list[tuple]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/docs.example.com/agent.md", AGENT))]
    return [(f.message, f.line, f.column, f.suggestion)
            for f in check_specifics(text, "projects/p/drafts/d.md", sections)]


def test_a_distinctive_number_of_the_sources_code_needs_no_noun():
    # "8126 receives": a port the sources expose, whatever word follows it in the draft
    assert agent_findings("Port 8125 takes metrics and 8126 receives traces.") == []
    assert [m for m, *_ in agent_findings("Port 8125 takes metrics and 8127 receives traces.")] \
        == ['Number "8127" is not in the sources']


def test_a_value_set_for_a_known_variable_is_reported_on_the_value():
    assert agent_findings("Set `DD_AGENT_SYSLOG_PORT=514`.") == []
    found = agent_findings("```bash\nDD_AGENT_SYSLOG_PORT=515\n```")
    assert found == [('Value "515" of "DD_AGENT_SYSLOG_PORT" is not in the sources', 8, 22,
                      'the source sets "DD_AGENT_SYSLOG_PORT=514" '
                      '(sources/docs.example.com/agent.md:9-9)')]


def test_a_variable_set_to_a_url_is_a_variable_with_a_value():
    content = "VECTOR_URL=https://vector.railway.internal:9000"
    assert [(s.kind, s.key, s.value) for s in code_specifics(content, 0, len(content))] \
        == [("env-var", "VECTOR_URL", "https://vector.railway.internal:9000")]


REDIS = """# Queues

A failed job is retried.

```js
await redis.lpush("queue:researcher", taskId);
res.status(401).send("Unauthorized");
```
"""


def test_a_capitalised_command_and_an_http_status_are_read_as_the_code_writes_them(check_against):
    def found(body: str) -> list[str]:
        return check_against(body, REDIS, "sources/x/queues.md")

    assert found("The orchestrator `LPUSH`es a task and returns `401 Unauthorized` to "
                 "strangers.") == []
    assert found("The orchestrator `RPUSH`es a task and returns `403 Forbidden` to "
                 "strangers.") == ['Environment variable "RPUSH" is not in the sources',
                                   'Number "403 Forbidden" is not in the sources']
    # a status in capitals is not stated by the word in prose
    assert found("The job ends `FAILED` after its retries.") \
        == ['Environment variable "FAILED" is not in the sources']


def test_an_object_literal_in_inline_code_is_read_as_its_pairs():
    content = "{ retries: 3, timeout: 30 }"
    assert [(s.kind, s.key) for s in code_specifics(content, 0, len(content))] \
        == [("identifier", "retries: 3"), ("identifier", "timeout: 30")]
    assert code_specifics("{id}", 0, 4) == []  # a placeholder


def test_a_placeholder_host_on_the_products_domain_is_checked_by_its_domain(check_against):
    source = "# Networking\n\nReach it at `postgres.railway.internal:5432`.\n"

    def found(body: str) -> list[str]:
        return check_against(body, source, "sources/x/net.md")

    assert found("Services find each other at `<service-name>.railway.internal`.") == []
    assert found("Services find each other at `<service-name>.railway.local`.") \
        == ['URL "<service-name>.railway.local" is not in the sources']
