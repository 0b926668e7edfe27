"""grounding/specific: facts a source states in forms other than a sentence: a heading that
names a thing, a function's signature with types and optional marks, an open-ended duration
("1-10+ minutes"), a number that is part of a name ("SOC 3")."""

from kurt.checks.grounding import check_specifics
from kurt.checks.passages import SectionSources, file_passages

SOURCE = """---
url: https://docs.example.com/deployments
---

# Deployments

## Actions

#### Abort

Cancels a building deployment and moves it into the history section.

## Phases

| Phase | Duration |
|---|---|
| **Build** | 1-10+ minutes |
| **Deploy** | 30 seconds to 2 minutes |

## Functions

1. `secret(length?: number, alphabet?: string)`: a random secret.
2. `randomInt(min?: number, max?: number)`: a random integer.

## Compliance

Railway is SOC 2 Type II certified and SOC 3 certified.
"""
PATH = "sources/docs.example.com/deployments.md"


def messages(body: str, vocabulary, source: str = SOURCE, path: str = PATH) -> list[str]:
    """The findings' messages for a draft of ``body`` whose one section cites ``source``."""
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(path, source))]
    return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections,
                                               vocabulary=vocabulary)]


def test_a_heading_states_the_name_it_gives(vocabulary):
    assert messages("Use Abort to cancel a building deployment.", vocabulary) == []
    assert messages("Use Terminate to cancel a building deployment.", vocabulary) \
        == ['Name "Terminate" is not in the sources']


def test_an_open_ended_duration_states_its_bound(vocabulary):
    assert messages("Builds take one to ten minutes or more.", vocabulary) == []
    assert messages("Builds take one to twelve minutes.", vocabulary) \
        == ['Duration "twelve minutes" is not in the sources']


def test_a_signature_is_stated_by_its_parameter_names(vocabulary):
    assert messages("Call `secret(length, alphabet)` or `randomInt(min, max)`.", vocabulary) == []
    assert messages("Call `secret()` for a default secret.", vocabulary) == []
    assert messages("Call `secret(size, chars)`.", vocabulary) \
        == ['Identifier "secret(size, chars)" is not in the sources']
    assert messages("Call `randomInt(min)`.", vocabulary) \
        == ['Identifier "randomInt(min)" is not in the sources']
    # a method the sources call on an object (`require("dd-trace").init()`) is named bare
    source = "# Tracing\n\n```js\nconst tracer = require(\"dd-trace\").init();\n```\n"
    assert messages("Call `init()` before anything else.", vocabulary, source) == []
    assert messages("Call `start()` before anything else.", vocabulary, source) \
        == ['Identifier "start()" is not in the sources']


def test_a_number_in_a_name_counts_nothing(vocabulary):
    assert messages("Railway holds SOC 3 reports.", vocabulary) == []
    assert messages("Railway holds SOC 4 reports.", vocabulary) \
        == ['Number "4" is not in the sources']


CLI = """# railway config

```bash
railway config init
railway config pull
railway config plan
railway config apply
```

| Region | Location |
|---|---|
| `ams` | EU West, Amsterdam |
| `sjc` | US West, California |

Attach a domain with `railway domain example.com --port 8080`.
"""
OTHER = """# Import

Run `railway config pull` first.
"""


def test_a_subcommand_is_read_against_the_narrower_scopes_too(vocabulary):
    """The draft's other source shows one `railway config` subcommand only; the section's
    source lists four: `sync` is none of them, not an argument."""
    text = "---\nstatus: draft\n---\n\n# Guide\n\nStart with `railway config sync`.\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/cli.md", CLI)
                               + file_passages("sources/x/import.md", OTHER, scope="draft"))]
    found = check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)
    assert [f.message for f in found] == ['Command "railway config sync" is not in the sources']


def cli_messages(body: str, vocabulary) -> list[str]:
    return messages(body, vocabulary, CLI, "sources/x/cli.md")


def test_a_table_cell_of_code_alone_is_checked(vocabulary):
    table = "| Region | Location |\n|---|---|\n| `{}` | EU West, Amsterdam |"
    assert cli_messages(table.format("ams"), vocabulary) == []
    assert cli_messages(table.format("fra"), vocabulary) == ['Identifier "fra" is not in the sources']



MENUS = """# Shared variables

Open **Project Settings → Shared Variables** and define the value once.
"""


