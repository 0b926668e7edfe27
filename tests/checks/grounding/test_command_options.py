"""Options a CLI reference lists per command (kurt.checks.grounding.command_options)."""

from kurt.checks.grounding.command_options import (
    misplaced_flag,
    option_tables,
    subcommand_descriptions,
)
from kurt.checks.passages import file_passages

SOURCE = """# railway service

## Examples

```bash
railway service files upload ./seed.db /app/seed.db
railway volume attach --volume data --service backend
```

## Common options

| Flag | Description |
| --- | --- |
| `-e, --environment <ENV>` | Environment to use |

### Options for `files`

| Flag | Description |
| --- | --- |
| `-s, --service <SERVICE>` | Service name or ID |

### Options for `files download`

| Argument or flag | Description |
| --- | --- |
| `--overwrite`, `--override` | Replace the local path if it already exists |

### Options for `files upload`

| Argument or flag | Description |
| --- | --- |
| `--overwrite` | Replace the remote path if it already exists |

## volume attach flags

| Flag | Description |
| --- | --- |
| `--volume <VOLUME>` | Volume name |

## volume detach flags

| Flag | Description |
| --- | --- |
| `--service <SERVICE>` | Service to detach it from |
"""
PATH = "sources/docs.example.com/cli/service.md"


def test_option_tables_are_read_under_the_headings_that_name_their_command():
    tables = option_tables(file_passages(PATH, SOURCE))
    assert tables[("files", "download")] == {"--overwrite", "--override"}
    assert tables[("files", "upload")] == {"--overwrite"}
    assert tables[("files",)] == {"-s", "--service"}
    assert tables[("volume", "attach")] == {"--volume"}
    assert tables[("volume", "detach")] == {"--service"}
    assert tables[("*",)] == {"-e", "--environment"}


def test_a_flag_only_a_sibling_command_lists_is_misplaced():
    tables = option_tables(file_passages(PATH, SOURCE))
    upload = "railway service files upload".split()
    assert misplaced_flag(upload, "--override", tables) == ("files", "download")
    assert misplaced_flag(upload, "--overwrite", tables) is None  # its own
    assert misplaced_flag(upload, "--service", tables) is None  # its parent's
    assert misplaced_flag(upload, "--environment", tables) is None  # every command's
    assert misplaced_flag(upload, "--force", tables) is None  # nobody's: other checks
    attach = "railway volume attach".split()
    assert misplaced_flag(attach, "--service", tables) == ("volume", "detach")
    code = "railway volume attach --volume data --service backend"
    assert misplaced_flag(attach, "--service", tables, code) is None  # the sources' example


def test_a_flag_of_a_sibling_command_is_reported_in_a_draft(check_against):
    def found(body: str) -> list[str]:
        return check_against(body, SOURCE, PATH)

    assert found("```bash\nrailway service files upload ./a.db /app/a.db --overwrite\n```") == []
    assert found("```bash\nrailway service files upload ./a.db /app/a.db --override\n```") \
        == ['Flag "--override" is not an option of "railway service files upload" in the '
            'sources']
    # the sources' own example gives `volume attach` a flag its table does not list
    assert found("Run `railway volume attach --volume data --service backend`.") == []


DEV = """# railway dev

Run your project's services locally.

## Subcommands

| Subcommand | Aliases | Description |
|------------|---------|-------------|
| `up` | `start` | Start services (default) |
| `down` | `stop` | Stop services |
| `clean` | `reset` | Stop services and remove volumes/data |

## Examples

```bash
railway dev down
railway dev clean
```
"""


def test_subcommand_descriptions_are_read_from_the_pages_table():
    tables = subcommand_descriptions(file_passages("sources/x/cli/dev.md", DEV))
    assert tables == {("railway", "dev"): {"up": "Start services (default)",
                                           "down": "Stop services",
                                           "clean": "Stop services and remove volumes/data"}}


def test_a_subcommand_the_sentence_describes_as_another_is_reported(check_against):
    def found(body: str) -> list[str]:
        return check_against(body, DEV, "sources/x/cli/dev.md")

    assert found("To stop the services and remove their volumes and data, run "
                 "`railway dev clean`.") == []
    assert found("To stop the services and remove their volumes and data, run "
                 "`railway dev down`.") \
        == ['Command "railway dev down" is not what the sources describe here']
    assert found("To stop the services, run `railway dev down`.") == []