def test_each_step_of_a_menu_path_is_a_label(vocabulary):
    table = "| Where | What |\n|---|---|\n| **{}** | reused values |"
    assert messages(table.format("Project Settings → Shared Variables"), vocabulary, MENUS) == []
    assert messages(table.format("Workspace Settings → Shared Variables"), vocabulary, MENUS) \
        == ['Name "Workspace Settings" is not in the sources']


VMS = """# Sandboxes

Sandboxes are short-lived Linux environments. Each runs in its own VM.
"""


def test_a_name_followed_by_a_generic_kind_the_sources_name_is_stated(vocabulary):
    assert messages("A sandbox is a short-lived Linux VM.", vocabulary, VMS) == []
    assert messages("A sandbox is a short-lived Firecracker VM.", vocabulary, VMS) \
        == ['Name "Firecracker VM" is not in the sources']


MCP = """# MCP servers

```json
{
  "mcpServers": {
    "railway": {
      "command": "railway",
      "args": ["mcp"]
    }
  }
}
```

The local variant runs through the CLI (`command: "railway"`, `args: ["mcp"]`).

```bash
railway setup agent
railway login
```
"""


def test_a_command_a_configuration_runs_is_stated(vocabulary):
    assert messages("The local server runs `railway mcp` with the CLI's login.", vocabulary,
                    MCP) == []
    assert messages("The local server runs `railway serve` with the CLI's login.", vocabulary,
                    MCP) == ['Command "railway serve" is not in the sources']


CHUNKS = """# Ingestion

```python
def chunk_text(text: str, chunk_size: int = 500) -> list[str]:
    return [text[i:i + chunk_size] for i in range(0, len(text), chunk_size)]
```

![Diagram](https://example.com/video/chunks_4xk2.mp4)
"""


def test_a_count_is_named_by_a_part_of_the_sources_identifier(vocabulary):
    assert messages("The script splits text into 500-word chunks.", vocabulary, CHUNKS) == []
    assert messages("The script splits text into 400-word chunks.", vocabulary, CHUNKS) \
        == ['Number "400" is not in the sources']
    # a digit of a file name counts nothing, whatever words the name holds
    assert messages("The script splits text into 4 chunks.", vocabulary, CHUNKS) \
        == ['Number "4" is not in the sources']


COOKBOOK = """# Logs

A deployment that exits successfully (exit code 0) keeps the status `Success`.

<GraphQLCodeTabs query={`query logs($id: String!, $limit: Int) { logs(id: $id, limit: $limit) }`}
  variables={{ deploymentId: "deployment-id", limit: 100 }}
/>
"""


def test_a_count_the_sources_code_sets_for_the_key_the_draft_names_is_stated(vocabulary):
    assert messages("Its log query sets a limit of 100 lines.", vocabulary, COOKBOOK) == []
    assert messages("Its log query sets a limit of 200 lines.", vocabulary, COOKBOOK) \
        == ['Number "200" is not in the sources']
    # the word before the number names it, not the word after it
    assert messages("A clean exit with code 0 leaves the status at `Success`.", vocabulary,
                    COOKBOOK) == []
    assert messages("A clean exit with code 3 leaves the status at `Success`.", vocabulary,
                    COOKBOOK) == ['Number "3" is not in the sources']


def test_the_products_own_name_is_its_sites(vocabulary):
    source = "# Deployments API\n\nList deployments with the `deployments` query.\n"
    path = "sources/docs.acme.io/api/deployments.md"
    assert messages("The public API of Acme lists deployments.", vocabulary, source, path) == []
    assert messages("The public API of Zenith lists deployments.", vocabulary, source, path) \
        == ['Name "Zenith" is not in the sources']


QUEUES = """# Queues

- **Python:** <a href="https://docs.celeryq.dev/">Celery</a> (backed by Redis or RabbitMQ)
- **Ruby:** <a href="https://github.com/sidekiq/sidekiq">Sidekiq</a> (backed by Redis)
"""


def test_a_name_in_parentheses_must_be_one_the_sources_give_there(vocabulary):
    assert messages("Use Celery (RabbitMQ) or Sidekiq (Redis) for jobs.", vocabulary,
                    QUEUES) == []
    assert messages("Use Celery (Redis) or Sidekiq (RabbitMQ) for jobs.", vocabulary,
                    QUEUES) == ['Name "RabbitMQ" is not what the sources give for "Sidekiq"']
